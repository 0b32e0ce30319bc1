/**
 * Byte-for-byte comparison of Strata with a real redis-server over every script in test/diff/.
 * Skipped, with a notice, where redis-server is not installed (CI installs it).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatMismatches, loadScripts, runDifferential } from '../helpers/differential.js';
import { hasRedis, startRedis, startStrata, type RunningProcess } from '../helpers/servers.js';

const DIFF_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/diff');

/** Groups of script files, each checked in its own test so a failure names its group. */
const GROUPS: Record<string, (f: string) => boolean> = {
  connection: (f) => f.startsWith('connection'),
  keys: (f) => f.startsWith('keys') || f.startsWith('expire'),
  strings: (f) => f.startsWith('strings') || f.startsWith('counters'),
  bits: (f) => f.startsWith('bit'),
  server: (f) => f.startsWith('server') || f.startsWith('config') || f.startsWith('client'),
  errors: (f) => f.startsWith('errors'),
  zsets: (f) => f.startsWith('zsets'),
  transactions: (f) => f.startsWith('transactions'),
  hashes: (f) => f.startsWith('hashes'),
  sets: (f) => f.startsWith('sets'),
  sort: (f) => f.startsWith('sort'),
  lists: (f) => f.startsWith('lists'),
  scripting: (f) => f.startsWith('scripting'),
};

describe('differential: Strata vs redis-server', { skip: hasRedis() ? false : 'redis-server is not installed: differential tests skipped' }, () => {
  let redis: RunningProcess;
  let strata: RunningProcess;
  let total = 0;

  before(async () => {
    [redis, strata] = await Promise.all([startRedis(), startStrata()]);
  });
  after(async () => {
    await Promise.all([redis?.stop(), strata?.stop()]);
  });

  for (const [group, filter] of Object.entries(GROUPS)) {
    it(`${group} scripts give identical replies`, async () => {
      const cases = loadScripts(DIFF_DIR, filter);
      const { mismatches, commands } = await runDifferential(cases, redis.port, strata.port);
      total += commands;
      assert.equal(mismatches.length, 0, `${mismatches.length} of ${commands} replies differ:\n${formatMismatches(mismatches)}`);
    });
  }

  it('covers at least 300 commands', () => {
    assert.ok(total >= 300, `only ${total} commands compared`);
  });
});

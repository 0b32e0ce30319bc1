/**
 * Strata driven by the real `redis-cli`, in RESP2 and RESP3 (`-3`), including binary data and pipes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { hasRedisCli, startStrata, type RunningProcess } from '../helpers/servers.js';

describe('redis-cli', { skip: hasRedisCli() ? false : 'redis-cli is not installed' }, () => {
  let strata: RunningProcess;
  const cli = (args: string[], input?: string) => {
    const r = spawnSync('redis-cli', ['-p', String(strata.port), ...args], { input, encoding: 'latin1' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };

  before(async () => {
    strata = await startStrata();
  });
  after(async () => {
    await strata?.stop();
  });

  it('pings and round-trips values', () => {
    assert.equal(cli(['ping']), 'PONG\n');
    assert.equal(cli(['set', 'greeting', 'hello world']), 'OK\n');
    assert.equal(cli(['get', 'greeting']), 'hello world\n');
    assert.equal(cli(['get', 'missing']), '\n');
    assert.equal(cli(['--no-raw', 'get', 'missing']), '(nil)\n');
  });

  it('shows errors as redis-cli formats them', () => {
    assert.equal(cli(['--no-raw', 'nosuch', 'a']), "(error) ERR unknown command 'nosuch', with args beginning with: 'a' \n");
    assert.equal(cli(['--no-raw', 'get']), "(error) ERR wrong number of arguments for 'get' command\n");
  });

  it('speaks RESP3 with -3', () => {
    const out = cli(['-3', '--no-raw', 'hello', '3']);
    assert.match(out, /1# "server" => "redis"/);
    assert.match(out, /3# "proto" => \(integer\) 3/);
    assert.equal(cli(['-3', '--no-raw', 'get', 'missing']), '(nil)\n');
  });

  it('keeps binary values intact through the pipe mode', () => {
    const bytes = Array.from({ length: 256 }, (_, i) => i);
    const hex = bytes.map((b) => '\\x' + b.toString(16).padStart(2, '0')).join('');
    cli([], `SET bin "${hex}"\n`);
    const r = spawnSync('redis-cli', ['-p', String(strata.port), '--raw', 'get', 'bin']);
    assert.deepEqual([...r.stdout.subarray(0, 256)], bytes);
  });

  it('runs commands piped on stdin', () => {
    const out = cli([], 'set a 1\nset b 2\nget a\nget b\n');
    assert.equal(out, 'OK\nOK\n1\n2\n');
  });
});

/**
 * INFO text: section selection, Redis's fixed section order and framing, and the fields clients parse.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { T } from '../../src/keyspace/entry.js';
import { Config } from '../../src/server/config.js';
import { infoText, recordLatency, selectSections } from '../../src/server/info.js';
import { Server } from '../../src/server/server.js';
import { REDIS_VERSION, VERSION } from '../../src/version.js';

function fields(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

function headers(text: string): string[] {
  return text.split('\r\n').filter((l) => l.startsWith('# '));
}

describe('INFO', () => {
  const server = new Server(new Config());

  it('selects default, all, everything and named sections', () => {
    assert.ok(!selectSections([]).has('commandstats'));
    assert.ok(selectSections([]).has('keyspace'));
    assert.equal(selectSections(['all']).size, 13);
    assert.equal(selectSections(['EVERYTHING']).size, 13);
    assert.deepEqual([...selectSections(['nosuch'])], []);
    assert.deepEqual([...selectSections(['CPU', 'server'])].sort(), ['cpu', 'server']);
  });

  it('prints sections in Redis order with \\r\\n lines and a blank line between them', () => {
    const text = infoText(server, ['keyspace', 'cluster', 'server']);
    assert.deepEqual(headers(text), ['# Server', '# Cluster', '# Keyspace']);
    assert.ok(text.includes('\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n'));
    assert.ok(text.endsWith('# Keyspace\r\n'));
    assert.equal(infoText(server, ['nosuch']), '');
    assert.deepEqual(headers(infoText(server, [])), [
      '# Server',
      '# Clients',
      '# Memory',
      '# Persistence',
      '# Stats',
      '# Replication',
      '# CPU',
      '# Modules',
      '# Errorstats',
      '# Cluster',
      '# Keyspace',
    ]);
  });

  it('reports the fields clients read', () => {
    const f = fields(infoText(server, ['everything']));
    assert.equal(f.get('redis_version'), REDIS_VERSION);
    assert.equal(f.get('strata_version'), VERSION);
    assert.equal(f.get('redis_mode'), 'standalone');
    assert.equal(f.get('arch_bits'), '64');
    assert.equal(f.get('process_id'), String(process.pid));
    assert.match(f.get('run_id')!, /^[0-9a-f]{40}$/);
    assert.equal(f.get('role'), 'master');
    assert.equal(f.get('connected_slaves'), '0');
    assert.equal(f.get('cluster_enabled'), '0');
    assert.equal(f.get('loading'), '0');
    assert.equal(f.get('maxmemory_policy'), 'noeviction');
    assert.ok(Number(f.get('used_memory')) > 0);
    assert.match(f.get('used_memory_human')!, /^\d+(\.\d\d)?[BKMG]$/);
    for (const k of ['connected_clients', 'blocked_clients', 'total_connections_received', 'total_commands_processed', 'keyspace_hits', 'keyspace_misses', 'expired_keys', 'evicted_keys', 'total_error_replies', 'rdb_changes_since_last_save', 'rdb_last_save_time', 'aof_enabled', 'uptime_in_seconds', 'hz']) {
      assert.match(f.get(k) ?? '', /^\d+$/, k);
    }
  });

  it('lists keyspace, commandstats, errorstats and latencystats', () => {
    const db = server.ks.dbs[2]!;
    db.add('a', T.String, 'x');
    const e = db.add('b', T.String, 'y');
    db.setExpire(e, Date.now() + 100000);
    server.countError('WRONGTYPE Operation against a key');
    const cmd = server.commands.lookup('get')!;
    cmd.calls = 4;
    cmd.usec = 10;
    recordLatency(cmd, 3);
    const text = infoText(server, ['keyspace', 'commandstats', 'errorstats', 'latencystats']);
    assert.match(text, /\r\ndb2:keys=2,expires=1,avg_ttl=\d+\r\n/);
    assert.match(text, /cmdstat_get:calls=4,usec=10,usec_per_call=2\.50,rejected_calls=0,failed_calls=0\r\n/);
    assert.match(text, /errorstat_WRONGTYPE:count=1\r\n/);
    assert.match(text, /latency_percentiles_usec_get:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n/);
  });
});

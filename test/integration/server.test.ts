/**
 * Server commands against a real strata-server: DBSIZE, FLUSHDB/FLUSHALL, SWAPDB, TIME, LASTSAVE, SHUTDOWN, DEBUG,
 * OBJECT, MEMORY, INFO and COMMAND, driven with ioredis, raw RESP and redis-cli.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RawClient } from '../helpers/resp.js';
import { hasRedisCli, startStrata, type RunningProcess } from '../helpers/servers.js';
import { REDIS_VERSION } from '../../src/version.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function infoFields(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

describe('server commands', () => {
  let strata: RunningProcess;
  let redis: Redis;
  let other: Redis;

  before(async () => {
    strata = await startStrata();
    redis = new Redis({ port: strata.port, host: '127.0.0.1' });
    other = new Redis({ port: strata.port, host: '127.0.0.1' });
  });
  after(async () => {
    redis?.disconnect();
    other?.disconnect();
    await strata?.stop();
  });

  it('DBSIZE, FLUSHDB and FLUSHALL count and clear databases', async () => {
    await redis.flushall();
    await redis.mset('a', '1', 'b', '2', 'c', '3');
    assert.equal(await redis.dbsize(), 3);
    await redis.select(1);
    await redis.set('x', '1');
    assert.equal(await redis.flushdb(), 'OK');
    assert.equal(await redis.dbsize(), 0);
    await redis.select(0);
    assert.equal(await redis.dbsize(), 3);
    await redis.select(2);
    await redis.set('y', '1');
    assert.equal(await redis.flushall('SYNC'), 'OK');
    assert.equal(await redis.dbsize(), 0);
    await redis.select(0);
    assert.equal(await redis.dbsize(), 0);
    await assert.rejects(redis.call('FLUSHDB', 'NOW'), /ERR syntax error/);
  });

  it('FLUSHALL ASYNC of a big keyspace returns at once and keeps the server responsive', async () => {
    const n = 200000;
    const pipe = redis.pipeline();
    for (let i = 0; i < n; i += 1000) {
      const args: string[] = [];
      for (let j = i; j < i + 1000; j++) args.push(`k:${j}`, 'v');
      pipe.mset(...args);
    }
    await pipe.exec();
    assert.equal(await redis.dbsize(), n);
    const t0 = performance.now();
    const [flushed, pong] = await Promise.all([redis.flushall('ASYNC'), other.ping()]);
    assert.equal(flushed, 'OK');
    assert.equal(pong, 'PONG');
    assert.ok(performance.now() - t0 < 1000, 'FLUSHALL ASYNC took too long');
    assert.equal(await redis.dbsize(), 0);
    // The dirty counter counts the removed keys (plus one for FLUSHALL itself).
    assert.ok(Number(infoFields(await redis.info('persistence')).get('rdb_changes_since_last_save')) >= n);
  });

  it('SWAPDB swaps what every client sees, TTLs included', async () => {
    await redis.flushall();
    await redis.set('k', 'in0', 'EX', 100);
    await other.select(1);
    await other.set('j', 'in1');
    assert.equal(await redis.swapdb(0, 1), 'OK');
    assert.equal(await redis.get('j'), 'in1');
    assert.equal(await other.get('k'), 'in0');
    assert.ok((await other.ttl('k')) > 90);
    await assert.rejects(redis.swapdb(0, 99), /ERR DB index is out of range/);
    await assert.rejects(redis.call('SWAPDB', 'x', '1'), /ERR invalid first DB index/);
    await other.select(0);
  });

  it('TIME and LASTSAVE report the clock', async () => {
    const [s, us] = (await redis.time()) as unknown as [string, string];
    const now = Date.now() / 1000;
    assert.ok(Math.abs(Number(s) - now) < 5);
    assert.match(us, /^\d{1,6}$/);
    const last = await redis.lastsave();
    assert.ok(last <= now + 1 && last > now - 3600);
  });

  it('DEBUG SLEEP blocks every client, like Redis', async () => {
    const t0 = performance.now();
    const sleeping = redis.call('DEBUG', 'SLEEP', '0.3');
    await sleep(20);
    const t1 = performance.now();
    assert.equal(await other.ping(), 'PONG');
    assert.ok(performance.now() - t1 >= 200, 'PING was answered during DEBUG SLEEP');
    assert.equal(await sleeping, 'OK');
    assert.ok(performance.now() - t0 >= 300);
  });

  it('DEBUG SET-ACTIVE-EXPIRE 0 stops background expiry until turned back on', async () => {
    await redis.flushall();
    assert.equal(await redis.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0'), 'OK');
    await redis.set('e', 'v', 'PX', 30);
    await sleep(250);
    assert.equal(await redis.dbsize(), 1);
    assert.equal(await redis.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1'), 'OK');
    await sleep(300);
    assert.equal(await redis.dbsize(), 0);
  });

  it('DEBUG OBJECT, POPULATE, PROTOCOL and unknown subcommands', async () => {
    await redis.flushall();
    await redis.set('k', 'hello');
    const line = (await redis.call('DEBUG', 'OBJECT', 'k')) as string;
    assert.match(line, /^Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:6 lru:\d+ lru_seconds_idle:\d+$/);
    await assert.rejects(redis.call('DEBUG', 'OBJECT', 'nokey'), /ERR no such key/);
    assert.equal(await redis.call('DEBUG', 'POPULATE', '10', 'p', '4'), 'OK');
    assert.equal(await redis.dbsize(), 11);
    assert.equal(await redis.get('p:7'), 'valu');
    assert.deepEqual(await redis.call('DEBUG', 'PROTOCOL', 'array'), [0, 1, 2]);
    await assert.rejects(redis.call('DEBUG', 'JMAP'), /ERR unknown subcommand or wrong number of arguments for 'JMAP'. Try DEBUG HELP./);
    const help = (await redis.call('DEBUG', 'HELP')) as string[];
    assert.match(help[0]!, /^DEBUG <subcommand>/);
    assert.ok(help.includes('SLEEP <seconds>'));
  });

  it('OBJECT reports encodings and refcounts without touching the access time', async () => {
    await redis.flushall();
    await redis.set('i', '123');
    await redis.set('s', 'short');
    await redis.set('r', 'x'.repeat(45));
    // APPEND to a new key stores an ordinary string; appending to it again edits in place (raw).
    await redis.append('a', 'xyz');
    await redis.append('a', 'more');
    assert.equal(await redis.object('ENCODING', 'i'), 'int');
    assert.equal(await redis.object('ENCODING', 's'), 'embstr');
    assert.equal(await redis.object('ENCODING', 'r'), 'raw');
    assert.equal(await redis.object('ENCODING', 'a'), 'raw');
    assert.equal(await redis.object('ENCODING', 'nokey'), null);
    assert.equal(await redis.object('REFCOUNT', 'i'), 2147483647);
    assert.equal(await redis.object('REFCOUNT', 's'), 1);
    await assert.rejects(redis.object('FREQ', 's'), /ERR An LFU maxmemory policy is not selected/);
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lfu');
    assert.equal(typeof (await redis.object('FREQ', 's')), 'number');
    await assert.rejects(redis.object('IDLETIME', 's'), /ERR An LFU maxmemory policy is selected/);
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    await sleep(1100);
    // None of these count as an access.
    await redis.object('ENCODING', 's');
    await redis.call('DEBUG', 'OBJECT', 's');
    await redis.call('MEMORY', 'USAGE', 's');
    assert.ok(((await redis.object('IDLETIME', 's')) as number) >= 1);
    await redis.get('s');
    assert.equal(await redis.object('IDLETIME', 's'), 0);
  });

  it('MEMORY USAGE grows with the value; STATS, DOCTOR, PURGE and MALLOC-STATS answer', async () => {
    await redis.flushall();
    await redis.set('small', 'x');
    await redis.set('big', 'x'.repeat(100000));
    const small = (await redis.call('MEMORY', 'USAGE', 'small')) as number;
    const big = (await redis.call('MEMORY', 'USAGE', 'big', 'SAMPLES', '0')) as number;
    assert.ok(small > 16 && small < 1000, `small=${small}`);
    assert.ok(big >= 100000 && big < 101000, `big=${big}`);
    assert.equal(await redis.call('MEMORY', 'USAGE', 'nokey'), null);
    await assert.rejects(redis.call('MEMORY', 'USAGE', 'big', 'SAMPLES', '-1'), /ERR syntax error/);
    const stats = (await redis.call('MEMORY', 'STATS')) as unknown[];
    const keys = stats.filter((_, i) => i % 2 === 0);
    for (const k of ['peak.allocated', 'total.allocated', 'startup.allocated', 'keys.count', 'dataset.bytes', 'fragmentation', 'db.0']) {
      assert.ok(keys.includes(k), k);
    }
    assert.equal(stats[keys.indexOf('keys.count') * 2 + 1], 2);
    assert.equal(typeof (await redis.call('MEMORY', 'DOCTOR')), 'string');
    assert.equal(await redis.call('MEMORY', 'PURGE'), 'OK');
    assert.equal(await redis.call('MEMORY', 'MALLOC-STATS'), 'Stats not supported for the current allocator');
  });

  it('INFO parses, counts what happened and honours section names', async () => {
    await redis.flushall();
    await redis.set('a', '1');
    await redis.set('b', '2', 'EX', 100);
    await redis.get('a');
    await redis.get('missing');
    await assert.rejects(redis.call('GET'), /wrong number/);
    const all = infoFields(await redis.info('everything'));
    assert.equal(all.get('redis_version'), REDIS_VERSION);
    assert.equal(all.get('tcp_port'), String(strata.port));
    assert.equal(all.get('redis_mode'), 'standalone');
    assert.equal(all.get('role'), 'master');
    assert.equal(all.get('arch_bits'), '64');
    assert.ok(Number(all.get('connected_clients')) >= 2);
    assert.ok(Number(all.get('used_memory')) > 0);
    assert.ok(Number(all.get('keyspace_hits')) >= 1);
    assert.ok(Number(all.get('keyspace_misses')) >= 1);
    assert.ok(Number(all.get('total_error_replies')) >= 1);
    assert.match(all.get('db0')!, /^keys=2,expires=1,avg_ttl=\d+$/);
    assert.match(all.get('cmdstat_set')!, /^calls=\d+,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0$/);
    assert.match(all.get('cmdstat_get')!, /rejected_calls=[1-9]/);
    assert.match(all.get('errorstat_ERR')!, /^count=\d+$/);
    assert.match(all.get('latency_percentiles_usec_set')!, /^p50=[\d.]+,p99=[\d.]+,p99\.9=[\d.]+$/);
    const some = await redis.info('cpu', 'server');
    assert.deepEqual(
      some.split('\r\n').filter((l) => l.startsWith('#')),
      ['# Server', '# CPU'],
    );
    assert.equal(await redis.info('nosuch'), '');
    assert.ok(!(await redis.info()).includes('# Commandstats'));
  });

  it('INFO is a verbatim string in RESP3', async () => {
    const c = await RawClient.connect(strata.port);
    await c.call('HELLO', '3');
    const r = await c.cmd('INFO', 'cluster');
    assert.equal(r, '=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n');
    c.close();
  });

  it('COMMAND describes the table', async () => {
    const [get] = (await redis.command('INFO', 'get')) as [unknown[]];
    assert.equal(get[0], 'get');
    assert.equal(get[1], 2);
    assert.deepEqual(get[2], ['readonly', 'fast']);
    assert.deepEqual(get[6], ['@read', '@string', '@fast']);
    const count = (await redis.command('COUNT')) as unknown as number;
    const all = (await redis.call('COMMAND')) as unknown[];
    assert.equal(all.length, count);
    const list = (await redis.command('LIST')) as string[];
    assert.ok(list.includes('config|get') && list.includes('get'));
    assert.deepEqual(await redis.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'client|no-*'), ['client|no-evict', 'client|no-touch']);
    assert.deepEqual(await redis.call('COMMAND', 'GETKEYS', 'set', 'k', 'v'), ['k']);
    assert.deepEqual(await redis.call('COMMAND', 'GETKEYSANDFLAGS', 'get', 'k'), [['k', ['RO', 'access']]]);
    await assert.rejects(redis.call('COMMAND', 'GETKEYS', 'ping', 'x'), /ERR The command has no key arguments/);
    const docs = (await redis.command('DOCS', 'config')) as unknown[];
    assert.equal(docs[0], 'config');
    const doc = docs[1] as unknown[];
    assert.equal(doc[doc.indexOf('group') + 1], 'server');
    const subs = doc[doc.indexOf('subcommands') + 1] as unknown[];
    assert.ok(subs.includes('config|get'));
  });

  it('redis-cli shows INFO and RESP3 CONFIG GET like Redis', { skip: hasRedisCli() ? false : 'redis-cli is not installed' }, () => {
    const info = spawnSync('redis-cli', ['-p', String(strata.port), 'INFO'], { encoding: 'utf8' });
    assert.equal(info.status, 0);
    // redis-cli prints the bulk string as it comes: \r\n line ends, a blank line between sections.
    assert.match(info.stdout, /^# Server\r\nredis_version:[\d.]+\r\n/);
    assert.match(info.stdout, /\r\n\r\n# Keyspace\r\n/);
    const get = spawnSync('redis-cli', ['-3', '-p', String(strata.port), 'CONFIG', 'GET', 'port'], { encoding: 'utf8' });
    assert.equal(get.status, 0);
    assert.equal(get.stdout, `port ${strata.port}\n`);
    const tty = spawnSync('redis-cli', ['-3', '--no-raw', '-p', String(strata.port), 'CONFIG', 'GET', 'port'], { encoding: 'utf8' });
    assert.equal(tty.stdout, `1# "port" => "${strata.port}"\n`);
  });

  it('SHUTDOWN checks its options, then stops the process', async () => {
    const s = await startStrata();
    const c = new Redis({ port: s.port, host: '127.0.0.1', retryStrategy: () => null });
    try {
      await assert.rejects(c.call('SHUTDOWN', 'ABORT'), /ERR No shutdown in progress\./);
      await assert.rejects(c.call('SHUTDOWN', 'SAVE', 'NOSAVE'), /ERR syntax error/);
      await assert.rejects(c.call('SHUTDOWN', 'NOW', 'ABORT'), /ERR syntax error/);
      const exited = new Promise<number | null>((r) => s.proc.once('exit', (code) => r(code)));
      c.call('SHUTDOWN', 'NOSAVE', 'NOW').catch(() => {});
      assert.equal(await exited, 0);
    } finally {
      c.disconnect();
      await s.stop();
    }
  });
});

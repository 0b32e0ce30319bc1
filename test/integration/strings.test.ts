/**
 * String and counter commands against a real strata-server, driven with ioredis: every command, binary keys and
 * values holding all 256 byte values, errors, TTL interplay and pipelined replies of values edited in place.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startStrata, type RunningProcess } from '../helpers/servers.js';

/** Every byte value once, in order. */
const ALL = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const REVERSED: Buffer = Buffer.from([...ALL].reverse());
const b = (s: string) => Buffer.from(s, 'latin1');

async function rejects(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.message, message);
    return true;
  });
}

describe('string commands', () => {
  let server: RunningProcess;
  let r: Redis;

  before(async () => {
    server = await startStrata();
    r = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
    await r.connect();
  });
  after(async () => {
    r?.disconnect();
    await server?.stop();
  });

  it('SET and GET keep every byte of binary keys and values', async () => {
    const key = Buffer.concat([b('bin:'), ALL]);
    assert.equal(await r.set(key, Buffer.concat([ALL, ALL])), 'OK');
    assert.deepEqual(await r.getBuffer(key), Buffer.concat([ALL, ALL]));
    assert.equal(await r.strlen(key), 512);
    assert.equal(await r.exists(Buffer.concat([b('bin:'), REVERSED])), 0);
  });

  it('SETNX writes only missing keys', async () => {
    const key = Buffer.concat([b('nx:'), ALL]);
    assert.equal(await r.setnx(key, ALL), 1);
    assert.equal(await r.setnx(key, 'other'), 0);
    assert.deepEqual(await r.getBuffer(key), ALL);
  });

  it('SETEX and PSETEX set a value with a TTL and validate it', async () => {
    assert.equal(await r.setex('ex:a', 100, ALL), 'OK');
    assert.deepEqual(await r.getBuffer('ex:a'), ALL);
    const ttl = await r.ttl('ex:a');
    assert.ok(ttl > 90 && ttl <= 100, `ttl ${ttl}`);
    assert.equal(await r.psetex('ex:b', 50000, 'v'), 'OK');
    const pttl = await r.pttl('ex:b');
    assert.ok(pttl > 40000 && pttl <= 50000, `pttl ${pttl}`);
    await rejects(r.setex('ex:a', 0, 'v'), "ERR invalid expire time in 'setex' command");
    await rejects(r.psetex('ex:a', -1, 'v'), "ERR invalid expire time in 'psetex' command");
    await rejects(r.call('SETEX', 'ex:a', 'x', 'v'), 'ERR value is not an integer or out of range');
    await rejects(r.call('SETEX', 'ex:a', '9223372036854775807', 'v'), "ERR invalid expire time in 'setex' command");
  });

  it('GETSET replies with the old value and clears the TTL', async () => {
    assert.equal(await r.getset('gs', 'first'), null);
    await r.expire('gs', 100);
    assert.equal(await r.getset('gs', ALL), 'first');
    assert.equal(await r.ttl('gs'), -1);
    assert.deepEqual(await r.getsetBuffer('gs', 'x'), ALL);
  });

  it('GETDEL replies with the value and removes the key', async () => {
    await r.set('gd', ALL);
    assert.deepEqual(await r.getdelBuffer('gd'), ALL);
    assert.equal(await r.exists('gd'), 0);
    assert.equal(await r.getdel('gd'), null);
  });

  it('GETEX changes or removes the expiry', async () => {
    await r.set('ge', ALL);
    assert.deepEqual(await r.getexBuffer('ge'), ALL);
    assert.equal(await r.ttl('ge'), -1);
    assert.deepEqual(await r.getexBuffer('ge', 'EX', 100), ALL);
    assert.ok((await r.ttl('ge')) > 90);
    await r.getex('ge', 'PX', 200000);
    assert.ok((await r.pttl('ge')) > 190000);
    const at = Math.floor(Date.now() / 1000) + 1000;
    await r.getex('ge', 'EXAT', at);
    assert.ok(Math.abs((await r.ttl('ge')) - 1000) <= 2);
    await r.getex('ge', 'PXAT', Date.now() + 300000);
    assert.ok((await r.pttl('ge')) > 290000);
    await r.getex('ge', 'PERSIST');
    assert.equal(await r.ttl('ge'), -1);
    await rejects(r.call('GETEX', 'ge', 'EX', '10', 'PERSIST'), 'ERR syntax error');
    await rejects(r.call('GETEX', 'ge', 'EX', '0'), "ERR invalid expire time in 'getex' command");
    assert.equal(await r.call('GETEX', 'ge:missing', 'EX', 'nope'), null);
    // An absolute time in the past deletes the key after replying.
    assert.deepEqual(await r.callBuffer('GETEX', 'ge', 'PXAT', '1'), ALL);
    assert.equal(await r.exists('ge'), 0);
  });

  it('MSET, MGET and MSETNX handle many binary keys', async () => {
    const keys = Array.from({ length: 256 }, (_, i) => Buffer.concat([b('m:'), Buffer.from([i])]));
    const args: Buffer[] = [];
    keys.forEach((k, i) => args.push(k, Buffer.from([i, 255 - i, 0])));
    assert.equal(await r.mset(...args), 'OK');
    const got = await r.mgetBuffer(...keys, 'm:missing');
    assert.equal(got.length, 257);
    got.slice(0, 256).forEach((v, i) => assert.deepEqual(v, Buffer.from([i, 255 - i, 0])));
    assert.equal(got[256], null);
    assert.equal(await r.msetnx('mnx:a', '1', 'mnx:b', '2'), 1);
    assert.equal(await r.msetnx('mnx:b', '3', 'mnx:c', '4'), 0);
    assert.deepEqual(await r.mget('mnx:a', 'mnx:b', 'mnx:c'), ['1', '2', null]);
    await rejects(r.call('MSET', 'a', '1', 'b'), "ERR wrong number of arguments for 'mset' command");
    await rejects(r.call('MSETNX', 'a'), "ERR wrong number of arguments for 'msetnx' command");
  });

  it('APPEND and STRLEN build a value of all byte values', async () => {
    for (let i = 0; i < 256; i++) assert.equal(await r.append('ap', Buffer.from([i])), i + 1);
    assert.deepEqual(await r.getBuffer('ap'), ALL);
    assert.equal(await r.strlen('ap'), 256);
    assert.equal(await r.strlen('ap:missing'), 0);
    assert.equal(await r.append('ap:empty', ''), 0);
    assert.equal(await r.exists('ap:empty'), 1);
  });

  it('GETRANGE and SUBSTR slice binary values with negative indexes', async () => {
    await r.set('gr', ALL);
    assert.deepEqual(await r.getrangeBuffer('gr', 0, -1), ALL);
    assert.deepEqual(await r.getrangeBuffer('gr', -16, -1), ALL.subarray(240));
    assert.deepEqual(await r.getrangeBuffer('gr', 250, 1000), ALL.subarray(250));
    assert.deepEqual(await r.getrangeBuffer('gr', -1000, 1), ALL.subarray(0, 2));
    assert.equal(await r.getrange('gr', 10, 5), '');
    assert.equal(await r.getrange('gr', -1, -5), '');
    assert.equal(await r.getrange('gr:missing', 0, -1), '');
    assert.deepEqual(await r.callBuffer('SUBSTR', 'gr', '127', '128'), Buffer.from([127, 128]));
    await rejects(r.call('GETRANGE', 'gr', 'a', '1'), 'ERR value is not an integer or out of range');
  });

  it('SETRANGE overwrites in place, pads with zeros and checks limits', async () => {
    assert.equal(await r.setrange('sr', 4, ALL), 260);
    assert.deepEqual(await r.getBuffer('sr'), Buffer.concat([Buffer.alloc(4), ALL]));
    assert.equal(await r.setrange('sr', 0, REVERSED), 260);
    assert.deepEqual(await r.getBuffer('sr'), Buffer.concat([REVERSED, ALL.subarray(252)]));
    assert.equal(await r.setrange('sr', 0, ''), 260);
    assert.equal(await r.setrange('sr:missing', 10, ''), 0);
    assert.equal(await r.exists('sr:missing'), 0);
    await rejects(r.setrange('sr', -1, 'x'), 'ERR offset is out of range');
    await rejects(r.setrange('sr', 536870912, 'x'), 'ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  });

  it('APPEND refuses to grow beyond proto-max-bulk-len', async () => {
    await r.config('SET', 'proto-max-bulk-len', '1mb');
    try {
      await r.set('big', Buffer.alloc(1024 * 1024 - 1, 7));
      assert.equal(await r.append('big', 'x'), 1024 * 1024);
      await rejects(r.append('big', 'y'), 'ERR string exceeds maximum allowed size (proto-max-bulk-len)');
      assert.equal(await r.strlen('big'), 1024 * 1024);
    } finally {
      await r.config('SET', 'proto-max-bulk-len', '512mb');
      await r.del('big');
    }
  });

  it('pipelined replies are not changed by later in-place edits', async () => {
    const chunk = Buffer.alloc(40000, 0x61);
    await r.set('pipe', chunk);
    await r.append('pipe', chunk);
    const res = await r.pipeline().getBuffer('pipe').setrange('pipe', 0, 'ZZZ').append('pipe', 'tail').getBuffer('pipe').exec();
    const first = res![0]![1] as Buffer;
    const last = res![3]![1] as Buffer;
    assert.equal(first.length, 80000);
    assert.equal(first.subarray(0, 3).toString(), 'aaa');
    assert.equal(last.length, 80004);
    assert.equal(last.subarray(0, 3).toString(), 'ZZZ');
    assert.equal(last.subarray(80000).toString(), 'tail');
  });

  it('LCS finds the subsequence, its length and the matching ranges', async () => {
    await r.mset('lcs:a', 'ohmytext', 'lcs:b', 'mynewtext');
    assert.equal(await r.call('LCS', 'lcs:a', 'lcs:b'), 'mytext');
    assert.equal(await r.call('LCS', 'lcs:a', 'lcs:b', 'LEN'), 6);
    assert.deepEqual(await r.call('LCS', 'lcs:a', 'lcs:b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'), ['matches', [[[4, 7], [5, 8], 4]], 'len', 6]);
    assert.deepEqual(await r.call('LCS', 'lcs:a', 'lcs:b', 'IDX'), ['matches', [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], 'len', 6]);
    await r.set('lcs:bin', ALL);
    await r.set('lcs:rev', Buffer.concat([REVERSED, ALL.subarray(0, 10)]));
    assert.deepEqual(await r.callBuffer('LCS', 'lcs:bin', 'lcs:rev'), ALL.subarray(0, 10));
    await rejects(r.call('LCS', 'lcs:a', 'lcs:b', 'LEN', 'IDX'), 'ERR If you want both the length and indexes, please just use IDX.');
    await rejects(r.call('LCS', 'lcs:a', 'lcs:b', 'FOO'), 'ERR syntax error');
  });

  it('INCR, DECR, INCRBY and DECRBY do exact 64-bit arithmetic', async () => {
    assert.equal(await r.incr('n'), 1);
    assert.equal(await r.incrby('n', 41), 42);
    assert.equal(await r.decr('n'), 41);
    assert.equal(await r.decrby('n', 50), -9);
    await r.set('n', '9007199254740992');
    assert.equal(await r.call('INCR', 'n'), 9007199254740993);
    assert.equal(await r.get('n'), '9007199254740993');
    await r.set('n', '9223372036854775806');
    await r.incr('n');
    assert.equal(await r.get('n'), '9223372036854775807');
    await rejects(r.incr('n'), 'ERR increment or decrement would overflow');
    await rejects(r.call('DECRBY', 'n', '-9223372036854775808'), 'ERR decrement would overflow');
    await r.set('n', 'abc');
    await rejects(r.incr('n'), 'ERR value is not an integer or out of range');
    await rejects(r.call('INCRBY', 'n2', '1.5'), 'ERR value is not an integer or out of range');
    await r.setex('n3', 100, '5');
    assert.equal(await r.incr('n3'), 6);
    assert.ok((await r.ttl('n3')) > 90, 'INCR keeps the TTL');
  });

  it('INCRBYFLOAT uses long double precision', async () => {
    assert.equal(await r.incrbyfloat('f', '0.1'), '0.1');
    assert.equal(await r.incrbyfloat('f', '0.2'), '0.3');
    assert.equal(await r.incrbyfloat('f', '-0.3'), '0');
    assert.equal(await r.incrbyfloat('f', '3.0e3'), '3000');
    assert.equal(await r.incrbyfloat('f', '1.1'), '3001.10000000000000009');
    assert.equal((await r.incrbyfloat('f2', '1e400')).length, 401);
    await rejects(r.incrbyfloat('f3', 'inf'), 'ERR increment would produce NaN or Infinity');
    await rejects(r.incrbyfloat('f3', 'abc'), 'ERR value is not a valid float');
    await r.set('f4', ALL);
    await rejects(r.incrbyfloat('f4', '1'), 'ERR value is not a valid float');
  });

  it('reports WRONGTYPE for keys of other types once such types exist', async (t) => {
    try {
      await r.call('LPUSH', 'wt:list', 'x');
    } catch {
      t.skip('no non-string type available yet');
      return;
    }
    const wrong = 'WRONGTYPE Operation against a key holding the wrong kind of value';
    for (const args of [
      ['GET'], ['GETSET', 'v'], ['GETDEL'], ['GETEX'], ['STRLEN'], ['APPEND', 'x'], ['GETRANGE', '0', '1'],
      ['SETRANGE', '0', 'x'], ['INCR'], ['INCRBY', '1'], ['DECR'], ['DECRBY', '1'], ['INCRBYFLOAT', '1'],
    ]) {
      await rejects(r.call(args[0]!, 'wt:list', ...args.slice(1)), wrong);
    }
    await rejects(r.call('LCS', 'wt:list', 'x'), 'ERR The specified keys must contain string values');
    assert.deepEqual(await r.mget('wt:list'), [null]);
  });
});

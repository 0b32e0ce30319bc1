/**
 * Hash commands against a real strata-server, driven with ioredis: every command, binary fields, errors, Redis
 * 7.2's encodings and their conversions, HSCAN's cursor over big hashes and the RESP3 reply shapes.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RawClient } from '../helpers/resp.js';
import { startStrata, type RunningProcess } from '../helpers/servers.js';

const ALL = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const b = (s: string) => Buffer.from(s, 'latin1');
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

async function rejects(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.message, message);
    return true;
  });
}

/** A flat [f1, v1, f2, v2] reply as a sorted list of pairs. */
function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

describe('hash commands', () => {
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
  beforeEach(async () => {
    await r.flushall();
    await r.config('SET', 'hash-max-listpack-entries', '128');
    await r.config('SET', 'hash-max-listpack-value', '64');
  });

  it('HSET, HGET, HMGET, HGETALL, HKEYS, HVALS, HLEN', async () => {
    assert.equal(await r.hset('h', 'a', '1', 'b', '2'), 2);
    assert.equal(await r.hset('h', 'b', '3', 'c', '4'), 1);
    assert.equal(await r.hget('h', 'b'), '3');
    assert.equal(await r.hget('h', 'x'), null);
    assert.equal(await r.hget('nokey', 'x'), null);
    assert.deepEqual(await r.hmget('h', 'a', 'x', 'c'), ['1', null, '4']);
    assert.deepEqual(await r.hmget('nokey', 'a'), [null]);
    assert.deepEqual(await r.hgetall('h'), { a: '1', b: '3', c: '4' });
    assert.deepEqual(await r.call('HGETALL', 'h'), ['a', '1', 'b', '3', 'c', '4']);
    assert.deepEqual(await r.hkeys('h'), ['a', 'b', 'c']);
    assert.deepEqual(await r.hvals('h'), ['1', '3', '4']);
    assert.equal(await r.hlen('h'), 3);
    assert.equal(await r.hlen('nokey'), 0);
    assert.deepEqual(await r.hgetall('nokey'), {});
    assert.deepEqual(await r.hkeys('nokey'), []);
  });

  it('HMSET replies OK and checks pairs', async () => {
    assert.equal(await r.hmset('h', 'a', '1', 'b', '2'), 'OK');
    assert.deepEqual(await r.hgetall('h'), { a: '1', b: '2' });
    await rejects(r.call('HMSET', 'h', 'a', '1', 'b'), "ERR wrong number of arguments for 'hmset' command");
    await rejects(r.call('HSET', 'h', 'a', '1', 'b'), "ERR wrong number of arguments for 'hset' command");
    await rejects(r.call('HSET', 'h', 'a'), "ERR wrong number of arguments for 'hset' command");
  });

  it('HSETNX only creates fields', async () => {
    assert.equal(await r.hsetnx('h', 'a', '1'), 1);
    assert.equal(await r.hsetnx('h', 'a', '2'), 0);
    assert.equal(await r.hget('h', 'a'), '1');
  });

  it('HDEL removes fields and the key with the last one', async () => {
    await r.hset('h', 'a', '1', 'b', '2', 'c', '3');
    assert.equal(await r.hdel('h', 'a', 'x', 'a'), 1);
    assert.deepEqual(await r.hkeys('h'), ['b', 'c']);
    assert.equal(await r.hdel('h', 'b', 'c'), 2);
    assert.equal(await r.exists('h'), 0);
    assert.equal(await r.hdel('nokey', 'a'), 0);
  });

  it('HEXISTS and HSTRLEN', async () => {
    await r.hset('h', 'a', 'hello', 'n', '12345');
    assert.equal(await r.hexists('h', 'a'), 1);
    assert.equal(await r.hexists('h', 'x'), 0);
    assert.equal(await r.hexists('nokey', 'a'), 0);
    assert.equal(await r.hstrlen('h', 'a'), 5);
    assert.equal(await r.hstrlen('h', 'n'), 5);
    assert.equal(await r.hstrlen('h', 'x'), 0);
  });

  it('keeps every byte of binary fields and values', async () => {
    const field = Buffer.concat([b('f:'), ALL]);
    assert.equal(await r.hset('bin', field, ALL), 1);
    assert.deepEqual(await r.hgetBuffer('bin', field), ALL);
    assert.equal(await r.hstrlen('bin', field), 256);
    const all = await r.hgetallBuffer('bin');
    assert.deepEqual(Object.values(all)[0], ALL);
    const [cursor, items] = (await r.hscanBuffer('bin', 0)) as unknown as [Buffer, Buffer[]];
    assert.equal(cursor.toString(), '0');
    assert.deepEqual(items, [field, ALL]);
  });

  it('HINCRBY: exact 64-bit arithmetic and errors', async () => {
    assert.equal(await r.hincrby('h', 'n', 5), 5);
    assert.equal(await r.hincrby('h', 'n', -7), -2);
    // Replies beyond 2^53 are checked as stored text (ioredis turns integer replies into JS numbers).
    await r.call('HINCRBY', 'h', 'big', '9223372036854775806');
    assert.equal(await r.hget('h', 'big'), '9223372036854775806');
    await r.hincrby('h', 'big', 1);
    assert.equal(await r.hget('h', 'big'), '9223372036854775807');
    await rejects(r.hincrby('h', 'big', 1), 'ERR increment or decrement would overflow');
    await r.hset('h', 'exact', '9007199254740993');
    await r.hincrby('h', 'exact', 2);
    assert.equal(await r.hget('h', 'exact'), '9007199254740995');
    await r.hset('h', 's', 'abc', 'z', '01');
    await rejects(r.hincrby('h', 's', 1), 'ERR hash value is not an integer');
    await rejects(r.hincrby('h', 'z', 1), 'ERR hash value is not an integer');
    await rejects(r.call('HINCRBY', 'h', 'n', 'x'), 'ERR value is not an integer or out of range');
    await rejects(r.call('HINCRBY', 'nokey', 'n', '1.5'), 'ERR value is not an integer or out of range');
    assert.equal(await r.exists('nokey'), 0);
  });

  it('HINCRBYFLOAT: long double arithmetic and errors', async () => {
    assert.equal(await r.hincrbyfloat('h', 'f', '10.5'), '10.5');
    assert.equal(await r.hincrbyfloat('h', 'f', '0.1'), '10.6');
    assert.equal(await r.hincrbyfloat('h', 'g', '0.1'), '0.1');
    assert.equal(await r.hincrbyfloat('h', 'g', '0.2'), '0.3');
    assert.equal(await r.hincrbyfloat('h', 'e', '5.0e3'), '5000');
    assert.equal(await r.hget('h', 'e'), '5000');
    await rejects(r.hincrbyfloat('h', 'f', 'inf'), 'ERR value is NaN or Infinity');
    await rejects(r.hincrbyfloat('h', 'f', 'nan'), 'ERR value is not a valid float');
    await rejects(r.hincrbyfloat('h', 'f', 'abc'), 'ERR value is not a valid float');
    await r.hset('h', 's', 'abc');
    await rejects(r.hincrbyfloat('h', 's', '1'), 'ERR hash value is not a float');
    await r.hset('h', 'max', '1e4932');
    await rejects(r.hincrbyfloat('h', 'max', '1e4932'), 'ERR increment would produce NaN or Infinity');
    await rejects(r.hincrbyfloat('nokey', 'f', 'inf'), 'ERR value is NaN or Infinity');
    assert.equal(await r.exists('nokey'), 0);
  });

  it('HRANDFIELD: single, distinct, repeated, with values', async () => {
    await r.hset('h', 'a', '1', 'b', '2', 'c', '3');
    assert.ok(['a', 'b', 'c'].includes((await r.hrandfield('h')) as string));
    assert.equal(await r.hrandfield('nokey'), null);
    const two = (await r.hrandfield('h', 2)) as string[];
    assert.equal(two.length, 2);
    assert.equal(new Set(two).size, 2);
    assert.deepEqual(await r.hrandfield('h', 10), ['a', 'b', 'c']);
    assert.deepEqual(await r.hrandfield('h', 5, 'WITHVALUES'), ['a', '1', 'b', '2', 'c', '3']);
    const rep = (await r.hrandfield('h', -20)) as string[];
    assert.equal(rep.length, 20);
    for (const f of rep) assert.ok(['a', 'b', 'c'].includes(f));
    const repv = (await r.hrandfield('h', -4, 'WITHVALUES')) as string[];
    assert.equal(repv.length, 8);
    for (let i = 0; i < 8; i += 2) assert.equal(repv[i + 1], { a: '1', b: '2', c: '3' }[repv[i]!]);
    assert.deepEqual(await r.hrandfield('h', 0), []);
    assert.deepEqual(await r.hrandfield('nokey', 3), []);
    await rejects(r.call('HRANDFIELD', 'h', '1', 'foo'), 'ERR syntax error');
    await rejects(r.call('HRANDFIELD', 'h', 'x'), 'ERR value is not an integer or out of range');
    await rejects(
      r.call('HRANDFIELD', 'h', '-9223372036854775808'),
      'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
    );
    await rejects(r.call('HRANDFIELD', 'h', '4611686018427387904', 'WITHVALUES'), 'ERR value is out of range');
  });

  it('HRANDFIELD samples a big hash without repeats', async () => {
    const args: string[] = [];
    for (let i = 0; i < 1000; i++) args.push(`f${i}`, `v${i}`);
    await r.hset('big', ...args);
    for (const n of [5, 400, 999]) {
      const got = (await r.hrandfield('big', n, 'WITHVALUES')) as string[];
      assert.equal(got.length, n * 2);
      const fields = new Set<string>();
      for (let i = 0; i < got.length; i += 2) {
        fields.add(got[i]!);
        assert.equal(got[i + 1], 'v' + got[i]!.slice(1));
      }
      assert.equal(fields.size, n);
    }
  });

  it('HSCAN walks a big hash by cursor and returns each stable field once despite concurrent writes', async () => {
    const args: string[] = [];
    for (let i = 0; i < 2000; i++) args.push(`stable${i}`, `${i}`);
    await r.hset('big', ...args);
    const seen = new Map<string, number>();
    let cursor = '0';
    let calls = 0;
    let n = 0;
    do {
      const [next, items] = await r.hscan('big', cursor, 'COUNT', 50);
      for (let i = 0; i < items.length; i += 2) {
        seen.set(items[i]!, (seen.get(items[i]!) ?? 0) + 1);
        if (items[i]!.startsWith('stable')) assert.equal(items[i + 1], items[i]!.slice(6));
      }
      // Fields come and go between calls.
      await r.hset('big', `tmp${n}`, 'x', `tmp${n + 1}`, 'y');
      await r.hdel('big', `tmp${n}`);
      n += 2;
      cursor = next;
      calls++;
    } while (cursor !== '0');
    assert.ok(calls > 10, `${calls} calls`);
    for (let i = 0; i < 2000; i++) assert.equal(seen.get(`stable${i}`), 1, `stable${i}`);
    const [, matched] = await r.hscan('big', 0, 'MATCH', 'stable1999', 'COUNT', 100000);
    assert.deepEqual(matched, ['stable1999', '1999']);
  });

  it('HSCAN of a small hash returns it whole; option errors', async () => {
    await r.hset('h', 'a', '1', 'b', '2', 'ab', '3');
    assert.deepEqual(await r.hscan('h', 0), ['0', ['a', '1', 'b', '2', 'ab', '3']]);
    assert.deepEqual(await r.hscan('h', 42, 'MATCH', 'a*'), ['0', ['a', '1', 'ab', '3']]);
    assert.deepEqual(await r.hscan('nokey', 0), ['0', []]);
    await rejects(r.call('HSCAN', 'h', 'x'), 'ERR invalid cursor');
    await rejects(r.call('HSCAN', 'h', '0', 'COUNT', '0'), 'ERR syntax error');
    await rejects(r.call('HSCAN', 'h', '0', 'TYPE', 'hash'), 'ERR syntax error');
    await rejects(r.call('HSCAN', 'h', '0', 'MATCH'), 'ERR syntax error');
  });

  it('replies WRONGTYPE for other types', async () => {
    await r.set('s', 'v');
    for (const args of [
      ['HSET', 's', 'a', '1'],
      ['HSETNX', 's', 'a', '1'],
      ['HGET', 's', 'a'],
      ['HMGET', 's', 'a'],
      ['HGETALL', 's'],
      ['HDEL', 's', 'a'],
      ['HLEN', 's'],
      ['HEXISTS', 's', 'a'],
      ['HSTRLEN', 's', 'a'],
      ['HKEYS', 's'],
      ['HVALS', 's'],
      ['HINCRBY', 's', 'a', '1'],
      ['HINCRBYFLOAT', 's', 'a', '1'],
      ['HRANDFIELD', 's'],
      ['HSCAN', 's', '0'],
    ]) {
      await rejects(r.call(args[0]!, ...args.slice(1)), WRONGTYPE);
    }
    await r.hset('h', 'a', '1');
    await rejects(r.get('h'), WRONGTYPE);
    assert.equal(await r.type('h'), 'hash');
  });

  it('reports Redis 7.2 encodings and converts one way', async () => {
    await r.hset('h', 'a', '1');
    assert.equal(await r.object('ENCODING', 'h'), 'listpack');
    await r.hset('h', 'long', 'x'.repeat(65));
    assert.equal(await r.object('ENCODING', 'h'), 'hashtable');
    await r.hdel('h', 'long');
    assert.equal(await r.object('ENCODING', 'h'), 'hashtable');

    await r.config('SET', 'hash-max-listpack-entries', '4');
    await r.hset('n', 'a', '1', 'b', '2', 'c', '3', 'd', '4');
    assert.equal(await r.object('ENCODING', 'n'), 'listpack');
    await r.hset('n', 'a', '5');
    assert.equal(await r.object('ENCODING', 'n'), 'listpack');
    await r.hset('n', 'e', '5');
    assert.equal(await r.object('ENCODING', 'n'), 'hashtable');
    // More pairs than the limit convert up front, even when they repeat a field.
    await r.hset('dup', 'a', '1', 'a', '2', 'a', '3', 'a', '4', 'a', '5');
    assert.equal(await r.object('ENCODING', 'dup'), 'hashtable');
    assert.equal(await r.hlen('dup'), 1);

    // HSETNX on an existing field does not convert.
    await r.config('SET', 'hash-max-listpack-value', '3');
    await r.hset('nx', 'a', '1');
    assert.equal(await r.hsetnx('nx', 'a', 'long value'), 0);
    assert.equal(await r.object('ENCODING', 'nx'), 'listpack');
    assert.equal(await r.hsetnx('nx', 'b', 'long value'), 1);
    assert.equal(await r.object('ENCODING', 'nx'), 'hashtable');
    // HINCRBY on a long field name converts too.
    await r.hset('inc', 'a', '1');
    await r.hincrby('inc', 'longfield', 1);
    assert.equal(await r.object('ENCODING', 'inc'), 'hashtable');
    await r.hset('incf', 'a', '1');
    await r.hincrbyfloat('incf', 'a', '0.125');
    assert.equal(await r.object('ENCODING', 'incf'), 'hashtable', '1.125 is longer than 3 bytes');
  });

  it('COPY duplicates a hash independently, keeping its encoding', async () => {
    await r.config('SET', 'hash-max-listpack-entries', '2');
    await r.hset('src', 'a', '1', 'b', '2', 'c', '3');
    assert.equal(await r.copy('src', 'dst'), 1);
    assert.equal(await r.object('ENCODING', 'dst'), 'hashtable');
    await r.hset('dst', 'd', '4');
    await r.hdel('dst', 'a');
    assert.deepEqual(await r.hgetall('src'), { a: '1', b: '2', c: '3' });
    assert.deepEqual(await r.hgetall('dst'), { b: '2', c: '3', d: '4' });
  });

  it('keeps TTLs and pipelines replies in order', async () => {
    await r.hset('h', 'a', '1');
    await r.pexpire('h', 100000);
    await r.hset('h', 'b', '2');
    assert.ok((await r.pttl('h')) > 0, 'writes keep the TTL');
    const pipe = await r.pipeline().hincrby('h', 'a', 1).hget('h', 'a').hlen('h').exec();
    assert.deepEqual(
      pipe!.map(([, v]) => v),
      [2, '2', 2],
    );
  });

  it('RESP3: HGETALL is a map, HRANDFIELD WITHVALUES a list of pairs', async () => {
    const c = await RawClient.connect(server.port);
    try {
      await c.call('HELLO', '3');
      await c.call('HSET', 'h', 'a', '1', 'b', '2');
      assert.equal(await c.cmd('HGETALL', 'h'), '%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n');
      assert.equal(await c.cmd('HGETALL', 'nokey'), '%0\r\n');
      assert.equal(await c.cmd('HRANDFIELD', 'h', '5', 'WITHVALUES'), '*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n');
      assert.match(await c.cmd('HRANDFIELD', 'h', '-3', 'WITHVALUES'), /^\*3\r\n(\*2\r\n\$1\r\n[ab]\r\n\$1\r\n[12]\r\n){3}$/);
      assert.equal(await c.cmd('HGET', 'h', 'x'), '_\r\n');
    } finally {
      c.close();
    }
  });

  it('pairs helper sanity: HGETALL of a converted hash holds every pair', async () => {
    const args: string[] = [];
    for (let i = 0; i < 300; i++) args.push(`k${i}`, `v${i}`);
    await r.hset('big', ...args);
    const flat = (await r.call('HGETALL', 'big')) as string[];
    assert.deepEqual(pairs(flat), pairs(args));
  });
});

/**
 * List commands against a real strata-server, driven with ioredis: every command, binary elements, errors,
 * Redis 7.2's listpack/quicklist encodings and their conversions, big lists, RESP3 null shapes.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RawClient } from '../helpers/resp.js';
import { startStrata, type RunningProcess } from '../helpers/servers.js';

const ALL = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

async function rejects(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.message, message);
    return true;
  });
}

describe('list commands', () => {
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
    await r.config('SET', 'list-max-listpack-size', '-2');
  });

  it('LPUSH, RPUSH, LPUSHX, RPUSHX, LLEN, LRANGE', async () => {
    assert.equal(await r.lpush('l', 'a', 'b'), 2);
    assert.equal(await r.rpush('l', 'c', 'd'), 4);
    assert.deepEqual(await r.lrange('l', 0, -1), ['b', 'a', 'c', 'd']);
    assert.equal(await r.lpushx('l', 'x', 'y'), 6);
    assert.equal(await r.rpushx('l', 'z'), 7);
    assert.deepEqual(await r.lrange('l', 0, -1), ['y', 'x', 'b', 'a', 'c', 'd', 'z']);
    assert.equal(await r.lpushx('nokey', 'x'), 0);
    assert.equal(await r.rpushx('nokey', 'x'), 0);
    assert.equal(await r.exists('nokey'), 0);
    assert.equal(await r.llen('l'), 7);
    assert.equal(await r.llen('nokey'), 0);
    assert.deepEqual(await r.lrange('l', -2, 100), ['d', 'z']);
    assert.deepEqual(await r.lrange('l', 5, 2), []);
    assert.deepEqual(await r.lrange('nokey', 0, -1), []);
    await rejects(r.lrange('l', 'a' as unknown as number, 1), 'ERR value is not an integer or out of range');
    assert.equal(await r.type('l'), 'list');
  });

  it('LPOP and RPOP, with and without a count', async () => {
    await r.rpush('l', '1', '2', '3', '4', '5');
    assert.equal(await r.lpop('l'), '1');
    assert.equal(await r.rpop('l'), '5');
    assert.deepEqual(await r.lpop('l', 2), ['2', '3']);
    assert.deepEqual(await r.call('RPOP', 'l', '0'), []);
    assert.deepEqual(await r.rpop('l', 10), ['4']);
    assert.equal(await r.exists('l'), 0);
    assert.equal(await r.lpop('l'), null);
    assert.equal(await r.call('LPOP', 'l', '3'), null);
    await r.rpush('l', 'a');
    await rejects(r.call('LPOP', 'l', '-1'), 'ERR value is out of range, must be positive');
    await rejects(r.call('RPOP', 'l', 'x'), 'ERR value is out of range, must be positive');
    await rejects(r.call('LPOP', 'l', '1', '2'), "ERR wrong number of arguments for 'lpop' command");
  });

  it('keeps binary elements intact', async () => {
    await r.rpush('b', ALL, Buffer.from(''), Buffer.from('\r\n'));
    const all = await r.lrangeBuffer('b', 0, -1);
    assert.deepEqual(all[0], ALL);
    assert.equal(all[1]!.length, 0);
    assert.deepEqual(await r.lindexBuffer('b', 2), Buffer.from('\r\n'));
    assert.equal(await r.lpos('b', ALL), 0);
    assert.equal(await r.lrem('b', 0, ALL), 1);
    assert.deepEqual(await r.lpopBuffer('b'), Buffer.from(''));
  });

  it('LINDEX and LSET', async () => {
    await r.rpush('l', 'a', 'b', 'c');
    assert.equal(await r.lindex('l', 0), 'a');
    assert.equal(await r.lindex('l', -1), 'c');
    assert.equal(await r.lindex('l', 3), null);
    assert.equal(await r.lindex('nokey', 0), null);
    assert.equal(await r.lset('l', 1, 'B'), 'OK');
    assert.equal(await r.lset('l', -1, 'C'), 'OK');
    assert.deepEqual(await r.lrange('l', 0, -1), ['a', 'B', 'C']);
    await rejects(r.lset('l', 3, 'x'), 'ERR index out of range');
    await rejects(r.lset('l', -4, 'x'), 'ERR index out of range');
    await rejects(r.lset('nokey', 0, 'x'), 'ERR no such key');
    await rejects(r.call('LINDEX', 'l', 'x'), 'ERR value is not an integer or out of range');
  });

  it('LREM, LTRIM, LINSERT', async () => {
    await r.rpush('l', 'a', 'b', 'a', 'c', 'a');
    assert.equal(await r.lrem('l', 1, 'a'), 1);
    assert.equal(await r.lrem('l', -1, 'a'), 1);
    assert.deepEqual(await r.lrange('l', 0, -1), ['b', 'a', 'c']);
    assert.equal(await r.lrem('l', 0, 'zz'), 0);
    assert.equal(await r.lrem('nokey', 0, 'a'), 0);
    await rejects(r.call('LREM', 'l', '-9223372036854775808', 'a'), 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    assert.equal(await r.linsert('l', 'BEFORE', 'a', 'X'), 4);
    assert.equal(await r.linsert('l', 'AFTER', 'c', 'Y'), 5);
    assert.equal(await r.linsert('l', 'AFTER', 'nope', 'Y'), -1);
    assert.equal(await r.linsert('nokey', 'AFTER', 'a', 'Y'), 0);
    await rejects(r.call('LINSERT', 'l', 'MIDDLE', 'a', 'b'), 'ERR syntax error');
    assert.deepEqual(await r.lrange('l', 0, -1), ['b', 'X', 'a', 'c', 'Y']);
    assert.equal(await r.ltrim('l', 1, -2), 'OK');
    assert.deepEqual(await r.lrange('l', 0, -1), ['X', 'a', 'c']);
    assert.equal(await r.ltrim('l', 5, 10), 'OK');
    assert.equal(await r.exists('l'), 0);
    assert.equal(await r.ltrim('nokey', 0, 1), 'OK');
    await r.rpush('l', 'a');
    assert.equal(await r.lrem('l', 0, 'a'), 1);
    assert.equal(await r.exists('l'), 0);
  });

  it('LPOS with RANK, COUNT and MAXLEN', async () => {
    await r.rpush('l', 'a', 'b', 'c', 'a', 'b', 'c', 'a');
    assert.equal(await r.lpos('l', 'a'), 0);
    assert.equal(await r.lpos('l', 'a', 'RANK', 2), 3);
    assert.equal(await r.lpos('l', 'a', 'RANK', -1), 6);
    assert.deepEqual(await r.lpos('l', 'a', 'COUNT', 0), [0, 3, 6]);
    assert.deepEqual(await r.lpos('l', 'a', 'RANK', -2, 'COUNT', 0), [3, 0]);
    assert.deepEqual(await r.lpos('l', 'c', 'COUNT', 0, 'MAXLEN', 3), [2]);
    assert.equal(await r.lpos('l', 'z'), null);
    assert.deepEqual(await r.lpos('l', 'z', 'COUNT', 2), []);
    assert.equal(await r.lpos('nokey', 'a'), null);
    await rejects(
      r.lpos('l', 'a', 'RANK', 0),
      "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
    );
    // Redis 7.2 refuses LONG_MIN, whose negation would overflow (7.0 treated it as -1).
    await rejects(
      r.call('LPOS', 'l', 'a', 'RANK', '-9223372036854775808'),
      'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
    );
    await rejects(r.call('LPOS', 'l', 'a', 'COUNT', '-1'), "ERR COUNT can't be negative");
    await rejects(r.call('LPOS', 'l', 'a', 'MAXLEN', 'x'), "ERR MAXLEN can't be negative");
    await rejects(r.call('LPOS', 'l', 'a', 'BOGUS'), 'ERR syntax error');
  });

  it('LMOVE, RPOPLPUSH, LMPOP', async () => {
    await r.rpush('src', 'a', 'b', 'c');
    assert.equal(await r.lmove('src', 'dst', 'LEFT', 'RIGHT'), 'a');
    assert.equal(await r.rpoplpush('src', 'dst'), 'c');
    assert.deepEqual(await r.lrange('dst', 0, -1), ['c', 'a']);
    assert.equal(await r.lmove('src', 'src', 'LEFT', 'RIGHT'), 'b');
    assert.deepEqual(await r.lrange('src', 0, -1), ['b']);
    assert.equal(await r.lmove('nokey', 'dst', 'LEFT', 'RIGHT'), null);
    await rejects(r.call('LMOVE', 'src', 'dst', 'UP', 'LEFT'), 'ERR syntax error');
    await r.set('str', 'x');
    await rejects(r.lmove('src', 'str', 'LEFT', 'LEFT'), WRONGTYPE);
    assert.deepEqual(await r.lrange('src', 0, -1), ['b']);
    assert.deepEqual(await r.call('LMPOP', '2', 'nokey', 'dst', 'RIGHT', 'COUNT', '5'), ['dst', ['a', 'c']]);
    assert.equal(await r.exists('dst'), 0);
    assert.equal(await r.call('LMPOP', '1', 'nokey', 'LEFT'), null);
    await rejects(r.call('LMPOP', '0', 'a', 'LEFT'), 'ERR numkeys should be greater than 0');
    await rejects(r.call('LMPOP', '1', 'a', 'LEFT', 'COUNT', '0'), 'ERR count should be greater than 0');
    await rejects(r.call('LMPOP', '2', 'str', 'src', 'LEFT'), WRONGTYPE);
  });

  it('reports WRONGTYPE for other types and lets generic commands handle lists', async () => {
    await r.set('s', 'x');
    for (const args of [['LPUSH', 'a'], ['RPUSHX', 'a'], ['LPOP'], ['LLEN'], ['LRANGE', '0', '1'], ['LINDEX', '0'], ['LSET', '0', 'a'], ['LREM', '0', 'a'], ['LTRIM', '0', '1'], ['LINSERT', 'BEFORE', 'a', 'b'], ['LPOS', 'a']]) {
      await rejects(r.call(args[0]!, 's', ...args.slice(1)), WRONGTYPE);
    }
    await r.rpush('l', 'a', 'b');
    await rejects(r.get('l'), WRONGTYPE);
    assert.equal(await r.copy('l', 'l2'), 1);
    await r.rpush('l2', 'c');
    assert.deepEqual(await r.lrange('l', 0, -1), ['a', 'b']);
    await r.rename('l2', 'l3');
    assert.deepEqual(await r.lrange('l3', 0, -1), ['a', 'b', 'c']);
    assert.equal(await r.move('l3', 1), 1);
    await r.select(1);
    assert.deepEqual(await r.lrange('l3', 0, -1), ['a', 'b', 'c']);
    await r.select(0);
    assert.equal(await r.del('l'), 1);
  });

  it('reports Redis 7.2 encodings: listpack, quicklist past the limit, back at half', async () => {
    await r.rpush('l', 'a', 'b');
    assert.equal(await r.object('ENCODING', 'l'), 'listpack');
    await r.config('SET', 'list-max-listpack-size', '4');
    await r.rpush('l', 'c', 'd');
    assert.equal(await r.object('ENCODING', 'l'), 'listpack');
    await r.rpush('l', 'e');
    assert.equal(await r.object('ENCODING', 'l'), 'quicklist');
    await r.rpop('l');
    await r.rpop('l');
    assert.equal(await r.object('ENCODING', 'l'), 'quicklist');
    await r.rpop('l');
    assert.equal(await r.object('ENCODING', 'l'), 'listpack');
    // A push of several elements decides once for the batch; LINSERT converts even when the pivot is missing.
    await r.rpush('m', '1', '2', '3', '4', '5');
    assert.equal(await r.object('ENCODING', 'm'), 'quicklist');
    await r.rpush('n', '1', '2', '3', '4');
    assert.equal(await r.linsert('n', 'BEFORE', 'zz', 'x'), -1);
    assert.equal(await r.object('ENCODING', 'n'), 'quicklist');
    // Byte-size limits: -1 is 4 KB.
    await r.config('SET', 'list-max-listpack-size', '-1');
    await r.rpush('big', 'x'.repeat(3000));
    assert.equal(await r.object('ENCODING', 'big'), 'listpack');
    await r.rpush('big', 'y'.repeat(1200));
    assert.equal(await r.object('ENCODING', 'big'), 'quicklist');
    await r.rpop('big');
    assert.equal(await r.object('ENCODING', 'big'), 'quicklist');
    await r.lset('big', 0, 'small');
    assert.equal(await r.object('ENCODING', 'big'), 'listpack');
    // COPY keeps the encoding; an emptied list is gone.
    await r.rpush('q', 'x'.repeat(5000));
    await r.copy('q', 'q2');
    assert.equal(await r.object('ENCODING', 'q2'), 'quicklist');
  });

  it('handles big lists: long ranges, trims and pops', async () => {
    const n = 20000;
    const items = Array.from({ length: n }, (_, i) => String(i));
    for (let i = 0; i < n; i += 5000) await r.rpush('big', ...items.slice(i, i + 5000));
    assert.equal(await r.llen('big'), n);
    assert.equal(await r.object('ENCODING', 'big'), 'quicklist');
    const all = await r.lrange('big', 0, -1);
    assert.equal(all.length, n);
    assert.equal(all[12345], '12345');
    assert.equal(await r.lindex('big', -1), String(n - 1));
    assert.equal(await r.lpos('big', '19999'), 19999);
    assert.equal((await r.lpop('big', 15000))!.length, 15000);
    assert.equal(await r.linsert('big', 'AFTER', '17000', 'x'), 5001);
    assert.equal(await r.lindex('big', 2001), 'x');
    await r.ltrim('big', 100, 199);
    assert.deepEqual(await r.lrange('big', 0, 1), ['15100', '15101']);
    assert.equal(await r.object('ENCODING', 'big'), 'listpack');
  });

  it('publishes the keyspace events Redis does', async () => {
    const sub = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, enableReadyCheck: false });
    await sub.connect();
    const got: string[] = [];
    sub.on('pmessage', (_p: string, ch: string, msg: string) => got.push(`${ch.split(':')[1]} ${msg}`));
    await sub.psubscribe('__keyevent@0__:*');
    await r.config('SET', 'notify-keyspace-events', 'KEA');
    try {
      const cmds = [
        ['RPUSH', 'l', 'a', 'b', 'c'], ['LPUSHX', 'nokey', 'x'], ['LPOP', 'l'], ['RPOP', 'l', '2'], ['RPUSH', 'l', 'z'],
        ['LSET', 'l', '0', 'y'], ['LINSERT', 'l', 'BEFORE', 'y', 'x'], ['LINSERT', 'l', 'BEFORE', 'no', 'x'],
        ['LREM', 'l', '0', 'no'], ['LREM', 'l', '1', 'x'], ['LTRIM', 'l', '0', '-1'], ['RPUSH', 'm', '1'],
        ['LMOVE', 'm', 'l', 'LEFT', 'RIGHT'], ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '5'], ['LTRIM', 'nokey', '0', '1'],
      ];
      for (const c of cmds) await r.call(c[0]!, ...c.slice(1));
      await r.ping();
      await new Promise((res) => setTimeout(res, 50));
      assert.deepEqual(got, [
        'rpush l', 'lpop l', 'rpop l', 'del l', 'rpush l', 'lset l', 'linsert l', 'lrem l', 'ltrim l', 'rpush m',
        'rpush l', 'lpop m', 'del m', 'lpop l', 'del l',
      ]);
    } finally {
      await r.config('SET', 'notify-keyspace-events', '');
      sub.disconnect();
    }
  });

  it('RESP3 nulls for missing keys', async () => {
    const c = await RawClient.connect(server.port);
    try {
      await c.call('HELLO', '3');
      assert.equal(await c.cmd('LPOP', 'nokey'), '_\r\n');
      assert.equal(await c.cmd('LPOP', 'nokey', '2'), '_\r\n');
      assert.equal(await c.cmd('LINDEX', 'nokey', '0'), '_\r\n');
      assert.equal(await c.cmd('LPOS', 'nokey', 'a'), '_\r\n');
      assert.equal(await c.cmd('LMPOP', '1', 'nokey', 'LEFT'), '_\r\n');
      assert.equal(await c.cmd('RPOPLPUSH', 'nokey', 'x'), '_\r\n');
    } finally {
      c.close();
    }
  });
});

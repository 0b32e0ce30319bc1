/**
 * Sorted set commands against a real strata-server, driven with ioredis (and a raw client for RESP3 bytes):
 * every command, Redis 7.2's shortest score formatting and RESP3 doubles, ZRANK WITHSCORE, the listpack/skiplist
 * encodings and their conversions, ZSCAN's cursor over a big set, random picks, and the blocking pops served by
 * writes from other clients.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RawClient } from '../helpers/resp.js';
import { startStrata, type RunningProcess } from '../helpers/servers.js';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

async function rejects(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.message, message);
    return true;
  });
}

describe('sorted set commands', () => {
  let server: RunningProcess;
  let r: Redis;
  const extra: Redis[] = [];

  const client = async (): Promise<Redis> => {
    const c = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
    await c.connect();
    extra.push(c);
    return c;
  };

  before(async () => {
    server = await startStrata();
    r = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
    await r.connect();
  });
  after(async () => {
    r?.disconnect();
    for (const c of extra) c.disconnect();
    await server?.stop();
  });
  beforeEach(async () => {
    await r.flushall();
    await r.config('SET', 'zset-max-listpack-entries', '128');
    await r.config('SET', 'zset-max-listpack-value', '64');
  });

  it('ZADD with NX, XX, GT, LT, CH and INCR; ZCARD, ZSCORE, ZMSCORE', async () => {
    assert.equal(await r.zadd('z', 1, 'a', 2, 'b', 3, 'c'), 3);
    assert.equal(await r.zadd('z', 'NX', 10, 'a', 4, 'd'), 1);
    assert.equal(await r.zscore('z', 'a'), '1');
    assert.equal(await r.zadd('z', 'XX', 'CH', 5, 'a', 9, 'new'), 1);
    assert.equal(await r.zscore('z', 'new'), null);
    assert.equal(await r.zadd('z', 'GT', 'CH', 1, 'a', 6, 'b'), 1);
    assert.equal(await r.zadd('z', 'LT', 'CH', 1, 'a', 60, 'b'), 1);
    assert.deepEqual(await r.zmscore('z', 'a', 'b', 'nope'), ['1', '6', null]);
    assert.equal(await r.zadd('z', 'INCR', 2.5, 'a'), '3.5');
    assert.equal(await r.zadd('z', 'INCR', 'GT', -1, 'a'), null);
    assert.equal(await r.zadd('z', 'INCR', 'XX', 1, 'nope'), null);
    assert.equal(await r.zcard('z'), 4);
    assert.equal(await r.zcard('nokey'), 0);
    assert.deepEqual(await r.zmscore('nokey', 'a'), [null]);
    await rejects(r.zadd('z', 'NX', 'XX', 1, 'a'), 'ERR XX and NX options at the same time are not compatible');
    await rejects(r.zadd('z', 'GT', 'LT', 1, 'a'), 'ERR GT, LT, and/or NX options at the same time are not compatible');
    await rejects(r.zadd('z', 'INCR', 1, 'a', 2, 'b'), 'ERR INCR option supports a single increment-element pair');
    await rejects(r.zadd('z', 'nan', 'a'), 'ERR value is not a valid float');
    await rejects(r.zadd('z', 1, 'a', 2), 'ERR syntax error');
    await r.zadd('inf', 'inf', 'x');
    await rejects(r.zadd('inf', 'INCR', '-inf', 'x'), 'ERR resulting score is not a number (NaN)');
    await r.set('s', 'v');
    await rejects(r.zadd('s', 1, 'a'), WRONGTYPE);
  });

  it('ZINCRBY, ZREM, and empty sets disappear', async () => {
    assert.equal(await r.zincrby('z', 2, 'a'), '2');
    assert.equal(await r.zincrby('z', -0.5, 'a'), '1.5');
    await rejects(r.zincrby('z', 'abc', 'a'), 'ERR value is not a valid float');
    await r.zadd('z', 'inf', 'i');
    await rejects(r.zincrby('z', '-inf', 'i'), 'ERR resulting score is not a number (NaN)');
    assert.equal(await r.zrem('z', 'a', 'nope'), 1);
    assert.equal(await r.zrem('z', 'i'), 1);
    assert.equal(await r.exists('z'), 0);
    assert.equal(await r.zrem('nokey', 'a'), 0);
  });

  it('prints scores in Redis 7.2 shortest form', async () => {
    const cases: [string, string][] = [
      ['1.1', '1.1'],
      ['0.1', '0.1'],
      ['3.14159', '3.14159'],
      ['-2.5', '-2.5'],
      ['1e-7', '1e-7'],
      ['1.5e-7', '1.5e-7'],
      ['0.000001', '0.000001'],
      ['123456.789', '123456.789'],
      ['1e21', '1e+21'],
      ['1.5e300', '1.5e+300'],
      ['100000000', '100000000'],
      ['1e18', '1000000000000000000'],
      ['1152921504606846976', '1152921504606846976'],
      // 'f' is a listpack, which stores an integral score as an integer: -0 comes back as 0 (see below for -0).
      ['-0', '0'],
      ['0', '0'],
      ['inf', 'inf'],
      ['-inf', '-inf'],
      ['5e-324', '5e-324'],
      ['1.7976931348623157e308', '1.7976931348623157e+308'],
    ];
    for (const [input, text] of cases) {
      await r.zadd('f', input, input);
      assert.equal(await r.zscore('f', input), text, input);
    }
    // A skiplist (a member too long for a listpack) keeps -0; 0 and -0 compare equal, so re-adding 0 leaves -0 in
    // place (Redis only updates a changed score).
    const long = 'n'.repeat(65);
    await r.zadd('neg', '-0', long);
    assert.equal(await r.zscore('neg', long), '-0');
    await r.zadd('neg', 0, long);
    assert.equal(await r.zscore('neg', long), '-0');
    // Arithmetic results too: 0.1 + 0.2 is not 0.3.
    await r.zadd('g', '0.1', 'm');
    assert.equal(await r.zincrby('g', '0.2', 'm'), '0.30000000000000004');
    await r.zadd('w', '1.1', 'a', '2.2', 'b');
    assert.deepEqual(await r.zrange('w', 0, -1, 'WITHSCORES'), ['a', '1.1', 'b', '2.2']);
    assert.deepEqual(await r.zscan('w', 0), ['0', ['a', '1.1', 'b', '2.2']]);
    assert.deepEqual(await r.zpopmin('w'), ['a', '1.1']);
  });

  it('replies RESP3 doubles and WITHSCORES pairs', async () => {
    const c = await RawClient.connect(server.port);
    try {
      await c.call('HELLO', '3');
      await c.call('ZADD', 'z', '1.1', 'a', '2', 'b', 'inf', 'c');
      assert.equal(await c.cmd('ZSCORE', 'z', 'a'), ',1.1\r\n');
      assert.equal(await c.cmd('ZSCORE', 'z', 'c'), ',inf\r\n');
      assert.equal(await c.cmd('ZSCORE', 'z', 'nope'), '_\r\n');
      assert.equal(await c.cmd('ZINCRBY', 'z', '1', 'b'), ',3\r\n');
      assert.equal(await c.cmd('ZMSCORE', 'z', 'a', 'x'), '*2\r\n,1.1\r\n_\r\n');
      assert.equal(await c.cmd('ZRANGE', 'z', '0', '1', 'WITHSCORES'), '*2\r\n*2\r\n$1\r\na\r\n,1.1\r\n*2\r\n$1\r\nb\r\n,3\r\n');
      assert.equal(await c.cmd('ZRANGE', 'z', '0', '1'), '*2\r\n$1\r\na\r\n$1\r\nb\r\n');
      assert.equal(await c.cmd('ZUNION', '1', 'z', 'WITHSCORES'), '*3\r\n*2\r\n$1\r\na\r\n,1.1\r\n*2\r\n$1\r\nb\r\n,3\r\n*2\r\n$1\r\nc\r\n,inf\r\n');
      assert.equal(await c.cmd('ZRANK', 'z', 'b', 'WITHSCORE'), '*2\r\n:1\r\n,3\r\n');
      assert.equal(await c.cmd('ZRANK', 'z', 'x', 'WITHSCORE'), '_\r\n');
      // ZSCAN returns scores as bulk strings even in RESP3.
      assert.equal(await c.cmd('ZSCAN', 'z', '0', 'MATCH', 'a'), '*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$3\r\n1.1\r\n');
      // Without a count ZPOPMIN is one flat pair; with a count, pairs.
      assert.equal(await c.cmd('ZPOPMIN', 'z'), '*2\r\n$1\r\na\r\n,1.1\r\n');
      assert.equal(await c.cmd('ZPOPMIN', 'z', '1'), '*1\r\n*2\r\n$1\r\nb\r\n,3\r\n');
      assert.equal(await c.cmd('ZRANDMEMBER', 'z', '-2', 'WITHSCORES'), '*2\r\n*2\r\n$1\r\nc\r\n,inf\r\n*2\r\n$1\r\nc\r\n,inf\r\n');
      assert.equal(await c.cmd('ZMPOP', '1', 'z', 'MAX'), '*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nc\r\n,inf\r\n');
      assert.equal(await c.cmd('ZMPOP', '1', 'z', 'MAX'), '_\r\n');
    } finally {
      c.close();
    }
  });

  it('ZRANK and ZREVRANK, with WITHSCORE', async () => {
    await r.zadd('z', 1, 'a', 2, 'b', 2, 'c', 3, 'd');
    assert.equal(await r.zrank('z', 'a'), 0);
    assert.equal(await r.zrank('z', 'c'), 2);
    assert.equal(await r.zrevrank('z', 'a'), 3);
    assert.equal(await r.zrank('z', 'nope'), null);
    assert.equal(await r.zrank('nokey', 'a'), null);
    assert.deepEqual(await r.call('ZRANK', 'z', 'b', 'WITHSCORE'), [1, '2']);
    assert.deepEqual(await r.call('ZREVRANK', 'z', 'd', 'withscore'), [0, '3']);
    assert.equal(await r.call('ZRANK', 'z', 'nope', 'WITHSCORE'), null);
    assert.equal(await r.call('ZRANK', 'nokey', 'a', 'WITHSCORE'), null);
    await rejects(r.call('ZRANK', 'z', 'a', 'WITHSCORES'), 'ERR syntax error');
    await rejects(r.call('ZRANK', 'z', 'a', 'WITHSCORE', 'x'), "ERR wrong number of arguments for 'zrank' command");
    await rejects(r.call('ZREVRANK', 'z', 'a', 'x', 'y'), "ERR wrong number of arguments for 'zrevrank' command");
  });

  it('ZRANGE by rank, score and lex, REV, LIMIT, and the older forms', async () => {
    await r.zadd('z', 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e');
    assert.deepEqual(await r.zrange('z', 1, -2), ['b', 'c', 'd']);
    assert.deepEqual(await r.zrange('z', 0, 1, 'REV', 'WITHSCORES'), ['e', '5', 'd', '4']);
    assert.deepEqual(await r.zrange('z', '(1', 4, 'BYSCORE', 'LIMIT', 1, 2), ['c', 'd']);
    assert.deepEqual(await r.zrange('z', '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, 2), ['e', 'd']);
    assert.deepEqual(await r.zrevrange('z', 0, 1), ['e', 'd']);
    assert.deepEqual(await r.zrangebyscore('z', 2, '(4', 'WITHSCORES'), ['b', '2', 'c', '3']);
    assert.deepEqual(await r.zrevrangebyscore('z', 4, 2, 'LIMIT', 1, 5), ['c', 'b']);
    assert.equal(await r.zcount('z', '(1', '+inf'), 4);
    await rejects(r.zrange('z', 0, 1, 'LIMIT', 0, 1), 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
    await rejects(r.zrangebyscore('z', 'x', 1), 'ERR min or max is not a float');
    await r.zadd('l', 0, 'a', 0, 'b', 0, 'c', 0, 'd');
    assert.deepEqual(await r.zrangebylex('l', '[b', '+'), ['b', 'c', 'd']);
    assert.deepEqual(await r.zrevrangebylex('l', '(d', '-', 'LIMIT', 0, 2), ['c', 'b']);
    assert.deepEqual(await r.zrange('l', '[a', '(c', 'BYLEX'), ['a', 'b']);
    assert.equal(await r.zlexcount('l', '(a', '[c'), 2);
    await rejects(r.zrangebylex('l', 'a', '+'), 'ERR min or max not valid string range item');
    await rejects(r.zrange('l', '-', '+', 'BYLEX', 'WITHSCORES'), 'ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  });

  it('ZRANGESTORE and ZREMRANGEBYRANK/SCORE/LEX', async () => {
    await r.zadd('z', 1, 'a', 2, 'b', 3, 'c', 4, 'd');
    assert.equal(await r.zrangestore('d', 'z', 1, 2), 2);
    assert.deepEqual(await r.zrange('d', 0, -1, 'WITHSCORES'), ['b', '2', 'c', '3']);
    assert.equal(await r.zrangestore('d', 'z', 10, 20), 0);
    assert.equal(await r.exists('d'), 0);
    assert.equal(await r.zremrangebyrank('z', 0, 0), 1);
    assert.equal(await r.zremrangebyscore('z', '(2', 3), 1);
    assert.deepEqual(await r.zrange('z', 0, -1), ['b', 'd']);
    await r.zadd('l', 0, 'a', 0, 'b', 0, 'c');
    assert.equal(await r.zremrangebylex('l', '-', '(c'), 2);
    assert.equal(await r.zremrangebylex('l', '-', '+'), 1);
    assert.equal(await r.exists('l'), 0);
  });

  it('ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD, sets included', async () => {
    await r.zadd('a', 1, 'x', 2, 'y');
    await r.zadd('b', 3, 'y', 4, 'z');
    await r.sadd('s', 'y', 'q');
    assert.deepEqual(await r.zunion(2, 'a', 'b', 'WITHSCORES'), ['x', '1', 'z', '4', 'y', '5']);
    assert.deepEqual(await r.zinter(3, 'a', 'b', 's', 'WITHSCORES'), ['y', '6']);
    assert.deepEqual(await r.zinter(2, 'a', 'b', 'WEIGHTS', 2, 0.5, 'AGGREGATE', 'MAX', 'WITHSCORES'), ['y', '4']);
    assert.deepEqual(await r.zdiff(2, 'a', 's', 'WITHSCORES'), ['x', '1']);
    assert.equal(await r.zunionstore('u', 3, 'a', 'b', 's', 'AGGREGATE', 'MIN'), 4);
    assert.deepEqual(await r.zrange('u', 0, -1, 'WITHSCORES'), ['q', '1', 'x', '1', 'y', '1', 'z', '4']);
    assert.equal(await r.zinterstore('i', 2, 'a', 'b'), 1);
    assert.equal(await r.zdiffstore('d', 2, 'b', 'a'), 1);
    assert.deepEqual(await r.zrange('d', 0, -1), ['z']);
    assert.equal(await r.zintercard(2, 'a', 'b'), 1);
    assert.equal(await r.zintercard(2, 'u', 'u', 'LIMIT', 2), 2);
    await rejects(r.zunion(0, 'a'), "ERR at least 1 input key is needed for 'zunion' command");
    await rejects(r.zinterstore('x', 1, 'a', 'WITHSCORES'), 'ERR syntax error');
    await rejects(r.zunion(1, 'a', 'WEIGHTS', 'x'), 'ERR weight value is not a float');
    await r.set('str', 'v');
    await rejects(r.zunion(2, 'a', 'str'), WRONGTYPE);
  });

  it('ZPOPMIN, ZPOPMAX, ZMPOP', async () => {
    await r.zadd('z', 1, 'a', 2, 'b', 3, 'c');
    assert.deepEqual(await r.zpopmin('z'), ['a', '1']);
    assert.deepEqual(await r.zpopmax('z', 5), ['c', '3', 'b', '2']);
    assert.equal(await r.exists('z'), 0);
    assert.deepEqual(await r.zpopmin('z'), []);
    await rejects(r.zpopmin('z', -1), 'ERR value is out of range, must be positive');
    await r.zadd('y', 1, 'a', 2, 'b');
    assert.deepEqual(await r.zmpop(2, 'nokey', 'y', 'MAX', 'COUNT', 1), ['y', [['b', '2']]]);
    assert.equal(await r.zmpop(1, 'nokey', 'MIN'), null);
    await rejects(r.zmpop(1, 'y', 'MIN', 'COUNT', 0), 'ERR count should be greater than 0');
  });

  it('ZRANDMEMBER returns distinct members for a positive count, repeats for a negative one', async () => {
    const members = Array.from({ length: 50 }, (_, i) => `m${i}`);
    await r.zadd('z', ...members.flatMap((m, i) => [i, m]));
    const picked = await r.zrandmember('z', 20);
    assert.equal(picked.length, 20);
    assert.equal(new Set(picked).size, 20);
    for (const m of picked) assert.ok(members.includes(m));
    const repeated = await r.zrandmember('z', -200);
    assert.equal(repeated.length, 200);
    const withScores = (await r.zrandmember('z', 5, 'WITHSCORES')) as string[];
    for (let i = 0; i < withScores.length; i += 2) assert.equal(withScores[i], `m${withScores[i + 1]}`);
    // Asking for more than there is returns the whole set, highest first.
    assert.deepEqual(await r.zrandmember('z', 100), [...members].reverse());
    assert.ok(members.includes((await r.zrandmember('z')) as string));
    assert.equal(await r.zrandmember('nokey'), null);
    assert.deepEqual(await r.zrandmember('z', 0), []);
  });

  it('ZSCAN walks a big set exactly once per member, and returns a listpack whole', async () => {
    const n = 1000;
    const args: (string | number)[] = [];
    for (let i = 0; i < n; i++) args.push(i, `m${i}`);
    await r.zadd('big', ...args);
    const seen = new Map<string, string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = await r.zscan('big', cursor, 'COUNT', 50);
      for (let i = 0; i < items.length; i += 2) {
        assert.ok(!seen.has(items[i]!), `duplicate ${items[i]}`);
        seen.set(items[i]!, items[i + 1]!);
      }
      cursor = next;
      calls++;
    } while (cursor !== '0');
    assert.equal(seen.size, n);
    assert.ok(calls > 5);
    assert.equal(seen.get('m7'), '7');
    const [, matched] = await r.zscan('big', 0, 'MATCH', 'm99*', 'COUNT', 2000);
    assert.deepEqual(matched, ['m99', '99', 'm990', '990', 'm991', '991', 'm992', '992', 'm993', '993', 'm994', '994', 'm995', '995', 'm996', '996', 'm997', '997', 'm998', '998', 'm999', '999']);
    await r.zadd('small', 2, 'b', 1, 'a');
    assert.deepEqual(await r.zscan('small', 12345, 'COUNT', 1), ['0', ['a', '1', 'b', '2']]);
  });

  it('follows the listpack and skiplist encodings, one way', async () => {
    await r.config('SET', 'zset-max-listpack-entries', '4');
    await r.config('SET', 'zset-max-listpack-value', '8');
    await r.zadd('z', 1, 'a', 2, 'b', 3, 'c', 4, 'd');
    assert.equal(await r.object('ENCODING', 'z'), 'listpack');
    await r.zadd('z', 5, 'e');
    assert.equal(await r.object('ENCODING', 'z'), 'skiplist');
    await r.zrem('z', 'a', 'b', 'c');
    assert.equal(await r.object('ENCODING', 'z'), 'skiplist');
    await r.zadd('long', 1, 'abcdefghi');
    assert.equal(await r.object('ENCODING', 'long'), 'skiplist');
    await r.zadd('short', 1, 'a');
    await r.zadd('short', 2, 'abcdefghi');
    assert.equal(await r.object('ENCODING', 'short'), 'skiplist');
    // A new key sized by the command's element count (7.2's zsetTypeCreate), even with repeated members.
    await r.zadd('many', 1, 'a', 1, 'a', 1, 'a', 1, 'a', 1, 'a');
    assert.equal(await r.object('ENCODING', 'many'), 'skiplist');
    // Results of stores are compacted when small enough.
    assert.equal(await r.zunionstore('u', 1, 'z'), 2);
    assert.equal(await r.object('ENCODING', 'u'), 'listpack');
    await r.zadd('z', 6, 'f', 7, 'g', 8, 'h');
    assert.equal(await r.zunionstore('u', 1, 'z'), 5);
    assert.equal(await r.object('ENCODING', 'u'), 'skiplist');
    assert.equal(await r.zrangestore('rs', 'z', 0, 1), 2);
    assert.equal(await r.object('ENCODING', 'rs'), 'listpack');
    assert.equal(await r.zrangestore('rs', 'z', '-inf', '+inf', 'BYSCORE'), 5);
    assert.equal(await r.object('ENCODING', 'rs'), 'skiplist');
    // COPY keeps the encoding and makes an independent value.
    assert.equal(await r.copy('z', 'c'), 1);
    assert.equal(await r.object('ENCODING', 'c'), 'skiplist');
    await r.zadd('c', 100, 'x');
    assert.equal(await r.zscore('z', 'x'), null);
    await r.config('SET', 'zset-max-listpack-entries', '0');
    await r.zadd('zero', 1, 'a');
    assert.equal(await r.object('ENCODING', 'zero'), 'skiplist');
    assert.equal(await r.type('zero'), 'zset');
    assert.ok((await r.memory('USAGE', 'z')) as number > 0);
  });

  it('BZPOPMIN / BZPOPMAX are served by a later write from another client', async () => {
    const b = await client();
    const waiting = b.bzpopmin('q1', 'q2', 0);
    await new Promise((res) => setTimeout(res, 50));
    await r.zadd('q2', 5, 'x', 1, 'y');
    assert.deepEqual(await waiting, ['q2', 'y', '1']);
    const max = b.bzpopmax('m', 0);
    await new Promise((res) => setTimeout(res, 30));
    await r.zincrby('m', 2.5, 'k');
    assert.deepEqual(await max, ['m', 'k', '2.5']);
    assert.equal(await r.exists('m'), 0);
    // A store creating the key serves too.
    const viaStore = b.bzpopmin('dst', 0);
    await new Promise((res) => setTimeout(res, 30));
    await r.zunionstore('dst', 1, 'q2');
    assert.deepEqual(await viaStore, ['dst', 'x', '5']);
    assert.equal(await b.bzpopmin('none', 0.05), null);
  });

  it('BZMPOP waits, pops a count, and answers at once inside MULTI', async () => {
    const b = await client();
    const waiting = b.bzmpop(0, 2, 'k1', 'k2', 'MAX', 'COUNT', 2);
    await new Promise((res) => setTimeout(res, 50));
    await r.zadd('k1', 1, 'a', 2, 'b', 3, 'c');
    assert.deepEqual(await waiting, ['k1', [['c', '3'], ['b', '2']]]);
    assert.equal(await b.bzmpop(0.05, 1, 'none', 'MIN'), null);
    const res = await r.multi().bzpopmin('none', 0).bzmpop(0, 1, 'none', 'MIN').exec();
    assert.deepEqual(res, [[null, null], [null, null]]);
    await rejects(b.bzpopmin('k1', -1), 'ERR timeout is negative');
    await rejects(b.call('BZMPOP', 0, 1, 'k1', 'MIDDLE'), 'ERR syntax error');
  });

  it('emits the keyspace events Redis emits', async () => {
    const sub = await client();
    const events: string[] = [];
    await r.config('SET', 'notify-keyspace-events', 'KEA');
    try {
      await sub.psubscribe('__keyevent@0__:*');
      sub.on('pmessage', (_p: string, channel: string, key: string) => events.push(`${channel.slice('__keyevent@0__:'.length)} ${key}`));
      const script: (string | number)[][] = [
        ['zadd', 'z', 1, 'a', 2, 'b'],
        ['zadd', 'z', 1, 'a'],
        ['zincrby', 'z', 1, 'a'],
        ['zadd', 'z', 'incr', 1, 'b'],
        ['zrem', 'z', 'a'],
        ['zrem', 'z', 'zz'],
        ['zpopmin', 'z'],
        ['zadd', 'z', 1, 'a', 2, 'b', 3, 'c'],
        ['zpopmax', 'z', 5],
        ['zadd', 'y', 1, 'a', 2, 'b'],
        ['zunionstore', 'u', 1, 'y'],
        ['zinterstore', 'u', 1, 'nokey'],
        ['zrangestore', 'r', 'y', 0, 0],
        ['zremrangebyrank', 'y', 0, 0],
        ['zremrangebyscore', 'y', 0, 10],
        ['zadd', 'y', 1, 'a'],
        ['zmpop', 1, 'y', 'min'],
        ['set', 's', 'x'],
        ['zunionstore', 's', 1, 'nokey'],
        ['zadd', 'q', 1, 'a'],
        ['zunionstore', 'q', 1, 'q'],
      ];
      for (const [cmd, ...args] of script) await r.call(cmd as string, ...args);
      // The event stream as redis-server 7 sends it for the same commands.
      const expected = [
        'zadd z', 'zincr z', 'zincr z', 'zrem z', 'zpopmin z', 'del z', 'zadd z', 'zpopmax z', 'del z', 'zadd y',
        'zunionstore u', 'del u', 'zrangestore r', 'zremrangebyrank y', 'zremrangebyscore y', 'del y', 'zadd y',
        'zpopmin y', 'del y', 'set s', 'del s', 'zadd q', 'zunionstore q',
      ];
      for (let i = 0; i < 50 && events.length < expected.length; i++) await new Promise((res) => setTimeout(res, 10));
      assert.deepEqual(events, expected);
    } finally {
      await r.config('SET', 'notify-keyspace-events', '');
    }
  });

  it('serves blocked clients first come, first served', async () => {
    const b1 = await client();
    const b2 = await client();
    const first = b1.bzpopmin('fifo', 0);
    await new Promise((res) => setTimeout(res, 30));
    const second = b2.bzpopmin('fifo', 0);
    await new Promise((res) => setTimeout(res, 30));
    await r.zadd('fifo', 1, 'a', 2, 'b');
    assert.deepEqual(await first, ['fifo', 'a', '1']);
    assert.deepEqual(await second, ['fifo', 'b', '2']);
  });
});

/**
 * Set commands against a real strata-server, driven with ioredis: every command (contents compared sorted, since
 * hashtable sets have no fixed order), Redis 7.2's intset/listpack/hashtable encodings and conversions, SSCAN's
 * cursor over big sets, random picks and the RESP3 reply shapes.
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

const sorted = (xs: string[]) => [...xs].sort();
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));

describe('set commands', () => {
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
    await r.config('SET', 'set-max-intset-entries', '512');
    await r.config('SET', 'set-max-listpack-entries', '128');
    await r.config('SET', 'set-max-listpack-value', '64');
  });

  it('SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS', async () => {
    assert.equal(await r.sadd('s', 'a', 'b', 'a', 'c'), 3);
    assert.equal(await r.sadd('s', 'c', 'd'), 1);
    assert.equal(await r.scard('s'), 4);
    assert.equal(await r.sismember('s', 'a'), 1);
    assert.equal(await r.sismember('s', 'z'), 0);
    assert.equal(await r.sismember('nokey', 'a'), 0);
    assert.deepEqual(await r.smismember('s', 'a', 'z', 'd'), [1, 0, 1]);
    assert.deepEqual(await r.smismember('nokey', 'a'), [0]);
    assert.deepEqual(await r.smembers('s'), ['a', 'b', 'c', 'd']);
    assert.equal(await r.srem('s', 'a', 'z', 'a'), 1);
    assert.deepEqual(sorted(await r.smembers('s')), ['b', 'c', 'd']);
    assert.equal(await r.srem('s', 'b', 'c', 'd'), 3);
    assert.equal(await r.exists('s'), 0);
    assert.equal(await r.scard('nokey'), 0);
    assert.deepEqual(await r.smembers('nokey'), []);
    assert.equal(await r.srem('nokey', 'a'), 0);
  });

  it('intsets reply in ascending numeric order', async () => {
    await r.sadd('n', '10', '-5', '3', '9223372036854775807', '-9223372036854775808', '0');
    assert.deepEqual(await r.smembers('n'), ['-9223372036854775808', '-5', '0', '3', '10', '9223372036854775807']);
    assert.equal(await r.sismember('n', '03'), 0);
    assert.equal(await r.sismember('n', '3'), 1);
    assert.deepEqual(await r.srandmember('n', 100), ['-9223372036854775808', '-5', '0', '3', '10', '9223372036854775807']);
  });

  it('keeps every byte of binary members', async () => {
    const m = Buffer.concat([Buffer.from('m:'), ALL]);
    assert.equal(await r.sadd('bin', m, ALL), 2);
    assert.equal(await r.sismember('bin', ALL), 1);
    const members = await r.smembersBuffer('bin');
    assert.deepEqual(members, [m, ALL]);
  });

  it('SMOVE between sets', async () => {
    await r.sadd('a', '1', '2', '3');
    await r.sadd('b', 'x');
    assert.equal(await r.smove('a', 'b', '1'), 1);
    assert.equal(await r.smove('a', 'b', '9'), 0);
    assert.equal(await r.smove('nokey', 'b', '1'), 0);
    assert.equal(await r.smove('a', 'a', '2'), 1);
    assert.equal(await r.smove('a', 'a', '9'), 0);
    assert.deepEqual(await r.smembers('a'), ['2', '3']);
    assert.deepEqual(sorted(await r.smembers('b')), ['1', 'x']);
    assert.equal(await r.smove('a', 'new', '2'), 1);
    assert.equal(await r.object('ENCODING', 'new'), 'intset');
    assert.equal(await r.smove('a', 'new', '3'), 1);
    assert.equal(await r.exists('a'), 0);
    assert.deepEqual(await r.smembers('new'), ['2', '3']);
    await r.set('str', 'v');
    await rejects(r.smove('str', 'new', '2'), WRONGTYPE);
    await rejects(r.smove('new', 'str', '2'), WRONGTYPE);
    assert.equal(await r.smove('nokey', 'str', '2'), 0);
  });

  it('SPOP: one member, counts, the whole set', async () => {
    await r.sadd('s', ...range(0, 10));
    const one = (await r.spop('s')) as string;
    assert.ok(range(0, 10).includes(one));
    assert.equal(await r.scard('s'), 9);
    const three = (await r.spop('s', 3)) as string[];
    assert.equal(new Set(three).size, 3);
    assert.equal(await r.scard('s'), 6);
    for (const m of three) assert.equal(await r.sismember('s', m), 0);
    // Popping most of the set goes through Redis's rebuild strategy.
    const five = (await r.spop('s', 5)) as string[];
    assert.equal(new Set(five).size, 5);
    const last = await r.smembers('s');
    assert.equal(last.length, 1);
    assert.deepEqual(sorted([one, ...three, ...five, ...last]), sorted(range(0, 10)));
    assert.deepEqual(await r.spop('s', 10), last);
    assert.equal(await r.exists('s'), 0);
    assert.equal(await r.spop('nokey'), null);
    assert.deepEqual(await r.spop('nokey', 2), []);
    await r.sadd('s', 'a');
    assert.deepEqual(await r.spop('s', 0), []);
    await rejects(r.call('SPOP', 's', '-1'), 'ERR value is out of range, must be positive');
    await rejects(r.call('SPOP', 's', 'x'), 'ERR value is out of range, must be positive');
    await rejects(r.call('SPOP', 's', '1', '2'), 'ERR syntax error');
  });

  it('SPOP of most of a hashtable set leaves a compact set, as Redis 7.2 does', async () => {
    await r.sadd('big', ...range(0, 300).map((i) => `m${i}`));
    assert.equal(await r.object('ENCODING', 'big'), 'hashtable');
    const popped = (await r.spop('big', 295)) as string[];
    assert.equal(new Set(popped).size, 295);
    const rest = await r.smembers('big');
    assert.equal(rest.length, 5);
    assert.deepEqual(sorted([...popped, ...rest]), sorted(range(0, 300).map((i) => `m${i}`)));
    assert.equal(await r.object('ENCODING', 'big'), 'listpack');
  });

  it('SRANDMEMBER: distinct, repeated, whole set', async () => {
    await r.sadd('s', 'a', 'b', 'c');
    assert.ok(['a', 'b', 'c'].includes((await r.srandmember('s')) as string));
    assert.equal(await r.srandmember('nokey'), null);
    assert.deepEqual(await r.srandmember('nokey', 3), []);
    const two = (await r.srandmember('s', 2)) as string[];
    assert.equal(new Set(two).size, 2);
    assert.deepEqual(await r.srandmember('s', 3), ['a', 'b', 'c']);
    const rep = (await r.srandmember('s', -10)) as string[];
    assert.equal(rep.length, 10);
    for (const m of rep) assert.ok(['a', 'b', 'c'].includes(m));
    assert.deepEqual(await r.srandmember('s', 0), []);
    assert.equal(await r.scard('s'), 3);
    await rejects(r.call('SRANDMEMBER', 's', 'x'), 'ERR value is not an integer or out of range');
    await rejects(
      r.call('SRANDMEMBER', 's', '-9223372036854775808'),
      'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
    );
    await rejects(r.call('SRANDMEMBER', 's', '1', '2'), 'ERR syntax error');
  });

  it('SRANDMEMBER samples big sets of every encoding without repeats', async () => {
    await r.sadd('ints', ...range(0, 400));
    await r.sadd('strs', ...range(0, 1000).map((i) => `m${i}`));
    for (const key of ['ints', 'strs']) {
      for (const n of [3, 150, 399]) {
        const got = (await r.srandmember(key, n)) as string[];
        assert.equal(got.length, n);
        assert.equal(new Set(got).size, n);
        assert.deepEqual(await r.smismember(key, ...got), got.map(() => 1));
      }
    }
  });

  it('SINTER, SUNION, SDIFF and their STORE and CARD forms', async () => {
    await r.sadd('a', '1', '2', '3', 'x');
    await r.sadd('b', '2', '3', '4', 'x', 'y');
    await r.sadd('c', '3', 'x', 'z');
    assert.deepEqual(sorted(await r.sinter('a', 'b', 'c')), ['3', 'x']);
    assert.deepEqual(await r.sinter('a', 'nokey'), []);
    assert.deepEqual(sorted(await r.sunion('a', 'b', 'nokey')), ['1', '2', '3', '4', 'x', 'y']);
    assert.deepEqual(sorted(await r.sdiff('a', 'b')), ['1']);
    assert.deepEqual(sorted(await r.sdiff('b', 'a', 'c')), ['4', 'y']);
    assert.deepEqual(await r.sdiff('a', 'a'), []);
    assert.deepEqual(sorted(await r.sdiff('a', 'nokey')), ['1', '2', '3', 'x']);
    assert.equal(await r.sintercard(2, 'a', 'b'), 3);
    assert.equal(await r.call('SINTERCARD', '2', 'a', 'b', 'LIMIT', '2'), 2);
    assert.equal(await r.call('SINTERCARD', '2', 'a', 'b', 'LIMIT', '0'), 3);
    assert.equal(await r.sinterstore('d', 'a', 'b'), 3);
    assert.deepEqual(sorted(await r.smembers('d')), ['2', '3', 'x']);
    assert.equal(await r.sunionstore('d', 'a', 'c'), 5);
    assert.deepEqual(sorted(await r.smembers('d')), ['1', '2', '3', 'x', 'z']);
    assert.equal(await r.sdiffstore('d', 'a', 'b', 'c'), 1);
    assert.deepEqual(await r.smembers('d'), ['1']);
    assert.equal(await r.sinterstore('d', 'a', 'nokey'), 0);
    assert.equal(await r.exists('d'), 0);
    // The destination is replaced whatever it held, TTL included.
    await r.set('str', 'v', 'EX', 100);
    assert.equal(await r.sunionstore('str', 'a'), 4);
    assert.equal(await r.type('str'), 'set');
    assert.equal(await r.ttl('str'), -1);
    await r.set('plain', 'v');
    await rejects(r.sinter('a', 'plain'), WRONGTYPE);
    await rejects(r.call('SINTERCARD', '0', 'a'), 'ERR numkeys should be greater than 0');
    await rejects(r.call('SINTERCARD', '3', 'a'), "ERR Number of keys can't be greater than number of args");
    await rejects(r.call('SINTERCARD', '1', 'a', 'LIMIT', '-1'), "ERR LIMIT can't be negative");
    await rejects(r.call('SINTERCARD', '1', 'a', 'FOO'), 'ERR syntax error');
  });

  it('stored results get the encoding Redis 7.2 gives them', async () => {
    await r.sadd('i1', '1', '2', '3');
    await r.sadd('i2', '2', '3', '4');
    await r.sadd('s1', 'a', '2', '3');
    await r.sinterstore('d', 'i1', 'i2');
    assert.equal(await r.object('ENCODING', 'd'), 'intset');
    // An all-integer intersection of listpacks goes back to an intset.
    await r.sinterstore('d2', 's1', 'i2', 'i1');
    assert.equal(await r.object('ENCODING', 'd2'), 'intset');
    await r.sunionstore('u', 'i1', 's1');
    assert.equal(await r.object('ENCODING', 'u'), 'listpack');
    assert.deepEqual(await r.smembers('u'), ['1', '2', '3', 'a']);
    await r.sdiffstore('df', 's1', 'i1');
    assert.equal(await r.object('ENCODING', 'df'), 'listpack');
    await r.sadd('big', ...range(0, 1000));
    await r.sunionstore('bu', 'big', 'i1');
    assert.equal(await r.object('ENCODING', 'bu'), 'hashtable');
    assert.equal(await r.scard('bu'), 1000);
  });

  it('reports Redis 7.2 encodings and converts one way', async () => {
    await r.sadd('s', '1', '2');
    assert.equal(await r.object('ENCODING', 's'), 'intset');
    await r.sadd('s', 'x');
    assert.equal(await r.object('ENCODING', 's'), 'listpack');
    assert.deepEqual(await r.smembers('s'), ['1', '2', 'x']);
    await r.srem('s', 'x');
    assert.equal(await r.object('ENCODING', 's'), 'listpack');
    await r.sadd('s', 'y'.repeat(65));
    assert.equal(await r.object('ENCODING', 's'), 'hashtable');
    await r.sadd('ints', ...range(0, 512));
    assert.equal(await r.object('ENCODING', 'ints'), 'intset');
    await r.sadd('ints', '512');
    assert.equal(await r.object('ENCODING', 'ints'), 'hashtable');
    await r.sadd('strs', ...range(0, 128).map((i) => `m${i}`));
    assert.equal(await r.object('ENCODING', 'strs'), 'listpack');
    await r.sadd('strs', 'one more');
    assert.equal(await r.object('ENCODING', 'strs'), 'hashtable');
    // The argument count is Redis's size hint for a new set.
    await r.sadd('hint', 'a', ...range(0, 200));
    assert.equal(await r.object('ENCODING', 'hint'), 'hashtable');

    await r.config('SET', 'set-max-intset-entries', '2');
    await r.config('SET', 'set-max-listpack-entries', '3');
    await r.sadd('t', '1', '2');
    assert.equal(await r.object('ENCODING', 't'), 'intset');
    await r.sadd('t', '3');
    assert.equal(await r.object('ENCODING', 't'), 'hashtable');
    await r.sadd('u', '1', '2');
    await r.sadd('u', 'a');
    assert.equal(await r.object('ENCODING', 'u'), 'listpack');
    await r.sadd('u', 'b');
    assert.equal(await r.object('ENCODING', 'u'), 'hashtable');
  });

  it('SSCAN walks a big set by cursor and returns each stable member once despite concurrent writes', async () => {
    await r.sadd('big', ...range(0, 3000).map((i) => `stable${i}`));
    const seen = new Map<string, number>();
    let cursor = '0';
    let calls = 0;
    let n = 0;
    do {
      const [next, items] = await r.sscan('big', cursor, 'COUNT', 40);
      for (const m of items) seen.set(m, (seen.get(m) ?? 0) + 1);
      await r.sadd('big', `tmp${n}`, `tmp${n + 1}`);
      await r.srem('big', `tmp${n}`);
      n += 2;
      cursor = next;
      calls++;
    } while (cursor !== '0');
    assert.ok(calls > 10);
    for (let i = 0; i < 3000; i++) assert.equal(seen.get(`stable${i}`), 1, `stable${i}`);
    const [, matched] = await r.sscan('big', 0, 'MATCH', 'stable299?', 'COUNT', 100000);
    assert.deepEqual(sorted(matched), range(2990, 3000).map((i) => `stable${i}`));
  });

  it('SSCAN of a small set returns it whole; option errors', async () => {
    await r.sadd('s', '3', '1', '2');
    assert.deepEqual(await r.sscan('s', 99), ['0', ['1', '2', '3']]);
    assert.deepEqual(await r.sscan('s', 0, 'MATCH', '2'), ['0', ['2']]);
    assert.deepEqual(await r.sscan('nokey', 0), ['0', []]);
    await rejects(r.call('SSCAN', 's', 'x'), 'ERR invalid cursor');
    await rejects(r.call('SSCAN', 's', '0', 'COUNT', '0'), 'ERR syntax error');
    await rejects(r.call('SSCAN', 's', '0', 'TYPE', 'set'), 'ERR syntax error');
  });

  it('replies WRONGTYPE for other types', async () => {
    await r.set('str', 'v');
    for (const args of [
      ['SADD', 'str', 'a'],
      ['SREM', 'str', 'a'],
      ['SMEMBERS', 'str'],
      ['SISMEMBER', 'str', 'a'],
      ['SMISMEMBER', 'str', 'a'],
      ['SCARD', 'str'],
      ['SPOP', 'str'],
      ['SPOP', 'str', '2'],
      ['SRANDMEMBER', 'str'],
      ['SRANDMEMBER', 'str', '2'],
      ['SINTER', 'nokey', 'str'],
      ['SINTERCARD', '2', 'nokey', 'str'],
      ['SINTERSTORE', 'd', 'str'],
      ['SUNION', 'str'],
      ['SUNIONSTORE', 'd', 'str'],
      ['SDIFF', 'nokey', 'str'],
      ['SDIFFSTORE', 'd', 'str'],
      ['SSCAN', 'str', '0'],
    ]) {
      await rejects(r.call(args[0]!, ...args.slice(1)), WRONGTYPE);
    }
    await r.sadd('s', 'a');
    await rejects(r.get('s'), WRONGTYPE);
    assert.equal(await r.type('s'), 'set');
  });

  it('COPY duplicates a set independently, keeping its encoding', async () => {
    for (const [members, enc] of [
      [['3', '1'], 'intset'],
      [['a', 'b'], 'listpack'],
      [range(0, 200).map((i) => `m${i}`), 'hashtable'],
    ] as const) {
      await r.del('src', 'dst');
      await r.sadd('src', ...members);
      await r.copy('src', 'dst');
      assert.equal(await r.object('ENCODING', 'dst'), enc);
      await r.sadd('dst', 'extra');
      await r.srem('dst', members[0]!);
      assert.equal(await r.sismember('src', members[0]!), 1);
      assert.equal(await r.sismember('src', 'extra'), 0);
      assert.equal(await r.scard('dst'), members.length);
    }
  });

  it('emits keyspace events like Redis for set, hash and SORT writes', async () => {
    const sub = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
    await sub.connect();
    try {
      await r.config('SET', 'notify-keyspace-events', 'KEA');
      const events: string[] = [];
      sub.on('pmessage', (_p: string, channel: string, key: string) => events.push(`${channel.split(':')[1]} ${key}`));
      await sub.psubscribe('__keyevent@0__:*');
      await r.sadd('s', '1', '2');
      await r.sadd('s', '1');
      await r.srem('s', '1', '2');
      await r.hset('h', 'a', '1');
      await r.hincrby('h', 'a', 1);
      await r.hdel('h', 'a');
      await r.sadd('a', 'x');
      await r.smove('a', 'b', 'x');
      await r.sunionstore('d', 'b');
      await r.sinterstore('d', 'b', 'nokey');
      await r.rpush('l', '2', '1');
      await r.sort('l', 'STORE', 'ls');
      await r.spop('b');
      await r.ping();
      await new Promise((res) => setTimeout(res, 50));
      assert.deepEqual(events, [
        'sadd s',
        'srem s',
        'del s',
        'hset h',
        'hincrby h',
        'hdel h',
        'del h',
        'sadd a',
        'srem a',
        'del a',
        'sadd b',
        'sunionstore d',
        'del d',
        'rpush l',
        'sortstore ls',
        'spop b',
        'del b',
      ]);
    } finally {
      await r.config('SET', 'notify-keyspace-events', '');
      sub.disconnect();
    }
  });

  it('RESP3: member lists are sets, SRANDMEMBER with a count an array', async () => {
    const c = await RawClient.connect(server.port);
    try {
      await c.call('HELLO', '3');
      await c.call('SADD', 's', '2', '1');
      assert.equal(await c.cmd('SMEMBERS', 's'), '~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
      assert.equal(await c.cmd('SINTER', 's', 'nokey'), '~0\r\n');
      assert.equal(await c.cmd('SUNION', 's'), '~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
      assert.equal(await c.cmd('SRANDMEMBER', 's', '5'), '*2\r\n$1\r\n1\r\n$1\r\n2\r\n');
      assert.equal(await c.cmd('SPOP', 'nokey', '1'), '~0\r\n');
      assert.equal(await c.cmd('SPOP', 'nokey'), '_\r\n');
      assert.equal(await c.cmd('SPOP', 's', '5'), '~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    } finally {
      c.close();
    }
  });
});

/**
 * Lua scripting through a real client (ioredis) against a strata-server process: the usual script patterns (rate
 * limiter, lock release, leaderboard, defineCommand), the libraries compared with real Redis, the sandbox, scripts'
 * effects on WATCH and notifications, and the BUSY state of a long script with SCRIPT KILL from another client.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RawClient } from '../helpers/resp.js';
import { hasRedis, startRedis, startStrata, type RunningProcess } from '../helpers/servers.js';

const RATE_LIMIT = `
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then return 0 end
redis.call('ZADD', key, now, ARGV[4])
redis.call('PEXPIRE', key, window)
return 1`;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const SCORE = `
redis.call('ZINCRBY', KEYS[1], ARGV[2], ARGV[1])
return {redis.call('ZREVRANK', KEYS[1], ARGV[1]), redis.call('ZSCORE', KEYS[1], ARGV[1])}`;

describe('scripting', () => {
  let server: RunningProcess;
  let r: Redis;

  before(async () => {
    server = await startStrata();
    r = new Redis({ port: server.port, lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
  });
  after(async () => {
    r?.disconnect();
    await server?.stop();
  });

  it('runs a sliding-window rate limiter', async () => {
    const results: number[] = [];
    for (let i = 0; i < 5; i++) results.push((await r.eval(RATE_LIMIT, 1, 'rl:user', 1000 + i, 1000, 3, `req${i}`)) as number);
    assert.deepEqual(results, [1, 1, 1, 0, 0]);
    assert.equal(await r.zcard('rl:user'), 3);
    // Once the window has moved past the first requests (scores 1000 and 1001), new ones are allowed again.
    assert.equal(await r.eval(RATE_LIMIT, 1, 'rl:user', 2001, 1000, 3, 'late'), 1);
    assert.deepEqual(await r.zrange('rl:user', 0, -1), ['req2', 'late']);
    assert.ok((await r.pttl('rl:user')) > 0);
  });

  it('releases a lock only for its owner (Redlock pattern)', async () => {
    await r.set('lock:res', 'token-a', 'PX', 10000);
    assert.equal(await r.eval(UNLOCK, 1, 'lock:res', 'token-b'), 0);
    assert.equal(await r.get('lock:res'), 'token-a');
    assert.equal(await r.eval(UNLOCK, 1, 'lock:res', 'token-a'), 1);
    assert.equal(await r.exists('lock:res'), 0);
  });

  it('updates a leaderboard with ZINCRBY and ZREVRANK', async () => {
    assert.deepEqual(await r.eval(SCORE, 1, 'board', 'ann', 10), [0, '10']);
    assert.deepEqual(await r.eval(SCORE, 1, 'board', 'bob', 25), [0, '25']);
    assert.deepEqual(await r.eval(SCORE, 1, 'board', 'ann', 20), [0, '30']);
    assert.deepEqual(await r.eval(SCORE, 1, 'board', 'cid', 1.5), [2, '1.5']);
  });

  it('works with ioredis defineCommand (EVALSHA with a NOSCRIPT fallback)', async () => {
    r.defineCommand('getset2', { numberOfKeys: 1, lua: "local old = redis.call('GET', KEYS[1]) redis.call('SET', KEYS[1], ARGV[1]) return old" });
    const c = r as Redis & { getset2(key: string, value: string): Promise<string | null> };
    assert.equal(await c.getset2('dc', 'one'), null);
    assert.equal(await c.getset2('dc', 'two'), 'one');
    await r.script('FLUSH');
    assert.equal(await c.getset2('dc', 'three'), 'two');
    const sha = (await r.script('LOAD', 'return ARGV[1]')) as string;
    assert.deepEqual(await r.script('EXISTS', sha, '0000000000000000000000000000000000000000'), [1, 0]);
    assert.equal(await r.evalsha(sha, 0, 'x'), 'x');
  });

  it('converts replies and errors', async () => {
    assert.deepEqual(await r.eval("return {1, 'two', {3}, redis.call('GET', 'nokey'), 4}", 0), [1, 'two', [3], null, 4]);
    assert.equal(await r.eval("return redis.status_reply('FINE')", 0), 'FINE');
    await assert.rejects(r.eval("return redis.error_reply('MYERR boom')", 0), /^ReplyError: MYERR boom$/);
    await r.set('str', 'abc');
    await assert.rejects(r.eval("return redis.call('INCR', 'str')", 0), /ERR value is not an integer or out of range script: \w{40}, on @user_script:1\./);
    assert.deepEqual(await r.eval("local e = redis.pcall('INCR', 'str') return e.err", 0), 'ERR value is not an integer or out of range');
  });

  it('protects the globals', async () => {
    await assert.rejects(r.eval('x = 1', 0), /Attempt to modify a readonly table/);
    await assert.rejects(r.eval('return undefined_thing', 0), /Script attempted to access nonexistent global variable 'undefined_thing'/);
    await assert.rejects(r.eval('redis.call = function() end', 0), /Attempt to modify a readonly table/);
    await assert.rejects(r.eval("rawset(_G, 'y', 1)", 0), /Attempt to modify a readonly table/);
    assert.equal(await r.eval('local x = 1 return x', 0), 1);
    assert.equal(await r.eval('return os.clock() >= 0', 0), 1);
  });

  it("makes scripts' writes visible to WATCH and keyspace notifications", async () => {
    const watcher = new Redis({ port: server.port });
    const sub = new Redis({ port: server.port });
    try {
      await watcher.set('watched', '1');
      await r.config('SET', 'notify-keyspace-events', 'KEA');
      const events: string[] = [];
      await sub.psubscribe('__keyevent@0__:*');
      sub.on('pmessage', (_p, ch, msg) => events.push(`${ch.split(':')[1]} ${msg}`));
      await watcher.watch('watched');
      await r.eval("redis.call('INCR', KEYS[1]) redis.call('DEL', 'gone')", 1, 'watched');
      assert.equal(await watcher.multi().get('watched').exec(), null);
      for (let i = 0; i < 50 && events.length < 1; i++) await new Promise((res) => setTimeout(res, 10));
      assert.deepEqual(events, ['incrby watched']);
    } finally {
      await r.config('SET', 'notify-keyspace-events', '');
      watcher.disconnect();
      sub.disconnect();
    }
  });

  it('runs scripts inside MULTI/EXEC; blocking list commands are refused in scripts, as in Redis 7', async () => {
    const res = await r.multi().set('m', '1').eval("return redis.call('INCR', 'm')", 0).exec();
    assert.deepEqual(res, [
      [null, 'OK'],
      [null, 2],
    ]);
    await assert.rejects(r.eval("return redis.call('BLPOP', 'empty-list', 0)", 0), /This Redis command is not allowed from script/);
  });

  it('answers BUSY while a long script runs, and SCRIPT KILL stops it', async () => {
    const a = await RawClient.connect(server.port);
    const b = await RawClient.connect(server.port);
    try {
      await b.cmd('CONFIG', 'SET', 'busy-reply-threshold', '100');
      assert.equal(await b.cmd('SCRIPT', 'KILL'), '-NOTBUSY No scripts in execution right now.\r\n');
      // A script that never ends (after errors caught by pcall, which must not disable the watch on its run time),
      // followed by a pipelined PING that must wait for it.
      const killed = a.call('EVAL', "pcall(error, 'x') local i = 0 while true do pcall(function() i = i + 1 end) end", '0');
      const ping = a.call('PING');
      await new Promise((res) => setTimeout(res, 250));
      assert.equal(await b.cmd('GET', 'k'), '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
      assert.equal(await b.cmd('SCRIPT', 'LOAD', 'return 1'), '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
      assert.equal(await b.cmd('SHUTDOWN'), '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
      assert.equal(await b.cmd('MULTI'), '+OK\r\n');
      assert.equal(await b.cmd('DISCARD'), '+OK\r\n');
      assert.equal(await b.cmd('SCRIPT', 'KILL'), '+OK\r\n');
      assert.match((await killed).toString(), /^-ERR Script killed by user with SCRIPT KILL\.\.\. script: \w{40}, on @user_script:1\.\r\n$/);
      assert.equal((await ping).toString(), '+PONG\r\n');
      assert.equal(await b.cmd('PING'), '+PONG\r\n');

      // A script that wrote cannot be killed; it ends on its own and its reply arrives.
      const wrote = a.call('EVAL', "redis.call('SET', 'w', '1') local t = os.clock() while os.clock() - t < 0.4 do end return redis.call('GET', 'w')", '0');
      await new Promise((res) => setTimeout(res, 200));
      assert.match(await b.cmd('SCRIPT', 'KILL'), /^-UNKILLABLE Sorry the script already executed write commands/);
      assert.equal((await wrote).toString(), '$1\r\n1\r\n');
      assert.equal(await b.cmd('GET', 'w'), '$1\r\n1\r\n');

      // Two slow scripts pipelined by one client: both suspend, and their replies come in order.
      const slow = "local t = os.clock() while os.clock() - t < 0.15 do end return redis.call('INCR', 'seq')";
      const first = a.call('EVAL', slow, '0');
      const second = a.call('EVAL', slow, '0');
      const third = a.call('GET', 'seq');
      assert.deepEqual([(await first).toString(), (await second).toString(), (await third).toString()], [':1\r\n', ':2\r\n', '$1\r\n2\r\n']);
    } finally {
      await b.cmd('CONFIG', 'SET', 'busy-reply-threshold', '5000');
      a.close();
      b.close();
    }
  });
});

describe('scripting libraries: same results as Redis', { skip: hasRedis() ? false : 'redis-server is not installed' }, () => {
  let redis: RunningProcess;
  let strata: RunningProcess;
  let rr: Redis;
  let rs: Redis;

  before(async () => {
    [redis, strata] = await Promise.all([startRedis(), startStrata()]);
    rr = new Redis({ port: redis.port });
    rs = new Redis({ port: strata.port });
  });
  after(async () => {
    rr?.disconnect();
    rs?.disconnect();
    await Promise.all([redis?.stop(), strata?.stop()]);
  });

  const scripts: [string, string, ...string[]][] = [
    ['cjson round trip', "return cjson.encode(cjson.decode(ARGV[1]))", '{"a":[1,2.5,"x",null,true,{"b":{}}]}'],
    ['cjson unicode and escapes', 'return cjson.encode(cjson.decode(ARGV[1]))', '["\\u00e9\\ud83d\\ude00","\\/\\t\\n"]'],
    ['cjson numbers', 'return cjson.encode({1/3, 1e100, -0.0, 123456789, 2^53})'],
    ['cmsgpack round trip', "local t = cmsgpack.unpack(cmsgpack.pack(cjson.decode(ARGV[1]))) return cjson.encode(t)", '[1,-2,3.5,"s",[4,[5]],{"k":"v"}]'],
    ['cmsgpack bytes', "local s = cmsgpack.pack(1, -1, 300, -300, 70000, 1.5, 'x', {1, 2}) return {s, #s}"],
    ['bit operations', 'return {bit.band(0xff00, 0x0ff0), bit.bor(1, 2), bit.bxor(6, 3), bit.lshift(1, 31), bit.rshift(-1, 1), bit.arshift(-8, 1), bit.tohex(-1), bit.bswap(1), bit.tobit(2^40 + 3)}'],
    ['struct round trip', "local s = struct.pack('>i4 h B d s', -5, 300, 200, 0.25, 'abc') return {s, struct.unpack('>i4 h B d s', s)}"],
    ['struct sizes', "return {struct.size('>i4 h B d'), struct.size('!8 b d'), #struct.pack('i8 c3', 1, 'xyz')}"],
  ];
  for (const [name, body, ...args] of scripts) {
    it(name, async () => {
      const want = await rr.callBuffer('EVAL', body, 0, ...args);
      const got = await rs.callBuffer('EVAL', body, 0, ...args);
      assert.deepEqual(got, want);
    });
  }
});

/**
 * Blocking list commands with several clients: timeouts, first-come-first-served order, serving by pushes from
 * other clients, BLMOVE chains, CLIENT UNBLOCK, disconnects, keys deleted or retyped while clients wait, and
 * pipelined commands queued behind a blocked one.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RawClient, encodeCommand } from '../helpers/resp.js';
import { startStrata, type RunningProcess } from '../helpers/servers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('blocking list commands', () => {
  let server: RunningProcess;
  let r: Redis;
  const extra: RawClient[] = [];

  /** A raw connection closed after each test. */
  async function raw(): Promise<RawClient> {
    const c = await RawClient.connect(server.port);
    extra.push(c);
    return c;
  }

  /** Waits until INFO reports `n` blocked clients. */
  async function blockedClients(n: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const info = await r.info('clients');
      if (info.includes(`blocked_clients:${n}\r`)) return;
      await sleep(5);
    }
    assert.fail(`never saw ${n} blocked clients`);
  }

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
    for (const c of extra.splice(0)) c.close();
    await blockedClients(0);
    await r.flushall();
  });

  it('times out with a null array after a sub-second timeout', async () => {
    const c = await raw();
    const t0 = Date.now();
    assert.equal(await c.cmd('BLPOP', 'q', '0.1'), '*-1\r\n');
    const took = Date.now() - t0;
    assert.ok(took >= 95 && took < 1000, `took ${took} ms`);
    // BLMOVE and BRPOPLPUSH time out with a null array too, as in Redis.
    assert.equal(await c.cmd('BLMOVE', 'q', 'd', 'LEFT', 'RIGHT', '0.05'), '*-1\r\n');
    assert.equal(await c.cmd('BRPOPLPUSH', 'q', 'd', '0.05'), '*-1\r\n');
    assert.equal(await c.cmd('BLMPOP', '0.05', '2', 'q', 'q2', 'LEFT'), '*-1\r\n');
    await c.call('HELLO', '3');
    assert.equal(await c.cmd('BRPOP', 'q', '0.05'), '_\r\n');
  });

  it('serves a push from another client, and three waiters first come first served', async () => {
    const [a, b, c] = [await raw(), await raw(), await raw()];
    const ra = a.call('BLPOP', 'q', '0');
    await blockedClients(1);
    const rb = b.call('BLPOP', 'other', 'q', '0');
    await blockedClients(2);
    const rc = c.call('BRPOP', 'q', '5');
    await blockedClients(3);
    assert.equal(await r.rpush('q', 'x', 'y', 'z'), 3);
    assert.equal((await ra).toString(), '*2\r\n$1\r\nq\r\n$1\r\nx\r\n');
    assert.equal((await rb).toString(), '*2\r\n$1\r\nq\r\n$1\r\ny\r\n');
    assert.equal((await rc).toString(), '*2\r\n$1\r\nq\r\n$1\r\nz\r\n');
    assert.equal(await r.exists('q'), 0);
    await blockedClients(0);
  });

  it('serves only as many waiters as there are elements; the rest keep waiting', async () => {
    const [a, b] = [await raw(), await raw()];
    const ra = a.call('BLPOP', 'q', '0');
    await blockedClients(1);
    const rb = b.call('BLPOP', 'q', '0');
    await blockedClients(2);
    await r.lpush('q', 'one');
    assert.equal((await ra).toString(), '*2\r\n$1\r\nq\r\n$3\r\none\r\n');
    await blockedClients(1);
    await r.lpush('q', 'two');
    assert.equal((await rb).toString(), '*2\r\n$1\r\nq\r\n$3\r\ntwo\r\n');
  });

  it('serves after the whole command: LPUSH then LPOP in one MULTI leaves nothing', async () => {
    const a = await raw();
    const ra = a.call('BLPOP', 'q', '0');
    await blockedClients(1);
    const m = r.multi();
    m.lpush('q', 'x');
    m.lpop('q');
    await m.exec();
    await sleep(50);
    await blockedClients(1);
    await r.rpush('q', 'y');
    assert.equal((await ra).toString(), '*2\r\n$1\r\nq\r\n$1\r\ny\r\n');
  });

  it('is served by a push inside MULTI/EXEC once the transaction completes', async () => {
    const a = await raw();
    const ra = a.call('BRPOP', 'txq', '0');
    await blockedClients(1);
    const m = r.multi();
    m.rpush('txq', 'first', 'second');
    m.llen('txq');
    const res = await m.exec();
    assert.deepEqual(res, [
      [null, 2],
      [null, 2],
    ]);
    assert.equal((await ra).toString(), '*2\r\n$3\r\ntxq\r\n$6\r\nsecond\r\n');
    assert.equal(await r.llen('txq'), 1);
  });

  it('BLMOVE chains complete in one pass', async () => {
    const [a, b] = [await raw(), await raw()];
    const ra = a.call('BLMOVE', 'q1', 'q2', 'LEFT', 'RIGHT', '0');
    await blockedClients(1);
    const rb = b.call('BRPOPLPUSH', 'q2', 'q3', '0');
    await blockedClients(2);
    await r.rpush('q1', 'v');
    assert.equal((await ra).toString(), '$1\r\nv\r\n');
    assert.equal((await rb).toString(), '$1\r\nv\r\n');
    assert.deepEqual(await r.lrange('q3', 0, -1), ['v']);
    assert.equal(await r.exists('q1', 'q2'), 0);
  });

  it('BLMPOP pops a range from the key that got data', async () => {
    const a = await raw();
    const ra = a.call('BLMPOP', '0', '2', 'k1', 'k2', 'RIGHT', 'COUNT', '2');
    await blockedClients(1);
    await r.rpush('k2', 'a', 'b', 'c');
    assert.equal((await ra).toString(), '*2\r\n$2\r\nk2\r\n*2\r\n$1\r\nc\r\n$1\r\nb\r\n');
  });

  it('CLIENT UNBLOCK with TIMEOUT and ERROR', async () => {
    const a = await raw();
    const id = (await a.cmd('CLIENT', 'ID')).slice(1, -2);
    const ra = a.call('BLPOP', 'q', '0');
    await blockedClients(1);
    assert.equal(await r.client('UNBLOCK', id), 1);
    assert.equal((await ra).toString(), '*-1\r\n');
    assert.equal(await r.client('UNBLOCK', id), 0);
    const rb = a.call('BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0');
    await blockedClients(1);
    assert.equal(await r.client('UNBLOCK', id, 'ERROR'), 1);
    assert.equal((await rb).toString(), '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    const rc = a.call('BRPOP', 'q', '0');
    await blockedClients(1);
    assert.equal(await r.client('UNBLOCK', id, 'TIMEOUT'), 1);
    assert.equal((await rc).toString(), '*-1\r\n');
    assert.equal(await a.cmd('PING'), '+PONG\r\n');
  });

  it('forgets a client that disconnects while blocked', async () => {
    const a = await raw();
    void a.call('BLPOP', 'q', '0').catch(() => {});
    await blockedClients(1);
    a.close();
    await blockedClients(0);
    assert.equal(await r.rpush('q', 'x'), 1);
    assert.deepEqual(await r.lrange('q', 0, -1), ['x']);
  });

  it('keeps waiting while the key is deleted or holds another type', async () => {
    const a = await raw();
    const ra = a.call('BLPOP', 'q', '0');
    await blockedClients(1);
    await r.set('q', 'str');
    await assert.rejects(r.lpush('q', 'x'), /WRONGTYPE/);
    await r.del('q');
    await r.sadd('q', 'm');
    await r.del('q');
    await sleep(20);
    await blockedClients(1);
    await r.rpush('q', 'finally');
    assert.equal((await ra).toString(), '*2\r\n$1\r\nq\r\n$7\r\nfinally\r\n');
  });

  it('re-runs the command when served: another key of the wrong type gives WRONGTYPE (Redis 7.2)', async () => {
    const a = await raw();
    const ra = a.call('BLPOP', 'k1', 'k2', '0');
    await blockedClients(1);
    await r.set('k1', 'str');
    await r.rpush('k2', 'v');
    assert.match((await ra).toString(), /^-WRONGTYPE/);
    assert.deepEqual(await r.lrange('k2', 0, -1), ['v']);
  });

  it('a BLMOVE whose destination turned into another type gets WRONGTYPE and leaves the source', async () => {
    const a = await raw();
    const ra = a.call('BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0');
    await blockedClients(1);
    await r.set('dst', 'str');
    await r.rpush('src', 'v');
    assert.match((await ra).toString(), /^-WRONGTYPE/);
    assert.deepEqual(await r.lrange('src', 0, -1), ['v']);
  });

  it('serves keys that arrive by RENAME, MOVE, COPY and SWAPDB', async () => {
    const [a, b, c, d] = [await raw(), await raw(), await raw(), await raw()];
    const ra = a.call('BLPOP', 'renamed', '0');
    const rb = b.call('BLPOP', 'copied', '0');
    await c.call('SELECT', '1');
    const rc = c.call('BLPOP', 'moved', '0');
    await d.call('SELECT', '2');
    const rd = d.call('BLPOP', 'swapped', '0');
    await blockedClients(4);
    await r.rpush('tmp', 'r');
    await r.rename('tmp', 'renamed');
    assert.equal((await ra).toString(), '*2\r\n$7\r\nrenamed\r\n$1\r\nr\r\n');
    await r.rpush('src', 'c');
    await r.copy('src', 'copied');
    assert.equal((await rb).toString(), '*2\r\n$6\r\ncopied\r\n$1\r\nc\r\n');
    await r.rpush('moved', 'm');
    await r.move('moved', 1);
    assert.equal((await rc).toString(), '*2\r\n$5\r\nmoved\r\n$1\r\nm\r\n');
    await r.select(3);
    await r.rpush('swapped', 's');
    await r.select(0);
    await r.swapdb(2, 3);
    assert.equal((await rd).toString(), '*2\r\n$7\r\nswapped\r\n$1\r\ns\r\n');
  });

  it('pipelined commands after a blocking one wait for it', async () => {
    const a = await raw();
    a.writeRaw(Buffer.concat([encodeCommand(['BLPOP', 'q', '0']), encodeCommand(['LLEN', 'q']), encodeCommand(['PING'])]));
    const first = a.read();
    const second = a.read();
    const third = a.read();
    await blockedClients(1);
    await sleep(30);
    assert.equal(a.leftover.length, 0);
    await r.rpush('q', 'a', 'b');
    assert.equal((await first).toString(), '*2\r\n$1\r\nq\r\n$1\r\na\r\n');
    assert.equal((await second).toString(), ':1\r\n');
    assert.equal((await third).toString(), '+PONG\r\n');
  });

  it('shows the b flag, counts blocked clients and keeps the deadline of a timeout', async () => {
    await r.config('RESETSTAT');
    const a = await raw();
    const ra = a.call('BRPOP', 'q', '0.3');
    await blockedClients(1);
    const list = (await r.client('LIST')) as string;
    assert.match(list, /flags=b .*cmd=brpop/);
    assert.equal((await ra).toString(), '*-1\r\n');
    const stats = await r.info('commandstats');
    assert.match(stats, /cmdstat_brpop:calls=1,/);
  });

  it('does not block inside MULTI', async () => {
    const m = r.multi();
    m.blpop('q', 0);
    m.blmove('q', 'd', 'LEFT', 'RIGHT', 0);
    m.call('BLMPOP', '0', '1', 'q', 'LEFT');
    assert.deepEqual(await m.exec(), [
      [null, null],
      [null, null],
      [null, null],
    ]);
  });

  it('rejects bad timeouts with Redis 7.2 errors', async () => {
    await assert.rejects(r.call('BLPOP', 'q', 'x'), /^ReplyError: ERR timeout is not a float or out of range$/);
    await assert.rejects(r.call('BLPOP', 'q', '-1'), /^ReplyError: ERR timeout is negative$/);
    await assert.rejects(r.call('BLPOP', 'q', 'inf'), /^ReplyError: ERR timeout is out of range$/);
    await assert.rejects(r.call('BLPOP', 'q', '-inf'), /^ReplyError: ERR timeout is negative$/);
    await assert.rejects(r.call('BLPOP', 'q', '9223372036854775807'), /^ReplyError: ERR timeout is out of range$/);
    await assert.rejects(r.call('BLMPOP', '9223372036854775', '1', 'q', 'LEFT'), /^ReplyError: ERR timeout is out of range$/);
    // A tiny positive timeout rounds up to 1 ms rather than blocking forever.
    assert.equal(await r.call('BLPOP', 'q', '0.0001'), null);
  });
});

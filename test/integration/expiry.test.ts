/**
 * Expiry: the EXPIRE family, TTL family and PERSIST against a strata-server child process (ioredis), then active
 * expiry on an embedded server, whose keyspace size can be read without touching (and lazily expiring) keys.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp.js';
import { startStrata, type RunningProcess } from '../helpers/servers.js';

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe('expiry commands', () => {
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

  it('EXPIRE / PEXPIRE set relative TTLs; TTL rounds, PTTL is exact', async () => {
    await r.set('e:a', '1');
    assert.equal(await r.expire('e:a', 100), 1);
    assert.equal(await r.ttl('e:a'), 100);
    const pttl = await r.pttl('e:a');
    assert.ok(pttl > 99000 && pttl <= 100000, String(pttl));
    assert.equal(await r.pexpire('e:a', 1500), 1);
    assert.ok([1, 2].includes(await r.ttl('e:a')));
    assert.equal(await r.expire('e:nosuch', 100), 0);
    assert.equal(await r.pexpire('e:nosuch', 100), 0);
  });

  it('EXPIREAT / PEXPIREAT and EXPIRETIME / PEXPIRETIME', async () => {
    await r.set('e:at', '1');
    const at = Math.floor(Date.now() / 1000) + 1000;
    assert.equal(await r.expireat('e:at', at), 1);
    assert.equal(await r.expiretime('e:at'), at);
    assert.equal(await r.pexpiretime('e:at'), at * 1000);
    assert.equal(await r.pexpireat('e:at', at * 1000 + 499), 1);
    assert.equal(await r.expiretime('e:at'), at);
    assert.equal(await r.pexpireat('e:at', at * 1000 + 500), 1);
    assert.equal(await r.expiretime('e:at'), at + 1);
    // Beyond 2^53 the exact int64 is kept.
    assert.equal(await r.pexpireat('e:at', '9223372036854775807'), 1);
    const raw = await RawClient.connect(server.port);
    try {
      assert.equal(await raw.cmd('PEXPIRETIME', 'e:at'), ':9223372036854775807\r\n');
      assert.ok(/^:92233\d{14}\r\n$/.test(await raw.cmd('PTTL', 'e:at')));
    } finally {
      raw.close();
    }
    assert.equal(await r.expiretime('e:at'), 9223372036854776);
    assert.equal(await r.expiretime('e:nosuch'), -2);
    await r.set('e:plain', '1');
    assert.equal(await r.expiretime('e:plain'), -1);
    assert.equal(await r.pexpiretime('e:plain'), -1);
  });

  it('a time in the past deletes the key and replies 1', async () => {
    for (const [cmd, arg] of [
      ['EXPIRE', '-1'],
      ['EXPIRE', '0'],
      ['PEXPIRE', '0'],
      ['EXPIREAT', '1'],
      ['PEXPIREAT', '-9223372036854775808'],
    ] as const) {
      await r.set('e:past', '1');
      assert.equal(await r.call(cmd, 'e:past', arg), 1, cmd);
      assert.equal(await r.exists('e:past'), 0, cmd);
    }
  });

  it('NX, XX, GT and LT', async () => {
    await r.set('e:o', '1');
    assert.equal(await r.expire('e:o', 100, 'XX'), 0);
    assert.equal(await r.expire('e:o', 100, 'GT'), 0);
    assert.equal(await r.expire('e:o', 100, 'LT'), 1);
    assert.equal(await r.expire('e:o', 200, 'NX'), 0);
    assert.equal(await r.expire('e:o', 200, 'LT'), 0);
    assert.equal(await r.expire('e:o', 50, 'LT'), 1);
    assert.equal(await r.ttl('e:o'), 50);
    assert.equal(await r.expire('e:o', 40, 'GT'), 0);
    assert.equal(await r.call('EXPIRE', 'e:o', '60', 'GT', 'XX'), 1);
    assert.equal(await r.ttl('e:o'), 60);
    assert.equal(await r.persist('e:o'), 1);
    assert.equal(await r.expire('e:o', 10, 'NX'), 1);
    assert.equal(await r.ttl('e:o'), 10);
  });

  it('option and value errors', async () => {
    await r.set('e:err', '1');
    const err = (p: Promise<unknown>, text: string) => assert.rejects(p, (e: Error) => e.message === text);
    await err(r.call('EXPIRE', 'e:err', '10', 'FOO'), 'ERR Unsupported option FOO');
    await err(r.call('EXPIRE', 'e:err', '10', 'NX', 'XX'), 'ERR NX and XX, GT or LT options at the same time are not compatible');
    await err(r.call('EXPIRE', 'e:err', '10', 'NX', 'GT'), 'ERR NX and XX, GT or LT options at the same time are not compatible');
    await err(r.call('EXPIRE', 'e:err', '10', 'GT', 'LT'), 'ERR GT and LT options at the same time are not compatible');
    await err(r.call('EXPIRE', 'e:err', 'ten'), 'ERR value is not an integer or out of range');
    await err(r.call('EXPIRE', 'e:err', '1.5'), 'ERR value is not an integer or out of range');
    await err(r.call('EXPIRE', 'e:err', '9223372036854775807'), "ERR invalid expire time in 'expire' command");
    await err(r.call('PEXPIRE', 'e:err', '9223372036854775807'), "ERR invalid expire time in 'pexpire' command");
    await err(r.call('EXPIREAT', 'e:err', '-9223372036854776'), "ERR invalid expire time in 'expireat' command");
    await err(r.call('EXPIRE', 'e:err'), "ERR wrong number of arguments for 'expire' command");
    // Options are matched like C strings: a NUL ends the keyword.
    assert.equal(await r.call('EXPIRE', 'e:err', '100', Buffer.from('nx\x00junk', 'latin1')), 1);
    assert.equal(await r.ttl('e:err'), 100);
  });

  it('TTL family on missing and persistent keys; PERSIST', async () => {
    assert.equal(await r.ttl('e:missing'), -2);
    assert.equal(await r.pttl('e:missing'), -2);
    await r.set('e:p', '1');
    assert.equal(await r.ttl('e:p'), -1);
    assert.equal(await r.pttl('e:p'), -1);
    assert.equal(await r.persist('e:p'), 0);
    assert.equal(await r.persist('e:missing'), 0);
    await r.expire('e:p', 100);
    assert.equal(await r.persist('e:p'), 1);
    assert.equal(await r.ttl('e:p'), -1);
  });

  it('expired keys are gone for EXISTS, TYPE, TTL, GET and friends', async () => {
    await r.set('e:lazy', '1', 'PX', 20);
    await r.set('e:lazy2', '1', 'PX', 20);
    await sleep(40);
    assert.equal(await r.exists('e:lazy', 'e:lazy2'), 0);
    assert.equal(await r.type('e:lazy'), 'none');
    assert.equal(await r.ttl('e:lazy'), -2);
    assert.equal(await r.pttl('e:lazy2'), -2);
    assert.equal(await r.get('e:lazy'), null);
    assert.equal(await r.persist('e:lazy'), 0);
    assert.equal(await r.expire('e:lazy', 100), 0);
    await assert.rejects(r.rename('e:lazy', 'x'), /ERR no such key/);
    assert.equal(await r.copy('e:lazy', 'x'), 0);
  });

  it('the server process expires idle keys by itself (DBSIZE does not touch keys)', async () => {
    await r.select(7);
    try {
      const p = r.pipeline();
      for (let i = 0; i < 200; i++) p.set(`idle:${i}`, '1', 'PX', 50);
      await p.exec();
      assert.equal(await r.dbsize(), 200);
      await sleep(50);
      const t0 = Date.now();
      while ((await r.dbsize()) > 0 && Date.now() - t0 < 2000) await sleep(10);
      assert.equal(await r.dbsize(), 0);
      assert.ok(Date.now() - t0 <= 400, `took ${Date.now() - t0} ms after expiry`);
    } finally {
      await r.select(0);
    }
  });
});

describe('active expiry (embedded server, hz 10)', () => {
  let srv: RunningServer;
  let r: Redis;

  before(async () => {
    srv = await startServer({ port: 0 });
    r = new Redis({ port: srv.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
    await r.connect();
  });
  after(async () => {
    r?.disconnect();
    await srv?.close();
  });

  /** Waits until database `id` is empty without touching any key; returns ms waited. */
  async function waitEmpty(id: number, limitMs: number): Promise<number> {
    const db = srv.server.ks.dbs[id]!;
    const t0 = Date.now();
    while (db.size > 0 && Date.now() - t0 < limitMs) await sleep(5);
    return Date.now() - t0;
  }

  it('an idle server removes expired keys within a couple of cron ticks', async () => {
    await r.select(1);
    const p = r.pipeline();
    for (let i = 0; i < 100; i++) p.set(`idle:${i}`, '1', 'PX', 50);
    await p.exec();
    const db = srv.server.ks.dbs[1]!;
    assert.equal(db.size, 100);
    await sleep(50);
    const waited = await waitEmpty(1, 2000);
    assert.equal(db.size, 0);
    // Cron runs every 100 ms: keys go within about one tick of expiring (slack for a busy machine).
    assert.ok(waited <= 300, `took ${waited} ms after expiry`);
  });

  it('10,000 keys with short TTLs all disappear; persistent keys stay', async () => {
    await r.select(2);
    const t0 = Date.now();
    for (let i = 0; i < 10000; i += 1000) {
      const p = r.pipeline();
      for (let j = i; j < i + 1000; j++) p.set(`many:${j}`, '1', 'PX', 500 + (j % 50));
      await p.exec();
    }
    await r.set('many:keep', '1');
    await r.set('many:later', '1', 'EX', 100);
    const db = srv.server.ks.dbs[2]!;
    if (Date.now() - t0 < 450) assert.equal(db.size, 10002);
    await sleep(Math.max(0, t0 + 550 - Date.now()));
    const t1 = Date.now();
    while (db.size > 2 && Date.now() - t1 < 3000) await sleep(10);
    assert.equal(db.size, 2);
    assert.deepEqual((await r.keys('many:*')).sort(), ['many:keep', 'many:later']);
    assert.equal(db.volatile.size, 1);
  });
});

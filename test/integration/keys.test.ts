/**
 * Generic key commands against a real strata-server, driven with ioredis: DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN,
 * RANDOMKEY, RENAME, RENAMENX, MOVE, COPY, TOUCH. Multi-key results are compared sorted (order is unspecified).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startStrata, type RunningProcess } from '../helpers/servers.js';

const b = (s: string) => Buffer.from(s, 'latin1');
const sorted = (a: (string | Buffer)[]) => a.map((x) => (typeof x === 'string' ? x : x.toString('latin1'))).sort();

/** A complete SCAN with the given options, as the list of every key returned (duplicates kept). */
async function fullScan(r: Redis, ...opts: (string | number)[]): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = (await r.callBuffer('SCAN', cursor, ...opts)) as [Buffer, Buffer[]];
    cursor = next.toString();
    for (const k of keys) out.push(k.toString('latin1'));
  } while (cursor !== '0');
  return out;
}

describe('generic key commands', () => {
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

  it('DEL and UNLINK count removed keys once each', async () => {
    await r.mset('del:a', '1', 'del:b', '2', 'del:c', '3');
    assert.equal(await r.del('del:a', 'del:a', 'del:nosuch'), 1);
    assert.equal(await r.unlink('del:b', 'del:c', 'del:b'), 2);
    assert.equal(await r.exists('del:a', 'del:b', 'del:c'), 0);
    await assert.rejects(r.call('DEL'), /wrong number of arguments for 'del' command/);
  });

  it('EXISTS counts repeated keys, TYPE names the type', async () => {
    await r.set('ex:a', '1');
    assert.equal(await r.exists('ex:a', 'ex:a', 'ex:nosuch', 'ex:a'), 3);
    assert.equal(await r.type('ex:a'), 'string');
    assert.equal(await r.type('ex:nosuch'), 'none');
  });

  it('TOUCH counts existing keys', async () => {
    await r.set('touch:a', '1');
    assert.equal(await r.touch('touch:a', 'touch:nosuch', 'touch:a'), 2);
  });

  it('KEYS matches globs, binary names included', async () => {
    await r.mset('kg:hello', '1', 'kg:hallo', '2', 'kg:hxllo', '3', 'kg:heeeello', '4', 'kg:h[a]llo', '5');
    await r.set(b('kg:\x00\xff'), 'bin');
    assert.deepEqual(sorted(await r.keys('kg:h?llo')), ['kg:hallo', 'kg:hello', 'kg:hxllo']);
    assert.deepEqual(sorted(await r.keys('kg:h*llo')), ['kg:h[a]llo', 'kg:hallo', 'kg:heeeello', 'kg:hello', 'kg:hxllo']);
    assert.deepEqual(sorted(await r.keys('kg:h[ae]llo')), ['kg:hallo', 'kg:hello']);
    assert.deepEqual(sorted(await r.keys('kg:h[^e]llo')), ['kg:hallo', 'kg:hxllo']);
    assert.deepEqual(sorted(await r.keys('kg:h[a-e]llo')), ['kg:hallo', 'kg:hello']);
    assert.deepEqual(sorted(await r.keys('kg:h\\[a]llo')), ['kg:h[a]llo']);
    assert.deepEqual(sorted((await r.callBuffer('KEYS', b('kg:\x00?'))) as Buffer[]), ['kg:\x00\xff']);
    assert.deepEqual(await r.keys('kg:nothing*'), []);
  });

  it('KEYS does not return expired keys', async () => {
    await r.set('kexp:gone', '1', 'PX', 1);
    await r.set('kexp:kept', '1');
    await new Promise((res) => setTimeout(res, 10));
    assert.deepEqual(await r.keys('kexp:*'), ['kexp:kept']);
  });

  it('SCAN walks every key once, with MATCH, COUNT and TYPE', async () => {
    await r.select(2);
    try {
      const keys: string[] = [];
      for (let i = 0; i < 500; i++) keys.push(`scan:${i}`);
      await r.mset(...keys.flatMap((k) => [k, 'v']));
      assert.deepEqual(sorted(await fullScan(r)), sorted(keys));
      assert.deepEqual(sorted(await fullScan(r, 'COUNT', 7)), sorted(keys));
      assert.deepEqual(sorted(await fullScan(r, 'MATCH', 'scan:1?', 'COUNT', 3)), sorted(keys.filter((k) => /^scan:1\d$/.test(k))));
      assert.deepEqual(sorted(await fullScan(r, 'TYPE', 'string', 'COUNT', 50)), sorted(keys));
      assert.deepEqual(await fullScan(r, 'TYPE', 'hash'), []);
      const [cursor, page] = (await r.scan('0', 'COUNT', 10)) as [string, string[]];
      assert.notEqual(cursor, '0');
      assert.ok(page.length >= 1 && page.length <= 10);
      assert.equal(await r.del(...keys), 500);
    } finally {
      await r.select(0);
    }
  });

  it('SCAN rejects bad cursors and options', async () => {
    await assert.rejects(r.scan('abc'), /^ReplyError: ERR invalid cursor$/);
    await assert.rejects(r.scan(' 1'), /ERR invalid cursor/);
    await assert.rejects(r.scan('18446744073709551616'), /ERR invalid cursor/);
    await assert.rejects(r.scan('0', 'COUNT', 0), /ERR syntax error/);
    await assert.rejects(r.scan('0', 'COUNT', 'x'), /ERR value is not an integer or out of range/);
    await assert.rejects(r.call('SCAN', '0', 'MATCH'), /ERR syntax error/);
    assert.deepEqual(await r.scan('18446744073709551615', 'MATCH', 'none'), ['0', []]);
  });

  it('SCAN returns every key that lives through the scan while others come and go', async () => {
    await r.select(3);
    try {
      const stable: string[] = [];
      for (let i = 0; i < 10000; i++) stable.push(`stable:${i}`);
      for (let i = 0; i < stable.length; i += 1000) await r.mset(...stable.slice(i, i + 1000).flatMap((k) => [k, '1']));
      const seen = new Set<string>();
      let cursor = '0';
      let churn = 0;
      let calls = 0;
      do {
        const [next, keys] = (await r.scan(cursor, 'COUNT', 10)) as [string, string[]];
        cursor = next;
        calls++;
        for (const k of keys) seen.add(k);
        // Between calls: add new keys and delete some added earlier, reusing freed cursor space.
        const p = r.pipeline();
        p.set(`churn:${churn}`, '1');
        p.set(`churn:${churn + 1}`, '1');
        if (churn >= 4) p.del(`churn:${churn - 4}`);
        churn += 2;
        await p.exec();
      } while (cursor !== '0');
      const missing = stable.filter((k) => !seen.has(k));
      assert.deepEqual(missing.slice(0, 10), []);
      assert.ok(calls >= 1000, `only ${calls} SCAN calls`);
    } finally {
      await r.flushdb().catch(async () => {
        // FLUSHDB may not exist yet in this tree: fall back to deleting by pattern.
        for (const p of ['stable:*', 'churn:*']) {
          const ks = await r.keys(p);
          for (let i = 0; i < ks.length; i += 1000) await r.del(...ks.slice(i, i + 1000));
        }
      });
      await r.select(0);
    }
  });

  it('RANDOMKEY returns nil on an empty database and a live key otherwise', async () => {
    await r.select(4);
    try {
      assert.equal(await r.randomkey(), null);
      await r.set('rk:only', '1');
      assert.equal(await r.randomkey(), 'rk:only');
      await r.mset('rk:a', '1', 'rk:b', '2');
      const picks = new Set<string>();
      for (let i = 0; i < 60; i++) picks.add((await r.randomkey())!);
      assert.deepEqual([...picks].sort(), ['rk:a', 'rk:b', 'rk:only']);
      await r.del('rk:only', 'rk:a', 'rk:b');
    } finally {
      await r.select(0);
    }
  });

  it('RENAME moves value and TTL, RENAMENX refuses taken names', async () => {
    await r.set('rn:a', 'va', 'EX', 100);
    await r.set('rn:b', 'vb');
    assert.equal(await r.rename('rn:a', 'rn:b'), 'OK');
    assert.equal(await r.get('rn:b'), 'va');
    assert.equal(await r.ttl('rn:b'), 100);
    assert.equal(await r.exists('rn:a'), 0);
    await assert.rejects(r.rename('rn:a', 'rn:c'), /^ReplyError: ERR no such key$/);
    await assert.rejects(r.renamenx('rn:a', 'rn:a'), /ERR no such key/);
    assert.equal(await r.rename('rn:b', 'rn:b'), 'OK');
    await r.set('rn:c', 'vc');
    assert.equal(await r.renamenx('rn:b', 'rn:c'), 0);
    assert.equal(await r.renamenx('rn:b', 'rn:d'), 1);
    assert.equal(await r.get('rn:d'), 'va');
    assert.equal(await r.ttl('rn:d'), 100);
    assert.equal(await r.renamenx('rn:d', 'rn:d'), 0);
  });

  it('MOVE transfers a key with its TTL to another database', async () => {
    await r.set('mv:a', '1', 'EX', 100);
    await assert.rejects(r.move('mv:a', 0), /^ReplyError: ERR source and destination objects are the same$/);
    await assert.rejects(r.move('mv:a', 16), /^ReplyError: ERR DB index is out of range$/);
    await assert.rejects(r.move('mv:a', 'x'), /ERR value is not an integer or out of range/);
    await assert.rejects(r.move('mv:a', '4294967296'), /ERR value is out of range, value must between -2147483648 and 2147483647/);
    assert.equal(await r.move('mv:nosuch', 5), 0);
    assert.equal(await r.move('mv:a', 5), 1);
    assert.equal(await r.exists('mv:a'), 0);
    await r.select(5);
    try {
      assert.equal(await r.get('mv:a'), '1');
      assert.equal(await r.ttl('mv:a'), 100);
      // A key already present in the target database blocks the move.
      await r.select(0);
      await r.set('mv:a', 'other');
      assert.equal(await r.move('mv:a', 5), 0);
      assert.equal(await r.get('mv:a'), 'other');
      await r.del('mv:a');
      await r.select(5);
      await r.del('mv:a');
    } finally {
      await r.select(0);
    }
  });

  it('COPY duplicates value and TTL, with DB and REPLACE', async () => {
    await r.set('cp:a', '1', 'EX', 100);
    assert.equal(await r.copy('cp:a', 'cp:b'), 1);
    assert.equal(await r.get('cp:b'), '1');
    assert.equal(await r.ttl('cp:b'), 100);
    await r.set('cp:a', '2');
    assert.equal(await r.copy('cp:a', 'cp:b'), 0);
    assert.equal(await r.copy('cp:a', 'cp:b', 'REPLACE'), 1);
    assert.equal(await r.get('cp:b'), '2');
    assert.equal(await r.ttl('cp:b'), -1);
    assert.equal(await r.copy('cp:nosuch', 'cp:x'), 0);
    await assert.rejects(r.copy('cp:a', 'cp:a'), /ERR source and destination objects are the same/);
    await assert.rejects(r.copy('cp:a', 'cp:b', 'DB', 16), /ERR DB index is out of range/);
    await assert.rejects(r.call('COPY', 'cp:a', 'cp:b', 'FOO'), /ERR syntax error/);
    assert.equal(await r.copy('cp:a', 'cp:a', 'DB', 6), 1);
    await r.select(6);
    try {
      assert.equal(await r.get('cp:a'), '2');
      await r.del('cp:a');
    } finally {
      await r.select(0);
    }
  });

  it('COPY of a value edited in place gives an independent copy', async () => {
    await r.set('cpm:a', 'abc');
    await r.call('APPEND', 'cpm:a', 'def').catch(() => null);
    await r.call('SETRANGE', 'cpm:a', '0', 'X').catch(() => null);
    const before = await r.get('cpm:a');
    assert.equal(await r.copy('cpm:a', 'cpm:b'), 1);
    await r.call('SETRANGE', 'cpm:b', '1', 'YY').catch(() => r.set('cpm:b', 'changed'));
    assert.equal(await r.get('cpm:a'), before);
    assert.notEqual(await r.get('cpm:b'), before);
  });
});

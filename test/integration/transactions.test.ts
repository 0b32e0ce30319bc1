/**
 * MULTI/EXEC/WATCH across clients: another client's write, expiry and FLUSHALL abort a watched transaction;
 * ioredis's multi() and pipelines work; the queue is per connection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RawClient } from '../helpers/resp.js';
import { startStrata, type RunningProcess } from '../helpers/servers.js';

describe('transactions', () => {
  let server: RunningProcess;
  let a: RawClient;
  let b: RawClient;

  before(async () => {
    server = await startStrata();
    [a, b] = await Promise.all([RawClient.connect(server.port), RawClient.connect(server.port)]);
  });
  after(async () => {
    a?.close();
    b?.close();
    await server?.stop();
  });

  it('aborts EXEC when another client changes a watched key', async () => {
    await a.cmd('SET', 'balance', '100');
    assert.equal(await a.cmd('WATCH', 'balance'), '+OK\r\n');
    assert.equal(await b.cmd('INCRBY', 'balance', '5'), ':105\r\n');
    assert.equal(await a.cmd('MULTI'), '+OK\r\n');
    assert.equal(await a.cmd('DECRBY', 'balance', '10'), '+QUEUED\r\n');
    assert.equal(await a.cmd('EXEC'), '*-1\r\n');
    assert.equal(await a.cmd('GET', 'balance'), '$3\r\n105\r\n');
  });

  it('runs EXEC when watched keys are untouched, and other clients see no partial state', async () => {
    await a.cmd('SET', 'x', '1');
    await a.cmd('WATCH', 'x');
    await b.cmd('SET', 'unrelated', '1');
    await a.cmd('MULTI');
    await a.cmd('INCR', 'x');
    await a.cmd('INCR', 'x');
    assert.equal(await b.cmd('GET', 'x'), '$1\r\n1\r\n', 'queued commands have not run');
    assert.equal(await a.cmd('EXEC'), '*2\r\n:2\r\n:3\r\n');
  });

  it('aborts when a watched key is flushed by another client, or expires', async () => {
    await a.cmd('SET', 'f', '1');
    await a.cmd('WATCH', 'f');
    await b.cmd('FLUSHALL');
    await a.cmd('MULTI');
    await a.cmd('PING');
    assert.equal(await a.cmd('EXEC'), '*-1\r\n');

    await a.cmd('SET', 'ttl', '1', 'PX', '40');
    await a.cmd('WATCH', 'ttl');
    await new Promise((r) => setTimeout(r, 80));
    await a.cmd('MULTI');
    await a.cmd('PING');
    assert.equal(await a.cmd('EXEC'), '*-1\r\n');
  });

  it('shows the transaction in CLIENT LIST and forgets it on DISCARD and RESET', async () => {
    await a.cmd('CLIENT', 'SETNAME', 'txa');
    await a.cmd('MULTI');
    await a.cmd('SET', 'q', '1');
    const list = await b.cmd('CLIENT', 'LIST');
    const line = list.split('\n').find((l) => l.includes('name=txa'))!;
    assert.match(line, / flags=x /);
    assert.match(line, / multi=1 /);
    assert.equal(await a.cmd('DISCARD'), '+OK\r\n');
    await a.cmd('MULTI');
    assert.equal(await a.cmd('RESET'), '+RESET\r\n');
    assert.equal(await a.cmd('EXEC'), '-ERR EXEC without MULTI\r\n');
  });

  it('works with ioredis multi() and watch()', async () => {
    const r = new Redis({ port: server.port, host: '127.0.0.1' });
    try {
      const res = await r.multi().set('io', 'v').get('io').incr('ioc').exec();
      assert.deepEqual(res, [
        [null, 'OK'],
        [null, 'v'],
        [null, 1],
      ]);
      await r.watch('io');
      await b.cmd('SET', 'io', 'changed');
      const aborted = await r.multi().set('io', 'mine').exec();
      assert.equal(aborted, null);
      assert.equal(await r.get('io'), 'changed');
      await assert.rejects(r.multi().call('SET', 'a').exec(), /EXECABORT/);
    } finally {
      r.disconnect();
    }
  });
});

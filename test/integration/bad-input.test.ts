/**
 * Hostile and broken input: protocol errors get Redis's exact reply and close only that connection, random bytes
 * and truncated frames never crash or stall the server, and a well-behaved client keeps getting correct replies.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RawClient } from '../helpers/resp.js';
import { hasRedis, startRedis, startStrata, type RunningProcess } from '../helpers/servers.js';

/** Sends raw bytes, returns everything the server wrote until it closed the connection (or `waitMs` passed). */
function exchange(port: number, data: Buffer | string, waitMs = 300): Promise<{ reply: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    let reply = '';
    let closed = false;
    s.on('data', (d) => (reply += d.toString('latin1')));
    s.on('close', () => {
      closed = true;
      clearTimeout(t);
      resolve({ reply, closed });
    });
    s.on('error', () => {});
    s.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    const t = setTimeout(() => {
      s.destroy();
      resolve({ reply, closed });
    }, waitMs);
  });
}

const PROTOCOL_CASES: string[] = [
  '*abc\r\n',
  '*1\r\n+foo\r\n',
  '*1\r\n$-5\r\n',
  '*1\r\n$abc\r\n',
  '*2\r\n$4\r\nPING\r\n$999999999999\r\n',
  '*1\r\n$536870913\r\n',
  'SET "unbalanced\r\n',
  "SET 'x'y\r\n",
  'PING\r\n*1\r\n:1\r\n',
  'SET k v\r\nGET k\r\n*x\r\n',
  '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*1\r\n$3\r\nGET\r\n*-\r\n',
];

describe('bad input', () => {
  let strata: RunningProcess;
  let redis: RunningProcess | undefined;

  before(async () => {
    strata = await startStrata();
    if (hasRedis()) redis = await startRedis();
  });
  after(async () => {
    await Promise.all([strata?.stop(), redis?.stop()]);
  });

  it('answers protocol errors exactly like redis-server and closes the connection', { skip: hasRedis() ? false : 'redis-server not installed' }, async () => {
    for (const input of PROTOCOL_CASES) {
      const [a, b] = await Promise.all([exchange(redis!.port, input), exchange(strata.port, input)]);
      assert.equal(b.reply, a.reply, `reply to ${JSON.stringify(input)}`);
      assert.equal(b.closed, a.closed, `closed after ${JSON.stringify(input)}`);
    }
  });

  it('rejects a too-long inline request and an unterminated count line', async () => {
    const inline = await exchange(strata.port, 'x'.repeat(70 * 1024), 1000);
    assert.equal(inline.reply, '-ERR Protocol error: too big inline request\r\n');
    assert.ok(inline.closed);
    const count = await exchange(strata.port, '*' + '9'.repeat(70 * 1024), 1000);
    assert.equal(count.reply, '-ERR Protocol error: too big mbulk count string\r\n');
  });

  it('keeps serving a good client while others send garbage, truncated frames and huge lengths', async () => {
    const good = await RawClient.connect(strata.port);
    let stop = false;
    let goodReplies = 0;
    const goodLoop = (async () => {
      let i = 0;
      while (!stop) {
        const v = `value-${i}\x00\xff`;
        assert.equal(await good.cmd('SET', `good:${i}`, v), '+OK\r\n');
        assert.equal(await good.cmd('GET', `good:${i}`), `$${v.length}\r\n${v}\r\n`);
        goodReplies += 2;
        i++;
      }
    })();
    const attackers: Promise<unknown>[] = [];
    for (let round = 0; round < 40; round++) {
      const kind = round % 4;
      let payload: Buffer;
      if (kind === 0) payload = randomBytes(512 + Math.floor(Math.random() * 4096));
      else if (kind === 1) payload = Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nshort'); // truncated, then hang up
      else if (kind === 2) payload = Buffer.from('*1\r\n$2147483647\r\n');
      else payload = Buffer.from('*2147483647\r\n$4\r\nPING\r\n');
      attackers.push(exchange(strata.port, payload, 50));
    }
    await Promise.all(attackers);
    stop = true;
    await goodLoop;
    assert.ok(goodReplies > 0);
    assert.equal(await good.cmd('PING'), '+PONG\r\n');
    good.close();
  });

  it('survives 200 connections of random bytes and still answers', async () => {
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 20 }, () => exchange(strata.port, randomBytes(Math.floor(Math.random() * 2000)), 30)));
    }
    const c = await RawClient.connect(strata.port);
    assert.equal(await c.cmd('PING'), '+PONG\r\n');
    c.close();
    assert.equal(strata.proc.exitCode, null, 'server still running');
  });
});

/**
 * Pub/Sub: byte-for-byte comparison with redis-server of multi-connection scenarios (a command can produce several
 * replies, so every connection's whole byte stream is compared), 1,000 subscribers with patterns, per-publisher
 * ordering, RESP3 pushes interleaved with normal replies, and the slow-subscriber output limit.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { encodeCommand } from '../helpers/resp.js';
import { splitArgs } from '../../src/protocol/reader.js';
import { hasRedis, startRedis, startStrata, type RunningProcess } from '../helpers/servers.js';

/** A connection that records every byte the server sends. */
class Tap {
  data = '';
  closed = false;
  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => (this.data += d.toString('latin1')));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }
  static open(port: number): Promise<Tap> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(new Tap(s)));
      s.once('error', reject);
    });
  }
  send(line: string): void {
    this.socket.write(encodeCommand(splitArgs(line)!));
  }
}

/** HELLO's version and client id differ between servers by nature; blank them out. */
function normalizeHello(s: string): string {
  return s.replace(/\$7\r\nversion\r\n\$\d+\r\n[\d.]+\r\n/g, 'VERSION').replace(/\$2\r\nid\r\n:\d+\r\n/g, 'ID');
}

const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));

/** Runs `[connection, command]` steps on `n` connections and returns what each received. */
async function scenario(port: number, n: number, steps: [number, string][]): Promise<string[]> {
  const taps = await Promise.all(Array.from({ length: n }, () => Tap.open(port)));
  for (const [i, line] of steps) {
    taps[i]!.send(line);
    await settle();
  }
  await settle(50);
  for (const t of taps) t.socket.destroy();
  return taps.map((t) => t.data);
}

const SCENARIOS: [string, number, [number, string][]][] = [
  [
    'subscribe, publish, patterns, unsubscribe',
    2,
    [
      [0, 'SUBSCRIBE news sport'],
      [0, 'PSUBSCRIBE n* *t'],
      [1, 'PUBLISH news hello'],
      [1, 'PUBLISH sport "goal\\x00\\xff"'],
      [1, 'PUBLISH other x'],
      [1, 'PUBSUB NUMSUB news sport other'],
      [1, 'PUBSUB NUMPAT'],
      [1, 'PUBSUB CHANNELS s*'],
      [1, 'PUBSUB CHANNELS n*'],
      [0, 'GET k'],
      [0, 'PING'],
      [0, 'PING msg'],
      [0, 'UNSUBSCRIBE news'],
      [0, 'PUNSUBSCRIBE'],
      [0, 'UNSUBSCRIBE'],
      [0, 'UNSUBSCRIBE'],
      [0, 'PUNSUBSCRIBE'],
      [0, 'PING'],
      [0, 'GET k'],
    ],
  ],
  [
    'shard channels',
    2,
    [
      [0, 'SSUBSCRIBE s1 s2'],
      [1, 'SPUBLISH s1 m1'],
      [1, 'PUBLISH s1 m2'],
      [1, 'PUBSUB SHARDCHANNELS *1'],
      [1, 'PUBSUB SHARDNUMSUB s1 s3'],
      [0, 'SUNSUBSCRIBE s1'],
      [0, 'SUNSUBSCRIBE'],
      [0, 'SUNSUBSCRIBE'],
      [1, 'PUBSUB FOO'],
      [1, 'PUBSUB'],
      [1, 'PUBLISH a'],
      [1, 'SUBSCRIBE'],
    ],
  ],
  [
    'RESP3 subscriber runs normal commands',
    2,
    [
      [0, 'HELLO 3'],
      [0, 'SUBSCRIBE c'],
      [0, 'SET k v'],
      [1, 'PUBLISH c one'],
      [0, 'GET k'],
      [0, 'PING'],
      [1, 'PUBLISH c two'],
      [0, 'PSUBSCRIBE *'],
      [1, 'PUBLISH c three'],
      [0, 'RESET'],
      [1, 'PUBLISH c four'],
      [0, 'PING'],
    ],
  ],
  [
    'MULTI with PUBLISH and subscriber QUIT',
    3,
    [
      [0, 'SUBSCRIBE q'],
      [1, 'MULTI'],
      [1, 'PUBLISH q a'],
      [1, 'PUBLISH q b'],
      [1, 'EXEC'],
      [2, 'SUBSCRIBE q'],
      [1, 'PUBLISH q c'],
      [2, 'QUIT'],
      [1, 'PUBSUB NUMSUB q'],
    ],
  ],
  [
    'keyspace notifications for string and generic commands',
    2,
    [
      [1, 'CONFIG SET notify-keyspace-events KEA'],
      [0, 'PSUBSCRIBE __key*__:*'],
      [1, 'SET a 1'],
      [1, 'SET a 2 EX 100'],
      [1, 'SET a 3 NX'],
      [1, 'INCR n'],
      [1, 'INCRBY n 2'],
      [1, 'DECR n'],
      [1, 'DECRBY n 2'],
      [1, 'INCRBYFLOAT f 1.5'],
      [1, 'APPEND a x'],
      [1, 'SETRANGE a 1 y'],
      [1, 'SETBIT b 1 1'],
      [1, 'BITFIELD b SET u8 0 255'],
      [1, 'BITOP AND dest b b'],
      [1, 'BITOP AND dest nosuch'],
      [1, 'EXPIRE a 100'],
      [1, 'PERSIST a'],
      [1, 'EXPIRE a 0'],
      [1, 'SET a v'],
      [1, 'RENAME a c'],
      [1, 'COPY c d'],
      [1, 'MOVE d 1'],
      [1, 'MSET m1 1 m2 2'],
      [1, 'MSETNX m3 1 m4 2'],
      [1, 'GETSET m1 x'],
      [1, 'GETDEL m2'],
      [1, 'SETEX s 100 v'],
      [1, 'PSETEX s 100000 v'],
      [1, 'GETEX s PERSIST'],
      [1, 'GETEX s EX 100'],
      [1, 'SETNX s2 v'],
      [1, 'DEL c n f b nosuch'],
      [1, 'UNLINK s'],
      [1, 'SET e 1 PX 5'],
      [1, 'GET e'],
      [1, 'CONFIG SET notify-keyspace-events Kn$'],
      [1, 'SET brandnew 1'],
      [1, 'SET brandnew 2'],
      [1, 'CONFIG SET notify-keyspace-events ""'],
      [1, 'SET quiet 1'],
    ],
  ],
];

describe('pub/sub', () => {
  let strata: RunningProcess;
  let redis: RunningProcess | undefined;

  before(async () => {
    strata = await startStrata(['--client-output-buffer-limit', 'pubsub', '1mb', '256kb', '60']);
    if (hasRedis()) redis = await startRedis();
  });
  after(async () => {
    await Promise.all([strata?.stop(), redis?.stop()]);
  });

  for (const [name, n, steps] of SCENARIOS) {
    it(`matches redis-server: ${name}`, { skip: hasRedis() ? false : 'redis-server not installed' }, async () => {
      const [a, b] = await Promise.all([scenario(redis!.port, n, steps), scenario(strata.port, n, steps)]);
      for (let i = 0; i < n; i++) {
        assert.equal(JSON.stringify(normalizeHello(b[i]!)), JSON.stringify(normalizeHello(a[i]!)), `connection ${i}`);
      }
    });
  }

  it('delivers to 1,000 subscribers and pattern subscribers, in publish order', async () => {
    const subs: Redis[] = [];
    const got: string[][] = [];
    for (let i = 0; i < 1000; i++) {
      const r = new Redis({ port: strata.port, host: '127.0.0.1', lazyConnect: true, enableReadyCheck: false });
      await r.connect();
      const mine: string[] = [];
      got.push(mine);
      if (i % 2 === 0) {
        await r.subscribe('fanout');
        r.on('message', (_ch, msg) => mine.push(msg));
      } else {
        await r.psubscribe('fan*');
        r.on('pmessage', (_p, _ch, msg) => mine.push(msg));
      }
      subs.push(r);
    }
    const pub = new Redis({ port: strata.port, host: '127.0.0.1' });
    try {
      assert.deepEqual(await pub.pubsub('NUMSUB', 'fanout'), ['fanout', 500]);
      assert.equal(await pub.pubsub('NUMPAT'), 1);
      for (let m = 0; m < 20; m++) assert.equal(await pub.publish('fanout', `m${m}`), 1000);
      const deadline = Date.now() + 10000;
      while (got.some((g) => g.length < 20) && Date.now() < deadline) await settle(20);
      const expected = Array.from({ length: 20 }, (_, m) => `m${m}`);
      for (const g of got) assert.deepEqual(g, expected);
    } finally {
      pub.disconnect();
      for (const r of subs) r.disconnect();
    }
  });

  it('keeps per-publisher order with several publishers', async () => {
    const sub = new Redis({ port: strata.port, host: '127.0.0.1' });
    const pubs = [0, 1, 2].map(() => new Redis({ port: strata.port, host: '127.0.0.1' }));
    const got: string[] = [];
    try {
      await sub.subscribe('ord');
      sub.on('message', (_c, m) => got.push(m));
      await Promise.all(pubs.map(async (p, i) => {
        for (let k = 0; k < 300; k++) await p.publish('ord', `${i}:${k}`);
      }));
      const deadline = Date.now() + 5000;
      while (got.length < 900 && Date.now() < deadline) await settle(20);
      assert.equal(got.length, 900);
      for (let i = 0; i < 3; i++) {
        const seq = got.filter((m) => m.startsWith(`${i}:`)).map((m) => Number(m.split(':')[1]));
        assert.deepEqual(seq, Array.from({ length: 300 }, (_, k) => k));
      }
    } finally {
      sub.disconnect();
      for (const p of pubs) p.disconnect();
    }
  });

  it('disconnects a subscriber that does not read once it passes the pubsub output limit', async () => {
    const slow = await Tap.open(strata.port);
    slow.socket.pause(); // never reads: the kernel buffers fill, then the server's queue grows
    slow.send('SUBSCRIBE firehose');
    await settle(50);
    const pub = new Redis({ port: strata.port, host: '127.0.0.1' });
    const healthy = new Redis({ port: strata.port, host: '127.0.0.1' });
    try {
      const payload = 'x'.repeat(64 * 1024);
      let receivers = 1;
      for (let i = 0; i < 400 && receivers > 0; i++) receivers = await pub.publish('firehose', payload);
      assert.equal(receivers, 0, 'the slow subscriber was dropped');
      assert.equal(await healthy.ping(), 'PONG');
      const clients = await healthy.client('LIST');
      assert.ok(!String(clients).includes('sub=1'));
    } finally {
      pub.disconnect();
      healthy.disconnect();
      slow.socket.destroy();
    }
  });
});

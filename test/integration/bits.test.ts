/**
 * Bitmap commands against a real strata-server, driven with ioredis: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP,
 * BITFIELD and BITFIELD_RO, on binary values holding all 256 byte values.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startStrata, type RunningProcess } from '../helpers/servers.js';

const ALL = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const ONES_IN_ALL = 256 * 4; // each bit position is set in half of the 256 bytes

function popcount(buf: Buffer): number {
  let n = 0;
  for (const x of buf) for (let v = x; v; v >>= 1) n += v & 1;
  return n;
}

async function rejects(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.message, message);
    return true;
  });
}

describe('bitmap commands', () => {
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

  it('SETBIT and GETBIT address bits from the most significant bit of each byte', async () => {
    assert.equal(await r.setbit('sb', 0, 1), 0);
    assert.equal(await r.setbit('sb', 15, 1), 0);
    assert.equal(await r.setbit('sb', 15, 1), 1);
    assert.deepEqual(await r.getBuffer('sb'), Buffer.from([0x80, 0x01]));
    assert.equal(await r.getbit('sb', 0), 1);
    assert.equal(await r.getbit('sb', 1), 0);
    assert.equal(await r.getbit('sb', 100000), 0);
    assert.equal(await r.getbit('sb:missing', 3), 0);
    await rejects(r.setbit('sb', 0, 2 as 0), 'ERR bit is not an integer or out of range');
    await rejects(r.setbit('sb', -1, 1), 'ERR bit offset is not an integer or out of range');
    await rejects(r.setbit('sb', 4294967296, 1), 'ERR bit offset is not an integer or out of range');
    await rejects(r.getbit('sb', 4294967296), 'ERR bit offset is not an integer or out of range');
  });

  it('rebuilds a value of all byte values bit by bit', async () => {
    for (let i = 0; i < ALL.length * 8; i++) {
      const bit = (ALL[i >> 3]! >> (7 - (i & 7))) & 1;
      if (bit) await r.setbit('all', i, 1);
    }
    await r.setbit('all', 2047, 1);
    assert.deepEqual(await r.getBuffer('all'), ALL);
  });

  it('BITCOUNT counts whole values, byte ranges and bit ranges', async () => {
    await r.set('bc', ALL);
    assert.equal(await r.bitcount('bc'), ONES_IN_ALL);
    assert.equal(await r.bitcount('bc', 0, -1), ONES_IN_ALL);
    assert.equal(await r.bitcount('bc', 250, 255), popcount(ALL.subarray(250)));
    assert.equal(await r.bitcount('bc', -6, -1), popcount(ALL.subarray(250)));
    assert.equal(await r.call('BITCOUNT', 'bc', '13', '2010', 'BIT'), popcount(ALL) - countBitsOutside(ALL, 13, 2010));
    assert.equal(await r.bitcount('bc', 5, 2), 0);
    assert.equal(await r.bitcount('bc:missing'), 0);
    await rejects(r.call('BITCOUNT', 'bc', '0'), 'ERR syntax error');
    await rejects(r.call('BITCOUNT', 'bc', '0', '1', 'WORD'), 'ERR syntax error');
  });

  it('BITPOS finds the first set or clear bit', async () => {
    await r.set('bp', Buffer.from([0xff, 0xf0, 0x00]));
    assert.equal(await r.bitpos('bp', 0), 12);
    assert.equal(await r.bitpos('bp', 1, 1), 8);
    assert.equal(await r.bitpos('bp', 1, 2), -1);
    assert.equal(await r.call('BITPOS', 'bp', '0', '0', '11', 'BIT'), -1);
    assert.equal(await r.call('BITPOS', 'bp', '0', '0', '12', 'BIT'), 12);
    await r.set('bp:ff', Buffer.from([0xff, 0xff]));
    assert.equal(await r.bitpos('bp:ff', 0), 16);
    assert.equal(await r.bitpos('bp:ff', 0, 0, -1), -1);
    assert.equal(await r.bitpos('bp:missing', 0), 0);
    assert.equal(await r.bitpos('bp:missing', 1), -1);
    await r.set('bp:all', ALL);
    assert.equal(await r.bitpos('bp:all', 1), 15);
    assert.equal(await r.bitpos('bp:all', 0, 255), 255 * 8 + 8);
    await rejects(r.call('BITPOS', 'bp', '2'), 'ERR The bit argument must be 1 or 0.');
  });

  it('BITOP combines binary values', async () => {
    await r.set('bo:a', ALL);
    await r.set('bo:b', Buffer.from([...ALL].reverse()).subarray(0, 128));
    assert.equal(await r.bitop('AND', 'bo:and', 'bo:a', 'bo:b'), 256);
    assert.equal(await r.bitop('OR', 'bo:or', 'bo:a', 'bo:b'), 256);
    assert.equal(await r.bitop('XOR', 'bo:xor', 'bo:a', 'bo:b'), 256);
    assert.equal(await r.bitop('NOT', 'bo:not', 'bo:a'), 256);
    const a = ALL;
    const bb = Buffer.concat([Buffer.from([...ALL].reverse()).subarray(0, 128), Buffer.alloc(128)]);
    const map = (f: (x: number, y: number) => number) => Buffer.from(a.map((x, i) => f(x, bb[i]!) & 0xff));
    assert.deepEqual(await r.getBuffer('bo:and'), map((x, y) => x & y));
    assert.deepEqual(await r.getBuffer('bo:or'), map((x, y) => x | y));
    assert.deepEqual(await r.getBuffer('bo:xor'), map((x, y) => x ^ y));
    assert.deepEqual(await r.getBuffer('bo:not'), Buffer.from(a.map((x) => ~x & 0xff)));
    assert.equal(await r.bitop('OR', 'bo:and', 'bo:missing'), 0);
    assert.equal(await r.exists('bo:and'), 0);
    await rejects(r.bitop('NOT', 'bo:x', 'bo:a', 'bo:b'), 'ERR BITOP NOT must be called with a single source key.');
    await rejects(r.call('BITOP', 'NAND', 'bo:x', 'bo:a'), 'ERR syntax error');
  });

  it('BITFIELD gets, sets and increments fields with every overflow policy', async () => {
    await r.set('bf', ALL);
    assert.deepEqual(await r.call('BITFIELD', 'bf', 'GET', 'u8', '#255', 'GET', 'i8', '#255', 'GET', 'u16', '#1', 'GET', 'i32', '#63'), [255, -1, 0x0203, 0xfcfdfeff - 2 ** 32]);
    assert.deepEqual(await r.call('BITFIELD', 'bf', 'SET', 'u8', '#0', 200, 'INCRBY', 'u8', '#0', 100), [0, 44]);
    assert.deepEqual(await r.call('BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '#0', 1000, 'INCRBY', 'i8', '#1', -1000), [255, -128]);
    assert.deepEqual(await r.call('BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '#0', 1, 'GET', 'u8', '#0'), [null, 255]);
    // SET replies with the old value: bytes ff 80 02 03 as the top of an i32.
    assert.deepEqual(await r.call('BITFIELD', 'bf', 'SET', 'i32', 0, '-1', 'GET', 'i32', 0, 'GET', 'u8', '#4'), [0xff800203 - 2 ** 32, -1, 4]);
    assert.equal(await r.strlen('bf'), 256);
    assert.deepEqual(await r.call('BITFIELD', 'bf:new', 'INCRBY', 'u4', 1000, 3), [3]);
    assert.equal(await r.strlen('bf:new'), 126);
    await rejects(r.call('BITFIELD', 'bf', 'GET', 'u64', '0'), 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.');
    await rejects(r.call('BITFIELD', 'bf', 'OVERFLOW', 'MAYBE'), 'ERR Invalid OVERFLOW type specified');
    await rejects(r.call('BITFIELD', 'bf', 'GET', 'u8', '-1'), 'ERR bit offset is not an integer or out of range');
  });

  it('BITFIELD_RO only reads', async () => {
    await r.set('bfro', ALL);
    assert.deepEqual(await r.call('BITFIELD_RO', 'bfro', 'GET', 'u8', '#16', 'GET', 'i4', '4'), [16, 0]);
    assert.deepEqual(await r.call('BITFIELD_RO', 'bfro:missing', 'GET', 'u8', '0'), [0]);
    assert.equal(await r.exists('bfro:missing'), 0);
    await rejects(r.call('BITFIELD_RO', 'bfro', 'SET', 'u8', '0', '1'), 'ERR BITFIELD_RO only supports the GET subcommand');
  });
});

/** Set bits of `buf` outside bit positions [start, end]. */
function countBitsOutside(buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = 0; i < buf.length * 8; i++) {
    if (i >= start && i <= end) continue;
    n += (buf[i >> 3]! >> (7 - (i & 7))) & 1;
  }
  return n;
}

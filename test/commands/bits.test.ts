/**
 * Unit tests of the bit commands, run in-process: SETBIT grows one MutableString in place (amortized O(1)), offsets
 * are limited by proto-max-bulk-len, BITFIELD writes in place.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MutableString } from '../../src/types/mutable-string.js';
import { harness } from './string-harness.js';

describe('SETBIT', () => {
  it('sets a 1,000,000-bit bitmap at increasing offsets in one growing MutableString', () => {
    const h = harness();
    assert.equal(h.run('SETBIT', 'bm', '0', '1'), ':0\r\n');
    const m = h.db.peek('bm')!.value as MutableString;
    assert.ok(m instanceof MutableString);
    const buffers = new Set<Buffer>([m.buf]);
    let set = 1;
    for (let off = 1; off < 1_000_000; off++) {
      const on = off % 3 === 0 ? '1' : '0';
      h.run('SETBIT', 'bm', String(off), on);
      if (on === '1') set++;
      buffers.add(m.buf);
    }
    assert.equal(h.db.peek('bm')!.value, m, 'the entry keeps the same MutableString');
    assert.equal(m.length, 125000);
    // Capacity doubles: about log2(125000) reallocations, never one per call.
    assert.ok(buffers.size <= 20, `${buffers.size} buffers allocated`);
    assert.equal(h.run('BITCOUNT', 'bm'), `:${set}\r\n`);
    assert.equal(h.run('GETBIT', 'bm', '999999'), ':1\r\n');
    assert.equal(h.run('GETBIT', 'bm', '999998'), ':0\r\n');
    assert.equal(h.run('BITPOS', 'bm', '1', '1'), ':9\r\n');
  });

  it('converts a plain string once, then edits it in place', () => {
    const h = harness();
    h.run('SET', 'k', 'ab');
    assert.equal(typeof h.db.peek('k')!.value, 'string');
    assert.equal(h.run('SETBIT', 'k', '7', '0'), ':1\r\n');
    const m = h.db.peek('k')!.value;
    assert.ok(m instanceof MutableString);
    h.run('SETBIT', 'k', '6', '0');
    h.run('SETBIT', 'k', '100', '1');
    assert.equal(h.db.peek('k')!.value, m);
    assert.equal(h.run('GETRANGE', 'k', '0', '1'), '$2\r\n`b\r\n');
  });

  it('touches the key only when a bit or the length changes', () => {
    const h = harness();
    let dirty = h.ks.dirty;
    h.run('SETBIT', 'k', '3', '1');
    assert.equal(h.ks.dirty, dirty + 1);
    dirty = h.ks.dirty;
    h.run('SETBIT', 'k', '3', '1');
    assert.equal(h.ks.dirty, dirty);
    h.run('SETBIT', 'k', '3', '0');
    assert.equal(h.ks.dirty, dirty + 1);
  });

  it('limits offsets by proto-max-bulk-len', () => {
    const h = harness();
    const err = '-ERR bit offset is not an integer or out of range\r\n';
    assert.equal(h.run('SETBIT', 'k', '4294967296', '1'), err);
    assert.equal(h.run('GETBIT', 'k', '4294967296'), err);
    assert.equal(h.run('GETBIT', 'k', '4294967295'), ':0\r\n');
    h.setMaxBulkLen(1024 * 1024);
    assert.equal(h.run('SETBIT', 'k', String(8 * 1024 * 1024), '1'), err);
    assert.equal(h.run('SETBIT', 'k', String(8 * 1024 * 1024 - 1), '1'), ':0\r\n');
    assert.equal(h.run('BITFIELD', 'k', 'GET', 'u8', '#1048576'), err);
    // '#' offsets are multiplied in wrapping 64-bit arithmetic, like C: 2^61 * 8 wraps to 0.
    assert.equal(h.run('BITFIELD', 'k', 'GET', 'u8', '#2305843009213693952'), '*1\r\n:0\r\n');
  });
});

describe('BITFIELD', () => {
  it('writes in place and keeps reading past the end as zeros', () => {
    const h = harness();
    assert.equal(h.run('BITFIELD', 'k', 'SET', 'u8', '0', '200', 'GET', 'u16', '0'), '*2\r\n:0\r\n:51200\r\n');
    const m = h.db.peek('k')!.value;
    assert.ok(m instanceof MutableString);
    assert.equal(h.run('BITFIELD', 'k', 'INCRBY', 'i64', '8', '-1', 'GET', 'u63', '#2'), '*2\r\n:-1\r\n:0\r\n');
    assert.equal(h.db.peek('k')!.value, m);
    assert.equal(h.run('STRLEN', 'k'), ':9\r\n');
  });

  it('reads without creating the key and refuses writes in BITFIELD_RO', () => {
    const h = harness();
    assert.equal(h.run('BITFIELD', 'k', 'GET', 'i8', '0'), '*1\r\n:0\r\n');
    assert.equal(h.db.peek('k'), undefined);
    assert.equal(h.run('BITFIELD_RO', 'k', 'GET', 'u8', '0', 'INCRBY', 'u8', '0', '1'), '-ERR BITFIELD_RO only supports the GET subcommand\r\n');
    assert.equal(h.db.peek('k'), undefined);
  });

  it('saturates a SET just above INT64_MIN upwards, as Redis does', () => {
    const h = harness();
    assert.equal(h.run('BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-9223372036854775808', 'GET', 'i8', '0'), '*2\r\n:0\r\n:127\r\n');
    assert.equal(h.run('BITFIELD', 'k', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', '-1000', 'GET', 'i8', '0'), '*2\r\n:127\r\n:-128\r\n');
  });
});

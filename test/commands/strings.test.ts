/**
 * Unit tests of the string and counter commands, run in-process: value representation (plain string versus
 * in-place MutableString), OBJECT ENCODING's view of it, WRONGTYPE ordering, and TTL handling.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { T } from '../../src/keyspace/entry.js';
import { stringEncoding } from '../../src/commands/strings.js';
import { MutableString } from '../../src/types/mutable-string.js';
import { harness } from './string-harness.js';

const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';

describe('stringEncoding', () => {
  it('reports int, embstr and raw as Redis does', () => {
    assert.equal(stringEncoding('123'), 'int');
    assert.equal(stringEncoding('-9223372036854775808'), 'int');
    assert.equal(stringEncoding('9223372036854775808'), 'embstr');
    assert.equal(stringEncoding('0123'), 'embstr');
    assert.equal(stringEncoding('-0'), 'embstr');
    assert.equal(stringEncoding('+1'), 'embstr');
    assert.equal(stringEncoding(''), 'embstr');
    assert.equal(stringEncoding('x'.repeat(44)), 'embstr');
    assert.equal(stringEncoding('x'.repeat(45)), 'raw');
    assert.equal(stringEncoding(new MutableString('12')), 'raw');
  });

  it('follows the value through commands', () => {
    const h = harness();
    const enc = (k: string) => stringEncoding(h.db.peek(k)!.value);
    h.run('SET', 'k', '10');
    assert.equal(enc('k'), 'int');
    h.run('INCR', 'k');
    assert.equal(enc('k'), 'int');
    h.run('APPEND', 'k', '1');
    assert.equal(enc('k'), 'raw');
    h.run('APPEND', 'new', 'abc');
    assert.equal(enc('new'), 'embstr');
    h.run('SETRANGE', 'r', '0', 'abc');
    assert.equal(enc('r'), 'raw');
    h.run('SETBIT', 'b', '0', '1');
    assert.equal(enc('b'), 'raw');
    h.run('SET', 'b', 'plain');
    assert.equal(enc('b'), 'embstr');
    h.run('BITOP', 'NOT', 'd', 'b');
    assert.equal(enc('d'), 'raw');
  });
});

describe('in-place edits', () => {
  it('APPEND in a loop reuses one MutableString and grows its buffer geometrically', () => {
    const h = harness();
    h.run('SET', 'k', 'start');
    h.run('APPEND', 'k', '-');
    const m = h.db.peek('k')!.value as MutableString;
    assert.ok(m instanceof MutableString);
    const buffers = new Set<Buffer>([m.buf]);
    for (let i = 0; i < 20000; i++) {
      assert.equal(h.run('APPEND', 'k', 'abcdefghij'), `:${6 + (i + 1) * 10}\r\n`);
      buffers.add(m.buf);
    }
    assert.equal(h.db.peek('k')!.value, m, 'the same MutableString stays in the entry');
    // 200 KB reached by doubling: a couple of dozen reallocations at most, not one per append.
    assert.ok(buffers.size <= 24, `${buffers.size} buffers allocated`);
    assert.equal(m.length, 6 + 200000);
    assert.equal(h.run('GETRANGE', 'k', '0', '9'), '$10\r\nstart-abcd\r\n');
  });

  it('SETRANGE edits in place and pads with zeros', () => {
    const h = harness();
    h.run('SET', 'k', 'hello');
    assert.equal(h.run('SETRANGE', 'k', '8', 'x'), ':9\r\n');
    const m = h.db.peek('k')!.value;
    assert.ok(m instanceof MutableString);
    assert.equal(h.run('SETRANGE', 'k', '0', 'J'), ':9\r\n');
    assert.equal(h.db.peek('k')!.value, m);
    assert.equal(h.run('GET', 'k'), '$9\r\nJello\x00\x00\x00x\r\n');
    // Writing nothing leaves the plain representation alone.
    h.run('SET', 'p', 'abc');
    assert.equal(h.run('SETRANGE', 'p', '1', ''), ':3\r\n');
    assert.equal(typeof h.db.peek('p')!.value, 'string');
  });

  it('checks the proto-max-bulk-len limit before growing', () => {
    const h = harness();
    h.setMaxBulkLen(1024 * 1024);
    const tooLong = '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n';
    assert.equal(h.run('SETRANGE', 'k', String(1024 * 1024), 'x'), tooLong);
    assert.equal(h.run('SETRANGE', 'k', String(1024 * 1024 - 1), 'x'), `:${1024 * 1024}\r\n`);
    assert.equal(h.run('APPEND', 'k', 'y'), tooLong);
    assert.equal(h.run('APPEND', 'k', ''), `:${1024 * 1024}\r\n`);
  });
});

describe('WRONGTYPE', () => {
  it('is reported by every string command, after the checks Redis makes first', () => {
    const h = harness();
    h.db.add('l', T.List, []);
    for (const argv of [
      ['GET', 'l'],
      ['SET', 'l', 'v', 'GET'],
      ['GETSET', 'l', 'v'],
      ['GETDEL', 'l'],
      ['GETEX', 'l', 'EX', '10'],
      ['STRLEN', 'l'],
      ['APPEND', 'l', 'x'],
      ['GETRANGE', 'l', '0', '1'],
      ['SUBSTR', 'l', '0', '1'],
      ['SETRANGE', 'l', '0', 'x'],
      ['SETRANGE', 'l', '0', ''],
      ['INCR', 'l'],
      ['DECR', 'l'],
      ['INCRBY', 'l', '1'],
      ['DECRBY', 'l', '1'],
      ['INCRBYFLOAT', 'l', '1'],
      ['SETBIT', 'l', '0', '1'],
      ['GETBIT', 'l', '0'],
      ['BITCOUNT', 'l'],
      ['BITCOUNT', 'l', '0'],
      ['BITPOS', 'l', '1'],
      ['BITPOS', 'l', '1', 'x'],
      ['BITOP', 'AND', 'd', 'l'],
      ['BITOP', 'OR', 'd', 'missing', 'l'],
      ['BITFIELD', 'l', 'GET', 'u8', '0'],
      ['BITFIELD', 'l', 'SET', 'u8', '0', '1'],
      ['BITFIELD_RO', 'l', 'GET', 'u8', '0'],
    ]) {
      assert.equal(h.run(...argv), WRONGTYPE, argv.join(' '));
    }
    assert.equal(h.run('LCS', 'l', 'x'), '-ERR The specified keys must contain string values\r\n');
    // Argument errors found before the lookup win.
    assert.equal(h.run('INCRBY', 'l', 'x'), '-ERR value is not an integer or out of range\r\n');
    assert.equal(h.run('GETRANGE', 'l', 'x', '1'), '-ERR value is not an integer or out of range\r\n');
    assert.equal(h.run('SETRANGE', 'l', '-1', 'x'), '-ERR offset is out of range\r\n');
    assert.equal(h.run('GETEX', 'l', 'FOO'), '-ERR syntax error\r\n');
    assert.equal(h.run('SETBIT', 'l', '0', '2'), '-ERR bit is not an integer or out of range\r\n');
    assert.equal(h.run('BITPOS', 'l', '2'), '-ERR The bit argument must be 1 or 0.\r\n');
    assert.equal(h.run('BITFIELD', 'l', 'GET', 'u64', '0'), '-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n');
    // Commands that only ask whether the key exists do not care about its type.
    assert.equal(h.run('SETNX', 'l', 'v'), ':0\r\n');
    assert.equal(h.run('MSETNX', 'l', 'v'), ':0\r\n');
    assert.equal(h.run('MGET', 'l', 'missing'), '*2\r\n$-1\r\n$-1\r\n');
    // SET, GETSET-free overwrites and MSET replace a value of any type.
    assert.equal(h.run('MSET', 'l', 'v'), '+OK\r\n');
    assert.equal(h.run('GET', 'l'), '$1\r\nv\r\n');
  });
});

describe('TTL handling', () => {
  it('INCR, INCRBYFLOAT, APPEND and SETRANGE keep the TTL; GETSET and MSET clear it', () => {
    const h = harness();
    const at = () => h.db.peek('k')!.expireAt;
    h.run('SETEX', 'k', '100', '1');
    const t = at();
    assert.ok(t > 0);
    for (const argv of [['INCR', 'k'], ['INCRBY', 'k', '5'], ['DECR', 'k'], ['INCRBYFLOAT', 'k', '1.5'], ['APPEND', 'k', '0'], ['SETRANGE', 'k', '0', '2'], ['SETBIT', 'k', '0', '1']]) {
      h.run(...argv);
      assert.equal(at(), t, argv.join(' '));
    }
    h.run('GETSET', 'k', 'x');
    assert.equal(at(), 0);
    h.run('SETEX', 'k', '100', '1');
    h.run('MSET', 'k', 'y');
    assert.equal(at(), 0);
  });

  it('GETEX with a past absolute time deletes the key but replies with the value', () => {
    const h = harness();
    h.run('SET', 'k', 'v');
    assert.equal(h.run('GETEX', 'k', 'PXAT', '1'), '$1\r\nv\r\n');
    assert.equal(h.db.peek('k'), undefined);
  });

  it('INCR results are stored as plain strings, exact beyond 2^53', () => {
    const h = harness();
    h.run('SET', 'k', '9007199254740992');
    assert.equal(h.run('INCR', 'k'), ':9007199254740993\r\n');
    assert.equal(h.db.peek('k')!.value, '9007199254740993');
    assert.equal(h.run('INCRBY', 'k', '-9007199254740993'), ':0\r\n');
    assert.equal(h.db.peek('k')!.value, '0');
    h.run('SET', 'k', '9223372036854775807');
    assert.equal(h.run('INCR', 'k'), '-ERR increment or decrement would overflow\r\n');
    assert.equal(h.run('DECRBY', 'k', '-9223372036854775808'), '-ERR decrement would overflow\r\n');
    assert.equal(h.run('INCRBYFLOAT', 'f', '0.1'), '$3\r\n0.1\r\n');
    assert.equal(h.db.peek('f')!.value, '0.1');
  });
});

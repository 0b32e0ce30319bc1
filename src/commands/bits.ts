/**
 * Bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP. Bits are numbered from the most significant bit of
 * the first byte. SETBIT edits the value in place (a MutableString), so setting bits one by one on a large bitmap
 * costs O(1) amortized, as in Redis.
 */
import { N } from '../keyspace/notify.js';
import { ERR, RedisError } from '../errors.js';
import { T, type Entry, type StringValue } from '../keyspace/entry.js';
import type { Client } from '../server/client.js';
import { MutableString } from '../types/mutable-string.js';
import { intArg, parseBigInt64, parseInt64 } from './args.js';
import { defineGroup } from './spec.js';
import { mutableOf, protoMaxBulkLen, readString, writeString } from './strings.js';

/**
 * A bit offset argument as Redis's getBitOffsetFromArgument reads it: a strict integer, or with `hash` a
 * `#N` offset counted in units of `bits`. Negative offsets and offsets whose byte is at or beyond
 * proto-max-bulk-len (2^32 bits by default) are refused.
 */
export function bitOffsetArg(c: Client, arg: string, hash: boolean, bits: number): number {
  let offset: number;
  if (hash && arg.length > 0 && arg.charCodeAt(0) === 35) {
    const n = parseBigInt64(arg.slice(1));
    if (n === null) throw new RedisError(ERR.bitOffset);
    // C multiplies in 64 bits and may wrap around; do the same so the range check below sees what Redis sees.
    offset = Number(BigInt.asIntN(64, n * BigInt(bits)));
  } else {
    const n = parseInt64(arg);
    if (n === null) throw new RedisError(ERR.bitOffset);
    offset = n;
  }
  if (offset < 0 || Math.floor(offset / 8) >= protoMaxBulkLen(c)) throw new RedisError(ERR.bitOffset);
  return offset;
}

/**
 * The string entry a bit-writing command edits, created zero-filled when missing and grown (zero padded) so that
 * bit `maxBit` exists. Converted to a MutableString once; afterwards edited in place. `grew` tells whether the
 * value was created or lengthened.
 */
export function bitTarget(c: Client, key: string, maxBit: number): { m: MutableString; grew: boolean } {
  const db = c.db;
  const bytes = Math.floor(maxBit / 8) + 1;
  const e = writeString(db, key);
  if (e === undefined) {
    const m = new MutableString('', bytes);
    m.ensureLength(bytes);
    db.add(key, T.String, m);
    return { m, grew: true };
  }
  const m = mutableOf(e);
  const old = m.length;
  m.ensureLength(bytes);
  return { m, grew: m.length !== old };
}

/** The byte at `i` of a value, 0 past its end. */
export function byteAt(v: StringValue, i: number): number {
  if (i >= v.length) return 0;
  return typeof v === 'string' ? v.charCodeAt(i) : v.buf[i]!;
}

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of set bits in bytes [start, end] (inclusive, within the value). */
function countBits(v: StringValue, start: number, end: number): number {
  let n = 0;
  if (typeof v === 'string') {
    for (let i = start; i <= end; i++) n += POPCOUNT[v.charCodeAt(i)]!;
    return n;
  }
  const buf = v.buf;
  let i = start;
  // Bytes up to a 4-byte aligned address, then whole words, then the tail.
  while (i <= end && (buf.byteOffset + i) % 4 !== 0) n += POPCOUNT[buf[i++]!]!;
  const words = Math.floor((end + 1 - i) / 4);
  if (words > 0) {
    const view = new Uint32Array(buf.buffer, buf.byteOffset + i, words);
    for (let k = 0; k < words; k++) n += popcount32(view[k]!);
    i += words * 4;
  }
  while (i <= end) n += POPCOUNT[buf[i++]!]!;
  return n;
}

/** The first bit equal to `bit` in bit positions [startBit, endBit] (inclusive, within the value), or -1. */
function findBit(v: StringValue, bit: number, startBit: number, endBit: number): number {
  const first = Math.floor(startBit / 8);
  const last = Math.floor(endBit / 8);
  // Whole bytes that cannot contain the bit are skipped without masking.
  const skip = bit === 1 ? 0 : 0xff;
  for (let i = first; i <= last; i++) {
    let b = byteAt(v, i);
    if (b === skip && i !== first && i !== last) continue;
    if (bit === 0) b = ~b & 0xff;
    if (i === first) b &= 0xff >> (startBit & 7);
    if (i === last) b &= (0xff << (7 - (endBit & 7))) & 0xff;
    if (b !== 0) return i * 8 + Math.clz32(b) - 24;
  }
  return -1;
}

/** BYTE | BIT unit argument of BITCOUNT and BITPOS. */
function isBitUnit(arg: string): boolean {
  const u = arg.toLowerCase();
  if (u === 'bit') return true;
  if (u === 'byte') return false;
  throw new RedisError(ERR.syntax);
}

export const bitCommands = defineGroup('bitmap', [
  {
    // SETBIT key offset value
    name: 'setbit',
    arity: 4,
    flags: ['write', 'denyoom'],
    acl: ['bitmap'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Sets or clears one bit of a string, growing it with zero bytes as needed; replies with the old bit.',
    since: '2.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      const offset = bitOffsetArg(c, argv[2]!, false, 0);
      const on = intArg(argv[3]!, ERR.bitValue);
      if (on !== 0 && on !== 1) throw new RedisError(ERR.bitValue);
      const { m, grew } = bitTarget(c, argv[1]!, offset);
      const byte = Math.floor(offset / 8);
      const shift = 7 - (offset & 7);
      const old = (m.buf[byte]! >> shift) & 1;
      if (grew || old !== on) {
        m.buf[byte] = on ? m.buf[byte]! | (1 << shift) : m.buf[byte]! & ~(1 << shift);
        c.db.touched(argv[1]!, N.string, 'setbit');
      }
      c.reply.int(old);
    },
  },
  {
    // GETBIT key offset
    name: 'getbit',
    arity: 3,
    flags: ['readonly', 'fast'],
    acl: ['bitmap'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Replies with one bit of a string (0 past its end or for a missing key).',
    since: '2.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      const offset = bitOffsetArg(c, argv[2]!, false, 0);
      const e = readString(c.db, argv[1]!);
      if (e === undefined) {
        c.reply.int(0);
        return;
      }
      c.reply.int((byteAt(e.value as StringValue, Math.floor(offset / 8)) >> (7 - (offset & 7))) & 1);
    },
  },
  {
    // BITCOUNT key [start end [BYTE | BIT]]
    name: 'bitcount',
    arity: -2,
    flags: ['readonly'],
    acl: ['bitmap'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Counts the set bits of a string, optionally within a byte or bit range.',
    since: '2.6.0',
    complexity: 'O(N)',
    run(c, argv) {
      // Redis 7.0 looks the key up before reading the range: a missing key counts 0 whatever the arguments.
      const e = readString(c.db, argv[1]!);
      if (e === undefined) {
        c.reply.int(0);
        return;
      }
      const v = e.value as StringValue;
      const len = v.length;
      if (argv.length === 2) {
        c.reply.int(len === 0 ? 0 : countBits(v, 0, len - 1));
        return;
      }
      if (argv.length !== 4 && argv.length !== 5) throw new RedisError(ERR.syntax);
      let start = intArg(argv[2]!);
      let end = intArg(argv[3]!);
      const bitUnit = argv.length === 5 && isBitUnit(argv[4]!);
      const total = bitUnit ? len * 8 : len;
      if (start < 0 && end < 0 && start > end) {
        c.reply.int(0);
        return;
      }
      if (start < 0) start = total + start;
      if (end < 0) end = total + end;
      if (start < 0) start = 0;
      if (end < 0) end = 0;
      if (end >= total) end = total - 1;
      if (start > end) {
        c.reply.int(0);
        return;
      }
      if (!bitUnit) {
        c.reply.int(countBits(v, start, end));
        return;
      }
      const first = Math.floor(start / 8);
      const last = Math.floor(end / 8);
      let n = countBits(v, first, last);
      // Take away the bits of the edge bytes that lie outside the range.
      n -= POPCOUNT[byteAt(v, first) & ~(0xff >> (start & 7)) & 0xff]!;
      n -= POPCOUNT[byteAt(v, last) & ((1 << (7 - (end & 7))) - 1)]!;
      c.reply.int(n);
    },
  },
  {
    // BITPOS key bit [start [end [BYTE | BIT]]]
    name: 'bitpos',
    arity: -3,
    flags: ['readonly'],
    acl: ['bitmap'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Finds the first bit set to 1 or 0 in a string, optionally within a byte or bit range.',
    since: '2.8.7',
    complexity: 'O(N)',
    run(c, argv) {
      const bit = intArg(argv[2]!);
      if (bit !== 0 && bit !== 1) throw new RedisError('ERR The bit argument must be 1 or 0.');
      // A missing key is an endless run of zeros: the first 0 is at 0, there is no 1.
      const e = readString(c.db, argv[1]!);
      if (e === undefined) {
        c.reply.int(bit ? -1 : 0);
        return;
      }
      const v = e.value as StringValue;
      const len = v.length;
      let startBit: number;
      let endBit: number;
      let endGiven = false;
      if (argv.length === 3) {
        startBit = 0;
        endBit = len * 8 - 1;
      } else if (argv.length <= 6) {
        let start = intArg(argv[3]!);
        // The unit is checked before the end is parsed.
        const bitUnit = argv.length === 6 && isBitUnit(argv[5]!);
        let end: number;
        if (argv.length >= 5) {
          end = intArg(argv[4]!);
          endGiven = true;
        } else {
          end = len - 1;
        }
        const total = bitUnit ? len * 8 : len;
        if (start < 0) start = total + start;
        if (end < 0) end = total + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= total) end = total - 1;
        if (start > end) {
          c.reply.int(-1);
          return;
        }
        startBit = bitUnit ? start : start * 8;
        endBit = bitUnit ? end : end * 8 + 7;
      } else {
        throw new RedisError(ERR.syntax);
      }
      if (startBit > endBit) {
        c.reply.int(-1);
        return;
      }
      const pos = findBit(v, bit, startBit, endBit);
      // Looking for a 0 without an explicit end: the string continues with zero bits past its end.
      if (pos === -1 && bit === 0 && !endGiven) c.reply.int(endBit + 1);
      else c.reply.int(pos);
    },
  },
  {
    // BITOP AND | OR | XOR | NOT destkey key [key ...]
    name: 'bitop',
    arity: -4,
    flags: ['write', 'denyoom'],
    acl: ['bitmap'],
    keys: { first: 2, last: -1, step: 1 },
    summary: 'Combines strings bit by bit (AND, OR, XOR, or NOT of one) into a destination key.',
    since: '2.6.0',
    complexity: 'O(N)',
    run: bitop,
  },
]);

const AND = 0;
const OR = 1;
const XOR = 2;
const NOT = 3;

function bitop(c: Client, argv: string[]): void {
  const name = argv[1]!.toLowerCase();
  const op = name === 'and' ? AND : name === 'or' ? OR : name === 'xor' ? XOR : name === 'not' ? NOT : -1;
  if (op === -1) throw new RedisError(ERR.syntax);
  if (op === NOT && argv.length !== 4) throw new RedisError('ERR BITOP NOT must be called with a single source key.');
  const db = c.db;
  const dest = argv[2]!;
  const srcs: Buffer[] = [];
  let maxLen = 0;
  for (let i = 3; i < argv.length; i++) {
    const e: Entry | undefined = db.read(argv[i]!);
    // Missing keys are empty strings (zero bytes for AND/OR/XOR).
    if (e === undefined) {
      srcs.push(EMPTY);
      continue;
    }
    if (e.type !== T.String) throw new RedisError(ERR.wrongType);
    const v = e.value as StringValue;
    const b = typeof v === 'string' ? Buffer.from(v, 'latin1') : v.buf.subarray(0, v.length);
    srcs.push(b);
    if (b.length > maxLen) maxLen = b.length;
  }
  if (maxLen === 0) {
    // An empty result deletes the destination.
    if (db.delete(dest)) db.touched(dest, N.generic, 'del');
    c.reply.int(0);
    return;
  }
  // The result is written into a fresh buffer (Redis's result is an unshared, 'raw' string).
  const res = new MutableString('', maxLen);
  res.length = maxLen;
  const out = res.buf;
  const first = srcs[0]!;
  first.copy(out, 0, 0, first.length);
  if (op === NOT) {
    for (let i = 0; i < maxLen; i++) out[i] = ~out[i]! & 0xff;
  } else {
    for (let k = 1; k < srcs.length; k++) {
      const s = srcs[k]!;
      const n = s.length;
      if (op === AND) {
        for (let i = 0; i < n; i++) out[i] = out[i]! & s[i]!;
        out.fill(0, n, maxLen);
      } else if (op === OR) {
        for (let i = 0; i < n; i++) out[i] = out[i]! | s[i]!;
      } else {
        for (let i = 0; i < n; i++) out[i] = out[i]! ^ s[i]!;
      }
    }
  }
  db.setString(dest, res, false);
  db.touched(dest, N.string, 'set');
  c.reply.int(maxLen);
}

const EMPTY = Buffer.alloc(0);

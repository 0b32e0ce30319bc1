/**
 * String commands that work on parts of a value: APPEND, GETRANGE/SUBSTR, SETRANGE (edited in place through a
 * MutableString, amortized O(change) like Redis's SDS) and LCS.
 */
import { N } from '../keyspace/notify.js';
import { ERR, RedisError } from '../errors.js';
import { T, type StringValue } from '../keyspace/entry.js';
import type { Client } from '../server/client.js';
import { MutableString } from '../types/mutable-string.js';
import { intArg } from './args.js';
import { defineGroup } from './spec.js';
import { mutableOf, protoMaxBulkLen, readString, replyBytes, stringValue, writeString } from './strings.js';

/** Redis's checkStringLength: a value may not grow beyond proto-max-bulk-len. */
export function checkStringLength(c: Client, size: number, append: number): void {
  if (size + append > protoMaxBulkLen(c)) throw new RedisError(ERR.stringTooLong);
}

/** GETRANGE/SUBSTR: inclusive byte range with negative indexes from the end, clamped to the value. */
function getRange(c: Client, argv: string[]): void {
  let start = intArg(argv[2]!);
  let end = intArg(argv[3]!);
  const e = readString(c.db, argv[1]!);
  if (e === undefined) {
    c.reply.bulk('');
    return;
  }
  const v = e.value as StringValue;
  const len = v.length;
  // Both negative with start after end is empty even when clamping would make them overlap.
  if (start < 0 && end < 0 && start > end) {
    c.reply.bulk('');
    return;
  }
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) {
    c.reply.bulk('');
    return;
  }
  if (typeof v === 'string') c.reply.bulk(start === 0 && end === len - 1 ? v : v.slice(start, end + 1));
  else replyBytes(c, v.buf, start, end + 1);
}

const GETRANGE_COMPLEXITY =
  'O(N) where N is the length of the returned string; effectively O(1) for small strings since copying is cheap.';

export const stringRangeCommands = defineGroup('string', [
  {
    // APPEND key value
    name: 'append',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Appends bytes to the string at a key, creating it when missing; replies with the new length.',
    since: '2.0.0',
    complexity: 'O(1) amortized: the value grows geometrically, so repeated appends copy it only occasionally.',
    run(c, argv) {
      const db = c.db;
      const key = argv[1]!;
      const add = argv[2]!;
      const e = writeString(db, key);
      let len: number;
      if (e === undefined) {
        // A new key holds the argument as is (even an empty one), not an in-place buffer.
        db.add(key, T.String, add);
        len = add.length;
      } else {
        checkStringLength(c, (e.value as StringValue).length, add.length);
        const m = mutableOf(e);
        m.append(add);
        len = m.length;
      }
      db.touched(key, N.string, 'append');
      c.reply.int(len);
    },
  },
  {
    // GETRANGE key start end
    name: 'getrange',
    arity: 4,
    flags: ['readonly'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Replies with the bytes of a string between two inclusive offsets (negative ones count from the end).',
    since: '2.4.0',
    complexity: GETRANGE_COMPLEXITY,
    run: getRange,
  },
  {
    // SUBSTR key start end
    name: 'substr',
    arity: 4,
    flags: ['readonly'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Former name of GETRANGE: replies with the bytes of a string between two inclusive offsets.',
    since: '1.0.0',
    complexity: GETRANGE_COMPLEXITY,
    run: getRange,
  },
  {
    // SETRANGE key offset value
    name: 'setrange',
    arity: 4,
    flags: ['write', 'denyoom'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Overwrites part of a string at an offset, zero-padding as needed; replies with the new length.',
    since: '2.2.0',
    complexity: 'O(1) plus the length of the written bytes (and the zero padding when the string grows).',
    run(c, argv) {
      const db = c.db;
      const key = argv[1]!;
      const offset = intArg(argv[2]!);
      const value = argv[3]!;
      if (offset < 0) throw new RedisError(ERR.outOfRange('offset'));
      const e = writeString(db, key);
      if (e === undefined) {
        // Writing nothing to a missing key creates nothing.
        if (value.length === 0) {
          c.reply.int(0);
          return;
        }
        checkStringLength(c, offset, value.length);
        const m = new MutableString('', offset + value.length);
        m.writeAt(offset, value);
        db.add(key, T.String, m);
        db.touched(key, N.string, 'setrange');
        c.reply.int(m.length);
        return;
      }
      if (value.length === 0) {
        c.reply.int((e.value as StringValue).length);
        return;
      }
      checkStringLength(c, offset, value.length);
      const m = mutableOf(e);
      m.writeAt(offset, value);
      db.touched(key, N.string, 'setrange');
      c.reply.int(m.length);
    },
  },
  {
    // LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
    name: 'lcs',
    arity: -3,
    flags: ['readonly'],
    acl: ['string'],
    keys: { first: 1, last: 2, step: 1 },
    summary: 'Finds the longest common subsequence of two strings: the text, its length, or the matching ranges.',
    since: '7.0.0',
    complexity: 'O(N*M) where N and M are the lengths of the two strings',
    run: lcs,
  },
]);

/** LCS: the dynamic-programming table, then a walk back from its corner emitting the matched ranges. */
function lcs(c: Client, argv: string[]): void {
  const db = c.db;
  const ea = db.read(argv[1]!);
  const eb = db.read(argv[2]!);
  if ((ea !== undefined && ea.type !== T.String) || (eb !== undefined && eb.type !== T.String)) {
    throw new RedisError('ERR The specified keys must contain string values');
  }
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    if (opt === 'idx') getIdx = true;
    else if (opt === 'len') getLen = true;
    else if (opt === 'withmatchlen') withMatchLen = true;
    else if (opt === 'minmatchlen' && j + 1 < argv.length) {
      minMatchLen = Math.max(0, intArg(argv[++j]!));
    } else throw new RedisError(ERR.syntax);
  }
  if (getIdx && getLen) throw new RedisError('ERR If you want both the length and indexes, please just use IDX.');
  const a = ea === undefined ? '' : stringValue(ea.value as StringValue);
  const b = eb === undefined ? '' : stringValue(eb.value as StringValue);
  const alen = a.length;
  const blen = b.length;
  if (alen >= 0xfffffffe || blen >= 0xfffffffe) throw new RedisError('ERR String too long for LCS');
  // Redis sizes its table as (alen+1)*(blen+1) 32-bit cells and refuses one bigger than proto-max-bulk-len.
  const cells = (alen + 1) * (blen + 1);
  if (cells * 4 > protoMaxBulkLen(c)) {
    throw new RedisError('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  }
  if (getLen) {
    c.reply.int(lcsLength(a, b));
    return;
  }
  const w = blen + 1;
  const table = new Uint32Array(cells);
  for (let i = 1; i <= alen; i++) {
    const ca = a.charCodeAt(i - 1);
    const row = i * w;
    const prev = row - w;
    for (let j = 1; j <= blen; j++) {
      if (ca === b.charCodeAt(j - 1)) table[row + j] = table[prev + j - 1]! + 1;
      else {
        const up = table[prev + j]!;
        const left = table[row + j - 1]!;
        table[row + j] = up > left ? up : left;
      }
    }
  }
  const total = table[alen * w + blen]!;
  const out = new Array<number>(total);
  // Ranges as [aStart, aEnd, bStart, bEnd, length] tuples, from the end of the strings backwards.
  const ranges: number[][] = [];
  let idx = total;
  let i = alen;
  let j = blen;
  let aStart = -1;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      out[--idx] = a.charCodeAt(i - 1);
      if (aStart === -1) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        // Contiguous with the current range: extend it backwards.
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      i--;
      j--;
    } else {
      if (table[(i - 1) * w + j]! > table[i * w + j - 1]!) i--;
      else j--;
      if (aStart !== -1) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (minMatchLen === 0 || matchLen >= minMatchLen) ranges.push([aStart, aEnd, bStart, bEnd, matchLen]);
      aStart = -1;
    }
  }
  if (!getIdx) {
    c.reply.bulkBuffer(Buffer.from(out));
    return;
  }
  const r = c.reply;
  r.map(2);
  r.bulk('matches');
  r.array(ranges.length);
  for (const [as, ae, bs, be, ml] of ranges) {
    r.array(withMatchLen ? 3 : 2);
    r.array(2);
    r.int(as!);
    r.int(ae!);
    r.array(2);
    r.int(bs!);
    r.int(be!);
    if (withMatchLen) r.int(ml!);
  }
  r.bulk('len');
  r.int(total);
}

/** LCS length only: two rows of the table are enough. */
function lcsLength(a: string, b: string): number {
  const blen = b.length;
  let prev = new Uint32Array(blen + 1);
  let cur = new Uint32Array(blen + 1);
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= blen; j++) {
      if (ca === b.charCodeAt(j - 1)) cur[j] = prev[j - 1]! + 1;
      else cur[j] = prev[j]! > cur[j - 1]! ? prev[j]! : cur[j - 1]!;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[blen]!;
}

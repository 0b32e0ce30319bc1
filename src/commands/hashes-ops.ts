/**
 * Hash commands beyond plain reads and writes: the counters HINCRBY and HINCRBYFLOAT (exact int64, and x87 long
 * double like INCRBYFLOAT), HRANDFIELD and HSCAN.
 */
import { ERR, RedisError } from '../errors.js';
import { N } from '../keyspace/notify.js';
import type { Client } from '../server/client.js';
import type { HashValue } from '../types/hash.js';
import { addLongDouble, formatLongDouble, parseLongDouble } from '../types/long-double.js';
import { matchGlob } from '../util/glob.js';
import { is, scanCursorArg } from './args.js';
import { exactInt64, parseScanOptions, randomCountArg, replyScan } from './collection-args.js';
import { KEY1, hashForWrite, readHash, writeHash } from './hashes.js';
import { defineGroup } from './spec.js';

const LD_ZERO = parseLongDouble('0')!;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** HRANDFIELD key count [WITHVALUES]: distinct fields for a positive count, repeats allowed for a negative one. */
function randomFields(c: Client, argv: string[]): void {
  const l = randomCountArg(argv[2]!);
  if (argv.length > 4 || (argv.length === 4 && !is(argv[3]!, 'withvalues'))) throw new RedisError(ERR.syntax);
  const withValues = argv.length === 4;
  // With values the reply holds two items per pick, so Redis halves the accepted range.
  if (withValues && (l < -4611686018427387903n || l > 4611686018427387903n)) throw new RedisError('ERR value is out of range');
  const h = readHash(c.db, argv[1]!);
  const r = c.reply;
  if (h === undefined || l === 0 || l === 0n) {
    r.array(0);
    return;
  }
  const count = Number(l < 0 ? -l : l);
  const size = h.size;
  const pairs = withValues && r.resp === 3;
  const emit = (slot: number) => {
    if (pairs) r.array(2);
    r.bulk(h.memberAt(slot));
    if (withValues) r.bulk(h.valueAt(slot));
  };
  if (l < 0 || count === 1) {
    r.array(withValues && !pairs ? count * 2 : count);
    for (let i = 0; i < count; i++) emit(h.randomSlot());
    return;
  }
  const n = Math.min(count, size);
  r.array(withValues && !pairs ? n * 2 : n);
  if (count >= size) {
    h.forEach((f, v) => {
      if (pairs) r.array(2);
      r.bulk(f);
      if (withValues) r.bulk(v);
    });
    return;
  }
  for (const slot of h.sampleSlots(count)) emit(slot);
}

export const hashOpCommands = defineGroup('hash', [
  {
    // HINCRBY key field increment
    name: 'hincrby',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['hash'],
    keys: KEY1,
    keySpecFlags: ['RW', 'access', 'update'],
    summary: 'Adds a signed 64-bit amount to the integer in a hash field, starting from 0 when missing.',
    since: '2.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      // The increment is checked before the key is looked up.
      const incr = exactInt64(argv[3]!);
      if (incr === null) throw new RedisError(ERR.notInteger);
      const db = c.db;
      const key = argv[1]!;
      const field = argv[2]!;
      const e = writeHash(db, key);
      const old = e === undefined ? undefined : (e.value as HashValue).get(field);
      let result: number | bigint = incr;
      if (old !== undefined) {
        const cur = exactInt64(old);
        if (cur === null) throw new RedisError('ERR hash value is not an integer');
        if (typeof cur === 'number' && typeof incr === 'number' && Number.isSafeInteger(cur + incr)) {
          result = cur + incr;
        } else {
          const sum = BigInt(cur) + BigInt(incr);
          if (sum > INT64_MAX || sum < INT64_MIN) throw new RedisError(ERR.overflow);
          result = sum;
        }
      }
      const h = e !== undefined ? (e.value as HashValue) : hashForWrite(db, key);
      h.set(field, String(result), c.server.limits);
      db.touched(key, N.hash, 'hincrby');
      c.reply.int(result);
    },
  },
  {
    // HINCRBYFLOAT key field increment
    name: 'hincrbyfloat',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['hash'],
    keys: KEY1,
    keySpecFlags: ['RW', 'access', 'update'],
    summary: 'Adds a floating point amount to the number in a hash field, in extended precision like INCRBYFLOAT.',
    since: '2.6.0',
    complexity: 'O(1)',
    run(c, argv) {
      const incr = parseLongDouble(argv[3]!);
      if (incr === null) throw new RedisError(ERR.notFloat);
      if (incr.inf) throw new RedisError('ERR value is NaN or Infinity');
      const db = c.db;
      const key = argv[1]!;
      const field = argv[2]!;
      const e = writeHash(db, key);
      const old = e === undefined ? undefined : (e.value as HashValue).get(field);
      let cur = LD_ZERO;
      if (old !== undefined) {
        const v = parseLongDouble(old);
        if (v === null) throw new RedisError('ERR hash value is not a float');
        cur = v;
      }
      // A stored "inf" parses, but no increment can make the result finite.
      if (cur.inf) throw new RedisError(ERR.incrNanOrInf);
      const sum = addLongDouble(cur, incr);
      if (sum.inf) throw new RedisError(ERR.incrNanOrInf);
      const text = formatLongDouble(sum);
      const h = e !== undefined ? (e.value as HashValue) : hashForWrite(db, key);
      h.set(field, text, c.server.limits);
      db.touched(key, N.hash, 'hincrbyfloat');
      c.reply.bulk(text);
    },
  },
  {
    // HRANDFIELD key [count [WITHVALUES]]
    name: 'hrandfield',
    arity: -2,
    flags: ['readonly'],
    acl: ['hash'],
    keys: KEY1,
    tips: ['nondeterministic_output'],
    summary: 'Returns random fields of a hash, optionally with their values.',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of fields returned',
    run(c, argv) {
      if (argv.length >= 3) {
        randomFields(c, argv);
        return;
      }
      const h = readHash(c.db, argv[1]!);
      if (h === undefined) c.reply.nil();
      else c.reply.bulk(h.randomMember());
    },
  },
  {
    // HSCAN key cursor [MATCH pattern] [COUNT count]
    name: 'hscan',
    arity: -3,
    flags: ['readonly'],
    acl: ['hash'],
    keys: KEY1,
    tips: ['nondeterministic_output'],
    summary: 'Walks the fields and values of a hash a few at a time from a cursor.',
    since: '2.8.0',
    complexity: 'O(1) for every call. O(N) for a complete iteration.',
    run(c, argv) {
      // Redis checks the cursor, then the key, and only then the options.
      const cursor = scanCursorArg(argv[2]!);
      const h = readHash(c.db, argv[1]!);
      if (h === undefined) {
        replyScan(c.reply, 0, []);
        return;
      }
      const { count, pattern } = parseScanOptions(argv, 3);
      const out: string[] = [];
      let next = 0;
      if (h.listpack) {
        // A listpack is returned whole in one call, whatever the cursor.
        h.forEach((f, v) => {
          if (pattern === null || matchGlob(pattern, f)) out.push(f, v);
        });
      } else {
        next = h.scanSlots(cursor, count, (slot) => {
          const f = h.memberAt(slot);
          if (pattern === null || matchGlob(pattern, f)) out.push(f, h.valueAt(slot));
        });
      }
      replyScan(c.reply, next, out);
    },
  },
]);

/**
 * Hash commands: HSET/HMSET/HSETNX, reads (HGET, HMGET, HGETALL, HKEYS, HVALS, HLEN, HEXISTS, HSTRLEN), HDEL,
 * the counters HINCRBY/HINCRBYFLOAT, HRANDFIELD and HSCAN. The value is a HashValue (types/hash.ts), which tracks
 * the listpack → hashtable conversion Redis 7.2 would make.
 */
import { ERR, RedisError } from '../errors.js';
import type { Database } from '../keyspace/database.js';
import { T, type Entry } from '../keyspace/entry.js';
import { N } from '../keyspace/notify.js';
import type { Client } from '../server/client.js';
import { HashValue } from '../types/hash.js';
import { addLongDouble, formatLongDouble, parseLongDouble } from '../types/long-double.js';
import { matchGlob } from '../util/glob.js';
import { cstr, intArg, is, parseBigInt64, parseInt64, scanCursorArg } from './args.js';
import { defineGroup } from './spec.js';

/** The hash at `key` for a read command (counts a hit or miss); WRONGTYPE for other types. */
export function readHash(db: Database, key: string): HashValue | undefined {
  const e = db.read(key);
  if (e === undefined) return undefined;
  if (e.type !== T.Hash) throw new RedisError(ERR.wrongType);
  return e.value as HashValue;
}

/** The hash entry at `key` for a write command; WRONGTYPE for other types. */
function writeHash(db: Database, key: string): Entry | undefined {
  const e = db.get(key);
  if (e !== undefined && e.type !== T.Hash) throw new RedisError(ERR.wrongType);
  return e;
}

/** The hash at `key`, created empty when missing (Redis's hashTypeLookupWriteOrCreate). */
function hashForWrite(db: Database, key: string): HashValue {
  const e = writeHash(db, key);
  if (e !== undefined) return e.value as HashValue;
  return db.add(key, T.Hash, new HashValue()).value as HashValue;
}

const LD_ZERO = parseLongDouble('0')!;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** An exact int64 from a canonical string: a number when short enough to be safe, else a bigint. Null if invalid. */
function exactInt64(s: string): number | bigint | null {
  return s.length < 16 ? parseInt64(s) : parseBigInt64(s);
}

/**
 * A count argument of HRANDFIELD / SRANDMEMBER: an int64 in [-LONG_MAX, LONG_MAX] (so not INT64_MIN, whose
 * absolute value does not fit), exact. Returns it as a bigint only when it is too big to be a safe number.
 */
export function randomCountArg(s: string): number | bigint {
  const v = exactInt64(s);
  if (v === null) throw new RedisError(ERR.notInteger);
  if (v === INT64_MIN) throw new RedisError('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  if (typeof v === 'bigint' && v >= -9007199254740991n && v <= 9007199254740991n) return Number(v);
  return v;
}

/** Parsed MATCH / COUNT options of HSCAN, SSCAN (and ZSCAN): Redis's scanGenericCommand rules for a key's value. */
export interface ScanOptions {
  count: number;
  /** null when absent or `*` (which Redis treats as no pattern). */
  pattern: string | null;
}

export function parseScanOptions(argv: string[], from: number): ScanOptions {
  let count = 10;
  let pattern: string | null = null;
  for (let i = from; i < argv.length; i += 2) {
    // Keywords are compared as C strings, so `COUNT\0x` is COUNT.
    const opt = cstr(argv[i]!);
    const hasValue = i + 1 < argv.length;
    if (is(opt, 'count') && hasValue) {
      count = intArg(argv[i + 1]!);
      if (count < 1) throw new RedisError(ERR.syntax);
    } else if (is(opt, 'match') && hasValue) {
      const p = argv[i + 1]!;
      pattern = p === '*' ? null : p;
    } else {
      // TYPE is only an option of the keyspace SCAN.
      throw new RedisError(ERR.syntax);
    }
  }
  return { count, pattern };
}

/** HSET and HMSET: same write, different replies. */
function hset(c: Client, argv: string[], name: string): void {
  if (argv.length % 2 === 1) throw new RedisError(ERR.wrongArity(name));
  const db = c.db;
  const key = argv[1]!;
  const h = hashForWrite(db, key);
  const limits = c.server.limits;
  h.prepareWrite(argv, 2, limits);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) if (h.set(argv[i]!, argv[i + 1]!, limits)) created++;
  db.touched(key, N.hash, 'hset');
  if (name === 'hset') c.reply.int(created);
  else c.reply.ok();
}

/** HGETALL, HKEYS and HVALS. */
function getAll(c: Client, key: string, fields: boolean, values: boolean): void {
  const h = readHash(c.db, key);
  const r = c.reply;
  const both = fields && values;
  if (h === undefined) {
    if (both) r.map(0);
    else r.array(0);
    return;
  }
  if (both) r.map(h.size);
  else r.array(h.size);
  h.forEach((f, v) => {
    if (fields) r.bulk(f);
    if (values) r.bulk(v);
  });
}

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

const KEY1 = { first: 1, last: 1, step: 1 };

export const hashCommands = defineGroup('hash', [
  {
    // HSET key field value [field value ...]
    name: 'hset',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['hash'],
    keys: KEY1,
    keySpecFlags: ['RW', 'update'],
    summary: 'Sets one or more fields of a hash, creating the hash if needed; replies with the number of new fields.',
    since: '2.0.0',
    complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs.',
    run(c, argv) {
      hset(c, argv, 'hset');
    },
  },
  {
    // HMSET key field value [field value ...]
    name: 'hmset',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['hash'],
    keys: KEY1,
    keySpecFlags: ['RW', 'update'],
    summary: 'Sets one or more fields of a hash and replies OK (the older form of HSET).',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of fields being set.',
    run(c, argv) {
      hset(c, argv, 'hmset');
    },
  },
  {
    // HSETNX key field value
    name: 'hsetnx',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['hash'],
    keys: KEY1,
    keySpecFlags: ['RW', 'insert'],
    summary: 'Sets a hash field only when the field does not exist yet.',
    since: '2.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const db = c.db;
      const key = argv[1]!;
      const e = writeHash(db, key);
      const field = argv[2]!;
      if (e !== undefined && (e.value as HashValue).get(field) !== undefined) {
        c.reply.int(0);
        return;
      }
      const h = e !== undefined ? (e.value as HashValue) : hashForWrite(db, key);
      // Redis 7.2 checks the conversion only once it knows the field will be written.
      const limits = c.server.limits;
      h.prepareWrite(argv, 2, limits);
      h.set(field, argv[3]!, limits);
      db.touched(key, N.hash, 'hset');
      c.reply.int(1);
    },
  },
  {
    // HGET key field
    name: 'hget',
    arity: 3,
    flags: ['readonly', 'fast'],
    acl: ['hash'],
    keys: KEY1,
    summary: 'Returns the value of one field of a hash.',
    since: '2.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const v = readHash(c.db, argv[1]!)?.get(argv[2]!);
      if (v === undefined) c.reply.nil();
      else c.reply.bulk(v);
    },
  },
  {
    // HMGET key field [field ...]
    name: 'hmget',
    arity: -3,
    flags: ['readonly', 'fast'],
    acl: ['hash'],
    keys: KEY1,
    summary: 'Returns the values of several fields of a hash, nil for each missing one.',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of fields being requested.',
    run(c, argv) {
      const h = readHash(c.db, argv[1]!);
      const r = c.reply;
      r.array(argv.length - 2);
      for (let i = 2; i < argv.length; i++) {
        const v = h?.get(argv[i]!);
        if (v === undefined) r.nil();
        else r.bulk(v);
      }
    },
  },
  {
    // HGETALL key
    name: 'hgetall',
    arity: 2,
    flags: ['readonly'],
    acl: ['hash'],
    keys: KEY1,
    tips: ['nondeterministic_output_order'],
    summary: 'Returns every field and value of a hash (a map in RESP3).',
    since: '2.0.0',
    complexity: 'O(N) where N is the size of the hash.',
    run(c, argv) {
      getAll(c, argv[1]!, true, true);
    },
  },
  {
    // HKEYS key
    name: 'hkeys',
    arity: 2,
    flags: ['readonly'],
    acl: ['hash'],
    keys: KEY1,
    tips: ['nondeterministic_output_order'],
    summary: 'Returns every field name of a hash.',
    since: '2.0.0',
    complexity: 'O(N) where N is the size of the hash.',
    run(c, argv) {
      getAll(c, argv[1]!, true, false);
    },
  },
  {
    // HVALS key
    name: 'hvals',
    arity: 2,
    flags: ['readonly'],
    acl: ['hash'],
    keys: KEY1,
    tips: ['nondeterministic_output_order'],
    summary: 'Returns every value of a hash.',
    since: '2.0.0',
    complexity: 'O(N) where N is the size of the hash.',
    run(c, argv) {
      getAll(c, argv[1]!, false, true);
    },
  },
  {
    // HDEL key field [field ...]
    name: 'hdel',
    arity: -3,
    flags: ['write', 'fast'],
    acl: ['hash'],
    keys: KEY1,
    keySpecFlags: ['RW', 'delete'],
    summary: 'Removes fields from a hash, deleting the key once it is empty; replies with the number removed.',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of fields to be removed.',
    run(c, argv) {
      const db = c.db;
      const key = argv[1]!;
      const e = writeHash(db, key);
      if (e === undefined) {
        c.reply.int(0);
        return;
      }
      const h = e.value as HashValue;
      let deleted = 0;
      let removed = false;
      for (let i = 2; i < argv.length; i++) {
        if (h.delete(argv[i]!)) {
          deleted++;
          if (h.size === 0) {
            db.unlink(e);
            removed = true;
            break;
          }
        }
      }
      if (deleted > 0) {
        db.touched(key, N.hash, 'hdel');
        if (removed) db.ks.notify(N.generic, 'del', db, key);
      }
      c.reply.int(deleted);
    },
  },
  {
    // HLEN key
    name: 'hlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['hash'],
    keys: KEY1,
    keySpecFlags: ['RO'],
    summary: 'Returns the number of fields of a hash.',
    since: '2.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      c.reply.int(readHash(c.db, argv[1]!)?.size ?? 0);
    },
  },
  {
    // HEXISTS key field
    name: 'hexists',
    arity: 3,
    flags: ['readonly', 'fast'],
    acl: ['hash'],
    keys: KEY1,
    keySpecFlags: ['RO'],
    summary: 'Tells whether a hash has a given field.',
    since: '2.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      c.reply.int(readHash(c.db, argv[1]!)?.has(argv[2]!) ? 1 : 0);
    },
  },
  {
    // HSTRLEN key field
    name: 'hstrlen',
    arity: 3,
    flags: ['readonly', 'fast'],
    acl: ['hash'],
    keys: KEY1,
    keySpecFlags: ['RO'],
    summary: 'Returns the length in bytes of the value of a hash field, 0 when missing.',
    since: '3.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      c.reply.int(readHash(c.db, argv[1]!)?.get(argv[2]!)?.length ?? 0);
    },
  },
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
      const r = c.reply;
      if (h === undefined) {
        r.array(2);
        r.bulk('0');
        r.array(0);
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
      r.array(2);
      r.bulk(String(next));
      r.bulks(out);
    },
  },
]);

/**
 * Counter commands: INCR, DECR, INCRBY, DECRBY (exact signed 64-bit arithmetic) and INCRBYFLOAT (x87 long double
 * arithmetic, printed as Redis prints it). Results are stored as plain latin1 strings and keep the key's TTL, since
 * Redis overwrites the value in place rather than re-setting the key.
 */
import { N } from '../keyspace/notify.js';
import { ERR, RedisError } from '../errors.js';
import { T } from '../keyspace/entry.js';
import type { Client } from '../server/client.js';
import { addLongDouble, formatLongDouble, parseLongDouble } from '../types/long-double.js';
import { parseBigInt64, parseInt64 } from './args.js';
import { defineGroup } from './spec.js';
import { writeString } from './strings.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** An int64 argument, exact: a number when it has fewer than 16 characters (always safe), else a bigint. */
function exactIntArg(s: string): number | bigint {
  const v = s.length < 16 ? parseInt64(s) : parseBigInt64(s);
  if (v === null) throw new RedisError(ERR.notInteger);
  return v;
}

/** Adds `incr` to the integer at `key` and replies with the result. */
/** INCR, INCRBY, DECR and DECRBY all notify 'incrby', as Redis does. */
function incrBy(c: Client, key: string, incr: number | bigint): void {
  const db = c.db;
  const e = writeString(db, key);
  let result: number | bigint;
  if (e === undefined) {
    result = incr;
  } else {
    const s: string = typeof e.value === 'string' ? e.value : e.value.toString();
    const cur = s.length < 16 ? parseInt64(s) : parseBigInt64(s);
    if (cur === null) throw new RedisError(ERR.notInteger);
    if (typeof cur === 'number' && typeof incr === 'number' && Number.isSafeInteger(cur + incr)) {
      result = cur + incr;
    } else {
      const sum = BigInt(cur) + BigInt(incr);
      if (sum > INT64_MAX || sum < INT64_MIN) throw new RedisError(ERR.overflow);
      result = sum;
    }
  }
  const text = String(result);
  if (e === undefined) db.add(key, T.String, text);
  else e.value = text;
  db.touched(key, N.string, 'incrby');
  c.reply.int(result);
}

export const counterCommands = defineGroup('string', [
  {
    // INCR key
    name: 'incr',
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Adds one to the integer stored at a key, creating it as 0 first when missing.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      incrBy(c, argv[1]!, 1);
    },
  },
  {
    // DECR key
    name: 'decr',
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Subtracts one from the integer stored at a key, creating it as 0 first when missing.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      incrBy(c, argv[1]!, -1);
    },
  },
  {
    // INCRBY key increment
    name: 'incrby',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Adds a signed 64-bit amount to the integer stored at a key.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      // The increment is parsed before the key is looked up, so a bad increment wins over WRONGTYPE.
      incrBy(c, argv[1]!, exactIntArg(argv[2]!));
    },
  },
  {
    // DECRBY key decrement
    name: 'decrby',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Subtracts a signed 64-bit amount from the integer stored at a key.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const d = exactIntArg(argv[2]!);
      // Negating INT64_MIN cannot be represented: Redis refuses it with its own message.
      if (d === INT64_MIN) throw new RedisError('ERR decrement would overflow');
      incrBy(c, argv[1]!, typeof d === 'number' ? 0 - d : -d);
    },
  },
  {
    // INCRBYFLOAT key increment
    name: 'incrbyfloat',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Adds a floating point amount to the number stored at a key, in extended precision.',
    since: '2.6.0',
    complexity: 'O(1)',
    run(c, argv) {
      const key = argv[1]!;
      const db = c.db;
      const e = writeString(db, key);
      // The stored value is parsed before the increment; either failing gives the same error.
      const cur = e === undefined ? parseLongDouble('0') : parseLongDouble(typeof e.value === 'string' ? e.value : e.value.toString());
      if (cur === null) throw new RedisError(ERR.notFloat);
      const incr = parseLongDouble(argv[2]!);
      if (incr === null) throw new RedisError(ERR.notFloat);
      if (cur.inf || incr.inf) throw new RedisError(ERR.incrNanOrInf);
      const sum = addLongDouble(cur, incr);
      if (sum.inf) throw new RedisError(ERR.incrNanOrInf);
      const text = formatLongDouble(sum);
      if (e === undefined) db.add(key, T.String, text);
      else e.value = text;
      db.touched(key, N.string, 'incrbyfloat');
      c.reply.bulk(text);
    },
  },
]);

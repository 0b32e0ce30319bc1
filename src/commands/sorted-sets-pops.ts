/**
 * Sorted set pops: ZPOPMIN, ZPOPMAX, ZMPOP and their blocking forms BZPOPMIN, BZPOPMAX, BZMPOP (on top of
 * server/blocking.ts). When a key can be served now the blocking forms behave like the others with the key in
 * the reply; otherwise the client waits for a sorted set to appear under one of its keys (any write that creates
 * one — ZADD, ZINCRBY, ZUNIONSTORE, ZRANGESTORE, … — signals it through db.touched) and its command runs again.
 */
import { ERR, RedisError } from '../errors.js';
import type { Database } from '../keyspace/database.js';
import { T, type Entry } from '../keyspace/entry.js';
import { canBlock, timeoutArg } from '../server/blocking.js';
import type { Client } from '../server/client.js';
import type { SortedSet } from '../types/sorted-set.js';
import { intArg, parseInt64 } from './args.js';
import { defineGroup } from './spec.js';
import { numkeysKeys, opt, removed, replyScore, writeZset, ZERR } from './sorted-sets.js';

export const enum Where {
  Min = 0,
  Max = 1,
}

/**
 * Pops up to `count` elements from the low or high end of the set at `e` and replies, in the shape each caller
 * needs: flat [member, score, …] (ZPOPMIN in RESP2 or without a count), pairs (ZPOPMIN with a count in RESP3),
 * `key` then flat (BZPOPMIN), or [key, pairs] (ZMPOP, BZMPOP). Deletes the key when emptied.
 */
export function popAndReply(c: Client, e: Entry, where: Where, count: number, emitKey: boolean, nested: boolean): void {
  const zs = e.value as SortedSet;
  const n = Math.min(count, zs.size);
  const r = c.reply;
  if (!nested && !emitKey) r.array(n * 2);
  else if (nested && !emitKey) r.array(n);
  else if (!nested && emitKey) {
    r.array(n * 2 + 1);
    r.bulk(e.key);
  } else {
    r.array(2);
    r.bulk(e.key);
    r.array(n);
  }
  const min = where === Where.Min;
  zs.walk(min ? 0 : zs.size - 1, n, !min, (member, score) => {
    if (nested) r.array(2);
    r.bulk(member);
    replyScore(r, score);
  });
  zs.deleteRange(min ? 0 : zs.size - n, n);
  removed(c.db, e, min ? 'zpopmin' : 'zpopmax');
}

/** ZPOPMIN / ZPOPMAX key [count]. */
function zpop(c: Client, argv: string[], where: Where): void {
  if (argv.length > 3) throw new RedisError(ERR.syntax);
  let count = -1;
  if (argv.length === 3) {
    // getPositiveLongFromObjectOrReply: any failure, not an integer included, is "must be positive".
    count = parseInt64(argv[2]!) ?? -1;
    if (count < 0) throw new RedisError(ZERR.mustBePositive);
  }
  const e = writeZset(c.db, argv[1]!);
  if (e === undefined || count === 0) {
    c.reply.array(0);
    return;
  }
  // Without a count the reply is one flat pair; with one, RESP3 nests each pair.
  popAndReply(c, e, where, count === -1 ? 1 : count, false, c.resp === 3 && count !== -1);
}

/** A positive count/numkeys argument (1..LONG_MAX) whose every failure replies with `error`. */
export function positiveArg(s: string, error: string): number {
  let v: number;
  try {
    v = intArg(s);
  } catch {
    throw new RedisError(error);
  }
  if (v < 1) throw new RedisError(error);
  return v;
}

/** The parsed arguments of ZMPOP / BZMPOP from `numkeysIdx` on. */
export interface MpopArgs {
  keys: string[];
  where: Where;
  count: number;
}

export function parseMpop(argv: string[], numkeysIdx: number): MpopArgs {
  const numkeys = positiveArg(argv[numkeysIdx]!, 'ERR numkeys should be greater than 0');
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw new RedisError(ERR.syntax);
  const w = opt(argv[whereIdx]!);
  if (w !== 'min' && w !== 'max') throw new RedisError(ERR.syntax);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && opt(argv[j]!) === 'count' && j + 1 < argv.length) {
      count = positiveArg(argv[++j]!, 'ERR count should be greater than 0');
    } else {
      throw new RedisError(ERR.syntax);
    }
  }
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), where: w === 'min' ? Where.Min : Where.Max, count: count === -1 ? 1 : count };
}

/** The first existing key among `keys` holding a sorted set (WRONGTYPE stops the search), or undefined. */
export function firstZset(db: Database, keys: readonly string[]): Entry | undefined {
  for (const k of keys) {
    const e = writeZset(db, k);
    if (e !== undefined) return e;
  }
  return undefined;
}

/**
 * Redis's blockingGenericZpopCommand: the timeout is parsed first, then the first key holding a sorted set is
 * popped (WRONGTYPE stops at the first key of another type); with nothing to pop the client blocks, or gets a
 * null array where it may not block (MULTI, scripts).
 */
function blockingPop(c: Client, argv: string[], keys: string[], where: Where, timeoutIdx: number, count: number, nested: boolean): void {
  const timeoutAt = timeoutArg(argv[timeoutIdx]!, c.server.ks.now);
  const e = firstZset(c.db, keys);
  if (e !== undefined) {
    popAndReply(c, e, where, count, true, nested);
    return;
  }
  if (!canBlock(c)) {
    c.reply.nilArray();
    return;
  }
  c.server.blocking.block(c, argv, keys, T.ZSet, timeoutAt);
}

/** BZPOPMIN / BZPOPMAX key [key ...] timeout: one element, replied flat as [key, member, score]. */
function bzpop(c: Client, argv: string[], where: Where): void {
  blockingPop(c, argv, argv.slice(1, -1), where, argv.length - 1, 1, false);
}

/** Keys of BZMPOP: `numkeys` keys after the count at index 2. */
const bzmpopKeys = numkeysKeys(2);

const KEY1 = { first: 1, last: 1, step: 1 };

export const sortedSetPopCommands = defineGroup('sorted-set', [
  {
    // ZPOPMIN key [count]
    name: 'zpopmin',
    arity: -2,
    flags: ['write', 'fast'],
    acl: ['sortedset'],
    keys: KEY1,
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Removes and returns the members with the lowest scores.',
    since: '5.0.0',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    run(c, argv) {
      zpop(c, argv, Where.Min);
    },
  },
  {
    // ZPOPMAX key [count]
    name: 'zpopmax',
    arity: -2,
    flags: ['write', 'fast'],
    acl: ['sortedset'],
    keys: KEY1,
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Removes and returns the members with the highest scores.',
    since: '5.0.0',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    run(c, argv) {
      zpop(c, argv, Where.Max);
    },
  },
  {
    // ZMPOP numkeys key [key ...] MIN | MAX [COUNT count]
    name: 'zmpop',
    arity: -4,
    flags: ['write'],
    acl: ['sortedset'],
    keys: { first: 0, last: 0, step: 0 },
    getKeys: numkeysKeys(1),
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Pops the lowest or highest scored members from the first non-empty sorted set among several keys.',
    since: '7.0.0',
    complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    run(c, argv) {
      const a = parseMpop(argv, 1);
      const e = firstZset(c.db, a.keys);
      if (e === undefined) c.reply.nilArray();
      else popAndReply(c, e, a.where, a.count, true, true);
    },
  },
  {
    // BZPOPMIN key [key ...] timeout
    name: 'bzpopmin',
    arity: -3,
    flags: ['write', 'noscript', 'blocking', 'fast'],
    acl: ['sortedset'],
    keys: { first: 1, last: -2, step: 1 },
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Pops the lowest scored member from the first non-empty sorted set among several keys, waiting for one if needed.',
    since: '5.0.0',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    run(c, argv) {
      bzpop(c, argv, Where.Min);
    },
  },
  {
    // BZPOPMAX key [key ...] timeout
    name: 'bzpopmax',
    arity: -3,
    flags: ['write', 'noscript', 'blocking', 'fast'],
    acl: ['sortedset'],
    keys: { first: 1, last: -2, step: 1 },
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Pops the highest scored member from the first non-empty sorted set among several keys, waiting for one if needed.',
    since: '5.0.0',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    run(c, argv) {
      bzpop(c, argv, Where.Max);
    },
  },
  {
    // BZMPOP timeout numkeys key [key ...] MIN | MAX [COUNT count]
    name: 'bzmpop',
    arity: -5,
    flags: ['write', 'blocking'],
    acl: ['sortedset'],
    keys: { first: 0, last: 0, step: 0 },
    getKeys: bzmpopKeys,
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Pops the lowest or highest scored members from the first non-empty sorted set among several keys, waiting for one if needed.',
    since: '7.0.0',
    complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    run(c, argv) {
      // numkeys, MIN|MAX and COUNT are checked before the timeout, as zmpopGenericCommand does.
      const a = parseMpop(argv, 2);
      blockingPop(c, argv, a.keys, a.where, 1, a.count, true);
    },
  },
]);

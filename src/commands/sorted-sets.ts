/**
 * Sorted set commands on members and whole keys: ZADD, ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK,
 * ZRANDMEMBER, ZSCAN; plus the helpers the other sorted set files share (lookups, score replies, stores, option
 * keywords). Ranges and counts live in sorted-sets-ranges.ts, the multi-key algebra in sorted-sets-ops.ts, the
 * pops (blocking ones included) in sorted-sets-pops.ts. The value itself is types/sorted-set.ts.
 */
import { ERR, RedisError } from '../errors.js';
import type { Database } from '../keyspace/database.js';
import { T, type Entry } from '../keyspace/entry.js';
import { N } from '../keyspace/notify.js';
import { formatScore } from '../protocol/double.js';
import type { Reply } from '../protocol/reply.js';
import type { Client } from '../server/client.js';
import { samplePositions } from '../types/slot-index.js';
import { SortedSet } from '../types/sorted-set.js';
import { matchGlob } from '../util/glob.js';
import { cstr, floatArg, kw, parseBigInt64, scanCursorArg } from './args.js';
import { parseScanOptions, randomCountArg } from './hashes.js';
import { defineGroup } from './spec.js';

export const ZERR = {
  notFloatRange: 'ERR min or max is not a float',
  notLexRange: 'ERR min or max not valid string range item',
  nan: 'ERR resulting score is not a number (NaN)',
  mustBePositive: 'ERR value is out of range, must be positive',
};

/** An option keyword as strcasecmp sees it (cut at a NUL byte), lower-cased. */
export function opt(arg: string): string {
  return kw(cstr(arg));
}

/** The sorted set at `key` for a read command (counts a hit or miss); WRONGTYPE for other types. */
export function readZset(db: Database, key: string): SortedSet | undefined {
  const e = db.read(key);
  if (e === undefined) return undefined;
  if (e.type !== T.ZSet) throw new RedisError(ERR.wrongType);
  return e.value as SortedSet;
}

/** The sorted set entry at `key` for a write command; WRONGTYPE for other types. */
export function writeZset(db: Database, key: string): Entry | undefined {
  const e = db.get(key);
  if (e !== undefined && e.type !== T.ZSet) throw new RedisError(ERR.wrongType);
  return e;
}

/** A score in a reply: a `,` double in RESP3, a bulk string in RESP2, both in Redis 7.2's shortest form. */
export function replyScore(r: Reply, d: number): void {
  r.double(d, formatScore(d));
}

/**
 * `count` elements from rank `start` on (downwards when `reverse`), with their scores when asked: a flat array in
 * RESP2, [member, score] pairs in RESP3, as Redis 7 replies to WITHSCORES.
 */
export function replyRange(r: Reply, zs: SortedSet | undefined, start: number, count: number, reverse: boolean, withScores: boolean): void {
  const pairs = withScores && r.resp === 3;
  r.array(withScores && !pairs ? count * 2 : count);
  if (zs === undefined || count === 0) return;
  zs.walk(start, count, reverse, (member, score) => {
    if (pairs) r.array(2);
    r.bulk(member);
    if (withScores) replyScore(r, score);
  });
}

/** Deletes the key once its set is empty (Redis never keeps empty collections); true when it did. */
export function dropIfEmpty(db: Database, e: Entry): boolean {
  if ((e.value as SortedSet).size !== 0) return false;
  db.unlink(e);
  return true;
}

/**
 * After elements were removed from the set at `e`: the command's keyspace event, then `del` when the set is
 * now empty and the key goes, as Redis notifies them; and the modification signal.
 */
export function removed(db: Database, e: Entry, event: string): void {
  db.ks.notify(N.zset, event, db, e.key);
  if (dropIfEmpty(db, e)) db.ks.notify(N.generic, 'del', db, e.key);
  db.touched(e.key);
}

/**
 * Stores a freshly built set at `key`, replacing any value (and TTL) there, with the command's keyspace event;
 * or deletes `key` (event `del`) when `zs` is empty.
 */
export function storeZset(db: Database, key: string, zs: SortedSet, event: string): void {
  if (zs.size > 0) {
    // Looked up first so an expired key is expired (and the store counts as a new key), as setKey does.
    db.get(key);
    db.add(key, T.ZSet, zs);
    db.touched(key);
    db.ks.notify(N.zset, event, db, key);
  } else if (db.delete(key)) {
    db.touched(key);
    db.ks.notify(N.generic, 'del', db, key);
  }
}

/** Keys of ZMPOP-like commands: `numkeys` keys after the count at `at`. */
export function numkeysKeys(at: number): (argv: string[]) => number[] {
  return (argv) => {
    const n = Number(argv[at] ?? '');
    if (!Number.isInteger(n) || n < 1 || n > argv.length - at - 1) return [];
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(at + 1 + i);
    return out;
  };
}

// ---- ZADD / ZINCRBY ----

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;
const INCR = 16;

/** ZADD and ZINCRBY (which is ZADD with INCR preset): Redis's zaddGenericCommand, error order included. */
function zadd(c: Client, argv: string[], presetFlags: number): void {
  let flags = presetFlags;
  let ch = false;
  let idx = 2;
  for (; idx < argv.length; idx++) {
    const o = opt(argv[idx]!);
    if (o === 'nx') flags |= NX;
    else if (o === 'xx') flags |= XX;
    else if (o === 'ch') ch = true;
    else if (o === 'incr') flags |= INCR;
    else if (o === 'gt') flags |= GT;
    else if (o === 'lt') flags |= LT;
    else break;
  }
  const nx = (flags & NX) !== 0;
  const xx = (flags & XX) !== 0;
  const gt = (flags & GT) !== 0;
  const lt = (flags & LT) !== 0;
  const incr = (flags & INCR) !== 0;
  const args = argv.length - idx;
  if (args === 0 || args % 2 !== 0) throw new RedisError(ERR.syntax);
  const elements = args / 2;
  if (nx && xx) throw new RedisError('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    throw new RedisError('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (incr && elements > 1) throw new RedisError('ERR INCR option supports a single increment-element pair');
  // Every score is checked before anything changes: the command applies fully or not at all.
  const scores: number[] = [];
  for (let j = 0; j < elements; j++) scores.push(floatArg(argv[idx + j * 2]!));

  const db = c.db;
  const key = argv[1]!;
  const limits = c.server.limits;
  let e = writeZset(db, key);
  if (e === undefined) {
    if (xx) {
      if (incr) c.reply.nil();
      else c.reply.int(0);
      return;
    }
    // Sized for the whole command and its first member, as zsetTypeCreate is.
    e = db.add(key, T.ZSet, SortedSet.create(elements, argv[idx + 1]!.length, limits));
  } else {
    const zs = e.value as SortedSet;
    if (zs.listpack && elements > limits.zsetMaxListpackEntries) zs.listpack = false;
  }
  const zs = e.value as SortedSet;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  for (let j = 0; j < elements; j++) {
    const member = argv[idx + 1 + j * 2]!;
    let s = scores[j]!;
    const cur = zs.score(member);
    if (cur !== undefined) {
      if (nx) continue;
      if (incr) {
        s += cur;
        if (Number.isNaN(s)) {
          changed(db, e, added + updated > 0, incr);
          throw new RedisError(ZERR.nan);
        }
      }
      if ((lt && s >= cur) || (gt && s <= cur)) continue;
      if (s !== cur) {
        zs.setScore(member, s);
        updated++;
      }
    } else if (!xx) {
      zs.prepareAdd(member.length, limits);
      zs.add(member, s);
      added++;
    } else {
      continue;
    }
    processed++;
    score = s;
  }
  changed(db, e, added + updated > 0, incr);
  if (incr) {
    if (processed > 0) replyScore(c.reply, score);
    else c.reply.nil();
  } else {
    c.reply.int(ch ? added + updated : added);
  }
}

/** The end of a ZADD: signal and notify when something changed (and never leave an empty key behind). */
function changed(db: Database, e: Entry, any: boolean, incr: boolean): void {
  if (any) {
    db.touched(e.key);
    db.ks.notify(N.zset, incr ? 'zincr' : 'zadd', db, e.key);
  }
  dropIfEmpty(db, e);
}

// ---- ZRANDMEMBER ----

const HALF_LONG_MAX = 4611686018427387903n;

function zrandmember(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (argv.length === 2) {
    const zs = readZset(c.db, key);
    if (zs === undefined) c.reply.nil();
    else c.reply.bulk(zs.randomMember());
    return;
  }
  const raw = randomCountArg(argv[2]!);
  let withScores = false;
  if (argv.length > 4 || (argv.length === 4 && opt(argv[3]!) !== 'withscores')) throw new RedisError(ERR.syntax);
  if (argv.length === 4) {
    withScores = true;
    const big = parseBigInt64(argv[2]!)!;
    if (big < -HALF_LONG_MAX || big > HALF_LONG_MAX) throw new RedisError('ERR value is out of range');
  }
  const zs = readZset(c.db, key);
  const r = c.reply;
  if (zs === undefined || raw === 0 || raw === 0n) {
    r.array(0);
    return;
  }
  const unique = raw > 0;
  // Counts beyond 2^53 cannot be served anyway; a unique one means "everything".
  const count = typeof raw === 'bigint' ? (unique ? Number.MAX_SAFE_INTEGER : -1) : Math.abs(raw);
  const pairs = withScores && r.resp === 3;
  const size = zs.size;
  if (!unique || count === 1) {
    if (typeof raw === 'bigint') throw new RedisError('ERR value is out of range');
    r.array(withScores && !pairs ? count * 2 : count);
    for (let i = 0; i < count; i++) {
      const m = zs.randomMember();
      if (pairs) r.array(2);
      r.bulk(m);
      if (withScores) replyScore(r, zs.score(m)!);
    }
    return;
  }
  if (count >= size) {
    // The whole set, walked from the highest element down as Redis's zset iterator does.
    replyRange(r, zs, size - 1, size, true, withScores);
    return;
  }
  // Distinct random elements in random order.
  const picks = samplePositions(size, count);
  r.array(withScores && !pairs ? count * 2 : count);
  for (const p of picks) {
    const m = zs.memberAt(p);
    if (pairs) r.array(2);
    r.bulk(m);
    if (withScores) replyScore(r, zs.score(m)!);
  }
}

// ---- ZSCAN ----

function zscan(c: Client, argv: string[]): void {
  const cursor = scanCursorArg(argv[2]!);
  const zs = readZset(c.db, argv[1]!);
  const r = c.reply;
  if (zs === undefined) {
    r.array(2);
    r.bulk('0');
    r.array(0);
    return;
  }
  const { count, pattern } = parseScanOptions(argv, 3);
  const out: string[] = [];
  const visit = (member: string, score: number) => {
    if (pattern !== null && !matchGlob(pattern, member)) return;
    out.push(member, formatScore(score));
  };
  let next = 0;
  if (zs.listpack) {
    // A listpack is returned whole, in order, whatever the cursor (as Redis does).
    for (const [m, s] of zs.entries()) visit(m, s);
  } else {
    next = zs.scan(cursor, count, visit);
  }
  r.array(2);
  r.bulk(String(next));
  r.bulks(out);
}

// ---- ZRANK / ZREVRANK ----

function zrank(c: Client, argv: string[], reverse: boolean): void {
  if (argv.length > 4) throw new RedisError(ERR.wrongArity(reverse ? 'zrevrank' : 'zrank'));
  let withScore = false;
  if (argv.length === 4) {
    if (opt(argv[3]!) !== 'withscore') throw new RedisError(ERR.syntax);
    withScore = true;
  }
  const zs = readZset(c.db, argv[1]!);
  const member = argv[2]!;
  const rank = zs === undefined ? -1 : zs.rank(member);
  const r = c.reply;
  if (rank < 0) {
    if (withScore) r.nilArray();
    else r.nil();
    return;
  }
  if (withScore) r.array(2);
  r.int(reverse ? zs!.size - 1 - rank : rank);
  if (withScore) replyScore(r, zs!.score(member)!);
}

const KEY1 = { first: 1, last: 1, step: 1 };

export const sortedSetCommands = defineGroup('sorted-set', [
  {
    // ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
    name: 'zadd',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['sortedset'],
    keys: KEY1,
    keySpecFlags: ['RW', 'update'],
    summary: 'Adds members with scores to a sorted set, or updates the scores of existing members.',
    since: '1.2.0',
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    run(c, argv) {
      zadd(c, argv, 0);
    },
  },
  {
    // ZINCRBY key increment member
    name: 'zincrby',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['sortedset'],
    keys: KEY1,
    keySpecFlags: ['RW', 'access', 'update'],
    summary: "Adds an increment to a member's score, adding the member when missing.",
    since: '1.2.0',
    complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
    run(c, argv) {
      zadd(c, argv, INCR);
    },
  },
  {
    // ZREM key member [member ...]
    name: 'zrem',
    arity: -3,
    flags: ['write', 'fast'],
    acl: ['sortedset'],
    keys: KEY1,
    keySpecFlags: ['RW', 'delete'],
    summary: 'Removes members from a sorted set and reports how many were there.',
    since: '1.2.0',
    complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    run(c, argv) {
      const db = c.db;
      const e = writeZset(db, argv[1]!);
      if (e === undefined) return c.reply.int(0);
      const zs = e.value as SortedSet;
      let n = 0;
      for (let i = 2; i < argv.length && zs.size > 0; i++) if (zs.delete(argv[i]!)) n++;
      if (n > 0) removed(db, e, 'zrem');
      c.reply.int(n);
    },
  },
  {
    // ZCARD key
    name: 'zcard',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['sortedset'],
    keys: KEY1,
    keySpecFlags: ['RO'],
    summary: 'Returns the number of members in a sorted set.',
    since: '1.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      c.reply.int(readZset(c.db, argv[1]!)?.size ?? 0);
    },
  },
  {
    // ZSCORE key member
    name: 'zscore',
    arity: 3,
    flags: ['readonly', 'fast'],
    acl: ['sortedset'],
    keys: KEY1,
    summary: 'Returns the score of a member of a sorted set.',
    since: '1.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      const s = readZset(c.db, argv[1]!)?.score(argv[2]!);
      if (s === undefined) c.reply.nil();
      else replyScore(c.reply, s);
    },
  },
  {
    // ZMSCORE key member [member ...]
    name: 'zmscore',
    arity: -3,
    flags: ['readonly', 'fast'],
    acl: ['sortedset'],
    keys: KEY1,
    summary: 'Returns the scores of several members of a sorted set.',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of members being requested.',
    run(c, argv) {
      const zs = readZset(c.db, argv[1]!);
      const r = c.reply;
      r.array(argv.length - 2);
      for (let i = 2; i < argv.length; i++) {
        const s = zs?.score(argv[i]!);
        if (s === undefined) r.nil();
        else replyScore(r, s);
      }
    },
  },
  {
    // ZRANK key member [WITHSCORE]
    name: 'zrank',
    arity: -3,
    flags: ['readonly', 'fast'],
    acl: ['sortedset'],
    keys: KEY1,
    summary: 'Returns the 0-based position of a member in ascending score order, optionally with its score.',
    since: '2.0.0',
    complexity: 'O(log(N))',
    run(c, argv) {
      zrank(c, argv, false);
    },
  },
  {
    // ZREVRANK key member [WITHSCORE]
    name: 'zrevrank',
    arity: -3,
    flags: ['readonly', 'fast'],
    acl: ['sortedset'],
    keys: KEY1,
    summary: 'Returns the 0-based position of a member in descending score order, optionally with its score.',
    since: '2.0.0',
    complexity: 'O(log(N))',
    run(c, argv) {
      zrank(c, argv, true);
    },
  },
  {
    // ZRANDMEMBER key [count [WITHSCORES]]
    name: 'zrandmember',
    arity: -2,
    flags: ['readonly'],
    acl: ['sortedset'],
    keys: KEY1,
    tips: ['nondeterministic_output'],
    summary: 'Returns random members of a sorted set: distinct ones for a positive count, possibly repeated for a negative one.',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of members returned',
    run: zrandmember,
  },
  {
    // ZSCAN key cursor [MATCH pattern] [COUNT count]
    name: 'zscan',
    arity: -3,
    flags: ['readonly'],
    acl: ['sortedset'],
    keys: KEY1,
    tips: ['nondeterministic_output'],
    summary: 'Walks the members and scores of a sorted set a few at a time from a cursor.',
    since: '2.8.0',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    run: zscan,
  },
]);


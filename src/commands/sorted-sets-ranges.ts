/**
 * Sorted set ranges: ZRANGE (by rank, BYSCORE, BYLEX, REV, LIMIT), its older forms ZREVRANGE, ZRANGEBYSCORE,
 * ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX, the storing ZRANGESTORE, the counts ZCOUNT and ZLEXCOUNT, and
 * the ZREMRANGEBYRANK / SCORE / LEX deletions. All of them run through Redis's zrangeGenericCommand option rules, so the same argument mistakes
 * produce the same errors in the same order.
 *
 * A range reply knows its length before the first element: counts come from ranks (O(log N)), and an offset is
 * applied by rank rather than by walking, so LIMIT with a big offset costs O(log N) too.
 */
import { ERR, RedisError } from '../errors.js';
import type { Client } from '../server/client.js';
import { SortedSet, type LexRange, type ScoreRange } from '../types/sorted-set.js';
import { cstr, floatArg, intArg } from './args.js';
import { defineGroup } from './spec.js';
import { opt, readZset, removed, replyRange, storeZset, writeZset, ZERR } from './sorted-sets.js';

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INF = /^([+-]?)(?:inf|infinity)$/i;

/**
 * A range bound as zslParseRange reads it with strtod: leading spaces skipped, parsing stops at a NUL byte (an
 * empty remainder is 0), out-of-range values become ±inf or 0, nan is refused.
 */
function strtodBound(s: string): number | null {
  const t = cstr(s);
  let i = 0;
  while (i < t.length && isSpace(t.charCodeAt(i))) i++;
  // Nothing to convert: strtod leaves its end pointer at the start, which is only the terminator when empty.
  if (i === t.length) return t.length === 0 ? 0 : null;
  const body = i === 0 ? t : t.slice(i);
  if (DECIMAL.test(body)) return Number(body);
  const m = INF.exec(body);
  if (m) return m[1] === '-' ? -Infinity : Infinity;
  // Hex floats: the strict parser handles them (they cannot overflow in practice).
  try {
    return floatArg(body);
  } catch {
    return null;
  }
}

/** `min max` of ZRANGEBYSCORE and friends: `(` makes a bound exclusive. */
export function parseScoreRange(minArg: string, maxArg: string): ScoreRange {
  const minex = minArg.charCodeAt(0) === 40;
  const maxex = maxArg.charCodeAt(0) === 40;
  const min = strtodBound(minex ? minArg.slice(1) : minArg);
  const max = strtodBound(maxex ? maxArg.slice(1) : maxArg);
  if (min === null || max === null) throw new RedisError(ZERR.notFloatRange);
  return { min, max, minex, maxex };
}

/** One lex bound: `[x` inclusive, `(x` exclusive, `-` / `+` the infinite ends. Null when malformed. */
function lexBound(s: string): { v: string; kind: number; ex: boolean } | null {
  const c = s.charCodeAt(0);
  // `+` and `-` must stand alone (C string rules: a NUL byte ends them too).
  if (c === 43 || c === 45) return s.length === 1 || s.charCodeAt(1) === 0 ? { v: '', kind: c === 43 ? 1 : -1, ex: true } : null;
  if (c === 40) return { v: s.slice(1), kind: 0, ex: true };
  if (c === 91) return { v: s.slice(1), kind: 0, ex: false };
  return null;
}

export function parseLexRange(minArg: string, maxArg: string): LexRange {
  const a = lexBound(minArg);
  const b = lexBound(maxArg);
  if (a === null || b === null) throw new RedisError(ZERR.notLexRange);
  return { min: a.v, minKind: a.kind, minex: a.ex, max: b.v, maxKind: b.kind, maxex: b.ex };
}


const enum By {
  Auto = 0,
  Rank = 1,
  Score = 2,
  Lex = 3,
}

const enum Dir {
  Auto = 0,
  Forward = 1,
  Reverse = 2,
}

/** Where a range starts (the rank walked from first) and how many elements it holds. */
interface Span {
  start: number;
  count: number;
}

const EMPTY: Span = { start: 0, count: 0 };

/** Ranks start..end (negative from the end, clamped), counted from the bottom, or from the top when `reverse`. */
function rankSpan(zs: SortedSet, start: number, end: number, reverse: boolean): Span {
  const len = zs.size;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return EMPTY;
  if (end >= len) end = len - 1;
  return { start: reverse ? len - 1 - start : start, count: end - start + 1 };
}

/**
 * Applies LIMIT to the ranks [first, first + total) walked upwards, or downwards from the top when `reverse`.
 * Redis skips `offset` elements one by one, so a negative offset exhausts the range; a negative count means all.
 */
function limitSpan(first: number, total: number, reverse: boolean, offset: number, limit: number): Span {
  if (offset < 0 || offset >= total) return EMPTY;
  const avail = total - offset;
  const count = limit < 0 ? avail : Math.min(limit, avail);
  if (count === 0) return EMPTY;
  return { start: reverse ? first + total - 1 - offset : first + offset, count };
}

/** The shared body of every ZRANGE form. `first` is the index of the source key; `dst` is set for ZRANGESTORE. */
function zrange(c: Client, argv: string[], first: number, dst: string | null, by: By, dir: Dir): void {
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = first + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const o = opt(argv[j]!);
    if (dst === null && o === 'withscores') {
      withScores = true;
    } else if (o === 'limit' && left >= 2) {
      offset = intArg(argv[j + 1]!);
      limit = intArg(argv[j + 2]!);
      j += 2;
    } else if (dir === Dir.Auto && o === 'rev') {
      dir = Dir.Reverse;
    } else if (by === By.Auto && o === 'bylex') {
      by = By.Lex;
    } else if (by === By.Auto && o === 'byscore') {
      by = By.Score;
    } else {
      throw new RedisError(ERR.syntax);
    }
  }
  if (by === By.Auto) by = By.Rank;
  const reverse = dir === Dir.Reverse;
  // `LIMIT x -1` is Redis's "no limit" value, so it passes this check even for a rank range.
  if (limit !== -1 && by === By.Rank) {
    throw new RedisError('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withScores && by === By.Lex) throw new RedisError('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  // Score and lex ranges are given as max, min when reversed.
  let minArg = argv[first + 1]!;
  let maxArg = argv[first + 2]!;
  if (reverse && by !== By.Rank) [minArg, maxArg] = [maxArg, minArg];

  let span: (zs: SortedSet) => Span;
  if (by === By.Rank) {
    const start = intArg(minArg);
    const end = intArg(maxArg);
    span = (zs) => rankSpan(zs, start, end, reverse);
  } else if (by === By.Score) {
    const range = parseScoreRange(minArg, maxArg);
    span = (zs) => {
      const { first: f, count } = zs.scoreRange(range);
      return limitSpan(f, count, reverse, offset, limit);
    };
  } else {
    const range = parseLexRange(minArg, maxArg);
    span = (zs) => {
      const { first: f, count } = zs.lexRange(range);
      return limitSpan(f, count, reverse, offset, limit);
    };
  }

  const zs = readZset(c.db, argv[first]!);
  const s = zs === undefined ? EMPTY : span(zs);
  if (dst === null) {
    replyRange(c.reply, zs, s.start, s.count, reverse, withScores);
    return;
  }
  // ZRANGESTORE: a new set in the source's order, encoded as Redis would after inserting each element.
  const limits = c.server.limits;
  const out = SortedSet.create(s.count, 0, limits);
  if (zs !== undefined) {
    zs.walk(s.start, s.count, reverse, (member, score) => {
      out.prepareAdd(member.length, limits);
      out.add(member, score);
    });
  }
  storeZset(c.db, dst, out, 'zrangestore');
  c.reply.int(out.size);
}

/** ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX: the range is parsed before the key is looked up. */
function zremrange(c: Client, argv: string[], by: By): void {
  let remove: (zs: SortedSet) => number;
  if (by === By.Rank) {
    let start = intArg(argv[2]!);
    let end = intArg(argv[3]!);
    remove = (zs) => {
      const len = zs.size;
      if (start < 0) start += len;
      if (end < 0) end += len;
      if (start < 0) start = 0;
      if (start > end || start >= len) return 0;
      if (end >= len) end = len - 1;
      return zs.deleteRangeByRank(start, end);
    };
  } else if (by === By.Score) {
    const range = parseScoreRange(argv[2]!, argv[3]!);
    remove = (zs) => zs.deleteRangeByScore(range);
  } else {
    const range = parseLexRange(argv[2]!, argv[3]!);
    remove = (zs) => zs.deleteRangeByLex(range);
  }
  const db = c.db;
  const e = writeZset(db, argv[1]!);
  if (e === undefined) return c.reply.int(0);
  const n = remove(e.value as SortedSet);
  if (n > 0) removed(db, e, by === By.Rank ? 'zremrangebyrank' : by === By.Score ? 'zremrangebyscore' : 'zremrangebylex');
  c.reply.int(n);
}

const KEY1 = { first: 1, last: 1, step: 1 };
const RANGE_COMPLEXITY = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.';
const REMOVE_COMPLEXITY = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.';

export const sortedSetRangeCommands = defineGroup('sorted-set', [
  {
    // ZCOUNT key min max
    name: 'zcount',
    arity: 4,
    flags: ['readonly', 'fast'],
    acl: ['sortedset'],
    keys: KEY1,
    summary: 'Counts the members whose scores fall within a range.',
    since: '2.0.0',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    run(c, argv) {
      const range = parseScoreRange(argv[2]!, argv[3]!);
      c.reply.int(readZset(c.db, argv[1]!)?.countInRange(range) ?? 0);
    },
  },
  {
    // ZLEXCOUNT key min max
    name: 'zlexcount',
    arity: 4,
    flags: ['readonly', 'fast'],
    acl: ['sortedset'],
    keys: KEY1,
    summary: 'Counts the members within a lexicographical range (for sets whose scores are all equal).',
    since: '2.8.9',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    run(c, argv) {
      const range = parseLexRange(argv[2]!, argv[3]!);
      c.reply.int(readZset(c.db, argv[1]!)?.countInLex(range) ?? 0);
    },
  },
  {
    // ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
    name: 'zrange',
    arity: -4,
    flags: ['readonly'],
    acl: ['sortedset'],
    keys: KEY1,
    summary: 'Returns members of a sorted set in a range of ranks, scores or lexicographical values.',
    since: '1.2.0',
    complexity: RANGE_COMPLEXITY,
    run(c, argv) {
      zrange(c, argv, 1, null, By.Auto, Dir.Auto);
    },
  },
  {
    // ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
    name: 'zrangestore',
    arity: -5,
    flags: ['write', 'denyoom'],
    acl: ['sortedset'],
    keys: { first: 1, last: 2, step: 1 },
    keySpecFlags: ['OW', 'update'],
    summary: 'Stores a range of a sorted set (by rank, score or lexicographical value) under another key.',
    since: '6.2.0',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
    run(c, argv) {
      zrange(c, argv, 2, argv[1]!, By.Auto, Dir.Auto);
    },
  },
  {
    // ZREVRANGE key start stop [WITHSCORES]
    name: 'zrevrange',
    arity: -4,
    flags: ['readonly'],
    acl: ['sortedset'],
    keys: KEY1,
    summary: 'Returns members of a sorted set in a range of ranks counted from the highest score.',
    since: '1.2.0',
    complexity: RANGE_COMPLEXITY,
    run(c, argv) {
      zrange(c, argv, 1, null, By.Rank, Dir.Reverse);
    },
  },
  {
    // ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
    name: 'zrangebyscore',
    arity: -4,
    flags: ['readonly'],
    acl: ['sortedset'],
    keys: KEY1,
    summary: 'Returns members of a sorted set whose scores fall within a range, lowest first.',
    since: '1.0.5',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    run(c, argv) {
      zrange(c, argv, 1, null, By.Score, Dir.Forward);
    },
  },
  {
    // ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
    name: 'zrevrangebyscore',
    arity: -4,
    flags: ['readonly'],
    acl: ['sortedset'],
    keys: KEY1,
    summary: 'Returns members of a sorted set whose scores fall within a range, highest first.',
    since: '2.2.0',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    run(c, argv) {
      zrange(c, argv, 1, null, By.Score, Dir.Reverse);
    },
  },
  {
    // ZRANGEBYLEX key min max [LIMIT offset count]
    name: 'zrangebylex',
    arity: -4,
    flags: ['readonly'],
    acl: ['sortedset'],
    keys: KEY1,
    summary: 'Returns members of a sorted set within a lexicographical range, in ascending order.',
    since: '2.8.9',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    run(c, argv) {
      zrange(c, argv, 1, null, By.Lex, Dir.Forward);
    },
  },
  {
    // ZREVRANGEBYLEX key max min [LIMIT offset count]
    name: 'zrevrangebylex',
    arity: -4,
    flags: ['readonly'],
    acl: ['sortedset'],
    keys: KEY1,
    summary: 'Returns members of a sorted set within a lexicographical range, in descending order.',
    since: '2.8.9',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    run(c, argv) {
      zrange(c, argv, 1, null, By.Lex, Dir.Reverse);
    },
  },
  {
    // ZREMRANGEBYRANK key start stop
    name: 'zremrangebyrank',
    arity: 4,
    flags: ['write'],
    acl: ['sortedset'],
    keys: KEY1,
    keySpecFlags: ['RW', 'delete'],
    summary: 'Removes the members of a sorted set within a range of ranks.',
    since: '2.0.0',
    complexity: REMOVE_COMPLEXITY,
    run(c, argv) {
      zremrange(c, argv, By.Rank);
    },
  },
  {
    // ZREMRANGEBYSCORE key min max
    name: 'zremrangebyscore',
    arity: 4,
    flags: ['write'],
    acl: ['sortedset'],
    keys: KEY1,
    keySpecFlags: ['RW', 'delete'],
    summary: 'Removes the members of a sorted set whose scores fall within a range.',
    since: '1.2.0',
    complexity: REMOVE_COMPLEXITY,
    run(c, argv) {
      zremrange(c, argv, By.Score);
    },
  },
  {
    // ZREMRANGEBYLEX key min max
    name: 'zremrangebylex',
    arity: 4,
    flags: ['write'],
    acl: ['sortedset'],
    keys: KEY1,
    keySpecFlags: ['RW', 'delete'],
    summary: 'Removes the members of a sorted set within a lexicographical range.',
    since: '2.8.9',
    complexity: REMOVE_COMPLEXITY,
    run(c, argv) {
      zremrange(c, argv, By.Lex);
    },
  },
]);

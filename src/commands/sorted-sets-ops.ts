/**
 * Sorted set algebra: ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD, following Redis's
 * zunionInterDiffGenericCommand: plain sets are accepted as inputs (every member scoring 1), WEIGHTS multiply
 * each input's scores, AGGREGATE SUM|MIN|MAX combines them, and inf + -inf (or inf × 0) counts as 0 rather
 * than NaN.
 */
import { ERR, RedisError } from '../errors.js';
import { T } from '../keyspace/entry.js';
import type { Reply } from '../protocol/reply.js';
import type { Client } from '../server/client.js';
import type { SetValue } from '../types/set.js';
import { SortedSet } from '../types/sorted-set.js';
import { floatArg, intArg } from './args.js';
import { defineGroup } from './spec.js';
import { numkeysKeys, opt, replyScore, storeZset } from './sorted-sets.js';

const enum Op {
  Union = 0,
  Inter = 1,
  Diff = 2,
}

const enum Agg {
  Sum = 0,
  Min = 1,
  Max = 2,
}

/** One input: a sorted set, a set, or nothing (a missing key is an empty input). */
interface Source {
  zs: SortedSet | null;
  set: SetValue | null;
  weight: number;
  size: number;
}

/** The score of `m` in `src`, or undefined. */
function find(src: Source, m: string): number | undefined {
  if (src.zs !== null) return src.zs.score(m);
  if (src.set !== null) return src.set.has(m) ? 1 : undefined;
  return undefined;
}

/** Visits every element of `src` in Redis's iterator order (a sorted set from its highest element down). */
function each(src: Source, visit: (m: string, score: number) => void): void {
  if (src.zs !== null) {
    src.zs.walk(src.zs.size - 1, src.zs.size, true, visit);
  } else if (src.set !== null) {
    for (const m of src.set) visit(m, 1);
  }
}

function aggregate(target: number, v: number, agg: Agg): number {
  if (agg === Agg.Sum) {
    const t = target + v;
    return Number.isNaN(t) ? 0 : t;
  }
  if (agg === Agg.Min) return v < target ? v : target;
  return v > target ? v : target;
}

/**
 * The shared body. `numkeysAt` is the index of numkeys; `dst` is the destination of the STORE forms;
 * `cardOnly` is ZINTERCARD.
 */
function zsetOp(c: Client, argv: string[], numkeysAt: number, dst: string | null, op: Op, cardOnly: boolean): void {
  const name = argv[0]!.toLowerCase();
  const numkeys = intArg(argv[numkeysAt]!);
  if (numkeys < 1) throw new RedisError(`ERR at least 1 input key is needed for '${name}' command`);
  if (numkeys > argv.length - numkeysAt - 1) throw new RedisError(ERR.syntax);
  const db = c.db;
  const srcs: Source[] = [];
  // Inputs are looked up (and type-checked) before the options are parsed.
  for (let i = 0; i < numkeys; i++) {
    const e = db.read(argv[numkeysAt + 1 + i]!);
    let zs: SortedSet | null = null;
    let set: SetValue | null = null;
    if (e !== undefined) {
      if (e.type === T.ZSet) zs = e.value as SortedSet;
      else if (e.type === T.Set) set = e.value as SetValue;
      else throw new RedisError(ERR.wrongType);
    }
    srcs.push({ zs, set, weight: 1, size: zs !== null ? zs.size : set !== null ? set.size : 0 });
  }
  let agg = Agg.Sum;
  let withScores = false;
  let limit = 0;
  let j = numkeysAt + 1 + numkeys;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const o = opt(argv[j]!);
    if (op !== Op.Diff && !cardOnly && remaining >= numkeys + 1 && o === 'weights') {
      j++;
      for (let i = 0; i < numkeys; i++, j++) srcs[i]!.weight = floatArg(argv[j]!, 'ERR weight value is not a float');
    } else if (op !== Op.Diff && !cardOnly && remaining >= 2 && o === 'aggregate') {
      const a = opt(argv[j + 1]!);
      if (a === 'sum') agg = Agg.Sum;
      else if (a === 'min') agg = Agg.Min;
      else if (a === 'max') agg = Agg.Max;
      else throw new RedisError(ERR.syntax);
      j += 2;
    } else if (dst === null && !cardOnly && o === 'withscores') {
      withScores = true;
      j++;
    } else if (cardOnly && remaining >= 2 && o === 'limit') {
      let v: number;
      try {
        v = intArg(argv[j + 1]!);
      } catch {
        throw new RedisError("ERR LIMIT can't be negative");
      }
      if (v < 0) throw new RedisError("ERR LIMIT can't be negative");
      limit = v;
      j += 2;
    } else {
      throw new RedisError(ERR.syntax);
    }
  }
  // Smallest inputs first (a stable sort, like the qsort Redis gets from glibc for these sizes).
  if (op !== Op.Diff) srcs.sort((a, b) => a.size - b.size);

  const members: string[] = [];
  const scores: number[] = [];
  let card = 0;
  if (op === Op.Inter) {
    const first = srcs[0]!;
    if (first.size > 0) {
      try {
        each(first, (m, s) => {
          let score = first.weight * s;
          if (Number.isNaN(score)) score = 0;
          let k = 1;
          for (; k < srcs.length; k++) {
            const other = srcs[k]!;
            // The same key given twice is the same object: its score is known without a lookup.
            let v: number | undefined;
            if ((other.zs !== null && other.zs === first.zs) || (other.set !== null && other.set === first.set)) v = s;
            else v = find(other, m);
            if (v === undefined) break;
            score = aggregate(score, v * other.weight, agg);
          }
          if (k < srcs.length) return;
          if (cardOnly) {
            card++;
            if (limit > 0 && card >= limit) throw STOP;
          } else {
            members.push(m);
            scores.push(score);
          }
        });
      } catch (err) {
        if (err !== STOP) throw err;
      }
    }
  } else if (op === Op.Union) {
    const acc = new Map<string, number>();
    for (const src of srcs) {
      if (src.size === 0) continue;
      each(src, (m, s) => {
        let score = src.weight * s;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(m);
        acc.set(m, cur === undefined ? score : aggregate(cur, score, agg));
      });
    }
    for (const [m, s] of acc) {
      members.push(m);
      scores.push(s);
    }
  } else {
    const first = srcs[0]!;
    if (first.size > 0) {
      each(first, (m, s) => {
        for (let k = 1; k < srcs.length; k++) if (find(srcs[k]!, m) !== undefined) return;
        members.push(m);
        scores.push(s);
      });
    }
  }

  if (cardOnly) {
    c.reply.int(card);
    return;
  }
  // Order by score, then member bytes.
  const order = members.map((_, i) => i);
  order.sort((a, b) => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    if (sa !== sb) return sa < sb ? -1 : 1;
    const ma = members[a]!;
    const mb = members[b]!;
    return ma < mb ? -1 : ma > mb ? 1 : 0;
  });
  if (dst !== null) {
    // Built as a skiplist, then turned into a listpack when small enough (zsetConvertToListpackIfNeeded).
    const out = new SortedSet(false);
    let maxLen = 0;
    for (const i of order) {
      const m = members[i]!;
      out.add(m, scores[i]!);
      if (m.length > maxLen) maxLen = m.length;
    }
    out.compactIfSmall(maxLen, c.server.limits);
    storeZset(db, dst, out, op === Op.Union ? 'zunionstore' : op === Op.Inter ? 'zinterstore' : 'zdiffstore');
    c.reply.int(out.size);
    return;
  }
  replyPairs(c.reply, members, scores, order, withScores);
}

/** Thrown to leave an iteration early (ZINTERCARD's LIMIT). */
const STOP = new Error('stop');

function replyPairs(r: Reply, members: string[], scores: number[], order: number[], withScores: boolean): void {
  const pairs = withScores && r.resp === 3;
  r.array(withScores && !pairs ? order.length * 2 : order.length);
  for (const i of order) {
    if (pairs) r.array(2);
    r.bulk(members[i]!);
    if (withScores) replyScore(r, scores[i]!);
  }
}

/** Keys of the STORE forms: the destination, then `numkeys` inputs after the count at index 2. */
function storeKeys(argv: string[]): number[] {
  return [1, ...numkeysKeys(2)(argv)];
}

const OP_COMPLEXITY = {
  union: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
  inter: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
  diff: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
};

const NO_KEYS = { first: 0, last: 0, step: 0 };
const DST_KEY = { first: 1, last: 1, step: 1 };

export const sortedSetOpCommands = defineGroup('sorted-set', [
  {
    // ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
    name: 'zunion',
    arity: -3,
    flags: ['readonly'],
    acl: ['sortedset'],
    keys: NO_KEYS,
    getKeys: numkeysKeys(1),
    summary: 'Returns the union of several sorted sets (or sets), with combined scores.',
    since: '6.2.0',
    complexity: OP_COMPLEXITY.union,
    run(c, argv) {
      zsetOp(c, argv, 1, null, Op.Union, false);
    },
  },
  {
    // ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
    name: 'zinter',
    arity: -3,
    flags: ['readonly'],
    acl: ['sortedset'],
    keys: NO_KEYS,
    getKeys: numkeysKeys(1),
    summary: 'Returns the members common to several sorted sets (or sets), with combined scores.',
    since: '6.2.0',
    complexity: OP_COMPLEXITY.inter,
    run(c, argv) {
      zsetOp(c, argv, 1, null, Op.Inter, false);
    },
  },
  {
    // ZDIFF numkeys key [key ...] [WITHSCORES]
    name: 'zdiff',
    arity: -3,
    flags: ['readonly'],
    acl: ['sortedset'],
    keys: NO_KEYS,
    getKeys: numkeysKeys(1),
    summary: 'Returns the members of the first sorted set that are in none of the others.',
    since: '6.2.0',
    complexity: OP_COMPLEXITY.diff,
    run(c, argv) {
      zsetOp(c, argv, 1, null, Op.Diff, false);
    },
  },
  {
    // ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]
    name: 'zunionstore',
    arity: -4,
    flags: ['write', 'denyoom'],
    acl: ['sortedset'],
    keys: DST_KEY,
    getKeys: storeKeys,
    keySpecFlags: ['OW', 'update'],
    summary: 'Stores the union of several sorted sets (or sets) under a key.',
    since: '2.0.0',
    complexity: OP_COMPLEXITY.union,
    run(c, argv) {
      zsetOp(c, argv, 2, argv[1]!, Op.Union, false);
    },
  },
  {
    // ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]
    name: 'zinterstore',
    arity: -4,
    flags: ['write', 'denyoom'],
    acl: ['sortedset'],
    keys: DST_KEY,
    getKeys: storeKeys,
    keySpecFlags: ['OW', 'update'],
    summary: 'Stores the members common to several sorted sets (or sets) under a key.',
    since: '2.0.0',
    complexity: OP_COMPLEXITY.inter,
    run(c, argv) {
      zsetOp(c, argv, 2, argv[1]!, Op.Inter, false);
    },
  },
  {
    // ZDIFFSTORE destination numkeys key [key ...]
    name: 'zdiffstore',
    arity: -4,
    flags: ['write', 'denyoom'],
    acl: ['sortedset'],
    keys: DST_KEY,
    getKeys: storeKeys,
    keySpecFlags: ['OW', 'update'],
    summary: 'Stores the members of the first sorted set that are in none of the others under a key.',
    since: '6.2.0',
    complexity: OP_COMPLEXITY.diff,
    run(c, argv) {
      zsetOp(c, argv, 2, argv[1]!, Op.Diff, false);
    },
  },
  {
    // ZINTERCARD numkeys key [key ...] [LIMIT limit]
    name: 'zintercard',
    arity: -3,
    flags: ['readonly'],
    acl: ['sortedset'],
    keys: NO_KEYS,
    getKeys: numkeysKeys(1),
    summary: 'Counts the members common to several sorted sets (or sets), optionally stopping at a limit.',
    since: '7.0.0',
    complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
    run(c, argv) {
      zsetOp(c, argv, 1, null, Op.Inter, true);
    },
  },
]);


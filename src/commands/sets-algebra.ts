/**
 * Multi-set commands: SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE. They follow Redis's
 * algorithms closely because the algorithm decides the reply order and the encoding of a stored result: the
 * intersection walks the smallest set, union and difference build a new set that starts as an intset.
 */
import { ERR, RedisError } from '../errors.js';
import type { Database } from '../keyspace/database.js';
import { Entry, T } from '../keyspace/entry.js';
import { N } from '../keyspace/notify.js';
import type { Client } from '../server/client.js';
import { SetEnc, SetValue, isInt64, type SetLimits } from '../types/set.js';
import { cstr, is, parseInt64 } from './args.js';
import { defineGroup } from './spec.js';
import { replyMembers } from './sets.js';

/**
 * Looks up every key as a read (counting hits and misses); WRONGTYPE as soon as one holds another type, even
 * after a missing key. Missing keys are undefined.
 */
function lookupSets(db: Database, argv: string[], from: number, to: number): (SetValue | undefined)[] {
  const sets: (SetValue | undefined)[] = [];
  for (let i = from; i < to; i++) {
    const e = db.read(argv[i]!);
    if (e !== undefined && e.type !== T.Set) throw new RedisError(ERR.wrongType);
    sets.push(e === undefined ? undefined : (e.value as SetValue));
  }
  return sets;
}

/**
 * Stores a non-empty result at `dst`, replacing any value of any type and its TTL; an empty one deletes `dst`.
 * `event` names the keyspace notification (sinterstore, sunionstore, sdiffstore).
 */
function storeResult(c: Client, dst: string, result: SetValue, event: string): void {
  const db = c.db;
  if (result.size > 0) {
    // Replaces whatever `dst` held (a "new" key event only when it did not exist), dropping its TTL.
    db.insert(new Entry(dst, T.Set, result, db.ks.now));
    db.touched(dst, N.set, event);
    c.reply.int(result.size);
  } else {
    if (db.delete(dst)) db.touched(dst, N.generic, 'del');
    c.reply.int(0);
  }
}

const enum Mode {
  Reply,
  Store,
  Card,
}

/** SINTER, SINTERSTORE and SINTERCARD. `limit` 0 means no limit (SINTERCARD only). */
function inter(c: Client, argv: string[], from: number, to: number, mode: Mode, limit = 0): void {
  const sets = lookupSets(c.db, argv, from, to);
  const dst = mode === Mode.Store ? argv[1]! : '';
  // An intersection with a missing (empty) set is empty.
  if (sets.includes(undefined)) {
    if (mode === Mode.Store) storeResult(c, dst, new SetValue(SetEnc.Intset), 'sinterstore');
    else if (mode === Mode.Card) c.reply.int(0);
    else c.reply.set(0);
    return;
  }
  const all = (sets as SetValue[]).sort((a, b) => a.size - b.size);
  const first = all[0]!;
  const n = all.length;
  const limits = c.server.limits;
  let card = 0;
  const found: string[] = [];
  // A stored result starts as an intset when the smallest set is one, else as a listpack.
  const result = mode === Mode.Store ? new SetValue(first.enc === SetEnc.Intset ? SetEnc.Intset : SetEnc.Listpack) : null;
  let onlyIntegers = true;
  for (const m of first) {
    let j = 1;
    for (; j < n; j++) {
      const s = all[j]!;
      if (s !== first && !s.has(m)) break;
    }
    if (j < n) continue;
    if (mode === Mode.Card) {
      if (++card === limit) break;
    } else if (result !== null) {
      if (onlyIntegers && !isInt64(m)) onlyIntegers = false;
      result.add(m, limits);
    } else {
      found.push(m);
    }
  }
  if (mode === Mode.Card) {
    c.reply.int(card);
  } else if (result !== null) {
    // An all-integer result goes back to an intset when it is small enough for one.
    if (onlyIntegers && result.size > 0) result.maybeIntset(limits);
    storeResult(c, dst, result, 'sinterstore');
  } else {
    c.reply.set(found.length);
    for (const m of found) c.reply.bulk(m);
  }
}

/** SUNION and SUNIONSTORE, SDIFF and SDIFFSTORE. */
function unionOrDiff(c: Client, argv: string[], from: number, store: boolean, diff: boolean): void {
  const sets = lookupSets(c.db, argv, from, argv.length);
  const limits = c.server.limits;
  let result: SetValue;
  if (!diff) {
    result = SetValue.union(sets, limits);
  } else {
    result = new SetValue(SetEnc.Intset);
    const first = sets[0];
    // The same key given again subtracts the first set from itself.
    const sameSet = first !== undefined && sets.indexOf(first, 1) > 0;
    if (first !== undefined && !sameSet) difference(first, sets, result, limits);
  }
  if (store) storeResult(c, argv[1]!, result, diff ? 'sdiffstore' : 'sunionstore');
  else replyMembers(c, result);
}

/**
 * `first` minus the other sets into `out`, with Redis's choice of algorithm: testing each member of the first set
 * against the others (sorted biggest first), or copying the first set and removing the others' members.
 */
function difference(first: SetValue, sets: (SetValue | undefined)[], out: SetValue, limits: SetLimits): void {
  let oneWork = 0;
  let twoWork = 0;
  for (const s of sets) {
    if (s === undefined) continue;
    oneWork += first.size;
    twoWork += s.size;
  }
  // Testing membership has better constants, so it gets an advantage.
  oneWork = Math.floor(oneWork / 2);
  if (oneWork <= twoWork) {
    const others = sets.slice(1).sort((a, b) => (b?.size ?? 0) - (a?.size ?? 0));
    for (const m of first) {
      let keep = true;
      for (const s of others) {
        if (s === undefined) continue;
        if (s.has(m)) {
          keep = false;
          break;
        }
      }
      if (keep) out.add(m, limits);
    }
    return;
  }
  for (const m of first) out.add(m, limits);
  for (let j = 1; j < sets.length; j++) {
    const s = sets[j];
    if (s === undefined) continue;
    for (const m of s) out.delete(m);
    if (out.size === 0) break;
  }
}

/** SINTERCARD's keys: `numkeys` keys after the count, when the count is valid. */
function interCardKeys(argv: string[]): number[] {
  const n = parseInt64(argv[1] ?? '');
  if (n === null || n < 1 || n > argv.length - 2) return [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(2 + i);
  return out;
}

const ALL_KEYS = { first: 1, last: -1, step: 1 };

export const setAlgebraCommands = defineGroup('set', [
  {
    // SINTER key [key ...]
    name: 'sinter',
    arity: -2,
    flags: ['readonly'],
    acl: ['set'],
    keys: ALL_KEYS,
    tips: ['nondeterministic_output_order'],
    summary: 'Returns the members common to all the given sets.',
    since: '1.0.0',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    run(c, argv) {
      inter(c, argv, 1, argv.length, Mode.Reply);
    },
  },
  {
    // SINTERCARD numkeys key [key ...] [LIMIT limit]
    name: 'sintercard',
    arity: -3,
    flags: ['readonly'],
    acl: ['set'],
    keys: { first: 0, last: 0, step: 0 },
    getKeys: interCardKeys,
    summary: 'Counts the members common to all the given sets, optionally stopping at a limit.',
    since: '7.0.0',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    run(c, argv) {
      const numkeys = parseInt64(argv[1]!);
      if (numkeys === null || numkeys < 1) throw new RedisError('ERR numkeys should be greater than 0');
      if (numkeys > argv.length - 2) throw new RedisError("ERR Number of keys can't be greater than number of args");
      let limit = 0;
      for (let i = 2 + numkeys; i < argv.length; i++) {
        if (is(cstr(argv[i]!), 'limit') && i + 1 < argv.length) {
          const v = parseInt64(argv[++i]!);
          if (v === null || v < 0) throw new RedisError("ERR LIMIT can't be negative");
          limit = v;
        } else {
          throw new RedisError(ERR.syntax);
        }
      }
      inter(c, argv, 2, 2 + numkeys, Mode.Card, limit);
    },
  },
  {
    // SINTERSTORE destination key [key ...]
    name: 'sinterstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: ['set'],
    keys: ALL_KEYS,
    keySpecFlags: ['RW', 'update'],
    summary: 'Stores the members common to all the given sets under a key; replies with their number.',
    since: '1.0.0',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    run(c, argv) {
      inter(c, argv, 2, argv.length, Mode.Store);
    },
  },
  {
    // SUNION key [key ...]
    name: 'sunion',
    arity: -2,
    flags: ['readonly'],
    acl: ['set'],
    keys: ALL_KEYS,
    tips: ['nondeterministic_output_order'],
    summary: 'Returns the members found in any of the given sets.',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    run(c, argv) {
      unionOrDiff(c, argv, 1, false, false);
    },
  },
  {
    // SUNIONSTORE destination key [key ...]
    name: 'sunionstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: ['set'],
    keys: ALL_KEYS,
    keySpecFlags: ['OW', 'update'],
    summary: 'Stores the members found in any of the given sets under a key; replies with their number.',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    run(c, argv) {
      unionOrDiff(c, argv, 2, true, false);
    },
  },
  {
    // SDIFF key [key ...]
    name: 'sdiff',
    arity: -2,
    flags: ['readonly'],
    acl: ['set'],
    keys: ALL_KEYS,
    tips: ['nondeterministic_output_order'],
    summary: 'Returns the members of the first set that are in none of the others.',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    run(c, argv) {
      unionOrDiff(c, argv, 1, false, true);
    },
  },
  {
    // SDIFFSTORE destination key [key ...]
    name: 'sdiffstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: ['set'],
    keys: ALL_KEYS,
    keySpecFlags: ['OW', 'update'],
    summary: 'Stores the members of the first set that are in none of the others; replies with their number.',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    run(c, argv) {
      unionOrDiff(c, argv, 2, true, true);
    },
  },
]);

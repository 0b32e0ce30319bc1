/**
 * List commands: pushes (LPUSH, RPUSH, LPUSHX, RPUSHX), pops (LPOP, RPOP with count), reads (LLEN, LRANGE, LINDEX,
 * LPOS) and edits (LSET, LREM, LTRIM, LINSERT). Moves, LMPOP and the blocking commands live in lists-blocking.ts.
 * The value is a List (types/list.ts): a ring-buffer deque that also tracks Redis 7.2's listpack/quicklist
 * encoding, so every change reports its size to it the way Redis checks conversions.
 */
import { ERR, RedisError } from '../errors.js';
import type { Database } from '../keyspace/database.js';
import { T, type Entry } from '../keyspace/entry.js';
import { N } from '../keyspace/notify.js';
import type { Client } from '../server/client.js';
import { List } from '../types/list.js';
import { cstr, intArg, is, kw, parseInt64 } from './args.js';
import { defineGroup } from './spec.js';

const LONG_MIN_TEXT = '-9223372036854775808';

/** The list at `key` for a read command (counts a hit or miss); WRONGTYPE for other types. */
export function readList(db: Database, key: string): List | undefined {
  const e = db.read(key);
  if (e === undefined) return undefined;
  if (e.type !== T.List) throw new RedisError(ERR.wrongType);
  return e.value as List;
}

/** The list entry at `key` for a write command; WRONGTYPE for other types. */
export function writeList(db: Database, key: string): Entry | undefined {
  const e = db.get(key);
  if (e !== undefined && e.type !== T.List) throw new RedisError(ERR.wrongType);
  return e;
}

/** `list-max-listpack-size`, the threshold of the listpack encoding. */
export function listFill(c: Client): number {
  return c.server.limits.listMaxListpackSize;
}

/**
 * After elements left the list at `e` (Redis's listElementsRemoved and friends): the list event (`lpop`, `lrem`,
 * …), then an emptied list is deleted (with its `del` event) or a smaller one may go back to listpack; the key is
 * signaled as modified either way.
 */
export function listShrank(c: Client, e: Entry, event: string): void {
  const db = c.db;
  const l = e.value as List;
  db.ks.notify(N.list, event, db, e.key);
  if (l.length === 0) {
    db.delete(e.key);
    db.ks.notify(N.generic, 'del', db, e.key);
  } else {
    l.shrinking(listFill(c));
  }
  db.touched(e.key);
}

/** After a change that does not shrink the list (pushes, LSET, LINSERT): the event and the modified signal. */
export function listChanged(c: Client, key: string, event: string): void {
  c.db.touched(key);
  c.db.ks.notify(N.list, event, c.db, key);
}

/**
 * A long argument in [0, LONG_MAX] (getPositiveLongFromObjectOrReply): anything else — not an integer or negative
 * — is `msg`.
 */
export function positiveArg(s: string, msg: string): number {
  const v = parseInt64(s);
  if (v === null || v < 0) throw new RedisError(msg);
  return v;
}

/** A long in [-LONG_MAX, LONG_MAX] (getRangeLongFromObjectOrReply without a message). */
function symmetricLongArg(s: string): number {
  const v = intArg(s);
  if (s === LONG_MIN_TEXT) {
    throw new RedisError('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  }
  return v;
}

/** Replies `n` elements popped from the head or tail of `l` (in pop order), as an array. */
export function replyPopped(c: Client, l: List, n: number, front: boolean): void {
  const r = c.reply;
  r.array(n);
  for (let k = 0; k < n; k++) r.bulk(front ? l.popFront() : l.popBack());
}

/** LPUSH/RPUSH/LPUSHX/RPUSHX. */
function push(c: Client, argv: string[], front: boolean, onlyExisting: boolean): void {
  const db = c.db;
  const key = argv[1]!;
  const e = writeList(db, key);
  let l: List;
  if (e === undefined) {
    if (onlyExisting) return c.reply.int(0);
    l = new List(argv.length - 2);
    db.add(key, T.List, l);
  } else {
    l = e.value as List;
  }
  if (!l.quick) {
    // Redis checks the conversion once for the whole batch, with the raw argument lengths.
    let raw = 0;
    for (let i = 2; i < argv.length; i++) raw += argv[i]!.length;
    l.growing(listFill(c), raw, argv.length - 2);
  }
  if (front) for (let i = 2; i < argv.length; i++) l.pushFront(argv[i]!);
  else for (let i = 2; i < argv.length; i++) l.pushBack(argv[i]!);
  listChanged(c, key, front ? 'lpush' : 'rpush');
  c.reply.int(l.length);
}

/** LPOP/RPOP key [count]. */
function pop(c: Client, argv: string[], front: boolean): void {
  // The arity allows any number of arguments; Redis checks the real maximum here.
  if (argv.length > 3) throw new RedisError(ERR.wrongArity(front ? 'lpop' : 'rpop'));
  const hasCount = argv.length === 3;
  const count = hasCount ? positiveArg(argv[2]!, 'ERR value is out of range, must be positive') : 1;
  const e = writeList(c.db, argv[1]!);
  if (e === undefined) return hasCount ? c.reply.nilArray() : c.reply.nil();
  const l = e.value as List;
  if (!hasCount) {
    c.reply.bulk(front ? l.popFront() : l.popBack());
  } else {
    if (count === 0) return c.reply.array(0);
    replyPopped(c, l, Math.min(count, l.length), front);
  }
  listShrank(c, e, front ? 'lpop' : 'rpop');
}

/** Clamps LRANGE/LTRIM indexes to the list: [start, end] inclusive, or null for an empty range. */
function clampRange(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

/** An LINDEX/LSET index counted from the tail when negative; -1 when outside the list. */
function resolveIndex(index: number, len: number): number {
  const i = index < 0 ? len + index : index;
  return i >= 0 && i < len ? i : -1;
}

const KEY1 = { first: 1, last: 1, step: 1 };

export const listCommands = defineGroup('list', [
  {
    // LPUSH key element [element ...]
    name: 'lpush',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RW', 'insert'],
    summary: 'Adds elements at the head of a list, creating it when missing.',
    since: '1.0.0',
    complexity: 'O(1) per element added.',
    run(c, argv) {
      push(c, argv, true, false);
    },
  },
  {
    // RPUSH key element [element ...]
    name: 'rpush',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RW', 'insert'],
    summary: 'Adds elements at the tail of a list, creating it when missing.',
    since: '1.0.0',
    complexity: 'O(1) per element added.',
    run(c, argv) {
      push(c, argv, false, false);
    },
  },
  {
    // LPUSHX key element [element ...]
    name: 'lpushx',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RW', 'insert'],
    summary: 'Adds elements at the head of a list only when the list exists.',
    since: '2.2.0',
    complexity: 'O(1) per element added.',
    run(c, argv) {
      push(c, argv, true, true);
    },
  },
  {
    // RPUSHX key element [element ...]
    name: 'rpushx',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RW', 'insert'],
    summary: 'Adds elements at the tail of a list only when the list exists.',
    since: '2.2.0',
    complexity: 'O(1) per element added.',
    run(c, argv) {
      push(c, argv, false, true);
    },
  },
  {
    // LPOP key [count]
    name: 'lpop',
    arity: -2,
    flags: ['write', 'fast'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Removes and returns the first element(s) of a list; an emptied list is deleted.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of elements returned.',
    run(c, argv) {
      pop(c, argv, true);
    },
  },
  {
    // RPOP key [count]
    name: 'rpop',
    arity: -2,
    flags: ['write', 'fast'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Removes and returns the last element(s) of a list; an emptied list is deleted.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of elements returned.',
    run(c, argv) {
      pop(c, argv, false);
    },
  },
  {
    // LLEN key
    name: 'llen',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RO'],
    summary: 'Returns the number of elements of a list (0 when missing).',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const l = readList(c.db, argv[1]!);
      c.reply.int(l === undefined ? 0 : l.length);
    },
  },
  {
    // LRANGE key start stop
    name: 'lrange',
    arity: 4,
    flags: ['readonly'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RO', 'access'],
    summary: 'Returns the elements between two indexes of a list, both included.',
    since: '1.0.0',
    complexity: 'O(S+N) where S is the start offset and N the number of elements returned.',
    run(c, argv) {
      // The indexes are checked before the key, as Redis does.
      const start = intArg(argv[2]!);
      const end = intArg(argv[3]!);
      const l = readList(c.db, argv[1]!);
      const range = l === undefined ? null : clampRange(start, end, l.length);
      if (range === null) return c.reply.array(0);
      const r = c.reply;
      r.array(range[1] - range[0] + 1);
      for (let i = range[0]; i <= range[1]; i++) r.bulk(l!.at(i));
    },
  },
  {
    // LINDEX key index
    name: 'lindex',
    arity: 3,
    flags: ['readonly'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RO', 'access'],
    summary: 'Returns the element at an index of a list (negative counts from the tail).',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      // Unlike LRANGE, the key is looked up before the index is parsed.
      const l = readList(c.db, argv[1]!);
      if (l === undefined) return c.reply.nil();
      const i = resolveIndex(intArg(argv[2]!), l.length);
      if (i < 0) c.reply.nil();
      else c.reply.bulk(l.at(i));
    },
  },
  {
    // LSET key index element
    name: 'lset',
    arity: 4,
    flags: ['write', 'denyoom'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RW', 'update'],
    summary: 'Replaces the element at an index of an existing list.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const e = writeList(c.db, argv[1]!);
      if (e === undefined) throw new RedisError(ERR.noSuchKey);
      const index = intArg(argv[2]!);
      const l = e.value as List;
      const value = argv[3]!;
      // Redis checks the growing conversion before it knows whether the index is valid.
      l.growing(listFill(c), value.length, 1);
      const i = resolveIndex(index, l.length);
      if (i < 0) throw new RedisError('ERR index out of range');
      l.set(i, value);
      l.shrinking(listFill(c));
      listChanged(c, e.key, 'lset');
      c.reply.ok();
    },
  },
  {
    // LREM key count element
    name: 'lrem',
    arity: 4,
    flags: ['write'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RW', 'delete'],
    summary: 'Removes occurrences of an element from a list: the first count (from the tail if negative), or all.',
    since: '1.0.0',
    complexity: 'O(N+M) where N is the length of the list and M the number of elements removed.',
    run(c, argv) {
      const count = symmetricLongArg(argv[2]!);
      const e = writeList(c.db, argv[1]!);
      if (e === undefined) return c.reply.int(0);
      const removed = (e.value as List).removeMatching(argv[3]!, Math.abs(count), count < 0);
      if (removed > 0) listShrank(c, e, 'lrem');
      c.reply.int(removed);
    },
  },
  {
    // LTRIM key start stop
    name: 'ltrim',
    arity: 4,
    flags: ['write'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RW', 'delete'],
    summary: 'Keeps only the elements between two indexes of a list, both included.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of elements removed.',
    run(c, argv) {
      const start = intArg(argv[2]!);
      const end = intArg(argv[3]!);
      const e = writeList(c.db, argv[1]!);
      if (e === undefined) return c.reply.ok();
      const l = e.value as List;
      const len = l.length;
      const range = clampRange(start, end, len);
      if (range === null) l.trim(len, 0);
      else l.trim(range[0], len - range[1] - 1);
      // The key counts as modified (and the event fires) even when nothing was trimmed.
      listShrank(c, e, 'ltrim');
      c.reply.ok();
    },
  },
  {
    // LINSERT key BEFORE|AFTER pivot element
    name: 'linsert',
    arity: 5,
    flags: ['write', 'denyoom'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RW', 'insert'],
    summary: 'Inserts an element before or after the first occurrence of a pivot element in a list.',
    since: '2.2.0',
    complexity: 'O(N) where N is the number of elements before the pivot.',
    run(c, argv) {
      const where = cstr(argv[2]!);
      let after: boolean;
      if (is(where, 'after')) after = true;
      else if (is(where, 'before')) after = false;
      else throw new RedisError(ERR.syntax);
      const e = writeList(c.db, argv[1]!);
      if (e === undefined) return c.reply.int(0);
      const l = e.value as List;
      const value = argv[4]!;
      // As in Redis, the conversion is decided before searching: a missing pivot can still convert the list.
      l.growing(listFill(c), value.length, 1);
      const at = l.indexOf(argv[3]!);
      if (at < 0) return c.reply.int(-1);
      l.insert(after ? at + 1 : at, value);
      listChanged(c, e.key, 'linsert');
      c.reply.int(l.length);
    },
  },
  {
    // LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
    name: 'lpos',
    arity: -3,
    flags: ['readonly'],
    acl: ['list'],
    keys: KEY1,
    keySpecFlags: ['RO', 'access'],
    summary: 'Returns the index of matching elements of a list, optionally the Nth match, several, or within a prefix.',
    since: '6.0.6',
    complexity: 'O(N) where N is the number of elements scanned.',
    run(c, argv) {
      let rank = 1;
      let count = -1; // -1: no COUNT option (a single index, or null)
      let maxlen = 0;
      for (let j = 3; j < argv.length; j++) {
        const opt = kw(cstr(argv[j]!));
        const more = j + 1 < argv.length;
        if (opt === 'rank' && more) {
          rank = symmetricLongArg(argv[++j]!);
          if (rank === 0) {
            throw new RedisError(
              "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
            );
          }
        } else if (opt === 'count' && more) {
          count = positiveArg(argv[++j]!, "ERR COUNT can't be negative");
        } else if (opt === 'maxlen' && more) {
          maxlen = positiveArg(argv[++j]!, "ERR MAXLEN can't be negative");
        } else {
          throw new RedisError(ERR.syntax);
        }
      }
      const l = readList(c.db, argv[1]!);
      if (l === undefined) return count !== -1 ? c.reply.array(0) : c.reply.nil();
      const forward = rank > 0;
      if (rank < 0) rank = -rank;
      const ele = argv[2]!;
      const n = l.length;
      const limit = maxlen === 0 ? n : Math.min(n, maxlen);
      let matches = 0;
      const found: number[] = [];
      for (let k = 0; k < limit; k++) {
        const i = forward ? k : n - 1 - k;
        if (l.at(i) !== ele) continue;
        matches++;
        if (matches < rank) continue;
        found.push(i);
        if (count === -1 || (count !== 0 && found.length >= count)) break;
      }
      if (count !== -1) {
        c.reply.array(found.length);
        for (const i of found) c.reply.int(i);
      } else if (found.length > 0) {
        c.reply.int(found[0]!);
      } else {
        c.reply.nil();
      }
    },
  },
]);

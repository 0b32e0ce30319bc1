/**
 * Set commands on one key: SADD, SREM, SMOVE, SISMEMBER, SMISMEMBER, SCARD, SMEMBERS, SPOP, SRANDMEMBER, SSCAN.
 * The multi-key algebra (SINTER, SUNION, SDIFF and their STORE/CARD forms) lives in sets-algebra.ts. The value is
 * a SetValue (types/set.ts), which follows Redis 7.2's intset / listpack / hashtable encodings.
 */
import { ERR, RedisError } from '../errors.js';
import type { Database } from '../keyspace/database.js';
import { T, type Entry } from '../keyspace/entry.js';
import { N } from '../keyspace/notify.js';
import type { Client } from '../server/client.js';
import { SetEnc, SetValue } from '../types/set.js';
import { matchGlob } from '../util/glob.js';
import { parseInt64, scanCursorArg } from './args.js';
import { parseScanOptions, randomCountArg, replyScan } from './collection-args.js';
import { defineGroup } from './spec.js';

/** The set at `key` for a read command (counts a hit or miss); WRONGTYPE for other types. */
export function readSet(db: Database, key: string): SetValue | undefined {
  const e = db.read(key);
  if (e === undefined) return undefined;
  if (e.type !== T.Set) throw new RedisError(ERR.wrongType);
  return e.value as SetValue;
}

/** The set entry at `key` for a write command; WRONGTYPE for other types. */
export function writeSet(db: Database, key: string): Entry | undefined {
  const e = db.get(key);
  if (e !== undefined && e.type !== T.Set) throw new RedisError(ERR.wrongType);
  return e;
}

/** Replies with every member of `s` in its iteration order, as a set (RESP3) or an array. */
export function replyMembers(c: Client, s: SetValue): void {
  const r = c.reply;
  r.set(s.size);
  for (const m of s) r.bulk(m);
}

/** How much bigger than the rest the popped part must be for SPOP to rebuild the set from what remains (Redis's SPOP_MOVE_STRATEGY_MUL). */
const SPOP_MOVE_STRATEGY_MUL = 5;

/** SPOP key count. */
function popCount(c: Client, argv: string[]): void {
  const v = parseInt64(argv[2]!);
  if (v === null || v < 0) throw new RedisError('ERR value is out of range, must be positive');
  const db = c.db;
  const key = argv[1]!;
  const e = writeSet(db, key);
  const r = c.reply;
  if (e === undefined || v === 0) {
    r.set(0);
    return;
  }
  const s = e.value as SetValue;
  const size = s.size;
  if (v >= size) {
    // Redis answers with the union of the one set, which re-sorts integers (the union starts as an intset).
    replyMembers(c, SetValue.union([s], c.server.limits));
    db.unlink(e);
    db.touched(key, N.set, 'spop');
    db.ks.notify(N.generic, 'del', db, key);
    return;
  }
  const count = v;
  const remaining = size - count;
  r.set(count);
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    for (const m of s.popMany(count)) r.bulk(m);
  } else {
    // Popping most of the set: move the few survivors to a new set and reply with what is left of the old one.
    // As in Redis, the new set starts compact (intset for an intset, else listpack) whatever the old encoding.
    const limits = c.server.limits;
    const kept = new SetValue(s.enc === SetEnc.Intset ? SetEnc.Intset : SetEnc.Listpack);
    for (const m of s.popMany(remaining)) kept.add(m, limits);
    for (const m of s) r.bulk(m);
    e.value = kept;
  }
  db.touched(key, N.set, 'spop');
}

/** SRANDMEMBER key count: distinct members for a positive count, repeats allowed for a negative one. */
function randomMembers(c: Client, argv: string[]): void {
  const l = randomCountArg(argv[2]!);
  const s = readSet(c.db, argv[1]!);
  const r = c.reply;
  if (s === undefined || l === 0 || l === 0n) {
    r.array(0);
    return;
  }
  const count = Number(l < 0 ? -BigInt(l) : BigInt(l));
  const size = s.size;
  if (l < 0 || count === 1) {
    r.array(count);
    for (let i = 0; i < count; i++) r.bulk(s.random());
    return;
  }
  if (count >= size) {
    r.array(size);
    for (const m of s) r.bulk(m);
    return;
  }
  r.array(count);
  for (const m of s.sample(count)) r.bulk(m);
}

const KEY1 = { first: 1, last: 1, step: 1 };

export const setCommands = defineGroup('set', [
  {
    // SADD key member [member ...]
    name: 'sadd',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['set'],
    keys: KEY1,
    keySpecFlags: ['RW', 'insert'],
    summary: 'Adds members to a set, creating it if needed; replies with the number of new members.',
    since: '1.0.0',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    run(c, argv) {
      const db = c.db;
      const key = argv[1]!;
      const limits = c.server.limits;
      const e = writeSet(db, key);
      let s: SetValue;
      // The number of arguments is Redis's size hint: it picks the encoding of a new set and converts an
      // existing one up front when that many members could not fit its compact encoding.
      if (e === undefined) {
        s = SetValue.forFirst(argv[2]!, argv.length - 2, limits);
        db.add(key, T.Set, s);
      } else {
        s = e.value as SetValue;
        s.prepareAdd(argv.length - 2, limits);
      }
      let added = 0;
      for (let i = 2; i < argv.length; i++) if (s.add(argv[i]!, limits)) added++;
      if (added > 0) db.touched(key, N.set, 'sadd');
      c.reply.int(added);
    },
  },
  {
    // SREM key member [member ...]
    name: 'srem',
    arity: -3,
    flags: ['write', 'fast'],
    acl: ['set'],
    keys: KEY1,
    keySpecFlags: ['RW', 'delete'],
    summary: 'Removes members from a set, deleting the key once it is empty; replies with the number removed.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of members to be removed.',
    run(c, argv) {
      const db = c.db;
      const key = argv[1]!;
      const e = writeSet(db, key);
      if (e === undefined) {
        c.reply.int(0);
        return;
      }
      const s = e.value as SetValue;
      let deleted = 0;
      let removed = false;
      for (let i = 2; i < argv.length; i++) {
        if (s.delete(argv[i]!)) {
          deleted++;
          if (s.size === 0) {
            db.unlink(e);
            removed = true;
            break;
          }
        }
      }
      if (deleted > 0) {
        db.touched(key, N.set, 'srem');
        if (removed) db.ks.notify(N.generic, 'del', db, key);
      }
      c.reply.int(deleted);
    },
  },
  {
    // SMOVE source destination member
    name: 'smove',
    arity: 4,
    flags: ['write', 'fast'],
    acl: ['set'],
    keys: { first: 1, last: 2, step: 1 },
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Moves a member from one set to another; replies 1 when it was in the source.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const db = c.db;
      const src = argv[1]!;
      const dst = argv[2]!;
      const member = argv[3]!;
      const se = db.get(src);
      const de = db.get(dst);
      // A missing source answers 0 before any type check, even of the destination.
      if (se === undefined) {
        c.reply.int(0);
        return;
      }
      if (se.type !== T.Set || (de !== undefined && de.type !== T.Set)) throw new RedisError(ERR.wrongType);
      const s = se.value as SetValue;
      if (se === de) {
        c.reply.int(s.has(member) ? 1 : 0);
        return;
      }
      if (!s.delete(member)) {
        c.reply.int(0);
        return;
      }
      db.touched(src, N.set, 'srem');
      if (s.size === 0) {
        db.unlink(se);
        db.ks.notify(N.generic, 'del', db, src);
      }
      const limits = c.server.limits;
      let d: SetValue;
      if (de === undefined) {
        d = SetValue.forFirst(member, 1, limits);
        db.add(dst, T.Set, d);
      } else {
        d = de.value as SetValue;
      }
      if (d.add(member, limits)) db.touched(dst, N.set, 'sadd');
      c.reply.int(1);
    },
  },
  {
    // SISMEMBER key member
    name: 'sismember',
    arity: 3,
    flags: ['readonly', 'fast'],
    acl: ['set'],
    keys: KEY1,
    keySpecFlags: ['RO'],
    summary: 'Tells whether a value is a member of a set.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      c.reply.int(readSet(c.db, argv[1]!)?.has(argv[2]!) ? 1 : 0);
    },
  },
  {
    // SMISMEMBER key member [member ...]
    name: 'smismember',
    arity: -3,
    flags: ['readonly', 'fast'],
    acl: ['set'],
    keys: KEY1,
    summary: 'Tells for each of several values whether it is a member of a set.',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of elements being checked for membership',
    run(c, argv) {
      const s = readSet(c.db, argv[1]!);
      const r = c.reply;
      r.array(argv.length - 2);
      for (let i = 2; i < argv.length; i++) r.int(s !== undefined && s.has(argv[i]!) ? 1 : 0);
    },
  },
  {
    // SCARD key
    name: 'scard',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['set'],
    keys: KEY1,
    keySpecFlags: ['RO'],
    summary: 'Returns the number of members of a set.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      c.reply.int(readSet(c.db, argv[1]!)?.size ?? 0);
    },
  },
  {
    // SMEMBERS key
    name: 'smembers',
    arity: 2,
    flags: ['readonly'],
    acl: ['set'],
    keys: KEY1,
    tips: ['nondeterministic_output_order'],
    summary: 'Returns every member of a set (integers of a small all-integer set come sorted).',
    since: '1.0.0',
    complexity: 'O(N) where N is the set cardinality.',
    run(c, argv) {
      const s = readSet(c.db, argv[1]!);
      if (s === undefined) c.reply.set(0);
      else replyMembers(c, s);
    },
  },
  {
    // SPOP key [count]
    name: 'spop',
    arity: -2,
    flags: ['write', 'fast'],
    acl: ['set'],
    keys: KEY1,
    keySpecFlags: ['RW', 'access', 'delete'],
    tips: ['nondeterministic_output'],
    summary: 'Removes and returns random members of a set.',
    since: '1.0.0',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
    run(c, argv) {
      if (argv.length > 3) throw new RedisError(ERR.syntax);
      if (argv.length === 3) {
        popCount(c, argv);
        return;
      }
      const db = c.db;
      const key = argv[1]!;
      const e = writeSet(db, key);
      if (e === undefined) {
        c.reply.nil();
        return;
      }
      const s = e.value as SetValue;
      c.reply.bulk(s.pop());
      db.touched(key, N.set, 'spop');
      if (s.size === 0) {
        db.unlink(e);
        db.ks.notify(N.generic, 'del', db, key);
      }
    },
  },
  {
    // SRANDMEMBER key [count]
    name: 'srandmember',
    arity: -2,
    flags: ['readonly'],
    acl: ['set'],
    keys: KEY1,
    tips: ['nondeterministic_output'],
    summary: 'Returns random members of a set without removing them.',
    since: '1.0.0',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
    run(c, argv) {
      if (argv.length > 3) throw new RedisError(ERR.syntax);
      if (argv.length === 3) {
        randomMembers(c, argv);
        return;
      }
      const s = readSet(c.db, argv[1]!);
      if (s === undefined) c.reply.nil();
      else c.reply.bulk(s.random());
    },
  },
  {
    // SSCAN key cursor [MATCH pattern] [COUNT count]
    name: 'sscan',
    arity: -3,
    flags: ['readonly'],
    acl: ['set'],
    keys: KEY1,
    tips: ['nondeterministic_output'],
    summary: 'Walks the members of a set a few at a time from a cursor.',
    since: '2.8.0',
    complexity: 'O(1) for every call. O(N) for a complete iteration.',
    run(c, argv) {
      // Redis checks the cursor, then the key, and only then the options.
      const cursor = scanCursorArg(argv[2]!);
      const s = readSet(c.db, argv[1]!);
      if (s === undefined) {
        replyScan(c.reply, 0, []);
        return;
      }
      const { count, pattern } = parseScanOptions(argv, 3);
      const out: string[] = [];
      let next = 0;
      const visit = (m: string) => {
        if (pattern === null || matchGlob(pattern, m)) out.push(m);
      };
      // Intsets and listpacks are returned whole in one call, whatever the cursor.
      if (s.scannable) next = s.scan(cursor, count, visit);
      else for (const m of s) visit(m);
      replyScan(c.reply, next, out);
    },
  },
]);

/**
 * Generic key commands: DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RANDOMKEY, RENAME, RENAMENX, MOVE, COPY, TOUCH.
 * They work on any value type: moving a value re-homes the same object, copying goes through cloneValue.
 */
import { N } from '../keyspace/notify.js';
import { ERR, RedisError } from '../errors.js';
import { cloneValue, storeLike } from '../keyspace/clone.js';
import type { Database } from '../keyspace/database.js';
import { TYPE_NAMES, type Entry } from '../keyspace/entry.js';
import type { Client } from '../server/client.js';
import { matchGlob } from '../util/glob.js';
import { cstr, int32Arg, intArg, is, scanCursorArg } from './args.js';
import { defineGroup } from './spec.js';

/**
 * A lookup that counts a keyspace hit or miss but leaves the access time alone (Redis's LOOKUP_NOTOUCH, used by
 * EXISTS, TYPE and the TTL family).
 */
export function peekRead(db: Database, key: string): Entry | undefined {
  const e = db.peek(key);
  if (e === undefined) db.ks.misses++;
  else db.ks.hits++;
  return e;
}

/** The database a DB-index argument names (MOVE, COPY DB): an int, then in range. */
function dbArg(c: Client, arg: string): Database {
  const id = int32Arg(arg);
  const dbs = c.server.ks.dbs;
  if (id < 0 || id >= dbs.length) throw new RedisError(ERR.dbIndexOutOfRange);
  return dbs[id]!;
}

/** DEL and UNLINK: Strata frees memory through the garbage collector, so both delete the same way. */
function del(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i]!;
    if (db.delete(key)) {
      db.touched(key, N.generic, 'del');
      n++;
    }
  }
  c.reply.int(n);
}

/** RENAME and RENAMENX. The TTL travels with the value. */
function rename(c: Client, argv: string[], nx: boolean): void {
  const db = c.db;
  const from = argv[1]!;
  const to = argv[2]!;
  const e = db.get(from);
  if (e === undefined) throw new RedisError(ERR.noSuchKey);
  // Same name: nothing to do, but only once we know the key exists.
  if (from === to) {
    if (nx) c.reply.int(0);
    else c.reply.ok();
    return;
  }
  // Looked up even without NX so an expired target is expired (and counted) rather than silently replaced.
  if (db.get(to) !== undefined && nx) {
    c.reply.int(0);
    return;
  }
  storeLike(db, to, e.value, e, true);
  db.unlink(e);
  db.touched(from, N.generic, 'rename_from');
  db.touched(to, N.generic, 'rename_to');
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

/** Bytes with a meaning in glob patterns. */
const GLOB_SPECIAL = /[*?[\\]/;

const MULTI_KEY_TIPS = ['request_policy:multi_shard', 'response_policy:agg_sum'];

export const keyCommands = defineGroup('generic', [
  {
    // DEL key [key ...]
    name: 'del',
    arity: -2,
    flags: ['write'],
    acl: ['keyspace'],
    keys: { first: 1, last: -1, step: 1 },
    summary: 'Removes the given keys and reports how many existed.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys that will be removed, plus the size of each removed value.',
    tips: MULTI_KEY_TIPS,
    run: del,
  },
  {
    // UNLINK key [key ...]
    name: 'unlink',
    arity: -2,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: -1, step: 1 },
    summary: 'Removes the given keys without waiting for their memory to be reclaimed.',
    since: '4.0.0',
    complexity: 'O(1) per key removed; reclaiming a large value happens later.',
    tips: MULTI_KEY_TIPS,
    run: del,
  },
  {
    // EXISTS key [key ...]
    name: 'exists',
    arity: -2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: -1, step: 1 },
    summary: 'Counts how many of the given keys exist; a key named twice counts twice.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys to check.',
    tips: MULTI_KEY_TIPS,
    run(c, argv) {
      const db = c.db;
      let n = 0;
      for (let i = 1; i < argv.length; i++) if (peekRead(db, argv[i]!) !== undefined) n++;
      c.reply.int(n);
    },
  },
  {
    // TYPE key
    name: 'type',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Names the type of the value at a key, or none.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const e = peekRead(c.db, argv[1]!);
      c.reply.status(e === undefined ? 'none' : TYPE_NAMES[e.type]);
    },
  },
  {
    // KEYS pattern
    name: 'keys',
    arity: 2,
    flags: ['readonly'],
    acl: ['keyspace', 'dangerous'],
    summary: 'Lists every key whose name matches a glob pattern.',
    since: '1.0.0',
    complexity: 'O(N) with N the number of keys in the database.',
    tips: ['request_policy:all_shards', 'nondeterministic_output_order'],
    run(c, argv) {
      const db = c.db;
      const pattern = argv[1]!;
      const all = pattern === '*';
      const now = db.ks.now;
      const out: string[] = [];
      // A pattern without special bytes names at most one key: look it up instead of walking the keyspace.
      if (!GLOB_SPECIAL.test(pattern)) {
        if (db.peek(pattern) !== undefined) out.push(pattern);
        c.reply.bulks(out);
        return;
      }
      // Like Redis, expired keys are skipped but not deleted here (no writes while iterating).
      for (const e of db.entries()) {
        if (e.expireAt !== 0 && e.expireAt <= now) continue;
        if (all || matchGlob(pattern, e.key)) out.push(e.key);
      }
      c.reply.bulks(out);
    },
  },
  {
    // SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
    name: 'scan',
    arity: -2,
    flags: ['readonly'],
    acl: ['keyspace'],
    summary: 'Walks the keyspace a few keys per call from a cursor, optionally filtered by pattern and type.',
    since: '2.8.0',
    complexity: 'O(1) per call, O(N) for a complete iteration.',
    tips: ['nondeterministic_output', 'request_policy:special'],
    run(c, argv) {
      const cursor = scanCursorArg(argv[1]!);
      let count = 10;
      let pattern: string | null = null;
      let type: string | null = null;
      for (let i = 2; i < argv.length; i += 2) {
        const opt = cstr(argv[i]!);
        const hasValue = i + 1 < argv.length;
        if (is(opt, 'count') && hasValue) {
          count = intArg(argv[i + 1]!);
          if (count < 1) throw new RedisError(ERR.syntax);
        } else if (is(opt, 'match') && hasValue) {
          const p = argv[i + 1]!;
          pattern = p === '*' ? null : p;
        } else if (is(opt, 'type') && hasValue) {
          type = cstr(argv[i + 1]!);
        } else {
          throw new RedisError(ERR.syntax);
        }
      }
      const db = c.db;
      const keys: string[] = [];
      const next = db.scan(cursor, count, (e) => {
        if (pattern !== null && !matchGlob(pattern, e.key)) return;
        if (type !== null) {
          // Redis looks the key up to learn its type (a counted read) and compares names case-insensitively;
          // an unknown type name simply matches nothing.
          db.ks.hits++;
          if (!is(type, TYPE_NAMES[e.type])) return;
        }
        keys.push(e.key);
      });
      c.reply.array(2);
      c.reply.bulk(String(next));
      c.reply.bulks(keys);
    },
  },
  {
    // RANDOMKEY
    name: 'randomkey',
    arity: 1,
    flags: ['readonly'],
    acl: ['keyspace'],
    summary: 'Returns the name of a key picked at random.',
    since: '1.0.0',
    complexity: 'O(1)',
    tips: ['request_policy:all_shards', 'nondeterministic_output'],
    run(c) {
      const e = c.db.randomEntry(Math.random);
      if (e === undefined) c.reply.nil();
      else c.reply.bulk(e.key);
    },
  },
  {
    // RENAME key newkey
    name: 'rename',
    arity: 3,
    flags: ['write'],
    acl: ['keyspace'],
    keys: { first: 1, last: 2, step: 1 },
    summary: 'Gives a key a new name, replacing any key already using it.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      rename(c, argv, false);
    },
  },
  {
    // RENAMENX key newkey
    name: 'renamenx',
    arity: 3,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: 2, step: 1 },
    summary: 'Gives a key a new name only when that name is free.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      rename(c, argv, true);
    },
  },
  {
    // MOVE key db
    name: 'move',
    arity: 3,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Transfers a key to another database unless the name is taken there.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const db = c.db;
      const key = argv[1]!;
      const dst = dbArg(c, argv[2]!);
      // Checked before the key's existence, as Redis does.
      if (dst === db) throw new RedisError(ERR.sameObject);
      const e = db.get(key);
      if (e === undefined || dst.get(key) !== undefined) {
        c.reply.int(0);
        return;
      }
      storeLike(dst, key, e.value, e, true);
      db.unlink(e);
      db.touched(key, N.generic, 'move_from');
      dst.touched(key, N.generic, 'move_to');
      c.reply.int(1);
    },
  },
  {
    // COPY source destination [DB destination-db] [REPLACE]
    name: 'copy',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: ['keyspace'],
    keys: { first: 1, last: 2, step: 1 },
    summary: 'Duplicates the value (and TTL) of a key under another name, optionally in another database.',
    since: '6.2.0',
    complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
    run(c, argv) {
      const db = c.db;
      let dst = db;
      let replace = false;
      // Options are validated in order: the first bad one decides the error.
      for (let i = 3; i < argv.length; i++) {
        const opt = cstr(argv[i]!);
        if (is(opt, 'replace')) replace = true;
        else if (is(opt, 'db') && i + 1 < argv.length) dst = dbArg(c, argv[++i]!);
        else throw new RedisError(ERR.syntax);
      }
      const from = argv[1]!;
      const to = argv[2]!;
      if (dst === db && from === to) throw new RedisError(ERR.sameObject);
      const e = db.read(from);
      if (e === undefined || (dst.get(to) !== undefined && !replace)) {
        c.reply.int(0);
        return;
      }
      storeLike(dst, to, cloneValue(e.type, e.value), e, false);
      dst.touched(to, N.generic, 'copy_to');
      c.reply.int(1);
    },
  },
  {
    // TOUCH key [key ...]
    name: 'touch',
    arity: -2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: -1, step: 1 },
    summary: 'Updates the last access time of the given keys and counts those that exist.',
    since: '3.2.1',
    complexity: 'O(N) where N is the number of keys that will be touched.',
    tips: MULTI_KEY_TIPS,
    run(c, argv) {
      const db = c.db;
      let n = 0;
      for (let i = 1; i < argv.length; i++) if (db.read(argv[i]!) !== undefined) n++;
      c.reply.int(n);
    },
  },
]);

/**
 * Hash commands: HSET/HMSET/HSETNX, reads (HGET, HMGET, HGETALL, HKEYS, HVALS, HLEN, HEXISTS, HSTRLEN) and HDEL.
 * The counters, HRANDFIELD and HSCAN live in hashes-ops.ts. The value is a HashValue (types/hash.ts), which tracks
 * the listpack → hashtable conversion Redis 7.2 would make.
 */
import { ERR, RedisError } from '../errors.js';
import type { Database } from '../keyspace/database.js';
import { T, type Entry } from '../keyspace/entry.js';
import { N } from '../keyspace/notify.js';
import type { Client } from '../server/client.js';
import { HashValue } from '../types/hash.js';
import { defineGroup } from './spec.js';

// Kept importable from here for the commands that already use them (ZSCAN, ZRANDMEMBER); they live in
// collection-args.ts.
export { parseScanOptions, randomCountArg, type ScanOptions } from './collection-args.js';

/** The hash at `key` for a read command (counts a hit or miss); WRONGTYPE for other types. */
export function readHash(db: Database, key: string): HashValue | undefined {
  const e = db.read(key);
  if (e === undefined) return undefined;
  if (e.type !== T.Hash) throw new RedisError(ERR.wrongType);
  return e.value as HashValue;
}

/** The hash entry at `key` for a write command; WRONGTYPE for other types. */
export function writeHash(db: Database, key: string): Entry | undefined {
  const e = db.get(key);
  if (e !== undefined && e.type !== T.Hash) throw new RedisError(ERR.wrongType);
  return e;
}

/** The hash at `key`, created empty when missing (Redis's hashTypeLookupWriteOrCreate). */
export function hashForWrite(db: Database, key: string): HashValue {
  const e = writeHash(db, key);
  if (e !== undefined) return e.value as HashValue;
  return db.add(key, T.Hash, new HashValue()).value as HashValue;
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

export const KEY1 = { first: 1, last: 1, step: 1 };

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
]);

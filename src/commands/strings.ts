/**
 * String commands: GET, SET and their variants (SETNX, SETEX, PSETEX, GETSET, GETDEL, GETEX), the multi-key
 * MGET/MSET/MSETNX, and STRLEN. Values are latin1 strings, or MutableStrings once edited in place; APPEND, ranges
 * and LCS live in string-ranges.ts, counters in counters.ts.
 */
import { N } from '../keyspace/notify.js';
import { ERR, RedisError } from '../errors.js';
import type { Database } from '../keyspace/database.js';
import { T, type Entry, type StringValue } from '../keyspace/entry.js';
import type { Reply } from '../protocol/reply.js';
import { MutableString } from '../types/mutable-string.js';
import { intArg, kw, parseBigInt64 } from './args.js';
import { defineGroup } from './spec.js';

/** The string entry at `key` (read lookup), undefined when missing; WRONGTYPE for other types. */
export function readString(db: Database, key: string): Entry | undefined {
  const e = db.read(key);
  if (e !== undefined && e.type !== T.String) throw new RedisError(ERR.wrongType);
  return e;
}

/** Like {@link readString} for write commands (no hit/miss accounting). */
export function writeString(db: Database, key: string): Entry | undefined {
  const e = db.get(key);
  if (e !== undefined && e.type !== T.String) throw new RedisError(ERR.wrongType);
  return e;
}

/** Bulk replies at least this long are handed to the encoder as their own chunk (see RespEncoder.bulkBuffer). */
const BIG_BULK = 64 * 1024;

/** Replies with a string value. */
export function replyString(c: { reply: Pick<Reply, 'bulk' | 'bulkBuffer'> }, v: StringValue): void {
  if (typeof v === 'string') c.reply.bulk(v);
  else replyBytes(c, v.buf, 0, v.length);
}

/** Replies with bytes [start, end) of a MutableString's buffer, without an intermediate JS string. */
export function replyBytes(c: { reply: Pick<Reply, 'bulkBuffer'> }, buf: Buffer, start: number, end: number): void {
  if (end - start < BIG_BULK) {
    // Small bulks are copied into the reply buffer right away.
    c.reply.bulkBuffer(buf.subarray(start, end));
  } else {
    // A large bulk is queued without copying; copy it so later in-place edits cannot change a pending reply.
    c.reply.bulkBuffer(Buffer.from(buf.subarray(start, end)));
  }
}

/** The value as a latin1 string. */
export function stringValue(v: StringValue): string {
  return typeof v === 'string' ? v : v.toString();
}

/**
 * The entry's value as a MutableString, converting it in place the first time (one copy) so later APPEND,
 * SETRANGE, SETBIT and BITFIELD calls edit it without copying the whole value.
 */
export function mutableOf(e: Entry): MutableString {
  const v = e.value as StringValue;
  if (typeof v !== 'string') return v;
  const m = new MutableString(v);
  e.value = m;
  return m;
}

/** `proto-max-bulk-len`: the largest string a command may create (APPEND, SETRANGE, SETBIT offsets). */
export function protoMaxBulkLen(c: { server: { config: { getInt(name: string): number } } }): number {
  return c.server.config.getInt('proto-max-bulk-len');
}

/**
 * OBJECT ENCODING of a string value, as Redis would report it: a value edited in place is `raw` (an unshared
 * SDS); a whole value is `int` when it is a canonical int64, `embstr` up to 44 bytes, `raw` beyond.
 */
export function stringEncoding(v: StringValue): string {
  if (typeof v !== 'string') return 'raw';
  if (v.length <= 20 && parseBigInt64(v) !== null) return 'int';
  return v.length <= 44 ? 'embstr' : 'raw';
}

const INT64_MAX = 9223372036854775807;

/**
 * Turns an EX/PX/EXAT/PXAT argument into an absolute ms time, with Redis's checks: not an integer → ERR value is
 * not an integer; ≤ 0 or overflowing → invalid expire time in '<cmd>'.
 */
export function expireArgToAbsolute(arg: string, unit: 'ex' | 'px' | 'exat' | 'pxat', now: number, cmd: string): number {
  const v = intArg(arg);
  const seconds = unit === 'ex' || unit === 'exat';
  if (v <= 0 || (seconds && v > INT64_MAX / 1000)) throw new RedisError(ERR.invalidExpire(cmd));
  const ms = seconds ? v * 1000 : v;
  if (unit === 'ex' || unit === 'px') {
    if (ms > INT64_MAX - now) throw new RedisError(ERR.invalidExpire(cmd));
    return now + ms;
  }
  return ms;
}

const NX = 1;
const XX = 2;
const GET = 4;
const KEEPTTL = 8;
const EXPIRE = 16;

export const stringCommands = defineGroup('string', [
  {
    // GET key
    name: 'get',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Returns the string value of a key.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const e = readString(c.db, argv[1]!);
      if (e === undefined) c.reply.nil();
      else replyString(c, e.value);
    },
  },
  {
    // SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
    name: 'set',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Sets the string value of a key, ignoring its type. The key is created if it doesn\'t exist.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const key = argv[1]!;
      const value = argv[2]!;
      const db = c.db;
      if (argv.length === 3) {
        db.setString(key, value, false);
        db.touched(key, N.string, 'set');
        c.reply.ok();
        return;
      }
      let flags = 0;
      let unit: 'ex' | 'px' | 'exat' | 'pxat' | '' = '';
      let expireArg = '';
      for (let i = 3; i < argv.length; i++) {
        const opt = kw(argv[i]!);
        const hasNext = i + 1 < argv.length;
        if (opt === 'nx' && !(flags & XX)) flags |= NX;
        else if (opt === 'xx' && !(flags & NX)) flags |= XX;
        else if (opt === 'get') flags |= GET;
        else if (opt === 'keepttl' && !(flags & EXPIRE)) flags |= KEEPTTL;
        else if ((opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat') && !(flags & KEEPTTL) && (unit === '' || unit === opt) && hasNext) {
          flags |= EXPIRE;
          unit = opt;
          expireArg = argv[++i]!;
        } else throw new RedisError(ERR.syntax);
      }
      const at = unit !== '' ? expireArgToAbsolute(expireArg, unit, db.ks.now, 'set') : 0;
      let old: Entry | undefined;
      if (flags & GET) {
        // Redis reads the old value through its GET path, which counts a keyspace hit or miss.
        old = readString(db, key);
      } else if (flags & (NX | XX)) {
        old = db.get(key);
      }
      const oldValue = old === undefined ? undefined : typeof old.value === 'string' ? old.value : old.value.toString();
      if ((flags & NX && old !== undefined) || (flags & XX && old === undefined)) {
        if (flags & GET) {
          if (oldValue === undefined) c.reply.nil();
          else c.reply.bulk(oldValue);
        } else c.reply.nil();
        return;
      }
      const e = db.setString(key, value, (flags & KEEPTTL) !== 0);
      if (at !== 0) db.setExpire(e, at);
      db.touched(key, N.string, 'set');
      if (at !== 0) db.ks.notify(N.generic, 'expire', db, key);
      if (flags & GET) {
        if (oldValue === undefined) c.reply.nil();
        else c.reply.bulk(oldValue);
      } else c.reply.ok();
    },
  },
  {
    // SETNX key value
    name: 'setnx',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Stores a string only when the key does not exist yet; replies 1 when it did so.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const db = c.db;
      const key = argv[1]!;
      // Any existing value, whatever its type, blocks the write.
      if (db.get(key) !== undefined) {
        c.reply.int(0);
        return;
      }
      db.add(key, T.String, argv[2]!);
      db.touched(key, N.string, 'set');
      c.reply.int(1);
    },
  },
  {
    // SETEX key seconds value
    name: 'setex',
    arity: 4,
    flags: ['write', 'denyoom'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Stores a string together with a time to live in seconds.',
    since: '2.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      setWithExpire(c.db, argv[1]!, argv[3]!, expireArgToAbsolute(argv[2]!, 'ex', c.db.ks.now, 'setex'));
      c.reply.ok();
    },
  },
  {
    // PSETEX key milliseconds value
    name: 'psetex',
    arity: 4,
    flags: ['write', 'denyoom'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Stores a string together with a time to live in milliseconds.',
    since: '2.6.0',
    complexity: 'O(1)',
    run(c, argv) {
      setWithExpire(c.db, argv[1]!, argv[3]!, expireArgToAbsolute(argv[2]!, 'px', c.db.ks.now, 'psetex'));
      c.reply.ok();
    },
  },
  {
    // GETSET key value
    name: 'getset',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Stores a string and replies with the value it replaced (the TTL is cleared).',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const db = c.db;
      const key = argv[1]!;
      const old = readString(db, key);
      if (old === undefined) c.reply.nil();
      else replyString(c, old.value);
      db.setString(key, argv[2]!, false);
      db.touched(key, N.string, 'set');
    },
  },
  {
    // GETDEL key
    name: 'getdel',
    arity: 2,
    flags: ['write', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Replies with the string at a key and deletes the key.',
    since: '6.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      const db = c.db;
      const key = argv[1]!;
      const e = readString(db, key);
      if (e === undefined) {
        c.reply.nil();
        return;
      }
      replyString(c, e.value);
      db.unlink(e);
      db.touched(key, N.generic, 'del');
    },
  },
  {
    // GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]
    name: 'getex',
    arity: -2,
    flags: ['write', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Replies with the string at a key and optionally changes or removes its expiry.',
    since: '6.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      const db = c.db;
      const key = argv[1]!;
      let unit: 'ex' | 'px' | 'exat' | 'pxat' | '' = '';
      let expireArg = '';
      let persist = false;
      // Options are checked first; a unit may repeat (the last one wins) but units and PERSIST exclude each other.
      for (let i = 2; i < argv.length; i++) {
        const opt = kw(argv[i]!);
        if ((opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat') && !persist && (unit === '' || unit === opt) && i + 1 < argv.length) {
          unit = opt;
          expireArg = argv[++i]!;
        } else if (opt === 'persist' && unit === '') {
          persist = true;
        } else {
          throw new RedisError(ERR.syntax);
        }
      }
      const e = readString(db, key);
      if (e === undefined) {
        // A missing key replies nil before the expire time is even validated.
        c.reply.nil();
        return;
      }
      const at = unit !== '' ? expireArgToAbsolute(expireArg, unit, db.ks.now, 'getex') : 0;
      replyString(c, e.value);
      if (unit !== '') {
        if ((unit === 'exat' || unit === 'pxat') && at <= db.ks.now) {
          // An absolute time already past deletes the key, as an expiry would.
          db.unlink(e);
          db.touched(key, N.generic, 'del');
        } else {
          db.setExpire(e, at);
          db.touched(key, N.generic, 'expire');
        }
      } else if (persist && db.persist(e)) {
        db.touched(key, N.generic, 'persist');
      }
    },
  },
  {
    // MGET key [key ...]
    name: 'mget',
    arity: -2,
    flags: ['readonly', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: -1, step: 1 },
    summary: 'Replies with the strings at several keys; nil for missing keys and keys of other types.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys to retrieve.',
    tips: ['request_policy:multi_shard'],
    run(c, argv) {
      const db = c.db;
      c.reply.array(argv.length - 1);
      for (let i = 1; i < argv.length; i++) {
        const e = db.read(argv[i]!);
        if (e === undefined || e.type !== T.String) c.reply.nil();
        else replyString(c, e.value);
      }
    },
  },
  {
    // MSET key value [key value ...]
    name: 'mset',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: ['string'],
    keys: { first: 1, last: -1, step: 2 },
    summary: 'Stores several key/value pairs at once, replacing existing values.',
    since: '1.0.1',
    complexity: 'O(N) where N is the number of keys to set.',
    tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
    run(c, argv) {
      if (argv.length % 2 === 0) throw new RedisError(ERR.wrongArity('mset'));
      const db = c.db;
      for (let i = 1; i < argv.length; i += 2) {
        db.setString(argv[i]!, argv[i + 1]!, false);
        db.touched(argv[i]!, N.string, 'set');
      }
      c.reply.ok();
    },
  },
  {
    // MSETNX key value [key value ...]
    name: 'msetnx',
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: ['string'],
    keys: { first: 1, last: -1, step: 2 },
    summary: 'Stores several key/value pairs only when none of the keys exists; replies 1 when it did so.',
    since: '1.0.1',
    complexity: 'O(N) where N is the number of keys to set.',
    tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
    run(c, argv) {
      if (argv.length % 2 === 0) throw new RedisError(ERR.wrongArity('msetnx'));
      const db = c.db;
      for (let i = 1; i < argv.length; i += 2) {
        if (db.get(argv[i]!) !== undefined) {
          c.reply.int(0);
          return;
        }
      }
      // A key named twice takes its last value, as with MSET.
      for (let i = 1; i < argv.length; i += 2) {
        db.setString(argv[i]!, argv[i + 1]!, false);
        db.touched(argv[i]!, N.string, 'set');
      }
      c.reply.int(1);
    },
  },
  {
    // STRLEN key
    name: 'strlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['string'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Replies with the length in bytes of the string at a key (0 when missing).',
    since: '2.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      const e = readString(c.db, argv[1]!);
      c.reply.int(e === undefined ? 0 : (e.value as StringValue).length);
    },
  },
]);

/** SETEX/PSETEX: stores the value, replacing any TTL with the absolute time `at`. */
function setWithExpire(db: Database, key: string, value: string, at: number): void {
  const e = db.setString(key, value, false);
  db.setExpire(e, at);
  db.touched(key, N.string, 'set');
  db.ks.notify(N.generic, 'expire', db, key);
}

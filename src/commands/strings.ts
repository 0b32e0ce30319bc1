/**
 * String commands: GET, SET and friends. Values are latin1 strings, or MutableStrings once edited in place.
 */
import { ERR, RedisError } from '../errors.js';
import type { Database } from '../keyspace/database.js';
import { T, type Entry, type StringValue } from '../keyspace/entry.js';
import { intArg, kw } from './args.js';
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

/** Replies with a string value. */
export function replyString(c: { reply: { bulk(s: string): void } }, v: StringValue): void {
  c.reply.bulk(typeof v === 'string' ? v : v.toString());
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
        db.touched(key);
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
        old = writeString(db, key);
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
      db.touched(key);
      if (flags & GET) {
        if (oldValue === undefined) c.reply.nil();
        else c.reply.bulk(oldValue);
      } else c.reply.ok();
    },
  },
]);

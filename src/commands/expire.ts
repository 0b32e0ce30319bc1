/**
 * Expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX | XX | GT | LT), TTL, PTTL, EXPIRETIME,
 * PEXPIRETIME, PERSIST. Times are int64 milliseconds as in Redis; the rare ones beyond 2^53 stay exact through
 * bigint arithmetic and the exact-expire side table.
 */
import { N } from '../keyspace/notify.js';
import { ERR, RedisError, sanitizeErrorText } from '../errors.js';
import { expireTimeOf, setExpireExact } from '../keyspace/exact-expire.js';
import type { Client } from '../server/client.js';
import { cstr, is, parseBigInt64, parseInt64 } from './args.js';
import { peekRead } from './keys.js';
import { defineGroup } from './spec.js';

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;

const INT64_MAX = 9223372036854775807n;
/** Below this magnitude `v * 1000 + now` stays a safe integer, so plain number arithmetic is exact. */
const FAST_LIMIT = 2 ** 42;

function parseFlags(argv: string[]): number {
  let flags = 0;
  for (let i = 3; i < argv.length; i++) {
    const opt = cstr(argv[i]!);
    if (is(opt, 'nx')) flags |= NX;
    else if (is(opt, 'xx')) flags |= XX;
    else if (is(opt, 'gt')) flags |= GT;
    else if (is(opt, 'lt')) flags |= LT;
    else throw new RedisError(sanitizeErrorText(`ERR Unsupported option ${opt}`));
  }
  if (flags & NX && flags & (XX | GT | LT)) {
    throw new RedisError('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if (flags & GT && flags & LT) throw new RedisError('ERR GT and LT options at the same time are not compatible');
  return flags;
}

/**
 * The absolute expiry time in ms for `arg`, with Redis's overflow checks (negative values are allowed: they mean
 * a time in the past). `base` is now for relative forms and 0 for the AT forms.
 */
function absoluteTime(arg: string, seconds: boolean, base: number, cmd: string): number | bigint {
  const v = parseInt64(arg);
  if (v === null) throw new RedisError(ERR.notInteger);
  if (v < FAST_LIMIT && v > -FAST_LIMIT) return (seconds ? v * 1000 : v) + base;
  let w = parseBigInt64(arg)!;
  if (seconds) {
    // C's LLONG_MAX / 1000 and LLONG_MIN / 1000 truncate toward zero, as bigint division does.
    if (w > INT64_MAX / 1000n || w < -INT64_MAX / 1000n) throw new RedisError(ERR.invalidExpire(cmd));
    w *= 1000n;
  }
  const b = BigInt(base);
  if (w > INT64_MAX - b) throw new RedisError(ERR.invalidExpire(cmd));
  w += b;
  return Number.isSafeInteger(Number(w)) ? Number(w) : w;
}

/** EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT. */
function expireGeneric(c: Client, argv: string[], seconds: boolean, relative: boolean, cmd: string): void {
  // Options are checked before the time argument.
  const flags = parseFlags(argv);
  const db = c.db;
  const now = db.ks.now;
  const when = absoluteTime(argv[2]!, seconds, relative ? now : 0, cmd);
  const key = argv[1]!;
  const e = db.get(key);
  if (e === undefined) {
    c.reply.int(0);
    return;
  }
  if (flags !== 0) {
    // A key without TTL counts as "never expires": GT always fails, LT always passes.
    const current = e.expireAt === 0 ? -1 : expireTimeOf(e);
    if (
      (flags & NX && current !== -1) ||
      (flags & XX && current === -1) ||
      (flags & GT && (current === -1 || when <= current)) ||
      (flags & LT && current !== -1 && when >= current)
    ) {
      c.reply.int(0);
      return;
    }
  }
  if (when <= now) {
    // A time in the past deletes the key right away (Redis propagates it as a DEL).
    db.unlink(e);
    db.touched(key, N.generic, 'del');
  } else {
    setExpireExact(db, e, when);
    db.touched(key, N.generic, 'expire');
  }
  c.reply.int(1);
}

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 without TTL. */
function ttlGeneric(c: Client, key: string, ms: boolean, absolute: boolean): void {
  const db = c.db;
  const e = peekRead(db, key);
  if (e === undefined) {
    c.reply.int(-2);
    return;
  }
  if (e.expireAt === 0) {
    c.reply.int(-1);
    return;
  }
  const at = expireTimeOf(e);
  if (typeof at === 'number') {
    let t = absolute ? at : at - db.ks.now;
    if (t < 0) t = 0;
    // Seconds are rounded to the nearest, as Redis does with (ms + 500) / 1000.
    c.reply.int(ms ? t : Math.floor((t + 500) / 1000));
    return;
  }
  let t = absolute ? at : at - BigInt(db.ks.now);
  if (t < 0n) t = 0n;
  c.reply.int(ms ? t : (t + 500n) / 1000n);
}

export const expireCommands = defineGroup('generic', [
  {
    // EXPIRE key seconds [NX | XX | GT | LT]
    name: 'expire',
    arity: -3,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Makes a key expire after a number of seconds.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      expireGeneric(c, argv, true, true, 'expire');
    },
  },
  {
    // PEXPIRE key milliseconds [NX | XX | GT | LT]
    name: 'pexpire',
    arity: -3,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Makes a key expire after a number of milliseconds.',
    since: '2.6.0',
    complexity: 'O(1)',
    run(c, argv) {
      expireGeneric(c, argv, false, true, 'pexpire');
    },
  },
  {
    // EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
    name: 'expireat',
    arity: -3,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Makes a key expire at a Unix time given in seconds.',
    since: '1.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      expireGeneric(c, argv, true, false, 'expireat');
    },
  },
  {
    // PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
    name: 'pexpireat',
    arity: -3,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Makes a key expire at a Unix time given in milliseconds.',
    since: '2.6.0',
    complexity: 'O(1)',
    run(c, argv) {
      expireGeneric(c, argv, false, false, 'pexpireat');
    },
  },
  {
    // TTL key
    name: 'ttl',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Reports the seconds left before a key expires.',
    since: '1.0.0',
    complexity: 'O(1)',
    tips: ['nondeterministic_output'],
    run(c, argv) {
      ttlGeneric(c, argv[1]!, false, false);
    },
  },
  {
    // PTTL key
    name: 'pttl',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Reports the milliseconds left before a key expires.',
    since: '2.6.0',
    complexity: 'O(1)',
    tips: ['nondeterministic_output'],
    run(c, argv) {
      ttlGeneric(c, argv[1]!, true, false);
    },
  },
  {
    // EXPIRETIME key
    name: 'expiretime',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Reports the Unix time in seconds at which a key expires.',
    since: '7.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      ttlGeneric(c, argv[1]!, false, true);
    },
  },
  {
    // PEXPIRETIME key
    name: 'pexpiretime',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Reports the Unix time in milliseconds at which a key expires.',
    since: '7.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      ttlGeneric(c, argv[1]!, true, true);
    },
  },
  {
    // PERSIST key
    name: 'persist',
    arity: 2,
    flags: ['write', 'fast'],
    acl: ['keyspace'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Removes the TTL of a key so it no longer expires.',
    since: '2.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      const db = c.db;
      const key = argv[1]!;
      const e = db.get(key);
      if (e !== undefined && db.persist(e)) {
        db.touched(key, N.generic, 'persist');
        c.reply.int(1);
      } else {
        c.reply.int(0);
      }
    },
  },
]);

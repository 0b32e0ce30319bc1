/**
 * Server commands: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME, LASTSAVE, SHUTDOWN, INFO, DEBUG.
 * (OBJECT and MEMORY live in inspect.ts, CONFIG in config.ts, COMMAND in introspection.ts.)
 */
import { ERR, RedisError, sanitizeErrorText } from '../errors.js';
import type { Database } from '../keyspace/database.js';
import { T } from '../keyspace/entry.js';
import type { RespEncoder } from '../protocol/writer.js';
import type { Client } from '../server/client.js';
import { infoText } from '../server/info.js';
import { MutableString } from '../types/mutable-string.js';
import { kw, parseDouble, parseInt64 } from './args.js';
import { idleSeconds, objectEncoding } from './inspect.js';
import { replyHelp } from './introspection.js';
import { defineGroup } from './spec.js';

/** FLUSHDB / FLUSHALL options: nothing, ASYNC or SYNC. Strata frees by dropping references either way. */
function checkFlushArgs(argv: string[]): void {
  if (argv.length > 2) throw new RedisError(ERR.syntax);
  if (argv.length === 2) {
    const m = kw(argv[1]!);
    if (m !== 'async' && m !== 'sync') throw new RedisError(ERR.syntax);
  }
}

/**
 * Empties a database in O(1): its maps are swapped for new ones and the old contents become garbage, so even a
 * huge database never stalls the event loop (V8 collects the old entries incrementally). Returns the keys removed.
 */
export function flushDatabase(db: Database): number {
  const n = db.size;
  db.ks.replacing(db, null);
  db.clear();
  return n;
}

/** The `unknown subcommand or wrong number of arguments` error Redis gives for a bad DEBUG/CLIENT call. */
export function subcommandSyntaxError(argv: string[]): RedisError {
  return new RedisError(
    sanitizeErrorText(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`),
  );
}

/** RDB-serialized length of a string value, as DEBUG OBJECT's serializedlength (without LZF compression). */
function serializedLength(v: string): number {
  if (v.length <= 11 && parseInt64(v) !== null) {
    const n = Number(v);
    if (n >= -128 && n <= 127) return 2;
    if (n >= -32768 && n <= 32767) return 3;
    if (n >= -2147483648 && n <= 2147483647) return 5;
  }
  const len = v.length;
  return (len < 64 ? 1 : len < 16384 ? 2 : len <= 0xffffffff ? 5 : 9) + len;
}

/** Stable pseudo-addresses for DEBUG OBJECT's `Value at:` (JS has no pointers to show). */
const addresses = new WeakMap<object, string>();
let nextAddress = 0x7f0000001000;
function addressOf(o: object): string {
  let a = addresses.get(o);
  if (a === undefined) {
    a = '0x' + nextAddress.toString(16);
    nextAddress += 0x40;
    addresses.set(o, a);
  }
  return a;
}

const PROTOCOL_TYPES = 'string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false';

/** DEBUG PROTOCOL <type>: a sample reply of each RESP type, as clients' test suites expect. */
function debugProtocol(c: Client, type: string): void {
  const r = c.reply as RespEncoder;
  const three = r.resp === 3;
  switch (type) {
    case 'string':
      return r.bulk('Hello World');
    case 'integer':
      return r.int(12345);
    case 'double':
      return r.double(3.141);
    case 'bignum':
      if (three) return r.rawBytes(Buffer.from('(1234567999999999999999999999999999999\r\n'));
      return r.bulk('1234567999999999999999999999999999999');
    case 'null':
      return r.nil();
    case 'array':
    case 'set':
      if (type === 'set') r.set(3);
      else r.array(3);
      for (let k = 0; k < 3; k++) r.int(k);
      return;
    case 'map':
      r.map(3);
      for (let k = 0; k < 3; k++) {
        r.int(k);
        r.bool(k === 1);
      }
      return;
    case 'attrib':
      if (three) r.rawBytes(Buffer.from('|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n'));
      return r.bulk('Some real reply following the attribute');
    case 'push':
      if (!three) throw new RedisError('ERR RESP2 is not supported by this command');
      r.push(2);
      r.bulk('server-cpu-usage');
      r.int(42);
      return r.bulk('Some real reply following the push reply');
    case 'verbatim':
      return r.verbatim('This is a verbatim\nstring');
    case 'true':
      return r.bool(true);
    case 'false':
      return r.bool(false);
    default:
      throw new RedisError(`ERR Wrong protocol type name. Please use one of the following: ${PROTOCOL_TYPES}`);
  }
}

/** Blocks the whole process, as DEBUG SLEEP blocks Redis's event loop (clients wait, nothing else runs). */
function sleepBlocking(seconds: number): void {
  if (!(seconds > 0)) return;
  const ms = Math.min(seconds * 1000, 2147483647);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Redis reads DEBUG SLEEP's argument with strtold: a leading number is taken, anything else counts as 0. */
function strtold(s: string): number {
  const m = /^\s*[+-]?(?:0[xX][0-9a-fA-F]*\.?[0-9a-fA-F]*(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?)/i.exec(s);
  return m ? (parseDouble(m[0].trim()) ?? 0) : 0;
}

/** DEBUG POPULATE count [prefix] [size]: keys `prefix:N` holding `value:N` (cut or zero-padded to size). */
function debugPopulate(c: Client, argv: string[]): void {
  const positive = (s: string) => {
    const n = parseInt64(s);
    if (n === null || n < 0) throw new RedisError('ERR value is out of range, must be positive');
    return n;
  };
  const count = positive(argv[2]!);
  const prefix = argv.length > 3 ? argv[3]! : 'key';
  const size = argv.length > 4 ? positive(argv[4]!) : 0;
  const db = c.db;
  for (let k = 0; k < count; k++) {
    const key = `${prefix}:${k}`;
    if (db.peek(key) !== undefined) continue;
    let value = `value:${k}`;
    if (size > 0) value = value.length >= size ? value.slice(0, size) : value + '\0'.repeat(size - value.length);
    db.add(key, T.String, value);
  }
  c.reply.ok();
}

const DEBUG_HELP = [
  'ERROR <string>',
  '    Reply with an error made of <string> (for testing clients).',
  'LOG <message>',
  '    Write <message> to the server log.',
  'OBJECT <key>',
  '    Show low-level details of the value at <key>.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named <prefix>:<n> (prefix defaults to "key"); existing keys are kept.',
  '    With <size>, each value is cut or zero-padded to <size> bytes.',
  'PROTOCOL <type>',
  '    Reply with a sample value of a RESP type: string, integer, double, bignum, null, array, set, map,',
  '    attrib, push, verbatim, true or false.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Turn the background removal of expired keys off (0) or back on (1).',
  'SLEEP <seconds>',
  '    Block the server for <seconds> (decimals allowed).',
];

/** enable-debug-command: `no` refuses DEBUG, `local` allows it from loopback connections only. */
function checkDebugAllowed(c: Client): void {
  const mode = c.server.config.get('enable-debug-command');
  if (mode === 'yes' || (mode === 'local' && c.isLocal())) return;
  throw new RedisError(
    'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  );
}

export const serverCommands = defineGroup('server', [
  {
    // DBSIZE
    name: 'dbsize',
    arity: 1,
    flags: ['readonly', 'fast'],
    acl: ['keyspace'],
    tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
    summary: 'Returns the number of keys in the selected database.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c) {
      c.reply.int(c.db.size);
    },
  },
  {
    // FLUSHDB [ASYNC | SYNC]
    name: 'flushdb',
    arity: -1,
    flags: ['write'],
    acl: ['keyspace', 'dangerous'],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    summary: 'Removes every key from the selected database.',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of keys in the selected database',
    run(c, argv) {
      checkFlushArgs(argv);
      c.server.ks.dirty += flushDatabase(c.db);
      c.reply.ok();
    },
  },
  {
    // FLUSHALL [ASYNC | SYNC]
    name: 'flushall',
    arity: -1,
    flags: ['write'],
    acl: ['keyspace', 'dangerous'],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    summary: 'Removes every key from every database.',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of keys in all databases',
    run(c, argv) {
      checkFlushArgs(argv);
      const ks = c.server.ks;
      let removed = 0;
      for (const db of ks.dbs) removed += flushDatabase(db);
      // Redis counts the removed keys plus the FLUSHALL itself as changes.
      ks.dirty += removed + 1;
      c.reply.ok();
    },
  },
  {
    // SWAPDB index1 index2
    name: 'swapdb',
    arity: 3,
    flags: ['write', 'fast'],
    acl: ['keyspace', 'dangerous'],
    summary: 'Swaps the contents of two databases.',
    since: '4.0.0',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
    run(c, argv) {
      const a = parseInt64(argv[1]!);
      if (a === null) throw new RedisError('ERR invalid first DB index');
      const b = parseInt64(argv[2]!);
      if (b === null) throw new RedisError('ERR invalid second DB index');
      const ks = c.server.ks;
      if (a < 0 || a >= ks.dbs.length || b < 0 || b >= ks.dbs.length) throw new RedisError(ERR.dbIndexOutOfRange);
      if (a !== b) {
        const da = ks.dbs[a]!;
        const db = ks.dbs[b]!;
        ks.replacing(da, db);
        ks.replacing(db, da);
        da.swapWith(db);
      }
      ks.dirty++;
      c.reply.ok();
    },
  },
  {
    // TIME
    name: 'time',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    acl: [],
    tips: ['nondeterministic_output'],
    summary: 'Returns the server time as seconds and microseconds.',
    since: '2.6.0',
    complexity: 'O(1)',
    run(c) {
      const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
      c.reply.array(2);
      c.reply.bulk(String(Math.floor(us / 1e6)));
      c.reply.bulk(String(us % 1e6));
    },
  },
  {
    // LASTSAVE
    name: 'lastsave',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    acl: ['admin', 'dangerous'],
    tips: ['nondeterministic_output'],
    summary: 'Returns the Unix time of the last successful save.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c) {
      c.reply.int(c.server.lastSave);
    },
  },
  {
    // SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
    name: 'shutdown',
    arity: -1,
    flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'],
    acl: [],
    summary: 'Stops the server after persisting, unless told not to.',
    since: '1.0.0',
    complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
    run(c, argv) {
      let save = false;
      let nosave = false;
      let abort = false;
      let other = false;
      for (let k = 1; k < argv.length; k++) {
        const o = kw(argv[k]!);
        if (o === 'nosave') nosave = true;
        else if (o === 'save') save = true;
        else if (o === 'now' || o === 'force') other = true;
        else if (o === 'abort') abort = true;
        else throw new RedisError(ERR.syntax);
      }
      if ((save && nosave) || (abort && (save || nosave || other))) throw new RedisError(ERR.syntax);
      // Strata stops at once (it never waits for replicas), so there is never a shutdown in progress to abort.
      if (abort) throw new RedisError('ERR No shutdown in progress.');
      c.server.log.warning('User requested shutdown...');
      c.server.onShutdown();
    },
  },
  {
    // INFO [section [section ...]]
    name: 'info',
    arity: -1,
    flags: ['loading', 'stale'],
    acl: ['dangerous'],
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
    summary: 'Returns information and statistics about the server.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      c.reply.verbatim(infoText(c.server, argv.slice(1)));
    },
  },
  {
    // DEBUG subcommand [arg ...]
    name: 'debug',
    arity: -2,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    acl: [],
    summary: 'Testing and diagnostics helpers.',
    since: '1.0.0',
    complexity: 'Depends on subcommand.',
    run(c, argv) {
      checkDebugAllowed(c);
      const sub = kw(argv[1]!);
      const n = argv.length;
      if (sub === 'help' && n === 2) return replyHelp(c, 'DEBUG', DEBUG_HELP);
      if (sub === 'sleep' && n === 3) {
        sleepBlocking(strtold(argv[2]!));
        return c.reply.ok();
      }
      if (sub === 'set-active-expire' && n === 3) {
        // atoi(): a leading integer, anything else is 0.
        c.server.activeExpireEnabled = parseInt(argv[2]!, 10) ? true : false;
        return c.reply.ok();
      }
      if (sub === 'object' && n === 3) {
        const e = c.db.peek(argv[2]!);
        if (e === undefined) throw new RedisError(ERR.noSuchKey);
        const idle = idleSeconds(e, c.server.ks.now);
        const lru = Math.floor(e.atime / 1000) & 0xffffff;
        const len = e.type === T.String ? serializedLength(typeof e.value === 'string' ? e.value : (e.value as MutableString).toString()) : 0;
        const enc = objectEncoding(e, c.server.config);
        return c.reply.status(`Value at:${addressOf(e)} refcount:1 encoding:${enc} serializedlength:${len} lru:${lru} lru_seconds_idle:${idle}`);
      }
      if (sub === 'populate' && n >= 3 && n <= 5) return debugPopulate(c, argv);
      if (sub === 'error' && n === 3) throw new RedisError(sanitizeErrorText(argv[2]!));
      if (sub === 'log' && n === 3) {
        c.server.log.warning(`DEBUG LOG: ${argv[2]}`);
        return c.reply.ok();
      }
      if (sub === 'protocol' && n === 3) return debugProtocol(c, kw(argv[2]!));
      throw subcommandSyntaxError(argv);
    },
  },
]);

/**
 * CLIENT subcommands: ID, SETNAME, GETNAME, LIST, INFO, KILL, SETINFO, NO-EVICT, NO-TOUCH, REPLY, PAUSE, UNPAUSE,
 * HELP. CLIENT LIST / INFO lines use Redis 7.2's field order.
 */
import { ERR, RedisError } from '../errors.js';
import type { Client } from '../server/client.js';
import { ReplyMode } from '../server/client.js';
import { cstr, kw, parseInt64 } from './args.js';
import { checkClientName } from './connection.js';
import { replyHelp } from './introspection.js';
import { subcommandSyntaxError } from './server.js';
import { defineGroup, type CommandSpec } from './spec.js';

/** Size of the reply encoder's initial buffer (protocol/writer.ts), held by every client. */
const REPLY_BUFFER = 16 * 1024;

/** Client types as CLIENT LIST TYPE / CLIENT KILL TYPE name them (`slave` and `replica` are the same). */
type ClientType = 'normal' | 'replica' | 'master' | 'pubsub';

function typeByName(name: string): ClientType | null {
  switch (name.toLowerCase()) {
    case 'normal':
      return 'normal';
    case 'slave':
    case 'replica':
      return 'replica';
    case 'master':
      return 'master';
    case 'pubsub':
      return 'pubsub';
    default:
      return null;
  }
}

function typeOf(c: Client): ClientType {
  return c.flags.includes('P') ? 'pubsub' : 'normal';
}

/** The `flags=` field: the client's own flags, then close-after-reply, no-evict and no-touch, or `N` for none. */
/** Flag letters in the order Redis prints them. */
const FLAG_ORDER = 'OSMPxbtRBdcuAUreT';

function flagsOf(c: Client): string {
  let have = c.flags === 'N' ? '' : c.flags;
  if (c.subscribed) have += 'P';
  if (c.multi !== null) have += 'x';
  if (c.dirtyCas) have += 'd';
  if (c.closeAfterReply) have += 'c';
  if (c.noEvict) have += 'e';
  if (c.noTouch) have += 'T';
  let f = '';
  for (const ch of FLAG_ORDER) if (have.includes(ch)) f += ch;
  return f === '' ? 'N' : f;
}

function fdOf(c: Client): number {
  const fd = (c.socket as unknown as { _handle?: { fd?: number } } | null)?._handle?.fd;
  return typeof fd === 'number' ? fd : -1;
}

/** One CLIENT LIST line (without the trailing newline). `argvBytes` is the size of the command running now. */
export function clientInfoLine(c: Client, now: number, argvBytes = 0): string {
  const pending = c.reply.pending;
  const omem = c.socket?.writableLength ?? 0;
  const rbs = Math.max(REPLY_BUFFER, pending);
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${fdOf(c)} name=${c.name} age=${Math.floor((now - c.createdAt) / 1000)} ` +
    `idle=${Math.floor((now - c.lastInteraction) / 1000)} flags=${flagsOf(c)} db=${c.db.id} sub=${c.subChannels.size} psub=${c.subPatterns.size} ssub=${c.subShard.size} multi=${c.multi === null ? -1 : c.multi.queue.length} ` +
    `qbuf=${c.reader.buffered} qbuf-free=0 argv-mem=${argvBytes} multi-mem=0 rbs=${rbs} rbp=${rbs} obl=${pending} ` +
    `oll=${omem > 0 ? 1 : 0} omem=${omem} tot-mem=${REPLY_BUFFER + c.memoryBytes() + argvBytes} events=${omem > 0 ? 'rw' : 'r'} ` +
    `cmd=${c.lastCommand} user=${c.user} redir=-1 resp=${c.resp} lib-name=${c.libName} lib-ver=${c.libVer}`
  );
}

function argvBytes(argv: string[]): number {
  let n = 0;
  for (const a of argv) n += a.length;
  return n;
}

/** CLIENT KILL: the old `addr` form, or filters (ID, TYPE, ADDR, LADDR, USER, SKIPME, MAXAGE) combined with AND. */
function clientKill(c: Client, argv: string[]): void {
  let addr: string | null = null;
  let laddr: string | null = null;
  let id = 0;
  let type: ClientType | null = null;
  let user: string | null = null;
  let maxAge = 0;
  let skipMe = true;
  const oldForm = argv.length === 3;
  if (oldForm) {
    addr = argv[2]!;
    skipMe = false;
  } else {
    for (let k = 2; k < argv.length; k += 2) {
      const opt = kw(argv[k]!);
      if (k + 1 >= argv.length) throw new RedisError(ERR.syntax);
      const val = argv[k + 1]!;
      if (opt === 'id') {
        const n = parseInt64(val);
        if (n === null || n < 1) throw new RedisError('ERR client-id should be greater than 0');
        id = n;
      } else if (opt === 'type') {
        type = typeByName(val);
        if (type === null) throw new RedisError(`ERR Unknown client type '${val}'`);
      } else if (opt === 'addr') {
        addr = val;
      } else if (opt === 'laddr') {
        laddr = val;
      } else if (opt === 'user') {
        // Only the default user exists until ACL users do.
        if (val !== 'default') throw new RedisError(`ERR No such user '${val}'`);
        user = val;
      } else if (opt === 'skipme') {
        const v = kw(val);
        if (v === 'yes') skipMe = true;
        else if (v === 'no') skipMe = false;
        else throw new RedisError(ERR.syntax);
      } else if (opt === 'maxage') {
        const n = parseInt64(val);
        if (n === null) throw new RedisError('ERR maxage is not an integer or out of range');
        maxAge = n;
      } else {
        throw new RedisError(ERR.syntax);
      }
    }
  }
  const now = Date.now();
  let killed = 0;
  let self = false;
  for (const other of [...c.server.clients.values()]) {
    if (addr !== null && other.addr !== addr) continue;
    if (laddr !== null && other.laddr !== laddr) continue;
    if (type !== null && typeOf(other) !== type) continue;
    if (id !== 0 && other.id !== id) continue;
    if (user !== null && other.user !== user) continue;
    if (maxAge !== 0 && (now - other.createdAt) / 1000 <= maxAge) continue;
    if (other === c && skipMe) continue;
    if (other === c) self = true;
    else other.destroy();
    killed++;
  }
  if (oldForm) {
    if (killed === 0) throw new RedisError('ERR No such client');
    c.reply.ok();
  } else {
    c.reply.int(killed);
  }
  // Killing yourself: the reply goes out first, then the connection closes.
  if (self) c.closeAfterReply = true;
}

/** `on`/`off` arguments of NO-EVICT and NO-TOUCH. */
function onOff(arg: string): boolean {
  const v = kw(arg);
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw new RedisError(ERR.syntax);
}

const HELP = [
  'GETNAME',
  '    Reply with the name of this connection.',
  'ID',
  '    Reply with the id of this connection.',
  'INFO',
  '    Reply with a CLIENT LIST line describing this connection.',
  'KILL <ip:port>',
  '    Close the connection from <ip:port>.',
  'KILL <filter> <value> [<filter> <value> ...]',
  '    Close every connection matching all the filters, and reply with how many were closed:',
  '    * ID <client-id>',
  '    * ADDR <ip:port> | LADDR <ip:port>  (remote / local address)',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '    * USER <username>',
  '    * MAXAGE <seconds>  (connections older than this)',
  '    * SKIPME (YES|NO)  (whether to spare this connection; default yes)',
  'LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <client-id> ...]',
  '    Reply with one line per connection, optionally only some types or ids.',
  'NO-EVICT (ON|OFF)',
  '    Exempt this connection from client eviction.',
  'NO-TOUCH (ON|OFF)',
  '    When on, commands from this connection leave the keys\' access times alone (TOUCH still updates them).',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Hold the commands of every client (or only writes) for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Turn the replies to this connection on or off, or skip the reply to the next command.',
  'SETINFO (LIB-NAME|LIB-VER) <value>',
  '    Record the client library name or version shown by CLIENT LIST.',
  'SETNAME <name>',
  '    Name this connection.',
  'UNBLOCK <client-id> [TIMEOUT|ERROR]',
  '    End the wait of a client blocked in BLPOP & co.: as if it timed out (default), or with an error.',
  'UNPAUSE',
  '    End a CLIENT PAUSE now.',
];

type Sub = Omit<CommandSpec, 'group' | 'acl' | 'since' | 'complexity'> & Partial<Pick<CommandSpec, 'since' | 'complexity'>>;
const NORMAL: CommandSpec['flags'] = ['noscript', 'loading', 'stale'];
const ADMIN: CommandSpec['flags'] = ['admin', 'noscript', 'loading', 'stale'];

/** Subcommands share the `connection` category; this fills it in with the defaults Redis uses. */
function sub(s: Sub): CommandSpec {
  return { acl: ['connection'], since: '2.4.0', complexity: 'O(1)', group: 'connection', ...s } as CommandSpec;
}

export const clientCommands = defineGroup('connection', [
  {
    // CLIENT <subcommand>
    name: 'client',
    arity: -2,
    flags: [],
    acl: [],
    summary: 'Container for the commands that inspect and manage client connections.',
    since: '2.4.0',
    complexity: 'Depends on subcommand.',
    subcommands: [
      sub({
        // CLIENT ID
        name: 'id',
        arity: 2,
        flags: NORMAL,
        summary: 'Returns the unique id of this connection.',
        since: '5.0.0',
        run(c) {
          c.reply.int(c.id);
        },
      }),
      sub({
        // CLIENT SETNAME connection-name
        name: 'setname',
        arity: 3,
        flags: NORMAL,
        summary: 'Names this connection.',
        since: '2.6.9',
        run(c, argv) {
          checkClientName(argv[2]!);
          c.name = argv[2]!;
          c.reply.ok();
        },
      }),
      sub({
        // CLIENT GETNAME
        name: 'getname',
        arity: 2,
        flags: NORMAL,
        summary: 'Returns the name of this connection.',
        since: '2.6.9',
        run(c) {
          if (c.name === '') c.reply.nil();
          else c.reply.bulk(c.name);
        },
      }),
      sub({
        // CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]
        name: 'list',
        arity: -2,
        flags: ADMIN,
        tips: ['nondeterministic_output'],
        summary: 'Describes every connection, one line each.',
        complexity: 'O(N) where N is the number of client connections',
        run(c, argv) {
          const now = Date.now();
          const mine = argvBytes(argv);
          const line = (x: Client) => clientInfoLine(x, now, x === c ? mine : 0) + '\n';
          let out = '';
          if (argv.length === 4 && kw(argv[2]!) === 'type') {
            const type = typeByName(argv[3]!);
            if (type === null) throw new RedisError(`ERR Unknown client type '${argv[3]}'`);
            for (const x of c.server.clients.values()) if (typeOf(x) === type) out += line(x);
          } else if (argv.length > 3 && kw(argv[2]!) === 'id') {
            const ids: number[] = [];
            for (let k = 3; k < argv.length; k++) {
              const n = parseInt64(argv[k]!);
              if (n === null) throw new RedisError('ERR Invalid client ID');
              ids.push(n);
            }
            for (const n of ids) {
              const x = c.server.clients.get(n);
              if (x !== undefined) out += line(x);
            }
          } else if (argv.length !== 2) {
            throw new RedisError(ERR.syntax);
          } else {
            for (const x of c.server.clients.values()) out += line(x);
          }
          c.reply.verbatim(out);
        },
      }),
      sub({
        // CLIENT INFO
        name: 'info',
        arity: 2,
        flags: NORMAL,
        tips: ['nondeterministic_output'],
        summary: 'Describes this connection in CLIENT LIST format.',
        since: '6.2.0',
        run(c, argv) {
          c.reply.verbatim(clientInfoLine(c, Date.now(), argvBytes(argv)) + '\n');
        },
      }),
      sub({
        // CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [USER user] [ADDR ip:port] [LADDR ip:port] [SKIPME yes|no] [MAXAGE seconds]
        name: 'kill',
        arity: -3,
        flags: ADMIN,
        summary: 'Closes client connections.',
        complexity: 'O(N) where N is the number of client connections',
        run: clientKill,
      }),
      sub({
        // CLIENT SETINFO LIB-NAME libname | LIB-VER libver
        name: 'setinfo',
        arity: 4,
        flags: NORMAL,
        summary: 'Records the name or version of the client library.',
        since: '7.2.0',
        run(c, argv) {
          const attr = argv[2]!;
          const which = kw(attr);
          if (which !== 'lib-name' && which !== 'lib-ver') throw new RedisError(`ERR Unrecognized option '${attr}'`);
          const v = argv[3]!;
          for (let k = 0; k < v.length; k++) {
            const ch = v.charCodeAt(k);
            if (ch < 33 || ch > 126) throw new RedisError(`ERR ${attr} cannot contain spaces, newlines or special characters.`);
          }
          if (which === 'lib-name') c.libName = v;
          else c.libVer = v;
          c.reply.ok();
        },
      }),
      sub({
        // CLIENT NO-EVICT ON|OFF
        name: 'no-evict',
        arity: 3,
        flags: ADMIN,
        summary: 'Exempts this connection from client eviction, or not.',
        since: '7.0.0',
        run(c, argv) {
          c.noEvict = onOff(argv[2]!);
          c.reply.ok();
        },
      }),
      sub({
        // CLIENT NO-TOUCH ON|OFF
        name: 'no-touch',
        arity: 3,
        flags: ['noscript', 'loading', 'stale'],
        summary: "Stops or resumes this connection's commands updating keys' access times.",
        since: '7.2.0',
        run(c, argv) {
          c.noTouch = onOff(argv[2]!);
          c.reply.ok();
        },
      }),
      sub({
        // CLIENT REPLY ON|OFF|SKIP
        name: 'reply',
        arity: 3,
        flags: NORMAL,
        summary: 'Turns the replies to this connection on or off, or skips the next one.',
        since: '3.2.0',
        run(c, argv) {
          const mode = kw(argv[2]!);
          if (mode === 'on') {
            c.replyMode = ReplyMode.On;
            c.reply.muted = false;
            c.reply.ok();
          } else if (mode === 'off') {
            c.replyMode = ReplyMode.Off;
            c.reply.muted = true;
          } else if (mode === 'skip') {
            // The dispatcher mutes the next command in SkipNext (a rejected command consumes it too). When this
            // command itself runs muted (during a skip) the dispatcher steps Skip → SkipNext after it; under OFF,
            // SKIP changes nothing, as in Redis.
            if (c.replyMode === ReplyMode.On) {
              c.replyMode = ReplyMode.SkipNext;
              c.reply.muted = true;
            } else if (c.replyMode !== ReplyMode.Off) {
              c.replyMode = ReplyMode.Skip;
            }
          } else {
            throw new RedisError(ERR.syntax);
          }
        },
      }),
      sub({
        // CLIENT PAUSE timeout [WRITE|ALL]
        name: 'pause',
        arity: -3,
        flags: ADMIN,
        summary: 'Holds the commands of every client, or only writes, for a while.',
        since: '3.0.0',
        run(c, argv) {
          const t = parseInt64(argv[2]!);
          if (t === null) throw new RedisError('ERR timeout is not an integer or out of range');
          if (t < 0) throw new RedisError('ERR timeout is negative');
          const now = c.server.ks.now;
          if (t > Number.MAX_SAFE_INTEGER - now) throw new RedisError('ERR timeout is out of range');
          let writesOnly = false;
          if (argv.length === 4) {
            const m = kw(argv[3]!);
            if (m === 'write') writesOnly = true;
            else if (m !== 'all') throw new RedisError('ERR CLIENT PAUSE mode must be WRITE or ALL');
          } else if (argv.length > 4) {
            throw subcommandSyntaxError(argv);
          }
          if (t > 0) c.server.pauseClients(now + t, writesOnly);
          c.reply.ok();
        },
      }),
      sub({
        // CLIENT UNPAUSE
        name: 'unpause',
        arity: 2,
        flags: ADMIN,
        summary: 'Ends a CLIENT PAUSE.',
        since: '6.2.0',
        complexity: 'O(N) Where N is the number of paused clients',
        run(c) {
          c.server.unpause();
          c.reply.ok();
        },
      }),
      sub({
        // CLIENT UNBLOCK client-id [TIMEOUT|ERROR]
        name: 'unblock',
        arity: -3,
        flags: ADMIN,
        summary: 'Ends the wait of a client blocked on keys, as a timeout or with an error.',
        since: '5.0.0',
        complexity: 'O(log N) where N is the number of client connections',
        run(c, argv) {
          if (argv.length > 4) throw subcommandSyntaxError(argv);
          // The reason is checked before the id, as Redis does.
          let withError = false;
          if (argv.length === 4) {
            const reason = kw(cstr(argv[3]!));
            if (reason === 'error') withError = true;
            else if (reason !== 'timeout') throw new RedisError('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
          }
          const id = parseInt64(argv[2]!);
          if (id === null) throw new RedisError(ERR.notInteger);
          const target = c.server.clients.get(id);
          c.reply.int(target !== undefined && c.server.blocking.unblock(target, withError) ? 1 : 0);
        },
      }),
      sub({
        // CLIENT HELP
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        summary: 'Describes the CLIENT subcommands.',
        since: '5.0.0',
        run(c) {
          replyHelp(c, 'CLIENT', HELP);
        },
      }),
    ],
  },
]);

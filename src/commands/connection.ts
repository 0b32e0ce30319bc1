/**
 * Connection commands: PING, ECHO, SELECT, AUTH, HELLO, QUIT, RESET.
 */
import { ERR, RedisError } from '../errors.js';
import type { Client } from '../server/client.js';
import { ReplyMode } from '../server/client.js';
import { REDIS_VERSION } from '../version.js';
import { intArg, is } from './args.js';
import { defineGroup } from './spec.js';
import { discardTransaction } from './transactions.js';
import { unsubscribeAll } from './pubsub.js';

/** Client names: printable ASCII without spaces (CLIENT SETNAME, HELLO SETNAME). */
export function checkClientName(name: string): void {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) throw new RedisError('ERR Client names cannot contain spaces, newlines or special characters.');
  }
}

/** Checks a username/password pair against the default user (the only user until ACLs exist). */
function checkPassword(c: Client, user: string, pass: string): boolean {
  const required = c.server.config.get('requirepass');
  if (user !== 'default') return false;
  return required === '' || pass === required;
}

function authenticate(c: Client, user: string): void {
  c.authenticated = true;
  c.user = user;
  c.reader.authRequired = false;
}

export const connectionCommands = defineGroup('connection', [
  {
    // PING [message]
    name: 'ping',
    arity: -1,
    flags: ['fast', 'stale', 'loading'],
    acl: ['connection'],
    summary: 'Returns the server\'s liveliness response.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      if (argv.length > 2) throw new RedisError(ERR.wrongArity('ping'));
      if (c.reply.resp === 2 && c.subscribed) {
        // A RESP2 subscriber gets PING's answer in the shape of a pub/sub message.
        c.reply.array(2);
        c.reply.bulk('pong');
        c.reply.bulk(argv.length === 2 ? argv[1]! : '');
      } else if (argv.length === 1) c.reply.status('PONG');
      else c.reply.bulk(argv[1]!);
    },
  },
  {
    // ECHO message
    name: 'echo',
    arity: 2,
    flags: ['fast', 'stale', 'loading'],
    acl: ['connection'],
    summary: 'Returns the given string.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      c.reply.bulk(argv[1]!);
    },
  },
  {
    // SELECT index
    name: 'select',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    acl: ['connection'],
    summary: 'Changes the selected database.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      const idx = intArg(argv[1]!);
      const dbs = c.server.ks.dbs;
      if (idx < 0 || idx >= dbs.length) throw new RedisError(ERR.dbIndexOutOfRange);
      c.select(dbs[idx]!);
      c.reply.ok();
    },
  },
  {
    // AUTH [username] password
    name: 'auth',
    arity: -2,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    acl: ['connection'],
    summary: 'Authenticates the connection.',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of passwords defined for the user',
    run(c, argv) {
      if (argv.length > 3) throw new RedisError(ERR.syntax);
      const user = argv.length === 3 ? argv[1]! : 'default';
      const pass = argv[argv.length - 1]!;
      if (argv.length === 2 && c.server.config.get('requirepass') === '') throw new RedisError(ERR.authNoPassword);
      if (!checkPassword(c, user, pass)) throw new RedisError(ERR.wrongPass);
      authenticate(c, user);
      c.reply.ok();
    },
  },
  {
    // HELLO [protover [AUTH username password] [SETNAME clientname]]
    name: 'hello',
    arity: -1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    acl: ['connection'],
    summary: 'Handshakes with the Redis server.',
    since: '6.0.0',
    complexity: 'O(1)',
    run(c, argv) {
      let ver = 0;
      if (argv.length >= 2) {
        const v = argv[1]!;
        const n = /^-?\d+$/.test(v) ? Number(v) : NaN;
        if (!Number.isSafeInteger(n)) throw new RedisError('ERR Protocol version is not an integer or out of range');
        if (n < 2 || n > 3) throw new RedisError('NOPROTO unsupported protocol version');
        ver = n;
      }
      let authUser: string | null = null;
      let authPass = '';
      let setName: string | null = null;
      for (let i = 2; i < argv.length; i++) {
        const more = argv.length - i - 1;
        if (is(argv[i]!, 'auth') && more >= 2) {
          authUser = argv[i + 1]!;
          authPass = argv[i + 2]!;
          i += 2;
        } else if (is(argv[i]!, 'setname') && more >= 1) {
          setName = argv[i + 1]!;
          i += 1;
        } else {
          throw new RedisError(`ERR Syntax error in HELLO option '${argv[i]}'`);
        }
      }
      if (authUser !== null) {
        if (!checkPassword(c, authUser, authPass)) throw new RedisError(ERR.wrongPass);
        authenticate(c, authUser);
      }
      if (!c.authenticated) {
        throw new RedisError(
          'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
        );
      }
      if (setName !== null) {
        checkClientName(setName);
        c.name = setName;
      }
      if (ver !== 0) c.reply.resp = ver as 2 | 3;
      const r = c.reply;
      r.map(7);
      r.bulk('server');
      r.bulk('redis');
      r.bulk('version');
      r.bulk(REDIS_VERSION);
      r.bulk('proto');
      r.int(r.resp);
      r.bulk('id');
      r.int(c.id);
      r.bulk('mode');
      r.bulk('standalone');
      r.bulk('role');
      r.bulk('master');
      r.bulk('modules');
      r.array(0);
    },
  },
  {
    // QUIT
    name: 'quit',
    arity: -1,
    flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'],
    acl: ['connection'],
    summary: 'Closes the connection.',
    since: '1.0.0',
    complexity: 'O(1)',
    run(c) {
      c.reply.muted = false;
      c.reply.ok();
      c.closeAfterReply = true;
    },
  },
  {
    // RESET
    name: 'reset',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    acl: ['connection'],
    summary: 'Resets the connection.',
    since: '6.2.0',
    complexity: 'O(1)',
    run(c) {
      discardTransaction(c);
      unsubscribeAll(c);
      c.select(c.server.ks.dbs[0]!);
      c.reply.resp = 2;
      c.name = '';
      c.noEvict = false;
      c.noTouch = false;
      c.replyMode = ReplyMode.On;
      c.reply.muted = false;
      const required = c.server.config.get('requirepass') !== '';
      c.authenticated = !required;
      c.reader.authRequired = required;
      c.user = 'default';
      c.reply.status('RESET');
    },
  },
]);

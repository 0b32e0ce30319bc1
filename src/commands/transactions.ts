/**
 * Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queuing happens in the dispatcher (Server.execute): while a
 * client is in MULTI every other command is checked and queued with +QUEUED; a queuing error flags the
 * transaction so EXEC answers EXECABORT.
 */
import { RedisError } from '../errors.js';
import type { Client } from '../server/client.js';
import { defineGroup } from './spec.js';

/** Leaves MULTI state and drops all watches (after EXEC or DISCARD, or on RESET). */
export function discardTransaction(c: Client): void {
  c.multi = null;
  c.server.watches.unwatchAll(c);
}

export const transactionCommands = defineGroup('transactions', [
  {
    // MULTI
    name: 'multi',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    acl: ['transaction'],
    summary: 'Starts a transaction.',
    since: '1.2.0',
    complexity: 'O(1)',
    run(c) {
      if (c.multi !== null) throw new RedisError('ERR MULTI calls can not be nested');
      c.multi = { queue: [], aborted: false };
      c.reply.ok();
    },
  },
  {
    // EXEC
    name: 'exec',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
    acl: ['transaction'],
    summary: 'Executes all commands in a transaction.',
    since: '1.2.0',
    complexity: 'Depends on commands in the transaction',
    run(c) {
      const m = c.multi;
      if (m === null) throw new RedisError('ERR EXEC without MULTI');
      if (m.aborted) {
        discardTransaction(c);
        throw new RedisError('EXECABORT Transaction discarded because of previous errors.');
      }
      // A watched key that expired since WATCH counts as changed: looking it up expires it and flags us.
      for (const [db, key] of c.watched) db.peek(key);
      if (c.dirtyCas) {
        discardTransaction(c);
        c.reply.nilArray();
        return;
      }
      c.multi = null;
      c.server.watches.unwatchAll(c);
      const r = c.reply;
      r.array(m.queue.length);
      // Blocking commands run as their non-blocking forms inside a transaction.
      const prevNoBlock = c.noBlock;
      c.noBlock = true;
      try {
        for (const [cmd, argv] of m.queue) c.server.call(c, cmd, argv);
      } finally {
        c.noBlock = prevNoBlock;
      }
    },
  },
  {
    // DISCARD
    name: 'discard',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    acl: ['transaction'],
    summary: 'Discards a transaction.',
    since: '2.0.0',
    complexity: 'O(N), when N is the number of queued commands',
    run(c) {
      if (c.multi === null) throw new RedisError('ERR DISCARD without MULTI');
      discardTransaction(c);
      c.reply.ok();
    },
  },
  {
    // WATCH key [key ...]
    name: 'watch',
    arity: -2,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    acl: ['transaction'],
    keys: { first: 1, last: -1, step: 1 },
    summary: 'Monitors changes to keys to determine the execution of a transaction.',
    since: '2.2.0',
    complexity: 'O(1) for every key.',
    run(c, argv) {
      if (c.multi !== null) throw new RedisError('ERR WATCH inside MULTI is not allowed');
      for (let i = 1; i < argv.length; i++) c.server.watches.watch(c, c.db, argv[i]!);
      c.reply.ok();
    },
  },
  {
    // UNWATCH
    name: 'unwatch',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    acl: ['transaction'],
    summary: 'Forgets about watched keys of a transaction.',
    since: '2.2.0',
    complexity: 'O(1)',
    run(c) {
      c.server.watches.unwatchAll(c);
      c.reply.ok();
    },
  },
]);


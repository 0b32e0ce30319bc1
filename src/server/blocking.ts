/**
 * Clients blocked on keys: BLPOP/BRPOP/BLMOVE/BRPOPLPUSH/BLMPOP, BZPOPMIN/BZPOPMAX/BZMPOP, XREAD/XREADGROUP BLOCK.
 * One mechanism for every type, following Redis 7.2 (blocked.c), where a served client simply runs its command
 * again.
 *
 * API for command handlers:
 *
 *   canBlock(c)
 *     False inside MULTI/EXEC and scripts (`c.noBlock`, or the `x` flag): the handler must then reply what the
 *     command replies on timeout / for an empty key, right away (e.g. BLPOP → null array, BLMOVE → null).
 *
 *   timeoutArg(arg, now) / timeoutMsArg(arg, now)
 *     Parse a timeout in seconds (a double: 0.1 is 100 ms) or milliseconds (XREAD BLOCK) into an absolute time in
 *     ms, 0 meaning forever, with Redis's errors ('ERR timeout is not a float or out of range', 'ERR timeout is
 *     negative', 'ERR timeout is out of range'). Parse the timeout where Redis does (often before the keys).
 *
 *   c.server.blocking.block(c, argv, keys, type, timeoutAt, options?)
 *     Called by a handler (passing its own argv), as its last action and without writing a reply, when nothing
 *     can be served now.
 *     The client waits on `keys` of its current database for a value of type `type` (T.List, T.ZSet, T.Stream)
 *     and processes no further input (pipelined commands wait in its query buffer) until it is unblocked.
 *     options.unblockOnNoKey: also run again when a key is deleted (XREADGROUP: the group vanished).
 *     options.timeoutReply: what to reply on timeout or CLIENT UNBLOCK … TIMEOUT (default: a null array, which
 *     Redis sends for every list, sorted set and stream command, BLMOVE included).
 *
 * Serving. Every write signals its key through `db.touched(key)` (this class listens to the keyspace; FLUSH* and
 * SWAPDB mark every waited key of the database), so handlers never call signalKeyAsReady themselves; it stays
 * public for code that changes a key without touched(). Ready keys are served after the current top-level
 * command — never in the middle of one, and after a whole MULTI/EXEC or script — by `handleReadyKeys()`, which
 * Server.execute calls. For each ready key, the clients waiting on it at that moment, first come first served:
 * when the key now holds a value of the client's type (any value or none with unblockOnNoKey), the client is
 * unblocked and its command runs again from scratch through Server.call, with the same argv. It then finds data
 * and replies (it may also get an error, e.g. WRONGTYPE from another of its keys, as in Redis 7.2), or calls
 * block() again: it then keeps its original deadline but queues behind the clients already waiting. Writes made
 * by served commands (BLMOVE's destination) are served in the same pass, so chains complete at once. Served
 * clients resume their pipelined input on the next turn of the event loop (Redis: processUnblockedClients).
 *
 * Effects log: a served command is the write itself, so it is recorded as the non-blocking command it performed
 * (BLPOP → LPOP key, BLMOVE → LMOVE, BLMPOP → LPOP/RPOP key count), as Redis propagates it; a client that
 * blocks writes nothing.
 *
 * Other ways out: the timeout (timeoutReply), CLIENT UNBLOCK id [TIMEOUT|ERROR] (`unblock`), and disconnection
 * (`forget`: the client is simply dropped). A blocked client shows flag `b` in CLIENT LIST and counts in INFO
 * blocked_clients.
 */
import { RedisError } from '../errors.js';
import type { Command } from '../commands/spec.js';
import { parseDouble, parseInt64 } from '../commands/args.js';
import type { Database } from '../keyspace/database.js';
import type { T } from '../keyspace/entry.js';
import type { KeyspaceListener } from '../keyspace/keyspace.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

/** Node timers take at most 2^31-1 ms; longer waits re-arm. */
const MAX_TIMER = 2147483647;
const LLONG_MAX = 9223372036854775807;

export interface BlockOptions {
  unblockOnNoKey?: boolean;
  timeoutReply?: (c: Client) => void;
}

/** What a blocked client waits for (`Client.blocked`). */
export interface BlockedState {
  readonly db: Database;
  readonly keys: readonly string[];
  readonly type: T;
  /** Absolute deadline in ms, 0 for none. */
  readonly timeoutAt: number;
  readonly cmd: Command;
  readonly argv: string[];
  readonly unblockOnNoKey: boolean;
  readonly timeoutReply: (c: Client) => void;
  timer: NodeJS.Timeout | null;
}

const nullArrayReply = (c: Client): void => c.reply.nilArray();

/** Whether a blocking command may block now: not inside MULTI/EXEC or a script. */
export function canBlock(c: Client): boolean {
  return !c.noBlock && !c.flags.includes('x');
}

/** A timeout in seconds (a double) as an absolute time in ms; 0 = forever. Redis 7.2's rounding: up to the ms. */
export function timeoutArg(arg: string, now: number): number {
  const v = parseDouble(arg);
  if (v === null) throw new RedisError('ERR timeout is not a float or out of range');
  const ms = v * 1000;
  if (ms >= LLONG_MAX) throw new RedisError('ERR timeout is out of range');
  return absolute(Math.ceil(ms), now);
}

/** A timeout in milliseconds (an integer) as an absolute time in ms; 0 = forever. */
export function timeoutMsArg(arg: string, now: number): number {
  const v = parseInt64(arg);
  if (v === null) throw new RedisError('ERR timeout is not an integer or out of range');
  return absolute(v, now);
}

function absolute(ms: number, now: number): number {
  // ceil(-0.5) is -0: Redis casts it to 0 (block forever), and so does `ms < 0` here.
  if (ms < 0) throw new RedisError('ERR timeout is negative');
  if (ms === 0) return 0;
  if (ms >= LLONG_MAX - now) throw new RedisError('ERR timeout is out of range');
  return now + ms;
}

export class Blocking implements KeyspaceListener {
  /** Per database, per key: the clients waiting, in arrival order. */
  private waiting = new Map<Database, Map<string, Set<Client>>>();
  /** Keys signaled since the last serving pass, in signal order, without repeats. */
  private ready: [Database, string][] = [];
  private readySet = new Map<Database, Set<string>>();
  /** Number of blocked clients. */
  count = 0;
  private handling = false;
  /** The state of the client whose command is running again, so a new block() keeps its deadline and timer. */
  private rerun: { client: Client; state: BlockedState } | null = null;
  private resumeQueue: Client[] = [];
  private resumeScheduled = false;
  private sweepScheduled = false;

  constructor(private readonly server: Server) {}

  /** Whether ready keys wait to be served (checked by the dispatcher after each command). */
  get pending(): boolean {
    return this.ready.length > 0;
  }

  /**
   * Suspends `c` (running the command `argv`) on `keys` of its database until one holds a value of `type`, the
   * deadline passes, or CLIENT UNBLOCK. The handler writes no reply.
   */
  block(c: Client, argv: string[], keys: readonly string[], type: T, timeoutAt: number, options: BlockOptions = {}): void {
    const db = c.db;
    const prev = this.rerun !== null && this.rerun.client === c ? this.rerun.state : null;
    let cmd: Command | undefined;
    if (prev !== null) {
      cmd = prev.cmd;
    } else {
      cmd = this.server.commands.lookup(argv[0]!);
      if (cmd === undefined) throw new Error(`block: unknown command ${argv[0]}`);
    }
    const state: BlockedState = {
      db,
      keys,
      type,
      timeoutAt: prev !== null ? prev.timeoutAt : timeoutAt,
      cmd,
      argv,
      unblockOnNoKey: options.unblockOnNoKey === true,
      timeoutReply: options.timeoutReply ?? nullArrayReply,
      timer: prev !== null ? prev.timer : null,
    };
    if (prev !== null) prev.timer = null;
    let byKey = this.waiting.get(db);
    if (byKey === undefined) this.waiting.set(db, (byKey = new Map()));
    for (const key of keys) {
      let clients = byKey.get(key);
      if (clients === undefined) byKey.set(key, (clients = new Set()));
      clients.add(c);
    }
    c.blocked = state;
    c.flags = c.flags === 'N' ? 'b' : c.flags + 'b';
    this.count++;
    if (state.timer === null && state.timeoutAt > 0) this.arm(c, state);
  }

  /** Marks `key` ready when somebody waits on it; served after the current top-level command. */
  signalKeyAsReady(db: Database, key: string): void {
    const clients = this.waiting.get(db)?.get(key);
    if (clients === undefined) return;
    let set = this.readySet.get(db);
    if (set === undefined) this.readySet.set(db, (set = new Set()));
    if (set.has(key)) return;
    set.add(key);
    this.ready.push([db, key]);
    // Commands serve their ready keys as soon as they end; this catches changes made outside any command
    // (active expiry deleting a key an XREADGROUP waits on), like Redis's pass in beforeSleep.
    if (!this.sweepScheduled) {
      this.sweepScheduled = true;
      setImmediate(() => {
        this.sweepScheduled = false;
        if (this.ready.length > 0) this.handleReadyKeys();
      });
    }
  }

  // KeyspaceListener: every write, expiry and deletion of a key, and whole-database changes.
  modified(db: Database, key: string): void {
    if (this.count !== 0) this.signalKeyAsReady(db, key);
  }

  replacing(db: Database, next: Database | null): void {
    if (this.count === 0) return;
    // SWAPDB brings other contents under the same keys, FLUSH* deletes them: every waited key may have changed.
    for (const d of next === null ? [db] : [db, next]) {
      const byKey = this.waiting.get(d);
      if (byKey !== undefined) for (const key of byKey.keys()) this.signalKeyAsReady(d, key);
    }
  }

  /** Serves the clients waiting on ready keys (see the file comment). Re-entrant calls return at once. */
  handleReadyKeys(): void {
    if (this.handling) return;
    this.handling = true;
    try {
      while (this.ready.length > 0) {
        const batch = this.ready;
        this.ready = [];
        this.readySet.clear();
        for (const [db, key] of batch) {
          const clients = this.waiting.get(db)?.get(key);
          if (clients === undefined) continue;
          // Only the clients waiting now: one whose command blocks again joins the back and waits for a new signal.
          for (const c of [...clients]) {
            const st = c.blocked;
            if (st === null || st.db !== db || !clients.has(c)) continue;
            const e = db.peek(key);
            if (st.unblockOnNoKey || (e !== undefined && e.type === st.type)) this.runAgain(c, st);
          }
        }
      }
    } finally {
      this.handling = false;
    }
  }

  /** Unblocks `c` and runs its command again; it replies now or blocks anew (keeping its deadline). */
  private runAgain(c: Client, st: BlockedState): void {
    this.detach(c, st);
    this.rerun = { client: c, state: st };
    try {
      this.server.call(c, st.cmd, st.argv);
    } finally {
      this.rerun = null;
    }
    if (c.blocked === null) {
      if (st.timer !== null) clearTimeout(st.timer);
      this.resumeSoon(c);
    }
  }

  /** CLIENT UNBLOCK: ends the wait with the timeout reply or an UNBLOCKED error. False when `c` is not blocked. */
  unblock(c: Client, withError: boolean): boolean {
    const st = c.blocked;
    if (st === null) return false;
    if (st.timer !== null) clearTimeout(st.timer);
    this.detach(c, st);
    st.cmd.calls++;
    if (withError) {
      const msg = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';
      c.reply.error(msg);
      this.server.countError(msg);
    } else {
      st.timeoutReply(c);
    }
    this.resumeSoon(c);
    return true;
  }

  /** A blocked client disconnected: drop it. */
  forget(c: Client): void {
    const st = c.blocked;
    if (st === null) return;
    if (st.timer !== null) clearTimeout(st.timer);
    this.detach(c, st);
  }

  private arm(c: Client, st: BlockedState): void {
    const left = st.timeoutAt - this.server.ks.clock();
    st.timer = setTimeout(() => this.timedOut(c, st), Math.min(MAX_TIMER, Math.max(0, left)));
  }

  private timedOut(c: Client, st: BlockedState): void {
    st.timer = null;
    if (c.blocked !== st) return;
    if (this.server.ks.clock() < st.timeoutAt) {
      this.arm(c, st);
      return;
    }
    this.detach(c, st);
    st.cmd.calls++;
    st.timeoutReply(c);
    if (!c.closed) this.server.processInput(c);
  }

  /** Removes `c` from every key it waits on and clears its blocked state. */
  private detach(c: Client, st: BlockedState): void {
    const byKey = this.waiting.get(st.db);
    if (byKey !== undefined) {
      for (const key of st.keys) {
        const clients = byKey.get(key);
        if (clients === undefined) continue;
        clients.delete(c);
        if (clients.size === 0) byKey.delete(key);
      }
      if (byKey.size === 0) this.waiting.delete(st.db);
    }
    c.blocked = null;
    const f = c.flags.replace('b', '');
    c.flags = f === '' ? 'N' : f;
    this.count--;
  }

  /** Resumes an unblocked client's pipelined input (and sends its reply) on the next event-loop turn. */
  private resumeSoon(c: Client): void {
    this.resumeQueue.push(c);
    if (this.resumeScheduled) return;
    this.resumeScheduled = true;
    setImmediate(() => {
      this.resumeScheduled = false;
      const queue = this.resumeQueue;
      this.resumeQueue = [];
      for (const x of queue) if (!x.closed && x.blocked === null) this.server.processInput(x);
    });
  }
}

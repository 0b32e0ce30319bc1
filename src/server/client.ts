/**
 * One connection's state: protocol version, selected database, authentication, name, reply mode and the reply
 * encoder. Handlers receive the client and write replies to `client.reply`.
 */
import type { Socket } from 'node:net';
import type { Database } from '../keyspace/database.js';
import type { Command } from '../commands/spec.js';
import { RespReader } from '../protocol/reader.js';
import { RespEncoder } from '../protocol/writer.js';
import type { Server } from './server.js';
import type { BlockedState } from './blocking.js';

export const enum ReplyMode {
  On = 0,
  Off = 1,
  Skip = 2,
  /** SKIP was requested: the next command's reply is dropped. */
  SkipNext = 3,
}

export class Client {
  readonly reader: RespReader;
  readonly reply = new RespEncoder();
  db: Database;
  name = '';
  libName = '';
  libVer = '';
  user = 'default';
  authenticated: boolean;
  readonly createdAt: number;
  lastInteraction: number;
  lastCommand = 'NULL';
  replyMode = ReplyMode.On;
  noEvict = false;
  noTouch = false;
  /** Set by QUIT or a protocol error: close once pending replies are written. */
  closeAfterReply = false;
  closed = false;
  /** Set while the client may not run commands (CLIENT PAUSE); the command waits in `held`. */
  held: string[] | null = null;
  /** Bytes written to this client (INFO total_net_output_bytes). */
  netOut = 0;
  netIn = 0;
  commandsProcessed = 0;
  /** Flags for CLIENT LIST (`N` normal, `P` pubsub, `x` in MULTI, …). */
  flags = 'N';
  private flushQueued = false;
  /** MULTI state: queued commands, and whether a queuing error dooms the transaction. */
  multi: { queue: [Command, string[]][]; aborted: boolean } | null = null;
  /** WATCHed keys, and whether one of them changed since (EXEC then fails). */
  watched: [Database, string][] = [];
  dirtyCas = false;
  /** Pub/Sub subscriptions (channels, patterns, shard channels). */
  readonly subChannels = new Set<string>();
  readonly subPatterns = new Set<string>();
  readonly subShard = new Set<string>();
  /** Since when (ms) the output has been above the soft output-buffer limit; 0 when below. */
  private softLimitSince = 0;
  /** Set while running inside EXEC or a script: blocking commands must not block. */
  noBlock = false;
  /** Set while blocked on keys (BLPOP & co., see server/blocking.ts): no input is processed meanwhile. */
  blocked: BlockedState | null = null;
  /** Set while this client's script is suspended between time slices (scripting/engine.ts): its input waits. */
  inScript = false;

  constructor(
    readonly id: number,
    readonly server: Server,
    readonly socket: Socket | null,
    readonly addr: string,
    readonly laddr: string,
  ) {
    this.db = server.ks.dbs[0]!;
    this.reader = new RespReader({
      maxBulkLen: server.config.getInt('proto-max-bulk-len'),
      maxQueryBuffer: server.config.getInt('client-query-buffer-limit'),
    });
    this.authenticated = server.config.get('requirepass') === '';
    this.reader.authRequired = !this.authenticated;
    this.createdAt = Date.now();
    this.lastInteraction = this.createdAt;
  }

  subscriptions(kind: 'channel' | 'pattern' | 'shard'): Set<string> {
    return kind === 'channel' ? this.subChannels : kind === 'pattern' ? this.subPatterns : this.subShard;
  }

  /** Whether the client has any subscription (RESP2 subscriber mode, flag P). */
  get subscribed(): boolean {
    return this.subChannels.size + this.subPatterns.size + this.subShard.size > 0;
  }

  /** Bytes of output not yet taken by the client: queued replies plus what the socket still holds. */
  outputBytes(): number {
    return this.reply.pending + (this.socket?.writableLength ?? 0);
  }

  /**
   * Enforces client-output-buffer-limit for a class: past the hard limit, or past the soft limit for longer than
   * its seconds, the client is disconnected (Redis closes it asynchronously, dropping what is queued).
   */
  checkOutputLimit(cls: 'normal' | 'pubsub'): void {
    const lim = this.server.outputLimits[cls];
    if (lim.hard === 0 && lim.soft === 0) return;
    const used = this.outputBytes();
    let over = lim.hard > 0 && used >= lim.hard;
    if (!over && lim.soft > 0 && used >= lim.soft) {
      const now = Date.now();
      if (this.softLimitSince === 0) this.softLimitSince = now;
      else if (now - this.softLimitSince >= lim.seconds * 1000) over = true;
    } else if (lim.soft > 0 && used < lim.soft) {
      this.softLimitSince = 0;
    }
    if (over && !this.closed) {
      this.server.log.warning(
        `Client id=${this.id} addr=${this.addr} name=${this.name} scheduled to be closed ASAP for overcoming of output buffer limits.`,
      );
      this.reply.take();
      this.destroy();
    }
  }

  get resp(): 2 | 3 {
    return this.reply.resp;
  }

  select(db: Database): void {
    this.db = db;
  }

  /** Writes queued replies to the socket now. */
  flush(): void {
    this.flushQueued = false;
    const socket = this.socket;
    if (socket === null || this.closed) {
      this.reply.take();
      return;
    }
    this.reply.flush(this);
    if (this.closeAfterReply) this.close();
  }

  /** ByteSink for the encoder. */
  write(chunk: Buffer): void {
    this.netOut += chunk.length;
    this.server.stats.netOut += chunk.length;
    this.socket!.write(chunk);
  }

  /** Flush at the end of this event-loop turn (replies produced outside the client's own input: pub/sub, unblock). */
  flushSoon(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => this.flush());
  }

  /** Connected from the loopback interface (enable-debug-command / enable-protected-configs `local`). */
  isLocal(): boolean {
    const a = this.socket?.remoteAddress ?? '';
    return a === '' || a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
  }

  /** Bytes held for this connection: unparsed input and unsent replies (CLIENT LIST tot-mem, INFO memory). */
  memoryBytes(): number {
    return this.reader.buffered + this.reply.pending + (this.socket?.writableLength ?? 0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.socket) this.socket.end();
    this.server.removeClient(this);
  }

  /** Kills the connection without flushing (CLIENT KILL, limits). */
  destroy(): void {
    if (this.socket && !this.socket.destroyed) this.socket.destroy();
    if (!this.closed) {
      this.closed = true;
      this.server.removeClient(this);
    }
  }
}

/**
 * The server: listeners, clients, the dispatch of parsed commands through the command table, and the periodic
 * work (active expiry, client timeouts, stats sampling).
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CommandTable, ALL_SPECS } from '../commands/registry.js';
import { F, type Command } from '../commands/spec.js';
import { ERR, RedisError, sanitizeErrorText, unknownCommandError } from '../errors.js';
import { Keyspace } from '../keyspace/keyspace.js';
import { ProtocolError, QueryBufferLimitError } from '../protocol/reader.js';
import { Client, ReplyMode } from './client.js';
import { Config } from './config.js';
import { recordLatency } from './info.js';
import { Logger } from './log.js';
import { EncodingLimits } from './encoding-limits.js';
import { Blocking } from './blocking.js';
import { WatchRegistry } from './watch.js';
import { PubSub } from './pubsub.js';
import { parseMemory } from './config.js';
import { parseNotifyFlags } from '../keyspace/notify.js';
import { VERSION } from '../version.js';
import { BUSY_ERROR, ScriptEngine } from '../scripting/engine.js';

/** Handlers that run at once inside MULTI instead of being queued (Redis: EXEC, DISCARD, MULTI, WATCH, QUIT, RESET). */
const TX_CONTROL = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

export interface OutputLimit {
  hard: number;
  soft: number;
  seconds: number;
}

/** Commands a RESP2 client may send while subscribed. */
const SUBSCRIBER_COMMANDS = new Set(['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe', 'ping', 'quit', 'reset']);

export interface Stats {
  connections: number;
  rejectedConnections: number;
  commands: number;
  netIn: number;
  netOut: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  errorReplies: number;
  errors: Map<string, number>;
  /** Keys removed by maxmemory eviction (INFO evicted_keys). */
  evictedKeys: number;
  /** Ring of ops/s samples for instantaneous_ops_per_sec. */
  opsSamples: number[];
  lastSampleAt: number;
  lastSampleCommands: number;
}

const PROTECTED_MODE_DENIED =
  '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command \'CONFIG SET protected-mode no\' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to \'no\', and then restarting the server. 3) If you started the server manually just for testing, restart it with the \'--protected-mode no\' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n';

export class Server {
  readonly config: Config;
  readonly ks: Keyspace;
  /** Compact-encoding thresholds (hash-max-listpack-entries, …) as numbers. */
  readonly limits: EncodingLimits;
  readonly commands = new CommandTable(ALL_SPECS);
  readonly clients = new Map<number, Client>();
  readonly watches = new WatchRegistry();
  /** Clients blocked on keys (BLPOP, BZPOPMIN, XREAD BLOCK, …) and the serving of ready keys. */
  readonly blocking: Blocking = new Blocking(this);
  readonly pubsub = new PubSub();
  /** Lua scripting: the script cache and the run in progress (BUSY while a long script is suspended). */
  readonly scripting: ScriptEngine = new ScriptEngine(this);
  /** client-output-buffer-limit per class, in bytes and seconds. */
  outputLimits: Record<'normal' | 'pubsub', OutputLimit> = {
    normal: { hard: 0, soft: 0, seconds: 0 },
    pubsub: { hard: 0, soft: 0, seconds: 0 },
  };
  readonly log = new Logger();
  readonly runId = randomBytes(20).toString('hex');
  readonly startedAt = Date.now();
  readonly stats: Stats = {
    connections: 0,
    rejectedConnections: 0,
    commands: 0,
    netIn: 0,
    netOut: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    errorReplies: 0,
    errors: new Map(),
    evictedKeys: 0,
    opsSamples: [],
    lastSampleAt: Date.now(),
    lastSampleCommands: 0,
  };
  /** Time of the last successful save (LASTSAVE), in seconds. */
  lastSave = Math.floor(Date.now() / 1000);
  /** CLIENT PAUSE state: until (ms) and whether only writes are paused. */
  pause = { until: 0, writesOnly: false };
  private held = new Set<Client>();
  private pauseTimer: NodeJS.Timeout | null = null;
  private listeners: net.Server[] = [];
  private nextClientId = 1;
  private cronTimer: NodeJS.Timeout | null = null;
  private fastExpire = false;
  activeExpireEnabled = true;
  /** `latency-tracking`: per-command latency histograms for INFO latencystats. */
  latencyTracking: boolean;
  /** Heap in use at start-up and its highest value seen since (INFO memory, MEMORY STATS). */
  readonly memStartup: number = heapInUse();
  memPeak: number = this.memStartup;
  /** Called when SHUTDOWN asks the process to stop (the CLI exits; an embedded server just closes). */
  onShutdown: () => void = () => {
    void this.close();
  };
  private closing: Promise<void> | null = null;

  constructor(config: Config, clock: () => number = Date.now) {
    this.config = config;
    this.ks = new Keyspace(config.getInt('databases'), clock);
    this.limits = new EncodingLimits(config);
    this.ks.listen(this.watches);
    this.ks.listen(this.blocking);
    this.readOutputLimits();
    this.ks.notifyFlags = parseNotifyFlags(config.get('notify-keyspace-events'));
    this.ks.publish = (channel, message) => {
      this.pubsub.publish(channel, message);
    };
    this.log.level = config.get('loglevel') as Logger['level'];
    this.log.file = config.get('logfile');
    this.latencyTracking = config.getBool('latency-tracking');
    config.onChange = (name, value) => this.applyConfig(name, value);
  }

  get port(): number {
    for (const l of this.listeners) {
      const a = l.address();
      if (a && typeof a === 'object') return a.port;
    }
    return this.config.getInt('port');
  }

  /** Binds every `bind` address on `port`. Addresses prefixed with '-' are optional. */
  async listen(): Promise<void> {
    const dir = this.config.get('dir');
    if (dir) mkdirSync(dir, { recursive: true });
    const port = this.config.getInt('port');
    const binds = this.config.get('bind').split(' ').filter(Boolean);
    let boundPort = port;
    for (const raw of binds) {
      const optional = raw.startsWith('-');
      const addr = optional ? raw.slice(1) : raw;
      const host = addr === '*' ? '0.0.0.0' : addr === '::*' ? '::' : addr;
      const srv = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
      try {
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen({ host, port: boundPort, ipv6Only: host.includes(':'), backlog: this.config.getInt('tcp-backlog') }, () => {
            srv.off('error', reject);
            resolve();
          });
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (optional && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EINVAL')) continue;
        for (const l of this.listeners) l.close();
        throw new Error(`Could not create server TCP listening socket ${addr}:${boundPort}: ${(err as Error).message}`);
      }
      this.listeners.push(srv);
      // With port 0 the first listener picks the port; the others share it.
      const a = srv.address();
      if (a && typeof a === 'object') boundPort = a.port;
    }
    this.startCron();
  }

  private isDefaultBind(): boolean {
    return this.config.get('bind') === '* -::*';
  }

  private accept(socket: net.Socket): void {
    const remote = socket.remoteAddress ?? '';
    const addr = `${remote.includes(':') && !remote.startsWith('::ffff:') ? `[${remote}]` : remote.replace(/^::ffff:/, '')}:${socket.remotePort}`;
    const laddr = `${(socket.localAddress ?? '').replace(/^::ffff:/, '')}:${socket.localPort}`;
    if (this.clients.size >= this.config.getInt('maxclients')) {
      this.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    if (
      this.config.getBool('protected-mode') &&
      this.isDefaultBind() &&
      this.config.get('requirepass') === '' &&
      !isLoopback(remote)
    ) {
      this.stats.rejectedConnections++;
      socket.end(PROTECTED_MODE_DENIED);
      return;
    }
    socket.setNoDelay(true);
    const tk = this.config.getInt('tcp-keepalive');
    if (tk > 0) socket.setKeepAlive(true, tk * 1000);
    const c = new Client(this.nextClientId++, this, socket, addr, laddr);
    this.clients.set(c.id, c);
    this.stats.connections++;
    socket.on('data', (chunk: Buffer) => this.onData(c, chunk));
    socket.on('error', () => c.destroy());
    socket.on('close', () => c.destroy());
  }

  /** Registers a client that has no socket (embedded use, scripts). */
  createClient(): Client {
    const c = new Client(this.nextClientId++, this, null, '', '');
    return c;
  }

  private onData(c: Client, chunk: Buffer): void {
    c.netIn += chunk.length;
    c.lastInteraction = Date.now();
    this.stats.netIn += chunk.length;
    try {
      c.reader.feed(chunk);
    } catch (err) {
      if (err instanceof QueryBufferLimitError) {
        this.log.warning(`Closing client that reached max query buffer length: id=${c.id} addr=${c.addr}`);
        c.destroy();
        return;
      }
      throw err;
    }
    this.processInput(c);
  }

  /** Runs every complete command buffered for `c`, then writes all replies at once. */
  processInput(c: Client): void {
    // A blocked client's input waits in its query buffer until it is unblocked (server/blocking.ts), and so does
    // the input of a client whose script is suspended (scripting/engine.ts).
    if (c.blocked !== null || c.inScript) return;
    if (c.held !== null) {
      if (this.isHeld(c, c.held)) return;
      const argv = c.held;
      c.held = null;
      this.execute(c, argv);
    }
    while (!c.closeAfterReply && !c.closed && c.blocked === null && !c.inScript) {
      let argv: string[] | null;
      try {
        argv = c.reader.next();
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        c.reply.muted = false;
        c.reply.error(ERR.protocol(err.message));
        this.countError(ERR.protocol(err.message));
        c.closeAfterReply = true;
        this.log.verbose(`Protocol error (${err.message}) from client: id=${c.id} addr=${c.addr}`);
        break;
      }
      if (argv === null) break;
      if (this.pause.until > 0 && this.isHeld(c, argv)) {
        c.held = argv;
        this.held.add(c);
        break;
      }
      this.execute(c, argv);
    }
    c.flush();
    const s = c.socket;
    if (s !== null && s.writableNeedDrain && !s.isPaused()) {
      // The client is not reading its replies: stop reading its requests until it catches up.
      s.pause();
      s.once('drain', () => s.resume());
    }
  }

  /** Whether CLIENT PAUSE holds this command back. */
  private isHeld(c: Client, argv: string[]): boolean {
    if (this.pause.until === 0) return false;
    if (this.ks.clock() >= this.pause.until) {
      this.unpause();
      return false;
    }
    if (!this.pause.writesOnly) return true;
    const cmd = this.commands.lookup(argv[0]!);
    if (!cmd) return false;
    const name = cmd.spec.name;
    return (cmd.bits & F.write) !== 0 || name === 'eval' || name === 'evalsha' || name === 'fcall' || name === 'publish' || name === 'spublish' || (c.multi !== null && name === 'exec');
  }

  pauseClients(until: number, writesOnly: boolean): void {
    // A new pause can only extend (Redis keeps the later end and the stricter mode).
    if (this.pause.until > 0 && this.pause.until > until) until = this.pause.until;
    if (this.pause.until > 0 && !this.pause.writesOnly) writesOnly = false;
    this.pause = { until, writesOnly };
    this.armPauseTimer();
  }

  /** Timers cap at 2^31-1 ms; a longer pause re-arms until its end. */
  private armPauseTimer(): void {
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    const left = this.pause.until - this.ks.clock();
    this.pauseTimer = setTimeout(() => (left > 2147483647 ? this.armPauseTimer() : this.unpause()), Math.min(2147483647, Math.max(0, left)));
  }

  unpause(): void {
    this.pause = { until: 0, writesOnly: false };
    if (this.pauseTimer) {
      clearTimeout(this.pauseTimer);
      this.pauseTimer = null;
    }
    const held = [...this.held];
    this.held.clear();
    for (const c of held) if (!c.closed) this.processInput(c);
  }

  /** Looks up, checks and runs one command, writing its reply to the client's encoder. */
  execute(c: Client, argv: string[]): void {
    let cmd: Command | undefined = this.commands.lookup(argv[0]!);
    c.commandsProcessed++;
    if (cmd === undefined) {
      this.reject(c, unknownCommandError(argv));
      return;
    }
    if (cmd.subcommands !== null && argv.length >= 2) {
      const sub: Command | undefined = cmd.subcommands.get(argv[1]!.toLowerCase());
      if (sub === undefined) {
        this.reject(c, sanitizeErrorText(ERR.unknownSubcommand(argv[1]!, argv[0]!)));
        return;
      }
      cmd = sub;
    }
    const arity = cmd.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      cmd.rejected++;
      this.reject(c, ERR.wrongArity(cmd.fullName));
      return;
    }
    if (!c.authenticated && (cmd.bits & F.noAuth) === 0) {
      cmd.rejected++;
      this.reject(c, ERR.noAuth);
      return;
    }
    if (c.reply.resp === 2 && c.subscribed && (cmd.parent !== null || !SUBSCRIBER_COMMANDS.has(cmd.spec.name))) {
      cmd.rejected++;
      this.reject(
        c,
        `ERR Can't execute '${cmd.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      );
      return;
    }
    if (this.scripting.busy && this.scripting.refuses(cmd, argv)) {
      cmd.rejected++;
      this.reject(c, BUSY_ERROR);
      return;
    }
    if (c.multi !== null) {
      if ((cmd.bits & F.noMulti) !== 0) {
        cmd.rejected++;
        this.reject(c, 'ERR Command not allowed inside a transaction');
        return;
      }
      if (cmd.parent !== null || !TX_CONTROL.has(cmd.spec.name)) {
        c.multi.queue.push([cmd, argv]);
        c.reply.status('QUEUED');
        return;
      }
    }
    this.call(c, cmd, argv);
    // Keys written by this top-level command (or a whole EXEC / script) now serve the clients blocked on them.
    if (this.blocking.pending) this.blocking.handleReadyKeys();
  }

  /** Runs a resolved command (also used by MULTI/EXEC and scripts). */
  call(c: Client, cmd: Command, argv: string[]): void {
    const ks = this.ks;
    ks.tick();
    ks.noTouch = c.noTouch && cmd.spec.name !== 'touch';
    c.lastCommand = cmd.fullName;
    const reply = c.reply;
    const skip = c.replyMode !== ReplyMode.On;
    if (skip) reply.muted = true;
    const t0 = performance.now();
    try {
      cmd.handler(c, argv);
    } catch (err) {
      if (err instanceof RedisError) {
        cmd.failed++;
        reply.error(err.message);
        this.countError(err.message);
      } else {
        cmd.failed++;
        this.log.warning(`Internal error in '${cmd.fullName}': ${(err as Error).stack ?? err}`);
        reply.error(`ERR internal error in '${cmd.fullName}': ${(err as Error).message}`);
        this.countError('ERR');
      }
    }
    const us = (performance.now() - t0) * 1000;
    cmd.usec += us;
    if (this.latencyTracking) recordLatency(cmd, us);
    // A command that blocked is counted once, when it is served, times out or is unblocked (server/blocking.ts).
    if (c.blocked === null) cmd.calls++;
    this.stats.commands++;
    ks.noTouch = false;
    if (skip) {
      reply.muted = c.replyMode === ReplyMode.Off || c.replyMode === ReplyMode.Skip;
      if (c.replyMode === ReplyMode.SkipNext) {
        c.replyMode = ReplyMode.On;
        reply.muted = false;
      } else if (c.replyMode === ReplyMode.Skip) {
        c.replyMode = ReplyMode.SkipNext;
      }
    }
  }

  private reject(c: Client, msg: string): void {
    // Any command refused while queuing makes the transaction fail at EXEC (EXECABORT).
    if (c.multi !== null) c.multi.aborted = true;
    // A rejected command still consumes a pending CLIENT REPLY SKIP (its error is the skipped reply), and under
    // REPLY OFF the encoder is already muted, as in Redis where both are settled per processed command.
    if (c.replyMode === ReplyMode.SkipNext) {
      c.replyMode = ReplyMode.On;
      c.reply.muted = false;
    } else {
      c.reply.error(msg);
    }
    this.countError(msg);
  }

  countError(msg: string): void {
    this.stats.errorReplies++;
    const sp = msg.indexOf(' ');
    const code = sp > 0 ? msg.slice(0, sp) : msg;
    this.stats.errors.set(code, (this.stats.errors.get(code) ?? 0) + 1);
  }

  removeClient(c: Client): void {
    this.clients.delete(c.id);
    if (c.watched.length > 0) this.watches.unwatchAll(c);
    if (c.subscribed) this.pubsub.removeClient(c);
    this.held.delete(c);
    if (c.blocked !== null) this.blocking.forget(c);
  }

  private startCron(): void {
    const hz = Math.min(500, Math.max(1, this.config.getInt('hz')));
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = setInterval(() => this.cron(), Math.floor(1000 / hz));
    this.cronTimer.unref();
  }

  /** Periodic work, `hz` times a second: active expiry, idle client timeouts, ops/s samples. */
  private cron(): void {
    this.expireCycle();
    const now = Date.now();
    const timeout = this.config.getInt('timeout');
    if (timeout > 0) {
      for (const c of this.clients.values()) {
        if (now - c.lastInteraction > timeout * 1000 && c.flags === 'N') c.destroy();
      }
    }
    const st = this.stats;
    if (now - st.lastSampleAt >= 100) {
      const ops = ((st.commands - st.lastSampleCommands) * 1000) / (now - st.lastSampleAt);
      st.opsSamples.push(ops);
      if (st.opsSamples.length > 16) st.opsSamples.shift();
      st.lastSampleAt = now;
      st.lastSampleCommands = st.commands;
      const used = heapInUse();
      if (used > this.memPeak) this.memPeak = used;
    }
  }

  /** One bounded active-expiry pass; keeps going on the next turn while many keys are due. */
  private expireCycle(): void {
    // No key expires while a script is suspended: the script sees one data set from start to end.
    if (!this.activeExpireEnabled || this.scripting.busy) return;
    const more = this.ks.activeExpire(25);
    if (more && !this.fastExpire) {
      this.fastExpire = true;
      setImmediate(() => {
        this.fastExpire = false;
        this.expireCycle();
      });
    }
  }

  /** Stops listening, closes every client and timer. Idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      if (this.cronTimer) clearInterval(this.cronTimer);
      if (this.pauseTimer) clearTimeout(this.pauseTimer);
      const done = this.listeners.map((l) => new Promise<void>((r) => l.close(() => r())));
      for (const c of [...this.clients.values()]) {
        c.flush();
        c.destroy();
      }
      await Promise.all(done);
      this.log.notice('Strata is now ready to exit, bye bye...');
    })();
    return this.closing;
  }

  /** Parses client-output-buffer-limit into numbers (classes: normal, replica, pubsub). */
  private readOutputLimits(): void {
    const parts = this.config.get('client-output-buffer-limit').split(/\s+/);
    for (let i = 0; i + 3 < parts.length; i += 4) {
      const cls = parts[i]!.toLowerCase();
      const lim = { hard: parseMemory(parts[i + 1]!) ?? 0, soft: parseMemory(parts[i + 2]!) ?? 0, seconds: Number(parts[i + 3]) };
      if (cls === 'normal' || cls === 'pubsub') this.outputLimits[cls] = lim;
    }
  }

  private applyConfig(name: string, value: string): void {
    if (name === 'client-output-buffer-limit') this.readOutputLimits();
    if (name === 'notify-keyspace-events') this.ks.notifyFlags = parseNotifyFlags(value);
    if (EncodingLimits.PARAMS.has(name)) this.limits.refresh();
    switch (name) {
      case 'loglevel':
        this.log.level = value as Logger['level'];
        break;
      case 'hz':
        if (this.cronTimer) this.startCron();
        break;
      case 'latency-tracking':
        this.latencyTracking = value === 'yes';
        break;
      case 'requirepass':
        // Existing connections stay authenticated (Redis keeps them); new ones must AUTH.
        break;
      case 'proto-max-bulk-len':
      case 'client-query-buffer-limit':
        for (const c of this.clients.values()) {
          c.reader.limits.maxBulkLen = this.config.getInt('proto-max-bulk-len');
          c.reader.limits.maxQueryBuffer = this.config.getInt('client-query-buffer-limit');
        }
        break;
      default:
        break;
    }
  }

  version(): string {
    return VERSION;
  }
}

function heapInUse(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

function isLoopback(addr: string): boolean {
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.') || addr === '';
}

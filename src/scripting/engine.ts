/**
 * Scripting for one server: the script cache (by SHA1), the client scripts run their commands as, and the run in
 * progress — atomicity, BUSY and SCRIPT KILL.
 *
 * A script runs synchronously inside its EVAL, so no other command interleaves with it. If it is still running after
 * busy-reply-threshold ms, the VM's hook suspends it every few milliseconds and it continues on the next turn of the
 * event loop; meanwhile `busy` is set and Server.execute answers every command not flagged allow_busy with -BUSY (so
 * the data set still changes only through the script), the caller's further input waits (`Client.inScript`), and
 * SCRIPT KILL can stop a script that has not written yet. The caller's reply is delivered when the script ends.
 * Inside MULTI/EXEC (or for a client without a connection) a script cannot be suspended and simply runs to the end.
 *
 * The Lua VM is created on the first script and dropped by SCRIPT FLUSH (which, as in Redis, also resets library
 * settings such as cjson's).
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { F, type Command } from '../commands/spec.js';
import { parseInt64 } from '../commands/args.js';
import { ERR, RedisError } from '../errors.js';
import type { Reply } from '../protocol/reply.js';
import { ValueReply, type Value } from '../protocol/value-reply.js';
import { splitArgs } from '../protocol/reader.js';
import { canBlock } from '../server/blocking.js';
import { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import type { WriteOutcome } from './convert.js';
import type { RedisLibHost } from './redis-lib.js';
import { Rand48 } from './random.js';
import { LuaVM, type RunClock } from './vm.js';

export const BUSY_ERROR = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
const UNKILLABLE =
  'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.';
const NOTBUSY = 'NOTBUSY No scripts in execution right now.';

/** Flags a script declares in a `#!lua flags=…` first line. */
const SHEBANG_FLAGS = new Set(['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys']);

interface Script {
  readonly sha: string;
  /** The script has a shebang: it declares its flags (without one it runs in the compatible mode). */
  readonly shebang: boolean;
  readonly flags: ReadonlySet<string>;
}

/** The client a script's commands run as: replies are collected as values, blocking commands never block. */
class ScriptClient extends Client {
  override readonly reply = new ValueReply();

  constructor(server: Server) {
    super(0, server, null, '', '');
    this.noBlock = true;
    this.authenticated = true;
  }
}

interface Run extends RunClock {
  readonly client: Client;
  readonly sha: string;
  /** EVAL_RO / EVALSHA_RO, or a script declared no-writes: write commands are refused. */
  readonly readonly: boolean;
  /** A write command ran: SCRIPT KILL is refused from then on. */
  wrote: boolean;
  /** The caller's reply muting (CLIENT REPLY) when it sent the command, for a reply delivered later. */
  readonly muted: boolean;
}

export class ScriptEngine implements RedisLibHost {
  /** A script is suspended mid-run: other clients get -BUSY (checked by Server.execute). */
  busy = false;
  private scriptResp: 2 | 3 = 2;
  private vm: LuaVM | null = null;
  private readonly scripts = new Map<string, Script>();
  /** The same scripts by body, so that EVAL of a known script skips hashing it. */
  private readonly byBody = new Map<string, Script>();
  private client: ScriptClient | null = null;
  private run: Run | null = null;
  private readonly mayReplicate = new WeakMap<Command, boolean>();
  /** math.random's generator: one per server, kept across scripts and SCRIPT FLUSH as Redis does. */
  private readonly rand = new Rand48();

  constructor(private readonly server: Server) {}

  private ensureVM(): LuaVM {
    if (this.vm === null) this.vm = new LuaVM(this, this.rand);
    return this.vm;
  }

  private scriptClient(): ScriptClient {
    if (this.client === null) this.client = new ScriptClient(this.server);
    return this.client;
  }

  /** Parses the shebang line, if any; throws Redis's errors. */
  private static flagsOf(body: string): { shebang: boolean; flags: Set<string> } {
    const flags = new Set<string>();
    if (!body.startsWith('#!')) return { shebang: false, flags };
    const nl = body.indexOf('\n');
    if (nl < 0) throw new RedisError('ERR Invalid script shebang');
    const parts = splitArgs(body.slice(0, nl));
    if (parts === null || parts.length === 0) throw new RedisError('ERR Invalid engine in script shebang');
    if (parts[0] !== '#!lua') throw new RedisError(`ERR Unexpected engine in script shebang: ${parts[0]}`);
    for (const p of parts.slice(1)) {
      if (!p.startsWith('flags=')) throw new RedisError(`ERR Unknown lua shebang option: ${p}`);
      const list = p.slice(6);
      if (list === '') continue;
      for (const f of list.split(',')) {
        if (!SHEBANG_FLAGS.has(f)) throw new RedisError(`ERR Unexpected flag in script shebang: ${f}`);
        flags.add(f);
      }
    }
    return { shebang: true, flags };
  }

  /** Compiles and caches `body` (SCRIPT LOAD, EVAL); returns the script. Throws compile and shebang errors. */
  load(body: string): Script {
    const known = this.byBody.get(body);
    if (known !== undefined) return known;
    const sha = createHash('sha1').update(body, 'latin1').digest('hex');
    const cached = this.scripts.get(sha);
    if (cached !== undefined) return cached;
    const { shebang, flags } = ScriptEngine.flagsOf(body);
    const err = this.ensureVM().compile(sha, body);
    if (err !== null) throw new RedisError(`ERR ${err}`);
    const script: Script = { sha, shebang, flags };
    this.scripts.set(sha, script);
    this.byBody.set(body, script);
    return script;
  }

  /** SCRIPT EXISTS: whether the script is cached (the digest is case-insensitive). */
  cached(sha: string): boolean {
    return this.scripts.has(sha.toLowerCase());
  }

  /** SCRIPT FLUSH: forgets every script and starts a fresh VM on the next one. */
  flush(): void {
    this.scripts.clear();
    this.byBody.clear();
    this.vm = null;
  }

  /** SCRIPT KILL. */
  kill(): void {
    const run = this.run;
    if (run === null || !this.busy) throw new RedisError(NOTBUSY);
    if (run.wrote) throw new RedisError(UNKILLABLE);
    run.killed = true;
  }

  /** Whether a command must be refused with -BUSY while a script is suspended (Server.execute asks). */
  refuses(cmd: Command, argv: string[]): boolean {
    if ((cmd.bits & F.allowBusy) === 0) return true;
    // SHUTDOWN is allowed only with NOSAVE.
    return cmd.spec.name === 'shutdown' && !argv.some((a, i) => i > 0 && a.toLowerCase() === 'nosave');
  }

  /** EVAL / EVALSHA / EVAL_RO / EVALSHA_RO script|sha numkeys [key ...] [arg ...] */
  eval(c: Client, argv: string[], bySha: boolean, ro: boolean): void {
    if (bySha && argv[1]!.length !== 40) throw new RedisError('NOSCRIPT No matching script. Please use EVAL.');
    const numkeys = parseInt64(argv[2]!);
    if (numkeys === null) throw new RedisError(ERR.notInteger);
    if (numkeys > argv.length - 3) throw new RedisError("ERR Number of keys can't be greater than number of args");
    if (numkeys < 0) throw new RedisError("ERR Number of keys can't be negative");
    let script: Script;
    if (bySha) {
      const s = this.scripts.get(argv[1]!.toLowerCase());
      if (s === undefined) throw new RedisError('NOSCRIPT No matching script. Please use EVAL.');
      script = s;
    } else script = this.load(argv[1]!);
    const noWrites = script.flags.has('no-writes');
    if (script.shebang && !noWrites && ro) throw new RedisError('ERR Can not execute a script with write flag using *_ro command.');
    this.start(c, script, argv, 3 + numkeys, ro || noWrites);
  }

  private start(c: Client, script: Script, argv: string[], argsFrom: number, readonly: boolean): void {
    const vm = this.ensureVM();
    const sc = this.scriptClient();
    sc.db = c.db;
    this.resp = 2;
    const now = performance.now();
    const run: Run = {
      client: c,
      sha: script.sha,
      readonly,
      wrote: false,
      muted: c.reply.muted,
      startedAt: now,
      sliceStart: now,
      threshold: this.server.config.getInt('busy-reply-threshold'),
      canYield: c.socket !== null && canBlock(c),
      timedOut: false,
      killed: false,
      onTimedOut: () =>
        this.server.log.warning(
          `Slow script detected: still in execution after ${Math.round(performance.now() - now)} milliseconds. You can try killing the script using the SCRIPT KILL command. Script name is: ${script.sha}.`,
        ),
    };
    this.run = run;
    vm.begin(script.sha, argv, 3, argsFrom, run);
    this.step(vm, run, true);
  }

  /** Runs a slice of the script; when it ends, replies (at once for the first slice, else by delivering). */
  private step(vm: LuaVM, run: Run, first: boolean): void {
    let status;
    try {
      status = vm.resume();
    } catch (err) {
      // Not a Lua error (those are statuses): a bug. The first slice lets the dispatcher report it.
      vm.end();
      this.finished(run);
      if (first) throw err;
      this.server.log.warning(`Internal error in a script: ${(err as Error).stack ?? err}`);
      this.deliver(run, (reply) => reply.error(`ERR internal error in script: ${(err as Error).message}`));
      this.release(run.client);
      return;
    }
    if (status === 'yield') {
      if (first) {
        this.busy = true;
        run.client.inScript = true;
      }
      setImmediate(() => this.step(vm, run, false));
      return;
    }
    if (run.killed) this.server.log.warning('Lua script killed by user with SCRIPT KILL.');
    const c = run.client;
    if (first) {
      // The caller is still inside EVAL: reply now, throwing counted errors so the dispatcher records them.
      try {
        if (status === 'error') {
          const e = vm.error(run.sha);
          if (e.count) throw new RedisError(e.message);
          c.reply.error(e.message);
        } else this.writeResult(vm, c.reply);
      } finally {
        vm.end();
        this.finished(run);
      }
      return;
    }
    this.finished(run);
    try {
      this.deliver(run, (reply) => {
        if (status === 'error') {
          const e = vm.error(run.sha);
          reply.error(e.message);
          if (e.count) this.server.countError(e.message);
        } else this.writeResult(vm, reply);
      });
    } finally {
      vm.end();
    }
    this.release(c);
  }

  /** Writes the reply of a suspended run once it has ended. */
  private deliver(run: Run, write: (reply: Reply) => void): void {
    const c = run.client;
    c.inScript = false;
    if (!c.closed) {
      const reply = c.reply;
      const muted = reply.muted;
      reply.muted = run.muted;
      try {
        write(reply);
      } catch (err) {
        this.server.log.warning(`Internal error in a script: ${(err as Error).stack ?? err}`);
        reply.error(`ERR internal error in script: ${(err as Error).message}`);
      } finally {
        reply.muted = muted;
      }
    }
  }

  /** After a suspended run: clients blocked on keys it wrote are served, and the caller's pipelined commands run. */
  private release(c: Client): void {
    const server = this.server;
    if (server.blocking.pending) server.blocking.handleReadyKeys();
    // Commands the caller pipelined behind the script waited in its query buffer.
    if (!c.closed) server.processInput(c);
  }

  private finished(run: Run): void {
    if (this.run === run) this.run = null;
    this.busy = false;
  }

  private writeResult(vm: LuaVM, reply: Reply): void {
    const out: WriteOutcome = { countedErrors: [] };
    vm.writeResult(reply, this.scriptResp, out);
    for (const e of out.countedErrors) this.server.countError(e);
  }

  // RedisLibHost

  /** The script's protocol (redis.setresp): the replies its commands produce and how they convert to Lua. */
  get resp(): 2 | 3 {
    return this.scriptResp;
  }

  set resp(v: 2 | 3) {
    this.scriptResp = v;
    this.scriptClient().reply.resp = v;
  }

  private resolve(argv: string[]): Command | undefined {
    let cmd = this.server.commands.lookup(argv[0]!);
    if (cmd !== undefined && cmd.subcommands !== null && argv.length >= 2) cmd = cmd.subcommands.get(argv[1]!.toLowerCase());
    return cmd;
  }

  exists(argv: string[]): boolean {
    return this.resolve(argv) !== undefined;
  }

  log(level: number, msg: string): void {
    this.server.log.log((['debug', 'verbose', 'notice', 'warning'] as const)[level]!, msg);
  }

  private refuse(cmd: Command | undefined, msg: string): { refused: string } {
    if (cmd !== undefined) cmd.rejected++;
    this.server.countError(`ERR ${msg}`);
    return { refused: msg };
  }

  /** redis.call / redis.pcall: the checks Redis makes for scripts, then the command itself. */
  call(argv: string[]): Value | { refused: string } {
    const run = this.run!;
    const cmd = this.resolve(argv);
    if (cmd === undefined) return this.refuse(cmd, 'Unknown Redis command called from script');
    const arity = cmd.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) return this.refuse(cmd, 'Wrong number of args calling Redis command from script');
    if ((cmd.bits & F.noscript) !== 0) return this.refuse(cmd, 'This Redis command is not allowed from script');
    const writes = (cmd.bits & F.write) !== 0;
    if (run.readonly && (writes || this.replicates(cmd))) return this.refuse(cmd, 'Write commands are not allowed from read-only scripts.');
    if (writes) run.wrote = true;
    // Effects log (design §1): a script is recorded as the commands it ran, not as EVAL; when the log exists, each
    // write executed here is appended to it (inside the script's atomic unit).
    const sc = this.client!;
    this.server.call(sc, cmd, argv);
    const values = sc.reply.values();
    return values[0] ?? { t: 'nil' };
  }

  private replicates(cmd: Command): boolean {
    let v = this.mayReplicate.get(cmd);
    if (v === undefined) {
      v = cmd.spec.flags.includes('may_replicate');
      this.mayReplicate.set(cmd, v);
    }
    return v;
  }
}

/**
 * The Lua virtual machine scripts run in: one per server, holding the compiled scripts, the libraries and the
 * sandbox.
 *
 * Why fengari (Lua 5.3 written in JavaScript) rather than a WebAssembly build of C Lua:
 *  - redis.call must call synchronously into the server's command table and return a value to the script; with
 *    fengari a Lua-to-JS call is an ordinary function call on the same stack, with no async boundary and no copying
 *    through linear memory.
 *  - Strata must keep serving other clients (with BUSY) while a long script runs, and must be able to stop it
 *    (SCRIPT KILL). Fengari implements Lua's debug hooks, so a count hook (lua_sethook, every HOOK_COUNT
 *    instructions) watches the run time; and Lua 5.3 lets a count hook yield: the script runs in a coroutine that
 *    the hook suspends once busy-reply-threshold has passed, and the engine resumes it on the next turn of the event
 *    loop (setImmediate), so the server answers other clients in between. A kill raises an error from the same hook.
 *  - Its internals are plain JavaScript modules, which lets patches.ts give it the number semantics of the Lua 5.1
 *    that Redis embeds (doubles only, %.14g printing) and Redis's read-only tables.
 *
 * Only the script's own coroutine can be suspended: while it runs inside a coroutine of its own, or inside a
 * library function that calls back into Lua (table.sort's comparator, gsub's function), the hook cannot yield, so
 * the event loop waits until it is back at the script's level.
 *
 * A run: begin() creates the coroutine with KEYS and ARGV set; resume() runs it until
 * it returns, fails, or the hook yields.
 */
import { performance } from 'node:perf_hooks';
import type { Reply } from '../protocol/reply.js';
import { sanitizeErrorText } from '../errors.js';
import { openBit } from './bit.js';
import { openCjson } from './cjson.js';
import { openCmsgpack } from './cmsgpack.js';
import { pushErrorTable, writeLuaValue, type WriteOutcome } from './convert.js';
import {
  bytes,
  lauxlib,
  loadFengari,
  lua,
  LUA_MASKCOUNT,
  LUA_OK,
  LUA_REGISTRYINDEX,
  LUA_TBOOLEAN,
  LUA_TNIL,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  LUA_YIELD,
  pushText,
  text,
  toText,
  type LuaDebug,
  type LuaState,
} from './lua.js';
import { fmtG14 } from './printf.js';
import type { Rand48 } from './random.js';
import { openRedisLib, type RedisLibHost } from './redis-lib.js';
import { lua51Message, openLibraries, protectGlobals, setGlobalArray, type SandboxState } from './sandbox.js';
import { openStruct } from './struct.js';

/** Instructions between two calls of the count hook. */
const HOOK_COUNT = 1000;
/** Once past the busy threshold, how long a slice of the script runs before the event loop gets a turn (ms). */
const SLICE_MS = 10;

const KEYS = bytes('KEYS');
const ARGV = bytes('ARGV');

/** The timing and kill state of the run in progress, shared with the engine. */
export interface RunClock {
  readonly startedAt: number;
  /** busy-reply-threshold in ms for this run. */
  readonly threshold: number;
  /** Whether the run may be suspended (a top-level EVAL from a connection, not one inside MULTI/EXEC). */
  readonly canYield: boolean;
  timedOut: boolean;
  killed: boolean;
  sliceStart: number;
  /** Called once when the run passes the threshold. */
  onTimedOut(): void;
}

export type ResumeStatus = 'done' | 'yield' | 'error';

/** A script failure as Redis reports it. */
export interface ScriptError {
  message: string;
  /** False when the error was already counted (an error reply of a command run by the script). */
  count: boolean;
}

export class LuaVM {
  readonly L: LuaState;
  private readonly st: SandboxState;
  private clock: RunClock | null = null;
  /** Compiled scripts: registry references of their functions, by SHA1. */
  private readonly refs = new Map<string, number>();
  private yielded = false;

  constructor(host: RedisLibHost, rand: Rand48) {
    loadFengari();
    this.st = { thread: null, rand };
    const L = lauxlib.luaL_newstate();
    this.L = L;
    // A JavaScript exception inside a library function becomes a Lua error instead of escaping the VM.
    lua.lua_atnativeerror(L, (L) => {
      const e = lua.lua_touserdata(L, -1);
      const msg = `internal error: ${e instanceof Error ? e.message : String(e)}`;
      pushText(L, msg);
      return 1;
    });
    openLibraries(L, this.st);
    for (const [name, open] of [
      ['cjson', openCjson],
      ['cmsgpack', openCmsgpack],
      ['bit', openBit],
      ['struct', openStruct],
    ] as const) {
      open(L);
      lua.lua_setglobal(L, bytes(name));
    }
    openRedisLib(L, host);
    lua.lua_setglobal(L, bytes('redis'));
    protectGlobals(L);
  }

  /** Compiles `body` as the script `sha`. Returns null, or the error text ("Error compiling script …"). */
  compile(sha: string, body: string): string | null {
    const L = this.L;
    // A shebang line becomes a comment, so line numbers stay those of the body as sent.
    const src = bytes(body.startsWith('#!') ? '--' + body.slice(2) : body);
    if (lauxlib.luaL_loadbufferx(L, src, src.length, bytes('@user_script'), bytes('t')) !== LUA_OK) {
      const msg = lua51Message(toText(L, -1) ?? '');
      lua.lua_settop(L, 0);
      return `Error compiling script (new function): ${msg}`;
    }
    this.refs.set(sha, lauxlib.luaL_ref(L, LUA_REGISTRYINDEX));
    lua.lua_settop(L, 0);
    return null;
  }

  /** Prepares a run of script `sha` (compiled) with KEYS = argv[keysFrom, argsFrom) and ARGV = argv[argsFrom, …). */
  begin(sha: string, argv: readonly string[], keysFrom: number, argsFrom: number, clock: RunClock): void {
    const L = this.L;
    lua.lua_settop(L, 0);
    const th = lua.lua_newthread(L);
    lua.lua_rawgeti(L, LUA_REGISTRYINDEX, this.refs.get(sha)!);
    lua.lua_xmove(L, th, 1);
    setGlobalArray(L, KEYS, argv, keysFrom, argsFrom);
    setGlobalArray(L, ARGV, argv, argsFrom, argv.length);
    this.st.thread = th;
    this.clock = clock;
    this.yielded = false;
    lua.lua_sethook(th, this.hook, LUA_MASKCOUNT, HOOK_COUNT);
  }

  private hook = (L: LuaState): void => {
    const clock = this.clock;
    if (clock === null) return;
    if (clock.killed) {
      pushErrorTable(L, 'Script killed by user with SCRIPT KILL...');
      lua.lua_error(L);
    }
    const now = performance.now();
    if (!clock.timedOut) {
      if (now - clock.startedAt < clock.threshold) return;
      clock.timedOut = true;
      clock.onTimedOut();
    }
    if (clock.canYield && L === this.st.thread && now - clock.sliceStart >= SLICE_MS && lua.lua_isyieldable(L)) {
      this.yielded = true;
      lua.lua_yield(L, 0);
    }
  };

  /** Runs the script until it returns, fails, or is suspended by the hook. */
  resume(): ResumeStatus {
    const th = this.st.thread!;
    if (this.clock!.killed) {
      // Raise at once, and again after every instruction, so pcall cannot swallow the kill.
      lua.lua_sethook(th, this.hook, LUA_MASKCOUNT, 1);
    }
    this.clock!.sliceStart = performance.now();
    const status = lua.lua_resume(th, null, 0);
    if (status === LUA_YIELD) {
      if (this.yielded) {
        this.yielded = false;
        return 'yield';
      }
      // Only the hook yields the script's own thread (coroutine.yield refuses to): treat anything else as a bug.
      lua.lua_settop(th, 0);
      pushText(th, 'attempt to yield from outside a coroutine');
      return 'error';
    }
    return status === LUA_OK ? 'done' : 'error';
  }

  /** Writes the script's (first) return value to `reply`. Call after resume() returned 'done'. */
  writeResult(reply: Reply, resp: 2 | 3, out: WriteOutcome): void {
    const th = this.st.thread!;
    lua.lua_checkstack(th, 8);
    if (lua.lua_gettop(th) === 0) lua.lua_pushnil(th);
    else lua.lua_pushvalue(th, 1);
    writeLuaValue(th, reply, resp, out);
  }

  /** The failure of the run as Redis reports it. Call after resume() returned 'error'. */
  error(sha: string): ScriptError {
    const th = this.st.thread!;
    lua.lua_checkstack(th, 8);
    let message: string;
    let count = true;
    const t = lua.lua_type(th, -1);
    if (t === LUA_TTABLE) {
      lua.lua_pushstring(th, bytes('err'));
      lua.lua_rawget(th, -2);
      const et = lua.lua_type(th, -1);
      message = et === LUA_TSTRING || et === LUA_TNUMBER ? toText(th, -1)! : 'ERR unknown error';
      lua.lua_pop(th, 1);
      lua.lua_pushstring(th, bytes('ignore_error_stats_update'));
      lua.lua_rawget(th, -2);
      if (lua.lua_type(th, -1) === LUA_TBOOLEAN && lua.lua_toboolean(th, -1)) count = false;
      lua.lua_pop(th, 1);
    } else {
      let s: string;
      if (t === LUA_TSTRING) s = lua51Message(toText(th, -1)!);
      else if (t === LUA_TNUMBER) s = fmtG14(lua.lua_tonumber(th, -1));
      else if (t === LUA_TNIL) s = 'nil';
      else if (t === LUA_TBOOLEAN) s = lua.lua_toboolean(th, -1) ? 'true' : 'false';
      else {
        s = text(lauxlib.luaL_tolstring(th, -1));
        lua.lua_pop(th, 1);
      }
      message = 'ERR ' + s;
    }
    // Where it failed: the innermost Lua function (the caller, when the error came from a library function).
    const where = this.location(th);
    if (where !== null) message += ` script: ${sha}, on ${where.source}:${where.line}.`;
    return { message: sanitizeErrorText(message), count };
  }

  private location(th: LuaState): { source: string; line: number } | null {
    const ar: LuaDebug = new lua.lua_Debug();
    if (!lua.lua_getstack(th, 0, ar)) return null;
    lua.lua_getinfo(th, bytes('Sl'), ar);
    if (ar.what !== null && text(ar.what) === 'J') {
      if (!lua.lua_getstack(th, 1, ar)) return null;
      lua.lua_getinfo(th, bytes('Sl'), ar);
    }
    if (ar.source === null || ar.currentline <= 0) return null;
    return { source: text(ar.source), line: ar.currentline };
  }

  /** Ends the run, dropping its coroutine. */
  end(): void {
    this.st.thread = null;
    this.clock = null;
    lua.lua_settop(this.L, 0);
  }
}

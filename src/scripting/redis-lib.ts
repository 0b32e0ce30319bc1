/**
 * The `redis` table scripts see: call/pcall into the server's command table, reply helpers, logging, sha1hex,
 * setresp, and the replication and debugging entry points Redis 7 keeps for compatibility.
 *
 * Errors follow Redis: problems with the call itself (no arguments, a table argument, an unknown command) and the
 * command's own error replies become error tables {err="CODE message"}; redis.call raises them, redis.pcall returns
 * them. The other functions raise their argument errors as error tables too, so the reply shows no "user_script:N:"
 * prefix, only the "script: …, on @user_script:N." suffix.
 */
import { createHash } from 'node:crypto';
import type { Value } from '../protocol/value-reply.js';
import { REDIS_VERSION } from '../version.js';
import { pushErrorTable, pushValue } from './convert.js';
import { bytes, lua, LUA_TNUMBER, LUA_TSTRING, pushText, setFuncs, text, toText, type JsFunction, type LuaState } from './lua.js';
import { fmtG17 } from './printf.js';

/** What the library needs from the script engine. */
export interface RedisLibHost {
  /** Runs a command as the script's client: its reply, or the reason it was refused before running. */
  call(argv: string[]): Value | { refused: string };
  /** Whether argv names a command (redis.acl_check_cmd; Strata has no ACL rules, so every command is allowed). */
  exists(argv: string[]): boolean;
  /** The script's protocol for replies of redis.call (redis.setresp). */
  resp: 2 | 3;
  log(level: number, msg: string): void;
}

const LOG_LEVELS = ['DEBUG', 'VERBOSE', 'NOTICE', 'WARNING'];
const REPL = { REPL_NONE: 0, REPL_AOF: 1, REPL_SLAVE: 2, REPL_REPLICA: 2, REPL_ALL: 3 };

/** Raises an error table (redis.call's errors and the library's argument errors). */
function raiseTable(L: LuaState, line: string, ignoreStats = false): never {
  pushErrorTable(L, line, ignoreStats);
  return lua.lua_error(L);
}

/** The call's arguments as strings: numbers are printed with %.17g; anything else is refused. */
function commandArgs(L: LuaState): string[] | string {
  const n = lua.lua_gettop(L);
  if (n === 0) return 'Please specify at least one argument for this redis lib call';
  const argv = new Array<string>(n);
  for (let i = 1; i <= n; i++) {
    const t = lua.lua_type(L, i);
    if (t === LUA_TNUMBER) argv[i - 1] = fmtG17(lua.lua_tonumber(L, i));
    else if (t === LUA_TSTRING) argv[i - 1] = text(lua.lua_tolstring(L, i)!);
    else return 'Lua redis lib command arguments must be strings or integers';
  }
  return argv;
}

function genericCall(L: LuaState, host: RedisLibHost, raise: boolean): number {
  const argv = commandArgs(L);
  if (typeof argv === 'string') {
    if (raise) raiseTable(L, argv);
    pushErrorTable(L, argv);
    return 1;
  }
  const r = host.call(argv);
  lua.lua_settop(L, 0);
  if ('refused' in r) {
    if (raise) raiseTable(L, r.refused, true);
    pushErrorTable(L, r.refused, true);
    return 1;
  }
  pushValue(L, r, host.resp);
  if (raise && r.t === 'error') lua.lua_error(L);
  return 1;
}

/** Leaves the `redis` table on the stack. */
export function openRedisLib(L: LuaState, host: RedisLibHost): void {
  lua.lua_newtable(L);
  const fns: Record<string, JsFunction> = {
    // redis.call(command, arg, ...)
    call: (L) => genericCall(L, host, true),
    // redis.pcall(command, arg, ...)
    pcall: (L) => genericCall(L, host, false),
    // redis.setresp(2|3)
    setresp: (L) => {
      if (lua.lua_gettop(L) !== 1) raiseTable(L, 'redis.setresp() requires one argument.');
      const v = Math.trunc(lua.lua_tonumber(L, 1));
      if (v !== 2 && v !== 3) raiseTable(L, 'RESP version must be 2 or 3.');
      host.resp = v;
      return 0;
    },
    // redis.error_reply(message)
    error_reply: (L) => {
      if (lua.lua_gettop(L) !== 1 || lua.lua_type(L, -1) !== LUA_TSTRING) {
        pushErrorTable(L, 'wrong number or type of arguments');
        return 1;
      }
      const msg = toText(L, 1)!;
      pushErrorTable(L, msg.startsWith('-') ? msg : '-' + msg);
      return 1;
    },
    // redis.status_reply(message)
    status_reply: (L) => {
      if (lua.lua_gettop(L) !== 1 || lua.lua_type(L, -1) !== LUA_TSTRING) {
        pushErrorTable(L, 'wrong number or type of arguments');
        return 1;
      }
      lua.lua_createtable(L, 0, 1);
      lua.lua_pushvalue(L, 1);
      lua.lua_setfield(L, -2, bytes('ok'));
      return 1;
    },
    // redis.sha1hex(string)
    sha1hex: (L) => {
      if (lua.lua_gettop(L) !== 1) raiseTable(L, 'wrong number of arguments');
      const s = lua.lua_type(L, 1) === LUA_TSTRING || lua.lua_type(L, 1) === LUA_TNUMBER ? lua.lua_tolstring(L, 1)! : new Uint8Array(0);
      pushText(L, createHash('sha1').update(s).digest('hex'));
      return 1;
    },
    // redis.log(level, message, ...)
    log: (L) => {
      const n = lua.lua_gettop(L);
      if (n < 2) raiseTable(L, 'redis.log() requires two arguments or more.');
      if (!lua.lua_isnumber(L, 1)) raiseTable(L, 'First argument must be a number (log level).');
      const level = Math.trunc(lua.lua_tonumber(L, 1));
      if (!(level >= 0 && level < LOG_LEVELS.length)) raiseTable(L, 'Invalid debug level.');
      const parts: string[] = [];
      for (let i = 2; i <= n; i++) {
        const t = lua.lua_type(L, i);
        if (t === LUA_TSTRING || t === LUA_TNUMBER) parts.push(toText(L, i)!);
      }
      host.log(level, parts.join(' '));
      return 0;
    },
    // redis.set_repl(flags): accepted; Strata's effects log records every write a script makes.
    set_repl: (L) => {
      if (lua.lua_gettop(L) !== 1) raiseTable(L, 'redis.set_repl() requires two arguments.');
      const flags = Math.trunc(lua.lua_tonumber(L, 1)) | 0;
      if ((flags & ~3) !== 0) raiseTable(L, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
      return 0;
    },
    // redis.replicate_commands(): always on since Redis 7.
    replicate_commands: (L) => {
      lua.lua_pushboolean(L, true);
      return 1;
    },
    // redis.breakpoint(): false outside a debugging session (Strata has no script debugger).
    breakpoint: (L) => {
      lua.lua_pushboolean(L, false);
      return 1;
    },
    // redis.debug(...): prints to the debugger console; without a debugging session it does nothing.
    debug: () => 0,
    // redis.acl_check_cmd(command, arg, ...)
    acl_check_cmd: (L) => {
      const argv = commandArgs(L);
      if (typeof argv === 'string') raiseTable(L, argv);
      if (!host.exists(argv)) raiseTable(L, 'Invalid command passed to redis.acl_check_cmd()');
      lua.lua_pushboolean(L, true);
      return 1;
    },
  };
  setFuncs(L, fns);
  LOG_LEVELS.forEach((name, i) => {
    lua.lua_pushnumber(L, i);
    lua.lua_setfield(L, -2, bytes('LOG_' + name));
  });
  for (const [k, v] of Object.entries(REPL)) {
    lua.lua_pushnumber(L, v);
    lua.lua_setfield(L, -2, bytes(k));
  }
  pushText(L, REDIS_VERSION);
  lua.lua_setfield(L, -2, bytes('REDIS_VERSION'));
  const [major, minor, patch] = REDIS_VERSION.split('.').map(Number) as [number, number, number];
  lua.lua_pushnumber(L, (major << 16) | (minor << 8) | patch);
  lua.lua_setfield(L, -2, bytes('REDIS_VERSION_NUM'));
}

/**
 * The script environment Redis 7 gives Lua: the Lua 5.1 standard library as Redis trims it (no io, os, debug,
 * package, print, dofile, loadfile, require), 5.1's versions of the functions 5.3 changed, and the protections: the
 * globals table and every library are read-only ("Attempt to modify a readonly table"), and reading an undefined
 * global raises "Script attempted to access nonexistent global variable 'x'".
 *
 * Redis 7.0 also replaces pcall so that an error raised as a table with an `err` field (redis.call's errors) is
 * returned as that field's string. The 5.1 versions of the libraries themselves are in stdlib51.ts.
 */
import {
  bytes,
  checkText,
  lauxlib,
  lua,
  LUA_OK,
  LUA_TFUNCTION,
  LUA_TNIL,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  LUA_YIELD,
  LUA_REGISTRYINDEX,
  LUA_RIDX_GLOBALS,
  lualib,
  pushNumber,
  pushText,
  raise,
  removeFields,
  setFuncs,
  text,
  toText,
  type JsFunction,
  type LuaState,
} from './lua.js';
import { str2number } from './patches.js';
import type { Rand48 } from './random.js';
import { openCoroutineExtras, openMathExtras, openStringExtras, openTableExtras } from './stdlib51.js';

/** Per-VM state the library functions need. */
export interface SandboxState {
  /** The coroutine running the current script (its top level is not a user coroutine). */
  thread: LuaState | null;
  readonly rand: Rand48;
}

export function setReadonly(L: LuaState, idx: number, on: boolean): void {
  (lua.lua_topointer(L, idx) as { readonly: boolean }).readonly = on;
}

/** Lua 5.3's messages for operations on bad values, in 5.1's wording ("attempt to index local 'x' (a nil value)"). */
export function lua51Message(msg: string): string {
  return msg
    .replace(/attempt to (.+?) a (\w+) value \((local|global|field|upvalue|method) '(.*?)'\)/, "attempt to $1 $3 '$4' (a $2 value)")
    .replace(/attempt to (.+?) a (\w+) value \(constant '.*?'\)/, 'attempt to $1 a $2 value')
    .replace(/ near <eof>$/, " near '<eof>'");
}

/** C strtoul: the value of `s` in `base` (as a double, wrapping like unsigned long), or null. */
function strtoul(s: string, base: number): number | null {
  let i = 0;
  while (i < s.length && /\s/.test(s[i]!)) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') neg = s[i++] === '-';
  if (base === 16 && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-f]/i.test(s[i + 2] ?? '')) i += 2;
  let v = 0n;
  const start = i;
  const B = BigInt(base);
  let overflow = false;
  for (; i < s.length; i++) {
    const d = parseInt(s[i]!, 36);
    if (Number.isNaN(d) || d >= base) break;
    v = v * B + BigInt(d);
    if (v > 0xffffffffffffffffn) overflow = true;
  }
  if (i === start) return null;
  while (i < s.length && /\s/.test(s[i]!)) i++;
  if (i !== s.length) return null;
  if (overflow) return 18446744073709551615;
  return Number(neg ? BigInt.asUintN(64, -v) : v);
}

// tonumber(e [, base]) with 5.1's rules (strtod for base 10, strtoul otherwise).
const tonumber: JsFunction = (L) => {
  const base = Math.trunc(lauxlib.luaL_optnumber(L, 2, 10));
  if (base === 10) {
    lauxlib.luaL_checkany(L, 1);
    if (lua.lua_type(L, 1) === LUA_TNUMBER) return pushNumber(L, lua.lua_tonumber(L, 1));
    if (lua.lua_type(L, 1) === LUA_TSTRING) {
      const v = str2number(lua.lua_tolstring(L, 1)!);
      if (v !== null) return pushNumber(L, v);
    }
  } else {
    const s = checkText(L, 1);
    if (base < 2 || base > 36) lauxlib.luaL_argerror(L, 2, bytes('base out of range'));
    const v = strtoul(s, base);
    if (v !== null) return pushNumber(L, v);
  }
  lua.lua_pushnil(L);
  return 1;
};

/** Loads `src` as a text chunk (binary chunks are refused): the function, or nil and the message. */
function loadText(L: LuaState, src: Uint8Array, name: string): number {
  const status = lauxlib.luaL_loadbufferx(L, src, src.length, bytes(name), bytes('t'));
  if (status === LUA_OK) return 1;
  const msg = lua51Message(toText(L, -1) ?? '');
  lua.lua_pop(L, 1);
  lua.lua_pushnil(L);
  pushText(L, msg);
  return 2;
}

// tostring(v): numbers print as 5.1 prints them (%.14g); everything else as Lua does.
const tostring: JsFunction = (L) => {
  lauxlib.luaL_checkany(L, 1);
  if (lua.lua_type(L, 1) === LUA_TNUMBER) {
    lua.lua_settop(L, 1);
    lua.lua_tolstring(L, 1);
    return 1;
  }
  lauxlib.luaL_tolstring(L, 1);
  return 1;
};

// error(message [, level]): 5.1 prefixes the position to numbers too, not only to strings.
const error: JsFunction = (L) => {
  const level = Math.trunc(lauxlib.luaL_optnumber(L, 2, 1));
  lua.lua_settop(L, 1);
  if (lua.lua_isstring(L, 1) && level > 0) {
    lauxlib.luaL_where(L, level);
    lua.lua_pushvalue(L, 1);
    lua.lua_concat(L, 2);
  }
  return lua.lua_error(L);
};

const GC_OPTIONS = ['stop', 'restart', 'collect', 'count', 'step', 'setpause', 'setstepmul'];

// collectgarbage([opt [, arg]]): the collector is JavaScript's, so only "count" has something to report.
const collectgarbage: JsFunction = (L) => {
  const opt = lua.lua_type(L, 1) > LUA_TNIL ? checkText(L, 1) : 'collect';
  if (!GC_OPTIONS.includes(opt)) lauxlib.luaL_argerror(L, 1, bytes(`invalid option '${opt}'`));
  if (opt === 'count') return pushNumber(L, process.memoryUsage().heapUsed / 1024);
  if (opt === 'step') {
    lua.lua_pushboolean(L, false);
    return 1;
  }
  return pushNumber(L, opt === 'setpause' || opt === 'setstepmul' ? 200 : 0);
};

// __redis__err__handler(err): the message handler Redis defines: an error table with the failing position.
const errHandler: JsFunction = (L) => {
  lua.lua_settop(L, 1);
  if (lua.lua_type(L, 1) !== LUA_TTABLE) {
    const s = lua.lua_type(L, 1) === LUA_TNIL ? 'nil' : text(lauxlib.luaL_tolstring(L, 1));
    lua.lua_settop(L, 0);
    lua.lua_createtable(L, 0, 3);
    pushText(L, 'ERR ' + s);
    lua.lua_setfield(L, -2, bytes('err'));
  }
  const ar = new lua.lua_Debug();
  let level = 1;
  if (lua.lua_getstack(L, level, ar) && (lua.lua_getinfo(L, bytes('Sl'), ar), ar.what !== null && text(ar.what) === 'J')) level++;
  if (lua.lua_getstack(L, level, ar)) {
    lua.lua_getinfo(L, bytes('Sl'), ar);
    lua.lua_pushstring(L, ar.source ?? new Uint8Array(0));
    lua.lua_setfield(L, -2, bytes('source'));
    lua.lua_pushnumber(L, ar.currentline);
    lua.lua_setfield(L, -2, bytes('line'));
  }
  return 1;
};

// loadstring(s [, chunkname])
const loadstring: JsFunction = (L) => {
  const src = lauxlib.luaL_checklstring(L, 1);
  const name = lua.lua_type(L, 2) > LUA_TNIL ? checkText(L, 2) : text(src);
  return loadText(L, src, name);
};

// load(func [, chunkname]): 5.1's load only takes a reader function.
const load: JsFunction = (L) => {
  lauxlib.luaL_checktype(L, 1, LUA_TFUNCTION);
  const name = lua.lua_type(L, 2) > LUA_TNIL ? checkText(L, 2) : '=(load)';
  const parts: Uint8Array[] = [];
  for (;;) {
    lua.lua_pushvalue(L, 1);
    lua.lua_call(L, 0, 1);
    const t = lua.lua_type(L, -1);
    if (t === LUA_TNIL) break;
    if (t !== LUA_TSTRING && t !== LUA_TNUMBER) raise(L, 'reader function must return a string');
    const piece = lua.lua_tolstring(L, -1)!;
    lua.lua_pop(L, 1);
    if (piece.length === 0) break;
    parts.push(Uint8Array.from(piece));
  }
  lua.lua_settop(L, 2);
  return loadText(L, Buffer.concat(parts), name);
};

/** Redis's pcall: like Lua's, but a table error with a string `err` field comes back as that string. */
const pcallDone = (L: LuaState, status: number, base: number): number => {
  if (status !== LUA_OK && status !== LUA_YIELD) {
    if (lua.lua_type(L, -1) === LUA_TTABLE) {
      lua.lua_getfield(L, -1, bytes('err'));
      if (lua.lua_type(L, -1) === LUA_TSTRING) lua.lua_replace(L, -2);
      else lua.lua_pop(L, 1);
    } else if (lua.lua_type(L, -1) === LUA_TSTRING) {
      const m = toText(L, -1)!;
      const m51 = lua51Message(m);
      if (m51 !== m) {
        lua.lua_pop(L, 1);
        pushText(L, m51);
      }
    }
    lua.lua_pushboolean(L, false);
    lua.lua_insert(L, -2);
    return 2;
  }
  return lua.lua_gettop(L) - base;
};

const pcall: JsFunction = (L) => {
  lauxlib.luaL_checkany(L, 1);
  lua.lua_pushboolean(L, true);
  lua.lua_insert(L, 1);
  const status = lua.lua_pcallk(L, lua.lua_gettop(L) - 2, -1, 0, 0, pcallDone);
  return pcallDone(L, status, 0);
};

/** Wraps the function at `idx` with `before`, which runs first and may raise. */
function guarded(L: LuaState, idx: number, before: JsFunction): void {
  lua.lua_pushvalue(L, idx);
  lua.lua_pushjsclosure(
    L,
    (L) => {
      before(L);
      const n = lua.lua_gettop(L);
      lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
      lua.lua_insert(L, 1);
      lua.lua_call(L, n, -1);
      return lua.lua_gettop(L);
    },
    1,
  );
}

function isReadonlyTable(L: LuaState, idx: number): boolean {
  return lua.lua_type(L, idx) === LUA_TTABLE && (lua.lua_topointer(L, idx) as { readonly: boolean }).readonly;
}

/** Replaces field `name` of the table at the top of the stack by a wrapper that runs `before` first. */
function rewrapField(L: LuaState, name: string, before: JsFunction): void {
  lua.lua_getfield(L, -1, bytes(name));
  guarded(L, -1, before);
  lua.lua_setfield(L, -3, bytes(name));
  lua.lua_pop(L, 1);
}

/** Opens the libraries and applies the 5.1 differences. The globals table is left writable (see protectGlobals). */
export function openLibraries(L: LuaState, st: SandboxState): void {
  const libs: [string, JsFunction][] = [
    ['_G', lualibFn('luaopen_base')],
    ['table', lualibFn('luaopen_table')],
    ['string', lualibFn('luaopen_string')],
    ['math', lualibFn('luaopen_math')],
    ['coroutine', lualibFn('luaopen_coroutine')],
  ];
  for (const [name, open] of libs) {
    lauxlib.luaL_requiref(L, bytes(name), open, 1);
    lua.lua_pop(L, 1);
  }
  lua.lua_getglobal(L, bytes('_G'));
  removeFields(L, ['print', 'dofile', 'loadfile', 'require', 'rawlen', 'package']);
  setFuncs(L, {
    tonumber,
    tostring,
    error,
    load,
    loadstring,
    pcall,
    collectgarbage,
    __redis__err__handler: errHandler,
    gcinfo: (L) => pushNumber(L, Math.floor(process.memoryUsage().heapUsed / 1024)),
  });
  lua.lua_getfield(L, -1, bytes('table'));
  lua.lua_getfield(L, -1, bytes('unpack'));
  lua.lua_setfield(L, -3, bytes('unpack'));
  lua.lua_pop(L, 1);
  pushText(L, 'Lua 5.1');
  lua.lua_setfield(L, -2, bytes('_VERSION'));
  rewrapField(L, 'setmetatable', (L) => {
    if (isReadonlyTable(L, 1)) {
      pushText(L, 'Attempt to modify a readonly table');
      lua.lua_error(L);
    }
    return 0;
  });
  lua.lua_pop(L, 1);
  openTableExtras(L);
  openStringExtras(L);
  openMathExtras(L, st);
  openCoroutineExtras(L, st);
  // Redis 7.2 exposes os with clock() only.
  lua.lua_newtable(L);
  setFuncs(L, {
    clock: (L) => {
      const u = process.cpuUsage();
      return pushNumber(L, (u.user + u.system) / 1e6);
    },
  });
  lua.lua_setglobal(L, bytes('os'));
}

function lualibFn(name: keyof typeof lualib): JsFunction {
  return (L) => lualib[name](L);
}

/**
 * Makes every table reachable from the globals (the libraries) and the globals table itself read-only, and gives
 * the globals a metatable that refuses reads of undefined names. KEYS and ARGV are set per run (see setGlobalArray).
 */
export function protectGlobals(L: LuaState): void {
  lua.lua_getglobal(L, bytes('_G'));
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2)) {
    if (lua.lua_type(L, -1) === LUA_TTABLE && !lua.lua_rawequal(L, -1, -3)) setReadonly(L, -1, true);
    lua.lua_pop(L, 1);
  }
  lua.lua_newtable(L);
  lua.lua_pushjsfunction(L, (L) => {
    const name = lua.lua_type(L, 2) === LUA_TSTRING || lua.lua_type(L, 2) === LUA_TNUMBER ? toText(L, 2) : null;
    if (name === null) return raise(L, 'Second argument to luaProtectedTableError must be a string or number');
    return raise(L, `Script attempted to access nonexistent global variable '${name}'`);
  });
  lua.lua_setfield(L, -2, bytes('__index'));
  setReadonly(L, -1, true);
  lua.lua_setmetatable(L, -2);
  setReadonly(L, -1, true);
  lua.lua_pop(L, 1);
}

/** Sets global `name` to an array of strings, bypassing the read-only globals (KEYS, ARGV). */
export function setGlobalArray(L: LuaState, name: Uint8Array, items: readonly string[], from: number, to: number): void {
  lua.lua_createtable(L, to - from, 0);
  for (let i = from; i < to; i++) {
    lua.lua_pushstring(L, bytes(items[i]!));
    lua.lua_rawseti(L, -2, i - from + 1);
  }
  lua.lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  setReadonly(L, -1, false);
  lua.lua_insert(L, -2);
  lua.lua_setfield(L, -2, name);
  setReadonly(L, -1, true);
  lua.lua_pop(L, 1);
}

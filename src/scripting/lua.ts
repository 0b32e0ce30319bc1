/**
 * Typed access to fengari (Lua 5.3 in JavaScript), loaded on first use so a server that never runs a script does not
 * pay for it. Modules import the live bindings `lua`, `lauxlib`, `lualib` and call `loadFengari()` before touching
 * them (ScriptEngine does, once). Only the part of the API Strata uses is typed here.
 *
 * Lua strings are byte arrays (Uint8Array); Strata's strings are latin1 JS strings (one char per byte), so `bytes()`
 * and `text()` convert without any character decoding.
 */
import { createRequire } from 'node:module';
import { applyPatches } from './patches.js';

/** An opaque lua_State (a thread). */
export interface LuaState {
  readonly __luaState: never;
}
export type JsFunction = (L: LuaState) => number;
export type KFunction = (L: LuaState, status: number, ctx: number) => number;

/** lua_Debug: filled by lua_getstack / lua_getinfo. */
export interface LuaDebug {
  source: Uint8Array | null;
  currentline: number;
  what: Uint8Array | null;
  name: Uint8Array | null;
}

export interface LuaApi {
  lua_Debug: new () => LuaDebug;
  lua_absindex(L: LuaState, idx: number): number;
  lua_atnativeerror(L: LuaState, f: JsFunction): void;
  lua_call(L: LuaState, nargs: number, nresults: number): void;
  lua_checkstack(L: LuaState, n: number): boolean;
  lua_concat(L: LuaState, n: number): void;
  lua_createtable(L: LuaState, narr: number, nrec: number): void;
  lua_error(L: LuaState): never;
  lua_getfield(L: LuaState, idx: number, k: Uint8Array): number;
  lua_getglobal(L: LuaState, name: Uint8Array): number;
  lua_getinfo(L: LuaState, what: Uint8Array, ar: LuaDebug): number;
  lua_getmetatable(L: LuaState, idx: number): boolean;
  lua_getstack(L: LuaState, level: number, ar: LuaDebug): number;
  lua_gettable(L: LuaState, idx: number): number;
  lua_gettop(L: LuaState): number;
  lua_insert(L: LuaState, idx: number): void;
  lua_isinteger(L: LuaState, idx: number): boolean;
  lua_isnumber(L: LuaState, idx: number): boolean;
  lua_isstring(L: LuaState, idx: number): boolean;
  lua_isyieldable(L: LuaState): boolean;
  lua_newtable(L: LuaState): void;
  lua_newthread(L: LuaState): LuaState;
  lua_next(L: LuaState, idx: number): boolean;
  lua_pcall(L: LuaState, nargs: number, nresults: number, errfunc: number): number;
  lua_pcallk(L: LuaState, nargs: number, nresults: number, errfunc: number, ctx: number, k: KFunction): number;
  lua_pop(L: LuaState, n: number): void;
  lua_pushboolean(L: LuaState, b: boolean | number): void;
  lua_pushinteger(L: LuaState, n: number): void;
  lua_pushjsclosure(L: LuaState, f: JsFunction, n: number): void;
  lua_pushjsfunction(L: LuaState, f: JsFunction): void;
  lua_pushlightuserdata(L: LuaState, p: unknown): void;
  lua_pushnil(L: LuaState): void;
  lua_pushnumber(L: LuaState, n: number): void;
  lua_pushstring(L: LuaState, s: Uint8Array): void;
  lua_pushthread(L: LuaState): boolean;
  lua_pushvalue(L: LuaState, idx: number): void;
  lua_rawequal(L: LuaState, a: number, b: number): boolean;
  lua_rawget(L: LuaState, idx: number): number;
  lua_rawgeti(L: LuaState, idx: number, n: number): number;
  lua_rawlen(L: LuaState, idx: number): number;
  lua_rawset(L: LuaState, idx: number): void;
  lua_rawseti(L: LuaState, idx: number, n: number): void;
  lua_remove(L: LuaState, idx: number): void;
  lua_replace(L: LuaState, idx: number): void;
  lua_resume(L: LuaState, from: LuaState | null, nargs: number): number;
  lua_setfield(L: LuaState, idx: number, k: Uint8Array): void;
  lua_setglobal(L: LuaState, name: Uint8Array): void;
  lua_sethook(L: LuaState, f: ((L: LuaState, ar: LuaDebug) => void) | null, mask: number, count: number): void;
  lua_setmetatable(L: LuaState, idx: number): void;
  lua_settable(L: LuaState, idx: number): void;
  lua_settop(L: LuaState, idx: number): void;
  lua_status(L: LuaState): number;
  lua_toboolean(L: LuaState, idx: number): boolean;
  lua_tointeger(L: LuaState, idx: number): number;
  lua_tolstring(L: LuaState, idx: number): Uint8Array | null;
  lua_tonumber(L: LuaState, idx: number): number;
  lua_topointer(L: LuaState, idx: number): unknown;
  lua_tothread(L: LuaState, idx: number): LuaState | null;
  lua_touserdata(L: LuaState, idx: number): unknown;
  lua_type(L: LuaState, idx: number): number;
  lua_upvalueindex(i: number): number;
  lua_xmove(from: LuaState, to: LuaState, n: number): void;
  lua_yield(L: LuaState, n: number): number;
}

export interface LauxApi {
  luaL_argerror(L: LuaState, arg: number, msg: Uint8Array): never;
  luaL_checkany(L: LuaState, arg: number): void;
  luaL_checkinteger(L: LuaState, arg: number): number;
  luaL_checklstring(L: LuaState, arg: number): Uint8Array;
  luaL_checknumber(L: LuaState, arg: number): number;
  luaL_checktype(L: LuaState, arg: number, t: number): void;
  luaL_error(L: LuaState, fmt: Uint8Array, ...args: unknown[]): never;
  luaL_loadbufferx(L: LuaState, buff: Uint8Array, sz: number, name: Uint8Array, mode: Uint8Array | null): number;
  luaL_newstate(): LuaState;
  luaL_optnumber(L: LuaState, arg: number, def: number): number;
  luaL_ref(L: LuaState, t: number): number;
  luaL_requiref(L: LuaState, modname: Uint8Array, openf: JsFunction, glb: number): void;
  luaL_tolstring(L: LuaState, idx: number): Uint8Array;
  luaL_typename(L: LuaState, idx: number): Uint8Array;
  luaL_where(L: LuaState, level: number): void;
}

export interface LualibApi {
  luaopen_base: JsFunction;
  luaopen_coroutine: JsFunction;
  luaopen_debug: JsFunction;
  luaopen_math: JsFunction;
  luaopen_string: JsFunction;
  luaopen_table: JsFunction;
}

// Lua 5.3's fixed constants (checked against fengari's when it loads).
export const LUA_OK = 0;
export const LUA_YIELD = 1;
export const LUA_ERRRUN = 2;
export const LUA_ERRSYNTAX = 3;
export const LUA_MULTRET = -1;
export const LUA_TNONE = -1;
export const LUA_TNIL = 0;
export const LUA_TBOOLEAN = 1;
export const LUA_TLIGHTUSERDATA = 2;
export const LUA_TNUMBER = 3;
export const LUA_TSTRING = 4;
export const LUA_TTABLE = 5;
export const LUA_TFUNCTION = 6;
export const LUA_TUSERDATA = 7;
export const LUA_TTHREAD = 8;
export const LUA_MASKLINE = 4;
export const LUA_MASKCOUNT = 8;
export let LUA_REGISTRYINDEX = 0;
/** Registry index of the globals table. */
export const LUA_RIDX_GLOBALS = 2;

export let lua: LuaApi = undefined as unknown as LuaApi;
export let lauxlib: LauxApi = undefined as unknown as LauxApi;
export let lualib: LualibApi = undefined as unknown as LualibApi;

let loaded = false;

/** Loads fengari and applies Strata's patches to it (idempotent). */
export function loadFengari(): void {
  if (loaded) return;
  const require = createRequire(import.meta.url);
  // Before the libraries load: some of them keep references to API functions the patches replace.
  applyPatches(require);
  const f = require('fengari') as { lua: LuaApi & Record<string, number>; lauxlib: LauxApi; lualib: LualibApi };
  const l = f.lua;
  if (l.LUA_RIDX_GLOBALS !== LUA_RIDX_GLOBALS || l.LUA_TTHREAD !== LUA_TTHREAD || l.LUA_MASKCOUNT !== LUA_MASKCOUNT || l.LUA_YIELD !== LUA_YIELD || l.LUA_MULTRET !== LUA_MULTRET) {
    throw new Error('unexpected fengari constants');
  }
  LUA_REGISTRYINDEX = l.LUA_REGISTRYINDEX!;
  lua = l;
  lauxlib = f.lauxlib;
  lualib = f.lualib;
  loaded = true;
}

/** A latin1 string as Lua bytes. */
export function bytes(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/** Lua bytes as a latin1 string. */
export function text(b: Uint8Array): string {
  const n = b.length;
  if (n < 32) {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
  return Buffer.from(b.buffer, b.byteOffset, n).toString('latin1');
}

/** The string at `idx` (numbers are converted in place, as lua_tolstring does), or null. */
export function toText(L: LuaState, idx: number): string | null {
  const b = lua.lua_tolstring(L, idx);
  return b === null ? null : text(b);
}

export function pushText(L: LuaState, s: string): void {
  lua.lua_pushstring(L, bytes(s));
}

/** Raises `msg` as a Lua error prefixed with the caller's position, like luaL_error (no format directives). */
export function raise(L: LuaState, msg: string): never {
  lauxlib.luaL_where(L, 1);
  pushText(L, msg);
  lua.lua_concat(L, 2);
  return lua.lua_error(L);
}

/** luaL_argerror: "bad argument #arg to 'name' (msg)". */
export function argError(L: LuaState, arg: number, msg: string): never {
  return lauxlib.luaL_argerror(L, arg, bytes(msg));
}

/** Registers `fns` as fields of the table at the top of the stack. */
export function setFuncs(L: LuaState, fns: Record<string, JsFunction>): void {
  for (const [name, f] of Object.entries(fns)) {
    lua.lua_pushjsfunction(L, f);
    lua.lua_setfield(L, -2, bytes(name));
  }
}

/** A number argument as a JS number, with Lua's 'number expected' error. */
export function checkNumber(L: LuaState, arg: number): number {
  return lauxlib.luaL_checknumber(L, arg);
}

/** A string argument (numbers accepted) as a latin1 string. */
export function checkText(L: LuaState, arg: number): string {
  return text(lauxlib.luaL_checklstring(L, arg));
}

/** Pushes a number; returns 1 (the count of results, for library functions). */
export function pushNumber(L: LuaState, n: number): number {
  lua.lua_pushnumber(L, n);
  return 1;
}

/** Sets the listed fields of the table at the top of the stack to nil. */
export function removeFields(L: LuaState, names: string[]): void {
  for (const n of names) {
    lua.lua_pushnil(L);
    lua.lua_setfield(L, -2, bytes(n));
  }
}

/**
 * The standard libraries as Lua 5.1 (Redis's Lua) has them, on top of fengari's 5.3 ones: table without move/pack/
 * unpack but with getn, setn, maxn, foreach, foreachi; string without pack/unpack but with gfind and 5.1's format
 * and rep; math on doubles only (floor/ceil return doubles, log takes no base) with pow, atan2, cosh, sinh, tanh,
 * frexp, ldexp, log10, mod, and Redis's random generator; coroutine without isyieldable, whose top level is the
 * script itself.
 */
import {
  bytes,
  checkNumber,
  lauxlib,
  lua,
  LUA_TFUNCTION,
  LUA_TNIL,
  LUA_TNUMBER,
  LUA_TTABLE,
  pushNumber,
  pushText,
  raise,
  removeFields,
  setFuncs,
  type JsFunction,
  type LuaState,
} from './lua.js';
import type { SandboxState } from './sandbox.js';
import { stringFormat, stringRep } from './strformat.js';

function mathFn(f: (x: number) => number): JsFunction {
  return (L) => pushNumber(L, f(checkNumber(L, 1)));
}

export function openTableExtras(L: LuaState): void {
  lua.lua_getglobal(L, bytes('table'));
  removeFields(L, ['move', 'pack', 'unpack']);
  setFuncs(L, {
    getn: (L) => {
      lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
      return pushNumber(L, lua.lua_rawlen(L, 1));
    },
    setn: (L) => {
      lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
      return raise(L, "'setn' is obsolete");
    },
    maxn: (L) => {
      lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
      let max = 0;
      lua.lua_pushnil(L);
      while (lua.lua_next(L, 1)) {
        lua.lua_pop(L, 1);
        if (lua.lua_type(L, -1) === LUA_TNUMBER) max = Math.max(max, lua.lua_tonumber(L, -1));
      }
      return pushNumber(L, max);
    },
    foreachi: (L) => {
      lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
      lauxlib.luaL_checktype(L, 2, LUA_TFUNCTION);
      const n = lua.lua_rawlen(L, 1);
      for (let i = 1; i <= n; i++) {
        lua.lua_pushvalue(L, 2);
        lua.lua_pushnumber(L, i);
        lua.lua_rawgeti(L, 1, i);
        lua.lua_call(L, 2, 1);
        if (lua.lua_type(L, -1) !== LUA_TNIL) return 1;
        lua.lua_pop(L, 1);
      }
      return 0;
    },
    foreach: (L) => {
      lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
      lauxlib.luaL_checktype(L, 2, LUA_TFUNCTION);
      lua.lua_pushnil(L);
      while (lua.lua_next(L, 1)) {
        lua.lua_pushvalue(L, 2);
        lua.lua_pushvalue(L, -3);
        lua.lua_pushvalue(L, -3);
        lua.lua_call(L, 2, 1);
        if (lua.lua_type(L, -1) !== LUA_TNIL) return 1;
        lua.lua_pop(L, 2);
      }
      return 0;
    },
  });
  lua.lua_pop(L, 1);
}

export function openStringExtras(L: LuaState): void {
  lua.lua_getglobal(L, bytes('string'));
  removeFields(L, ['pack', 'packsize', 'unpack']);
  lua.lua_getfield(L, -1, bytes('gmatch'));
  lua.lua_setfield(L, -2, bytes('gfind'));
  setFuncs(L, { format: stringFormat, rep: stringRep });
  lua.lua_pop(L, 1);
}

export function openMathExtras(L: LuaState, st: SandboxState): void {
  lua.lua_getglobal(L, bytes('math'));
  removeFields(L, ['tointeger', 'type', 'ult', 'maxinteger', 'mininteger']);
  // 5.1's math works on doubles only: floor/ceil/abs return doubles, log takes no base.
  setFuncs(L, {
    floor: mathFn(Math.floor),
    ceil: mathFn((x) => Math.ceil(x)),
    abs: mathFn(Math.abs),
    log: mathFn(Math.log),
    log10: mathFn(Math.log10),
    cosh: mathFn(Math.cosh),
    sinh: mathFn(Math.sinh),
    tanh: mathFn(Math.tanh),
    pow: (L) => pushNumber(L, Math.pow(checkNumber(L, 1), checkNumber(L, 2))),
    atan2: (L) => pushNumber(L, Math.atan2(checkNumber(L, 1), checkNumber(L, 2))),
    mod: (L) => pushNumber(L, checkNumber(L, 1) % checkNumber(L, 2)),
    fmod: (L) => pushNumber(L, checkNumber(L, 1) % checkNumber(L, 2)),
    ldexp: (L) => pushNumber(L, checkNumber(L, 1) * Math.pow(2, Math.trunc(checkNumber(L, 2)))),
    frexp: (L) => {
      const x = checkNumber(L, 1);
      if (x === 0 || !Number.isFinite(x)) {
        lua.lua_pushnumber(L, x);
        lua.lua_pushnumber(L, 0);
        return 2;
      }
      let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
      let m = x * Math.pow(2, -e);
      // Correct for rounding in log2 so that 0.5 <= |m| < 1.
      while (Math.abs(m) < 0.5) {
        m *= 2;
        e--;
      }
      while (Math.abs(m) >= 1) {
        m /= 2;
        e++;
      }
      lua.lua_pushnumber(L, m);
      lua.lua_pushnumber(L, e);
      return 2;
    },
    random: (L) => {
      const r = st.rand.fraction();
      const n = lua.lua_gettop(L);
      if (n === 0) return pushNumber(L, r);
      if (n === 1) {
        const u = Math.trunc(checkNumber(L, 1)) | 0;
        if (u < 1) lauxlib.luaL_argerror(L, 1, bytes('interval is empty'));
        return pushNumber(L, Math.floor(r * u) + 1);
      }
      if (n === 2) {
        const l = Math.trunc(checkNumber(L, 1)) | 0;
        const u = Math.trunc(checkNumber(L, 2)) | 0;
        if (l > u) lauxlib.luaL_argerror(L, 2, bytes('interval is empty'));
        return pushNumber(L, Math.floor(r * (u - l + 1)) + l);
      }
      return raise(L, 'wrong number of arguments');
    },
    randomseed: (L) => {
      st.rand.seed(Math.trunc(checkNumber(L, 1)) | 0);
      return 0;
    },
  });
  lua.lua_pop(L, 1);
}

export function openCoroutineExtras(L: LuaState, st: SandboxState): void {
  lua.lua_getglobal(L, bytes('coroutine'));
  removeFields(L, ['isyieldable']);
  // The script itself runs in a coroutine (so it can be suspended between time slices); to the script, its top
  // level is the main thread: coroutine.running() is nil there and yielding from it is an error.
  setFuncs(L, {
    yield: (L) => {
      if (L === st.thread) {
        pushText(L, 'attempt to yield across metamethod/C-call boundary');
        lua.lua_error(L);
      }
      return lua.lua_yield(L, lua.lua_gettop(L));
    },
    running: (L) => {
      if (L === st.thread) lua.lua_pushnil(L);
      else lua.lua_pushthread(L);
      return 1;
    },
  });
  lua.lua_pop(L, 1);
}

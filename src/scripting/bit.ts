/**
 * The `bit` library (LuaBitOp's API): 32-bit operations on Lua numbers. A number becomes a 32-bit integer the way
 * LuaBitOp does it — add 2^52 + 2^51 and keep the low word of the double — so fractions round half to even and
 * large numbers wrap modulo 2^32. Results are signed 32-bit numbers.
 */
import { checkNumber, lua, LUA_TNONE, pushText, setFuncs, type JsFunction, type LuaState } from './lua.js';

const view = new DataView(new ArrayBuffer(8));

export function tobit(n: number): number {
  view.setFloat64(0, n + 6755399441055744.0);
  return view.getInt32(4);
}

function arg(L: LuaState, i: number): number {
  return tobit(checkNumber(L, i));
}

function ret(L: LuaState, v: number): number {
  lua.lua_pushnumber(L, v | 0);
  return 1;
}

function fold(op: (a: number, b: number) => number): JsFunction {
  return (L) => {
    let v = arg(L, 1);
    const n = lua.lua_gettop(L);
    for (let i = 2; i <= n; i++) v = op(v, arg(L, i));
    return ret(L, v);
  };
}

function shift(op: (b: number, n: number) => number): JsFunction {
  return (L) => {
    const b = arg(L, 1);
    const n = arg(L, 2) & 31;
    return ret(L, op(b, n));
  };
}

/** Leaves the `bit` table on the stack. */
export function openBit(L: LuaState): void {
  lua.lua_newtable(L);
  setFuncs(L, {
    tobit: (L) => ret(L, arg(L, 1)),
    bnot: (L) => ret(L, ~arg(L, 1)),
    band: fold((a, b) => a & b),
    bor: fold((a, b) => a | b),
    bxor: fold((a, b) => a ^ b),
    lshift: shift((b, n) => b << n),
    rshift: shift((b, n) => b >>> n),
    arshift: shift((b, n) => b >> n),
    rol: shift((b, n) => (b << n) | (b >>> (32 - n))),
    ror: shift((b, n) => (b >>> n) | (b << (32 - n))),
    bswap: (L) => {
      const b = arg(L, 1);
      return ret(L, ((b >>> 24) & 0xff) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24));
    },
    // tohex(x [, n]): n hex digits (default 8); negative n for upper case.
    tohex: (L) => {
      const b = arg(L, 1);
      let n = lua.lua_type(L, 2) === LUA_TNONE ? 8 : arg(L, 2);
      let upper = false;
      if (n < 0) {
        n = -n;
        upper = true;
      }
      if (n > 8) n = 8;
      let s = (b >>> 0).toString(16).padStart(8, '0').slice(8 - n);
      if (upper) s = s.toUpperCase();
      pushText(L, s);
      return 1;
    },
  });
}

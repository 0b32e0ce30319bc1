/**
 * The `struct` library: binary packing of numbers and strings, struct.pack / unpack / size.
 *
 * Format: '<' little endian (the default, as on x86), '>' big endian, '!n' maximum alignment (a power of 2; '!' alone
 * is 8), ' ' ignored; b/B char, h/H short (2), l/L long (8), T size_t (8), i/I[n] int of n bytes (default 4, at most
 * 32), f float, d double, c[n] n chars (c0: the whole string when packing, the previous number as length when
 * unpacking), s zero-terminated string, x a zero byte. Lower case integer options are signed when unpacking.
 * Integers are handled as 64-bit values; numbers are truncated toward zero.
 */
import { argError, checkNumber, lauxlib, lua, LUA_TNUMBER, raise, setFuncs, type LuaState } from './lua.js';
import { toInt64 } from './printf.js';

const MAXINTSIZE = 32;
const MAXALIGN = 8;

interface Header {
  little: boolean;
  align: number;
}

interface Cursor {
  fmt: Uint8Array;
  i: number;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

function getNum(L: LuaState, f: Cursor, def: number): number {
  if (!isDigit(f.fmt[f.i])) return def;
  let a = 0;
  do {
    const d = f.fmt[f.i++]! - 48;
    if (a > Math.floor(2147483647 / 10) || a * 10 > 2147483647 - d) raise(L, 'integral size overflow');
    a = a * 10 + d;
  } while (isDigit(f.fmt[f.i]));
  return a;
}

function optSize(L: LuaState, opt: string, f: Cursor): number {
  switch (opt) {
    case 'b':
    case 'B':
      return 1;
    case 'h':
    case 'H':
      return 2;
    case 'l':
    case 'L':
    case 'T':
    case 'd':
      return 8;
    case 'f':
      return 4;
    case 'x':
      return 1;
    case 'c':
      return getNum(L, f, 1);
    case 'i':
    case 'I': {
      const sz = getNum(L, f, 4);
      if (sz > MAXINTSIZE) raise(L, `integral size ${sz} is larger than limit of ${MAXINTSIZE}`);
      return sz;
    }
    default:
      return 0;
  }
}

function toAlign(len: number, h: Header, opt: string, size: number): number {
  if (size === 0 || opt === 'c') return 0;
  if (size > h.align) size = h.align;
  return (size - (len & (size - 1))) & (size - 1);
}

function controlOption(L: LuaState, opt: string, f: Cursor, h: Header): void {
  switch (opt) {
    case ' ':
      return;
    case '>':
      h.little = false;
      return;
    case '<':
      h.little = true;
      return;
    case '!': {
      const a = getNum(L, f, MAXALIGN);
      if ((a & (a - 1)) !== 0) raise(L, `alignment ${a} is not a power of 2`);
      h.align = a;
      return;
    }
    default:
      argError(L, 1, `invalid format option '${opt}'`);
  }
}

const INTS = 'bBhHlLTiI';
const f32 = new DataView(new ArrayBuffer(8));

function putInteger(n: number, little: boolean, size: number, out: number[]): void {
  let v = BigInt.asUintN(64, n < 0 ? toInt64(n) : n >= 18446744073709551616 || Number.isNaN(n) ? 0n : BigInt(Math.trunc(n)));
  const buf = new Array<number>(size);
  for (let k = 0; k < size; k++) {
    buf[little ? k : size - 1 - k] = Number(v & 0xffn);
    v >>= 8n;
  }
  out.push(...buf);
}

function getInteger(data: Uint8Array, pos: number, little: boolean, signed: boolean, size: number): number {
  let l = 0n;
  for (let k = 0; k < size; k++) {
    const b = data[little ? pos + size - 1 - k : pos + k]!;
    l = BigInt.asUintN(64, (l << 8n) | BigInt(b));
  }
  if (!signed) return Number(l);
  const bits = Math.min(64, size * 8);
  return Number(BigInt.asIntN(bits, l));
}

// struct.pack(fmt, v1, v2, ...)
function pack(L: LuaState): number {
  const f: Cursor = { fmt: lauxlib.luaL_checklstring(L, 1), i: 0 };
  const h: Header = { little: true, align: 1 };
  const out: number[] = [];
  let arg = 2;
  while (f.i < f.fmt.length) {
    const opt = String.fromCharCode(f.fmt[f.i++]!);
    let size = optSize(L, opt, f);
    for (let pad = toAlign(out.length, h, opt, size); pad > 0; pad--) out.push(0);
    if (INTS.includes(opt)) putInteger(checkNumber(L, arg++), h.little, size, out);
    else if (opt === 'x') out.push(0);
    else if (opt === 'f' || opt === 'd') {
      const n = checkNumber(L, arg++);
      if (opt === 'f') f32.setFloat32(0, n, h.little);
      else f32.setFloat64(0, n, h.little);
      for (let k = 0; k < size; k++) out.push(f32.getUint8(k));
    } else if (opt === 'c' || opt === 's') {
      const s = lauxlib.luaL_checklstring(L, arg++);
      if (size === 0) size = s.length;
      // The argument number reported is the next one, as the C library does.
      if (s.length < size) argError(L, arg, 'string too short');
      for (let k = 0; k < size; k++) out.push(s[k]!);
      if (opt === 's') out.push(0);
    } else controlOption(L, opt, f, h);
  }
  lua.lua_pushstring(L, Uint8Array.from(out));
  return 1;
}

// struct.unpack(fmt, data [, pos])
function unpack(L: LuaState): number {
  const f: Cursor = { fmt: lauxlib.luaL_checklstring(L, 1), i: 0 };
  const data = lauxlib.luaL_checklstring(L, 2);
  const ld = data.length;
  let pos = (lua.lua_type(L, 3) <= 0 ? 1 : Math.trunc(checkNumber(L, 3))) - 1;
  if (pos < 0) argError(L, 3, 'offset must be 1 or greater');
  const h: Header = { little: true, align: 1 };
  let n = 0;
  while (f.i < f.fmt.length) {
    const opt = String.fromCharCode(f.fmt[f.i++]!);
    let size = optSize(L, opt, f);
    pos += toAlign(pos, h, opt, size);
    if (pos + size > ld) argError(L, 2, 'data string too short');
    if (INTS.includes(opt)) {
      lua.lua_pushnumber(L, getInteger(data, pos, h.little, opt >= 'a', size));
      n++;
    } else if (opt === 'x') {
      // padding
    } else if (opt === 'f' || opt === 'd') {
      for (let k = 0; k < size; k++) f32.setUint8(k, data[pos + k]!);
      lua.lua_pushnumber(L, opt === 'f' ? f32.getFloat32(0, h.little) : f32.getFloat64(0, h.little));
      n++;
    } else if (opt === 'c') {
      if (size === 0) {
        if (n === 0 || lua.lua_type(L, -1) !== LUA_TNUMBER) raise(L, "format 'c0' needs a previous size");
        size = Math.trunc(lua.lua_tonumber(L, -1));
        lua.lua_pop(L, 1);
        n--;
        if (!(size <= ld && pos <= ld - size)) argError(L, 2, 'data string too short');
      }
      lua.lua_pushstring(L, data.slice(pos, pos + size));
      n++;
    } else if (opt === 's') {
      const e = data.indexOf(0, pos);
      if (e < 0) raise(L, 'unfinished string in data');
      size = e - pos + 1;
      lua.lua_pushstring(L, data.slice(pos, e));
      n++;
    } else controlOption(L, opt, f, h);
    pos += size;
  }
  lua.lua_pushnumber(L, pos + 1);
  return n + 1;
}

// struct.size(fmt)
function size(L: LuaState): number {
  const f: Cursor = { fmt: lauxlib.luaL_checklstring(L, 1), i: 0 };
  const h: Header = { little: true, align: 1 };
  let pos = 0;
  while (f.i < f.fmt.length) {
    const c = f.fmt[f.i++]!;
    const opt = String.fromCharCode(c);
    const sz = optSize(L, opt, f);
    pos += toAlign(pos, h, opt, sz);
    if (opt === 's') argError(L, 1, "option 's' has no fixed size");
    else if (opt === 'c' && sz === 0) argError(L, 1, "option 'c0' has no fixed size");
    // Unknown letters and digits count for nothing; other characters must be control options.
    if (!/[A-Za-z0-9]/.test(opt)) controlOption(L, opt, f, h);
    pos += sz;
  }
  lua.lua_pushnumber(L, pos);
  return 1;
}

/** Leaves the `struct` table on the stack. */
export function openStruct(L: LuaState): void {
  lua.lua_newtable(L);
  setFuncs(L, { pack, unpack, size });
}

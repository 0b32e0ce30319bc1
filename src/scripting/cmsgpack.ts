/**
 * The `cmsgpack` library with the behaviour of lua-cmsgpack 0.4.0 that Redis ships.
 *
 * pack(v1, ...): numbers with an exact 64-bit integer value use the smallest integer encoding, other numbers a
 * float32 when that is exact and a float64 otherwise; strings use fixstr/str8/str16/str32; a table whose keys are
 * exactly 1..n is an array, any other a map; tables nested
 * 16 deep, functions and other values encode as nil.
 *
 * unpack(s) returns every value; unpack_one(s [, offset]) and unpack_limit(s, limit [, offset]) also return the
 * offset after the last value read (-1 at the end of the input). Bin and ext types are not supported ("Bad data
 * format in input.").
 */
import { argError, bytes, checkNumber, lauxlib, lua, LUA_TBOOLEAN, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, pushText, raise, setFuncs, type LuaState } from './lua.js';
import { toInt64 } from './printf.js';

const MAX_NESTING = 16;

class Buf {
  bytes: number[] = [];
  push(...b: number[]): void {
    for (const x of b) this.bytes.push(x & 0xff);
  }
  be(v: bigint, n: number): void {
    for (let i = n - 1; i >= 0; i--) this.bytes.push(Number((v >> BigInt(i * 8)) & 0xffn));
  }
}

const dv = new DataView(new ArrayBuffer(8));

function encodeInt(b: Buf, n: bigint): void {
  if (n >= 0n) {
    if (n <= 127n) b.push(Number(n));
    else if (n <= 0xffn) b.push(0xcc, Number(n));
    else if (n <= 0xffffn) {
      b.push(0xcd);
      b.be(n, 2);
    } else if (n <= 0xffffffffn) {
      b.push(0xce);
      b.be(n, 4);
    } else {
      b.push(0xcf);
      b.be(n, 8);
    }
  } else if (n >= -32n) b.push(Number(n) & 0xff);
  else if (n >= -128n) b.push(0xd0, Number(n) & 0xff);
  else if (n >= -32768n) {
    b.push(0xd1);
    b.be(BigInt.asUintN(16, n), 2);
  } else if (n >= -2147483648n) {
    b.push(0xd2);
    b.be(BigInt.asUintN(32, n), 4);
  } else {
    b.push(0xd3);
    b.be(BigInt.asUintN(64, n), 8);
  }
}

function encodeNumber(b: Buf, n: number): void {
  // An exact int64 value: the C test (int64_t)x == x, with x86's INT64_MIN for out-of-range casts.
  if (Number.isFinite(n) && Number(toInt64(n)) === n && n < 9223372036854775808) {
    encodeInt(b, toInt64(n));
    return;
  }
  if (Number.isNaN(n) || Math.fround(n) !== n) {
    dv.setFloat64(0, n);
    b.push(0xcb);
    for (let i = 0; i < 8; i++) b.push(dv.getUint8(i));
  } else {
    dv.setFloat32(0, n);
    b.push(0xca);
    for (let i = 0; i < 4; i++) b.push(dv.getUint8(i));
  }
}

function encodeBytes(b: Buf, s: Uint8Array): void {
  const n = s.length;
  if (n < 32) b.push(0xa0 | n);
  else if (n <= 0xff) b.push(0xd9, n);
  else if (n <= 0xffff) {
    b.push(0xda);
    b.be(BigInt(n), 2);
  } else {
    b.push(0xdb);
    b.be(BigInt(n), 4);
  }
  for (const x of s) b.bytes.push(x);
}

function header(b: Buf, n: number, fix: number, c16: number, c32: number): void {
  if (n <= 15) b.push(fix | n);
  else if (n <= 0xffff) {
    b.push(c16);
    b.be(BigInt(n), 2);
  } else {
    b.push(c32);
    b.be(BigInt(n), 4);
  }
}

/** Whether the table at the top has exactly the keys 1..n. */
function isArray(L: LuaState): boolean {
  let count = 0;
  let max = 0;
  const top = lua.lua_gettop(L);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2)) {
    lua.lua_pop(L, 1);
    const n = lua.lua_type(L, -1) === LUA_TNUMBER ? lua.lua_tonumber(L, -1) : 0;
    if (!(n > 0) || !(Math.trunc(n) === n && n <= 2147483647)) {
      lua.lua_settop(L, top);
      return false;
    }
    if (n > max) max = n;
    count++;
  }
  lua.lua_settop(L, top);
  return max === count;
}

/** Encodes the value at the top of the stack (left in place). */
function encode(L: LuaState, b: Buf, level: number): void {
  lua.lua_checkstack(L, 3);
  let t = lua.lua_type(L, -1);
  if (t === LUA_TTABLE && level === MAX_NESTING) t = -2;
  if (t === LUA_TSTRING) encodeBytes(b, lua.lua_tolstring(L, -1)!);
  else if (t === LUA_TBOOLEAN) b.push(lua.lua_toboolean(L, -1) ? 0xc3 : 0xc2);
  else if (t === LUA_TNUMBER) encodeNumber(b, lua.lua_tonumber(L, -1));
  else if (t === LUA_TTABLE) {
    if (isArray(L)) {
      const len = lua.lua_rawlen(L, -1);
      header(b, len, 0x90, 0xdc, 0xdd);
      for (let j = 1; j <= len; j++) {
        lua.lua_pushnumber(L, j);
        lua.lua_gettable(L, -2);
        encode(L, b, level + 1);
        lua.lua_pop(L, 1);
      }
    } else {
      let len = 0;
      lua.lua_pushnil(L);
      while (lua.lua_next(L, -2)) {
        lua.lua_pop(L, 1);
        len++;
      }
      header(b, len, 0x80, 0xde, 0xdf);
      lua.lua_pushnil(L);
      while (lua.lua_next(L, -2)) {
        lua.lua_pushvalue(L, -2);
        encode(L, b, level + 1);
        lua.lua_pop(L, 1);
        encode(L, b, level + 1);
        lua.lua_pop(L, 1);
      }
    }
  } else b.push(0xc0);
}

// cmsgpack.pack(v1, ...)
function pack(L: LuaState): number {
  const n = lua.lua_gettop(L);
  if (n === 0) argError(L, 0, 'MessagePack pack needs input.');
  const b = new Buf();
  for (let i = 1; i <= n; i++) {
    lua.lua_pushvalue(L, i);
    encode(L, b, 0);
    lua.lua_pop(L, 1);
  }
  lua.lua_pushstring(L, Uint8Array.from(b.bytes));
  return 1;
}

class Eof extends Error {}
class BadFormat extends Error {}

class Cursor {
  constructor(
    readonly s: Uint8Array,
    public p: number,
  ) {}
  get left(): number {
    return this.s.length - this.p;
  }
  need(n: number): void {
    if (this.left < n) throw new Eof();
  }
  uint(at: number, n: number): bigint {
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(this.s[this.p + at + i]!);
    return v;
  }
}

function pushBytes(L: LuaState, c: Cursor, skip: number, len: number): void {
  c.need(skip + len);
  lua.lua_pushstring(L, c.s.slice(c.p + skip, c.p + skip + len));
  c.p += skip + len;
}

/** Decodes one value at the cursor and pushes it; throws Eof or BadFormat. */
function decode(L: LuaState, c: Cursor): void {
  c.need(1);
  if (!lua.lua_checkstack(L, 3)) raise(L, 'too many nested data structures');
  const t = c.s[c.p]!;
  const num = (n: number | bigint, size: number): void => {
    lua.lua_pushnumber(L, Number(n));
    c.p += size;
  };
  switch (t) {
    case 0xcc:
      c.need(2);
      return num(c.s[c.p + 1]!, 2);
    case 0xd0:
      c.need(2);
      return num(BigInt.asIntN(8, c.uint(1, 1)), 2);
    case 0xcd:
      c.need(3);
      return num(c.uint(1, 2), 3);
    case 0xd1:
      c.need(3);
      return num(BigInt.asIntN(16, c.uint(1, 2)), 3);
    case 0xce:
      c.need(5);
      return num(c.uint(1, 4), 5);
    case 0xd2:
      c.need(5);
      return num(BigInt.asIntN(32, c.uint(1, 4)), 5);
    case 0xcf:
    case 0xd3:
      // Both become a signed 64-bit integer (lua_Integer) before the double.
      c.need(9);
      return num(BigInt.asIntN(64, c.uint(1, 8)), 9);
    case 0xc0:
      lua.lua_pushnil(L);
      c.p += 1;
      return;
    case 0xc3:
    case 0xc2:
      lua.lua_pushboolean(L, t === 0xc3);
      c.p += 1;
      return;
    case 0xca:
      c.need(5);
      for (let i = 0; i < 4; i++) dv.setUint8(i, c.s[c.p + 1 + i]!);
      return num(dv.getFloat32(0), 5);
    case 0xcb:
      c.need(9);
      for (let i = 0; i < 8; i++) dv.setUint8(i, c.s[c.p + 1 + i]!);
      return num(dv.getFloat64(0), 9);
    case 0xd9:
      c.need(2);
      return pushBytes(L, c, 2, c.s[c.p + 1]!);
    case 0xda:
      c.need(3);
      return pushBytes(L, c, 3, Number(c.uint(1, 2)));
    case 0xdb:
      c.need(5);
      return pushBytes(L, c, 5, Number(c.uint(1, 4)));
    case 0xdc:
      c.need(3);
      return decodeArray(L, c, 3, Number(c.uint(1, 2)));
    case 0xdd:
      c.need(5);
      return decodeArray(L, c, 5, Number(c.uint(1, 4)));
    case 0xde:
      c.need(3);
      return decodeMap(L, c, 3, Number(c.uint(1, 2)));
    case 0xdf:
      c.need(5);
      return decodeMap(L, c, 5, Number(c.uint(1, 4)));
  }
  if ((t & 0x80) === 0) return num(t, 1);
  if ((t & 0xe0) === 0xe0) return num(t - 256, 1);
  if ((t & 0xe0) === 0xa0) return pushBytes(L, c, 1, t & 0x1f);
  if ((t & 0xf0) === 0x90) return decodeArray(L, c, 1, t & 0xf);
  if ((t & 0xf0) === 0x80) return decodeMap(L, c, 1, t & 0xf);
  throw new BadFormat();
}

function decodeArray(L: LuaState, c: Cursor, skip: number, len: number): void {
  c.p += skip;
  lua.lua_newtable(L);
  for (let i = 1; i <= len; i++) {
    lua.lua_pushnumber(L, i);
    decode(L, c);
    lua.lua_settable(L, -3);
  }
}

function decodeMap(L: LuaState, c: Cursor, skip: number, len: number): void {
  c.p += skip;
  lua.lua_newtable(L);
  for (let i = 0; i < len; i++) {
    decode(L, c);
    decode(L, c);
    lua.lua_settable(L, -3);
  }
}

function unpackFull(L: LuaState, limit: number, offset: number): number {
  const s = lauxlib.luaL_checklstring(L, 1);
  lua.lua_settop(L, 1);
  const all = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0) raise(L, `Invalid request to unpack with offset of ${offset} and limit of ${s.length}.`);
  if (offset > s.length) raise(L, `Start offset ${offset} greater than input length ${s.length}.`);
  if (all) limit = Infinity;
  const c = new Cursor(s, offset);
  let n = 0;
  try {
    for (; c.left > 0 && n < limit; n++) {
      if (!lua.lua_checkstack(L, 1)) raise(L, 'too many return values at once; use unpack_one or unpack_limit instead.');
      decode(L, c);
    }
  } catch (e) {
    if (e instanceof Eof) raise(L, 'Missing bytes in input.');
    if (e instanceof BadFormat) raise(L, 'Bad data format in input.');
    throw e;
  }
  if (!all) {
    lua.lua_pushnumber(L, c.left === 0 ? -1 : c.p);
    lua.lua_insert(L, 2);
    n++;
  }
  return n;
}

/** Leaves the `cmsgpack` table on the stack. */
export function openCmsgpack(L: LuaState): void {
  lua.lua_newtable(L);
  setFuncs(L, {
    pack,
    unpack: (L) => unpackFull(L, 0, 0),
    unpack_one: (L) => unpackFull(L, 1, lua.lua_type(L, 2) > 0 ? Math.trunc(checkNumber(L, 2)) : 0),
    unpack_limit: (L) => unpackFull(L, Math.trunc(checkNumber(L, 2)), lua.lua_type(L, 3) > 0 ? Math.trunc(checkNumber(L, 3)) : 0),
  });
  for (const [k, v] of [
    ['_NAME', 'cmsgpack'],
    ['_VERSION', 'lua-cmsgpack 0.4.0'],
    ['_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo'],
    ['_DESCRIPTION', 'MessagePack C implementation for Lua'],
  ]) {
    pushText(L, v!);
    lua.lua_setfield(L, -2, bytes(k!));
  }
}

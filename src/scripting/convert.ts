/**
 * Conversions between command replies and Lua values, as Redis documents them.
 *
 * Reply → Lua (what redis.call returns), RESP2: integer → number, bulk → string, null bulk / null array → false,
 * array → table, status → {ok=...}, error → {err=...}. With redis.setresp(3) the RESP3 types come through: map →
 * {map={...}}, set → {set={k=true}}, null → nil, double → {double=n}, boolean → boolean, verbatim →
 * {verbatim_string={format=..., string=...}}, big number → {big_number=...}.
 *
 * Lua → reply (what a script returns): number → integer (truncated), string → bulk, boolean → 1 / null (RESP2
 * scripts) or a RESP3 boolean, table → array up to the first nil, unless it has one of the fields err, ok, double,
 * big_number, map, set, verbatim_string (checked in that order); anything else → null.
 */
import type { Reply } from '../protocol/reply.js';
import type { RespEncoder } from '../protocol/writer.js';
import type { Value } from '../protocol/value-reply.js';
import { sanitizeErrorText } from '../errors.js';
import { bytes, lua, LUA_TBOOLEAN, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, pushText, raise, text, toText, type LuaState } from './lua.js';
import { formatFloat, toInt64 } from './printf.js';

const FIELDS = ['ok', 'err', 'double', 'big_number', 'map', 'set', 'verbatim_string', 'format', 'string', 'ignore_error_stats_update'] as const;
/** The field names as Lua strings. */
const K = Object.fromEntries(FIELDS.map((f) => [f, bytes(f)])) as Record<(typeof FIELDS)[number], Uint8Array>;


/**
 * Pushes Redis's error table for an error line: "-CODE message" keeps its code, anything else gets "ERR"; the
 * message is trimmed of CR/LF (luaPushErrorBuff).
 */
export function pushErrorTable(L: LuaState, line: string, ignoreStats = false): void {
  let code = 'ERR';
  let msg = line;
  if (line.startsWith('-')) {
    const sp = line.indexOf(' ');
    if (sp < 0) msg = line.slice(1);
    else {
      code = line.slice(1, sp);
      msg = line.slice(sp + 1);
    }
  }
  msg = msg.replace(/^[\r\n]+|[\r\n]+$/g, '');
  lua.lua_createtable(L, 0, 2);
  pushText(L, `${code} ${msg}`);
  lua.lua_setfield(L, -2, K.err);
  if (ignoreStats) {
    lua.lua_pushboolean(L, true);
    lua.lua_setfield(L, -2, K.ignore_error_stats_update);
  }
}

function pushField(L: LuaState, key: Uint8Array): void {
  lua.lua_createtable(L, 0, 1);
  lua.lua_insert(L, -2);
  lua.lua_setfield(L, -2, key);
}

/** Pushes a command reply as a Lua value; `resp` is the script's protocol (redis.setresp). */
export function pushValue(L: LuaState, v: Value, resp: 2 | 3): void {
  if (!lua.lua_checkstack(L, 4)) raise(L, 'reached lua stack limit');
  switch (v.t) {
    case 'int':
      lua.lua_pushnumber(L, Number(v.n));
      return;
    case 'bulk':
      lua.lua_pushstring(L, bytes(v.s));
      return;
    case 'status':
      pushText(L, v.s);
      pushField(L, K.ok);
      return;
    case 'error':
      pushErrorTable(L, '-' + v.s, true);
      return;
    case 'nil':
    case 'nilArray':
      lua.lua_pushboolean(L, false);
      return;
    case 'null':
      lua.lua_pushnil(L);
      return;
    case 'array':
    case 'push': {
      const items = v.items;
      lua.lua_createtable(L, items.length, 0);
      for (let i = 0; i < items.length; i++) {
        pushValue(L, items[i]!, resp);
        lua.lua_rawseti(L, -2, i + 1);
      }
      return;
    }
    case 'map': {
      lua.lua_createtable(L, 0, v.items.length / 2);
      for (let i = 0; i + 1 < v.items.length; i += 2) {
        pushValue(L, v.items[i]!, resp);
        pushValue(L, v.items[i + 1]!, resp);
        lua.lua_rawset(L, -3);
      }
      pushField(L, K.map);
      return;
    }
    case 'set': {
      lua.lua_createtable(L, 0, v.items.length);
      for (const item of v.items) {
        pushValue(L, item, resp);
        lua.lua_pushboolean(L, true);
        lua.lua_rawset(L, -3);
      }
      pushField(L, K.set);
      return;
    }
    case 'double':
      lua.lua_pushnumber(L, v.d);
      pushField(L, K.double);
      return;
    case 'bool':
      lua.lua_pushboolean(L, v.b);
      return;
    case 'bignum':
      pushText(L, v.s);
      pushField(L, K.big_number);
      return;
    case 'verbatim':
      lua.lua_createtable(L, 0, 2);
      pushText(L, v.format);
      lua.lua_setfield(L, -2, K.format);
      pushText(L, v.s);
      lua.lua_setfield(L, -2, K.string);
      pushField(L, K.verbatim_string);
      return;
  }
}

/** What writing a script's result produced, for error statistics. */
export interface WriteOutcome {
  /** Error replies written that count in the error stats (errors from redis.call were counted already). */
  countedErrors: string[];
}

/** Nesting past this depth is refused, as Lua 5.1's C stack limit makes Redis do. */
const MAX_DEPTH = 7995;

/** Reads field `key` of the table at `idx` onto the stack; returns its type. */
function getField(L: LuaState, idx: number, key: Uint8Array): number {
  lua.lua_pushstring(L, key);
  return lua.lua_rawget(L, idx < 0 ? idx - 1 : idx);
}

/**
 * Writes the Lua value at the top of the stack to `reply` and pops it. `resp` is the script's protocol: it decides
 * how booleans are returned.
 */
export function writeLuaValue(L: LuaState, reply: Reply, resp: 2 | 3, out: WriteOutcome, depth = 0): void {
  const t = lua.lua_type(L, -1);
  if (t === LUA_TSTRING) reply.bulk(text(lua.lua_tolstring(L, -1)!));
  else if (t === LUA_TNUMBER) reply.int(luaToInt(lua.lua_tonumber(L, -1)));
  else if (t === LUA_TBOOLEAN) {
    const b = lua.lua_toboolean(L, -1);
    if (resp === 3) reply.bool(b);
    else if (b) reply.int(1);
    else reply.nil();
  } else if (t === LUA_TTABLE) {
    if (depth >= MAX_DEPTH || !lua.lua_checkstack(L, 4)) {
      reply.error('ERR reached lua stack limit');
      out.countedErrors.push('ERR reached lua stack limit');
    } else writeTable(L, reply, resp, out, depth);
  } else reply.nil();
  lua.lua_pop(L, 1);
}

/** A Lua number as the C cast `(long long)` gives it. */
function luaToInt(n: number): number | bigint {
  if (Number.isSafeInteger(n)) return n;
  const t = Math.trunc(n);
  return Number.isSafeInteger(t) ? t : toInt64(n);
}

function writeTable(L: LuaState, reply: Reply, resp: 2 | 3, out: WriteOutcome, depth: number): void {
  if (getField(L, -1, K.err) === LUA_TSTRING) {
    const msg = sanitizeErrorText(toText(L, -1)!);
    lua.lua_pop(L, 1);
    const ignore = getField(L, -1, K.ignore_error_stats_update) === LUA_TBOOLEAN && lua.lua_toboolean(L, -1);
    lua.lua_pop(L, 1);
    // The error line is "-" + the message: a message without an error code is sent as it is.
    reply.error(msg);
    if (!ignore) out.countedErrors.push(msg);
    return;
  }
  lua.lua_pop(L, 1);
  if (getField(L, -1, K.ok) === LUA_TSTRING) {
    reply.status(toText(L, -1)!.replace(/[\r\n]/g, ' '));
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (getField(L, -1, K.double) === LUA_TNUMBER) {
    const d = lua.lua_tonumber(L, -1);
    lua.lua_pop(L, 1);
    reply.double(d, formatFloat(d, 'g', { minus: false, plus: false, space: false, alt: false, zero: false, width: 0, prec: 17 }));
    return;
  }
  lua.lua_pop(L, 1);
  if (getField(L, -1, K.big_number) === LUA_TSTRING) {
    const s = toText(L, -1)!.replace(/[\r\n]/g, ' ');
    lua.lua_pop(L, 1);
    writeBigNumber(reply, s);
    return;
  }
  lua.lua_pop(L, 1);
  if (getField(L, -1, K.map) === LUA_TTABLE) {
    let n = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      n++;
      lua.lua_pop(L, 1);
    }
    reply.map(n);
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      lua.lua_pushvalue(L, -2);
      writeLuaValue(L, reply, resp, out, depth + 1);
      writeLuaValue(L, reply, resp, out, depth + 1);
    }
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (getField(L, -1, K.set) === LUA_TTABLE) {
    let n = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      n++;
      lua.lua_pop(L, 1);
    }
    reply.set(n);
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      lua.lua_pop(L, 1);
      lua.lua_pushvalue(L, -1);
      writeLuaValue(L, reply, resp, out, depth + 1);
    }
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (getField(L, -1, K.verbatim_string) === LUA_TTABLE) {
    const fmtType = getField(L, -1, K.format);
    const strType = getField(L, -2, K.string);
    if (fmtType === LUA_TSTRING && strType === LUA_TSTRING) {
      const s = toText(L, -1)!;
      // The format is exactly three characters: shorter ones are padded with spaces.
      const format = (toText(L, -2)! + '   ').slice(0, 3);
      lua.lua_pop(L, 3);
      reply.verbatim(s, format);
      return;
    }
    lua.lua_pop(L, 2);
  }
  lua.lua_pop(L, 1);
  // An array: elements 1, 2, … up to the first nil.
  let n = 0;
  while (lua.lua_rawgeti(L, -1 - 0, n + 1) !== 0) {
    lua.lua_pop(L, 1);
    n++;
  }
  lua.lua_pop(L, 1);
  reply.array(n);
  for (let i = 1; i <= n; i++) {
    lua.lua_rawgeti(L, -1, i);
    writeLuaValue(L, reply, resp, out, depth + 1);
  }
}

/** `(digits` in RESP3; a bulk string in RESP2. The Reply interface has no big number, so the encoder gets raw bytes. */
function writeBigNumber(reply: Reply, s: string): void {
  if (reply.resp === 3 && 'rawBytes' in reply) (reply as RespEncoder).rawBytes(Buffer.from(`(${s}\r\n`, 'latin1'));
  else reply.bulk(s);
}

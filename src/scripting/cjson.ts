/**
 * The `cjson` library with the behaviour of lua-cjson 2.1.0 that Redis ships.
 *
 * encode: a table whose keys are all positive integers is an array (holes become null) unless it is "excessively
 * sparse" (largest index > 2 × element count and > 10), which is an error; any other table is an object, and an
 * empty table is `{}`. Numbers use `%.14g` (encode_number_precision), NaN and infinities are refused, '/' is escaped,
 * control characters become \u00XX, bytes ≥ 0x80 pass through. Nesting deeper than 1000 is an error.
 *
 * decode: JSON null becomes the `cjson.null` sentinel, numbers go through strtod (so hex, NaN and Infinity are
 * accepted, as decode_invalid_numbers is on), \u escapes become UTF-8, and errors name the token found and its
 * 1-based position ("Expected value but found T_END at character 1").
 *
 * The settings functions return (and set) the configuration, which persists across scripts as in Redis.
 */
import { argError, bytes, lauxlib, lua, LUA_TBOOLEAN, LUA_TLIGHTUSERDATA, LUA_TNIL, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, pushText, raise, setFuncs, text, type JsFunction, type LuaState } from './lua.js';
import { decodeJson, JSON_NULL } from './cjson-decode.js';
import { formatFloat } from './printf.js';

interface Config {
  sparseConvert: boolean;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  invalidNumbers: boolean | 'null';
  decodeInvalidNumbers: boolean;
  keepBuffer: boolean;
  precision: number;
}

function defaults(): Config {
  return {
    sparseConvert: false,
    sparseRatio: 2,
    sparseSafe: 10,
    encodeMaxDepth: 1000,
    decodeMaxDepth: 1000,
    invalidNumbers: false,
    decodeInvalidNumbers: true,
    keepBuffer: true,
    precision: 14,
  };
}

function typeName(L: LuaState, idx: number): string {
  return text(lauxlib.luaL_typename(L, idx));
}

function escapeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += '\\\\';
    else if (c === 47) out += '\\/';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 32 || c === 127) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += s[i];
  }
  return out + '"';
}

class Encoder {
  readonly parts: string[] = [];
  constructor(
    private readonly L: LuaState,
    private readonly cfg: Config,
  ) {}

  private fail(idx: number, reason: string): never {
    return raise(this.L, `Cannot serialise ${typeName(this.L, idx)}: ${reason}`);
  }

  private number(idx: number): string {
    const n = lua.lua_tonumber(this.L, idx);
    if (!Number.isFinite(n)) {
      if (this.cfg.invalidNumbers === false) this.fail(idx, 'must not be NaN or Inf');
      if (this.cfg.invalidNumbers === 'null') return 'null';
      return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
    }
    return formatFloat(n, 'g', { minus: false, plus: false, space: false, alt: false, zero: false, width: 0, prec: this.cfg.precision });
  }

  /** The array length of the table at `idx`, or -1 when it is an object. */
  private arrayLength(idx: number): number {
    const L = this.L;
    let max = 0;
    let items = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, idx)) {
      lua.lua_pop(L, 1);
      if (lua.lua_type(L, -1) === LUA_TNUMBER) {
        const k = lua.lua_tonumber(L, -1);
        if (Math.floor(k) === k && k >= 1) {
          // The largest index is a C int: past its range the cast gives INT_MIN (x86), and the table then
          // encodes as an object.
          if (k > max) max = k <= 2147483647 ? k : -2147483648;
          items++;
          continue;
        }
      }
      lua.lua_pop(L, 1);
      return -1;
    }
    if (this.cfg.sparseRatio > 0 && max > items * this.cfg.sparseRatio && max > this.cfg.sparseSafe) {
      if (!this.cfg.sparseConvert) this.fail(idx, 'excessively sparse array');
      return -1;
    }
    return max;
  }

  /** Encodes the value at the top of the stack (left in place). */
  value(depth: number): void {
    const L = this.L;
    const t = lua.lua_type(L, -1);
    switch (t) {
      case LUA_TSTRING:
        this.parts.push(escapeString(text(lua.lua_tolstring(L, -1)!)));
        return;
      case LUA_TNUMBER:
        this.parts.push(this.number(-1));
        return;
      case LUA_TBOOLEAN:
        this.parts.push(lua.lua_toboolean(L, -1) ? 'true' : 'false');
        return;
      case LUA_TNIL:
        this.parts.push('null');
        return;
      case LUA_TLIGHTUSERDATA:
        if (lua.lua_touserdata(L, -1) === JSON_NULL) {
          this.parts.push('null');
          return;
        }
        break;
      case LUA_TTABLE: {
        depth++;
        if (depth > this.cfg.encodeMaxDepth || !lua.lua_checkstack(L, 3)) raise(L, `Cannot serialise, excessive nesting (${depth})`);
        const idx = lua.lua_gettop(L);
        const len = this.arrayLength(idx);
        if (len > 0) {
          this.parts.push('[');
          for (let i = 1; i <= len; i++) {
            if (i > 1) this.parts.push(',');
            lua.lua_rawgeti(L, idx, i);
            this.value(depth);
            lua.lua_pop(L, 1);
          }
          this.parts.push(']');
        } else {
          this.parts.push('{');
          let first = true;
          lua.lua_pushnil(L);
          while (lua.lua_next(L, idx)) {
            if (!first) this.parts.push(',');
            first = false;
            const kt = lua.lua_type(L, -2);
            if (kt === LUA_TSTRING) this.parts.push(escapeString(text(lua.lua_tolstring(L, -2)!)));
            else if (kt === LUA_TNUMBER) this.parts.push(`"${this.number(-2)}"`);
            else this.fail(-2, 'table key must be a number or string');
            this.parts.push(':');
            this.value(depth);
            lua.lua_pop(L, 1);
          }
          this.parts.push('}');
        }
        return;
      }
    }
    this.fail(-1, 'type not supported');
  }
}

/** An integer setting: returns its value, setting it first when an argument in [min, max] is given. */
function intOption(cfg: Config, key: 'encodeMaxDepth' | 'decodeMaxDepth' | 'precision', min: number, max: number): JsFunction {
  return (L) => {
    if (lua.lua_gettop(L) > 1) argError(L, 2, 'found too many arguments');
    if (lua.lua_type(L, 1) > LUA_TNIL) {
      const v = lauxlib.luaL_checknumber(L, 1);
      if (!(Math.floor(v) === v && v >= min && v <= max)) argError(L, 1, `expected integer between ${min} and ${max}`);
      cfg[key] = v;
    }
    lua.lua_pushnumber(L, cfg[key]);
    return 1;
  };
}

/** A boolean argument at `i`, accepting Lua booleans and "on"/"off". */
function boolArg(L: LuaState, i: number, extra: string[] = []): boolean | string {
  if (lua.lua_type(L, i) === LUA_TBOOLEAN) return lua.lua_toboolean(L, i);
  const s = text(lauxlib.luaL_checklstring(L, i));
  if (s === 'on') return true;
  if (s === 'off') return false;
  if (extra.includes(s)) return s;
  return argError(L, i, `invalid option '${s}'`);
}

function boolOption(cfg: Config, key: 'keepBuffer' | 'decodeInvalidNumbers'): JsFunction {
  return (L) => {
    if (lua.lua_gettop(L) > 1) argError(L, 2, 'found too many arguments');
    if (lua.lua_type(L, 1) > LUA_TNIL) cfg[key] = boolArg(L, 1) === true;
    lua.lua_pushboolean(L, cfg[key]);
    return 1;
  };
}

/** Leaves a new `cjson` table, with its own configuration, on the stack. */
export function openCjson(L: LuaState): void {
  const cfg = defaults();
  lua.lua_newtable(L);
  setFuncs(L, {
    // cjson.encode(value)
    encode: (L) => {
      if (lua.lua_gettop(L) !== 1) argError(L, 1, 'expected 1 argument');
      const enc = new Encoder(L, cfg);
      enc.value(0);
      lua.lua_pushstring(L, bytes(enc.parts.join('')));
      return 1;
    },
    // cjson.decode(json)
    decode: (L) => {
      if (lua.lua_gettop(L) !== 1) argError(L, 1, 'expected 1 argument');
      decodeJson(L, lauxlib.luaL_checklstring(L, 1), cfg);
      return 1;
    },
    encode_sparse_array: (L) => {
      if (lua.lua_gettop(L) > 3) argError(L, 4, 'found too many arguments');
      if (lua.lua_type(L, 1) > LUA_TNIL) cfg.sparseConvert = boolArg(L, 1) === true;
      for (const [i, key] of [
        [2, 'sparseRatio'],
        [3, 'sparseSafe'],
      ] as const) {
        if (lua.lua_type(L, i) > LUA_TNIL) {
          const v = lauxlib.luaL_checknumber(L, i);
          if (!(Math.floor(v) === v && v >= 0 && v <= 2147483647)) argError(L, i, 'expected integer between 0 and 2147483647');
          cfg[key] = v;
        }
      }
      lua.lua_pushboolean(L, cfg.sparseConvert);
      lua.lua_pushnumber(L, cfg.sparseRatio);
      lua.lua_pushnumber(L, cfg.sparseSafe);
      return 3;
    },
    encode_max_depth: intOption(cfg, 'encodeMaxDepth', 1, 2147483647),
    decode_max_depth: intOption(cfg, 'decodeMaxDepth', 1, 2147483647),
    encode_number_precision: intOption(cfg, 'precision', 1, 14),
    encode_keep_buffer: boolOption(cfg, 'keepBuffer'),
    decode_invalid_numbers: boolOption(cfg, 'decodeInvalidNumbers'),
    encode_invalid_numbers: (L) => {
      if (lua.lua_gettop(L) > 1) argError(L, 2, 'found too many arguments');
      if (lua.lua_type(L, 1) > LUA_TNIL) {
        const v = boolArg(L, 1, ['null']);
        cfg.invalidNumbers = v === 'null' ? 'null' : v === true;
      }
      if (cfg.invalidNumbers === 'null') pushText(L, 'null');
      else lua.lua_pushboolean(L, cfg.invalidNumbers);
      return 1;
    },
    new: (L) => {
      openCjson(L);
      return 1;
    },
  });
  lua.lua_pushlightuserdata(L, JSON_NULL);
  lua.lua_setfield(L, -2, bytes('null'));
  pushText(L, 'cjson');
  lua.lua_setfield(L, -2, bytes('_NAME'));
  pushText(L, '2.1.0');
  lua.lua_setfield(L, -2, bytes('_VERSION'));
}

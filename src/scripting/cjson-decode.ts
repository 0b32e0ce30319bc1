/**
 * cjson.decode: a JSON parser with the behaviour of lua-cjson 2.1.0 (see cjson.ts). Tokens are read one at a time;
 * errors name what was expected, the token found (or the lexical error) and its 1-based position.
 */
import { bytes, lua, raise, type LuaState } from './lua.js';
import { strtod } from './patches.js';

/** The value of cjson.null (a light userdata). */
export const JSON_NULL = { cjsonNull: true };

/** The decoder's settings. */
export interface DecodeOptions {
  decodeMaxDepth: number;
  /** Accept hex numbers, leading zeros, a leading '+', NaN and Infinity (what strtod takes). */
  decodeInvalidNumbers: boolean;
}

const TOKEN_NAMES = ['T_OBJ_BEGIN', 'T_OBJ_END', 'T_ARR_BEGIN', 'T_ARR_END', 'T_STRING', 'T_NUMBER', 'T_BOOLEAN', 'T_NULL', 'T_COLON', 'T_COMMA', 'T_END'];
const enum Tok {
  ObjBegin,
  ObjEnd,
  ArrBegin,
  ArrEnd,
  Str,
  Num,
  Bool,
  Null,
  Colon,
  Comma,
  End,
  Error,
}

interface Token {
  type: Tok;
  index: number;
  str?: string;
  num?: number;
  bool?: boolean;
  error?: string;
}

const ESCAPES: Record<number, string> = { 34: '"', 92: '\\', 47: '/', 98: '\b', 116: '\t', 110: '\n', 102: '\f', 114: '\r' };

function hex4(s: Uint8Array, i: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = s[i + k];
    if (c === undefined) return -1;
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

function startsWith(s: Uint8Array, i: number, w: string): boolean {
  for (let k = 0; k < w.length; k++) if (s[i + k] !== w.charCodeAt(k)) return false;
  return true;
}

class Decoder {
  private pos = 0;
  private depth = 0;
  constructor(
    private readonly L: LuaState,
    private readonly s: Uint8Array,
    private readonly cfg: DecodeOptions,
  ) {}

  /** The byte at `i`; a NUL byte ends the input, as in the C library. */
  private at(i: number): number {
    return this.s[i] ?? 0;
  }

  private isInvalidNumber(): boolean {
    let p = this.pos;
    if (this.at(p) === 43) return true;
    if (this.at(p) === 45) p++;
    const c = this.at(p);
    if (c === 48) {
      const c2 = this.at(p + 1);
      return (c2 | 0x20) === 120 || (c2 >= 48 && c2 <= 57);
    }
    if (c <= 57) return false;
    const w = String.fromCharCode(this.at(p), this.at(p + 1), this.at(p + 2)).toLowerCase();
    return w === 'inf' || w === 'nan';
  }

  private numberToken(t: Token): void {
    const r = strtod(this.s, this.pos);
    if (r === null) {
      t.type = Tok.Error;
      t.error = 'invalid number';
      return;
    }
    this.pos = r.end;
    t.type = Tok.Num;
    t.num = r.v;
  }

  private stringToken(t: Token): void {
    const s = this.s;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.at(this.pos);
      if (c === 34) break;
      if (c === 0) {
        t.type = Tok.Error;
        t.index = this.pos;
        t.error = 'unexpected end of string';
        return;
      }
      if (c === 92) {
        const e = this.at(this.pos + 1);
        if (e === 117) {
          let cp = hex4(s, this.pos + 2);
          let len = 6;
          if (cp >= 0 && (cp & 0xf800) === 0xd800) {
            const low = (cp & 0x400) === 0 && this.at(this.pos + 6) === 92 && this.at(this.pos + 7) === 117 ? hex4(s, this.pos + 8) : -1;
            if (low < 0 || (low & 0xfc00) !== 0xdc00) cp = -1;
            else {
              cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
              len = 12;
            }
          }
          if (cp < 0) {
            t.type = Tok.Error;
            t.index = this.pos;
            t.error = 'invalid unicode escape code';
            return;
          }
          out += utf8(cp);
          this.pos += len;
          continue;
        }
        const ch = ESCAPES[e];
        if (ch === undefined) {
          t.type = Tok.Error;
          t.index = this.pos;
          t.error = 'invalid escape code';
          return;
        }
        out += ch;
        this.pos += 2;
        continue;
      }
      out += String.fromCharCode(c);
      this.pos++;
    }
    this.pos++;
    t.type = Tok.Str;
    t.str = out;
  }

  next(): Token {
    let c = this.at(this.pos);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = this.at(++this.pos);
    const t: Token = { type: Tok.Error, index: this.pos };
    const simple: Record<number, Tok> = { 123: Tok.ObjBegin, 125: Tok.ObjEnd, 91: Tok.ArrBegin, 93: Tok.ArrEnd, 58: Tok.Colon, 44: Tok.Comma, 0: Tok.End };
    const st = simple[c];
    if (st !== undefined) {
      t.type = st;
      if (st !== Tok.End) this.pos++;
      return t;
    }
    if (c === 34) this.stringToken(t);
    else if (c === 45 || (c >= 48 && c <= 57)) {
      if (!this.cfg.decodeInvalidNumbers && this.isInvalidNumber()) t.error = 'invalid number';
      else this.numberToken(t);
    } else if (startsWith(this.s, this.pos, 'true')) {
      t.type = Tok.Bool;
      t.bool = true;
      this.pos += 4;
    } else if (startsWith(this.s, this.pos, 'false')) {
      t.type = Tok.Bool;
      t.bool = false;
      this.pos += 5;
    } else if (startsWith(this.s, this.pos, 'null')) {
      t.type = Tok.Null;
      this.pos += 4;
    } else if (this.cfg.decodeInvalidNumbers && 'fiInNt+'.includes(String.fromCharCode(c)) && this.isInvalidNumber()) {
      this.numberToken(t);
    } else t.error = 'invalid token';
    return t;
  }

  fail(expected: string, t: Token): never {
    const found = t.type === Tok.Error ? t.error! : TOKEN_NAMES[t.type]!;
    return raise(this.L, `Expected ${expected} but found ${found} at character ${t.index + 1}`);
  }

  private descend(): void {
    this.depth++;
    if (this.depth > this.cfg.decodeMaxDepth || !lua.lua_checkstack(this.L, 3)) raise(this.L, `Found too many nested data structures (${this.depth}) at character ${this.pos}`);
  }

  /** Pushes the value starting with token `t`. */
  value(t: Token): void {
    const L = this.L;
    switch (t.type) {
      case Tok.Str:
        lua.lua_pushstring(L, bytes(t.str!));
        return;
      case Tok.Num:
        lua.lua_pushnumber(L, t.num!);
        return;
      case Tok.Bool:
        lua.lua_pushboolean(L, t.bool!);
        return;
      case Tok.Null:
        lua.lua_pushlightuserdata(L, JSON_NULL);
        return;
      case Tok.ObjBegin: {
        this.descend();
        lua.lua_newtable(L);
        let tok = this.next();
        if (tok.type !== Tok.ObjEnd) {
          for (;;) {
            if (tok.type !== Tok.Str) this.fail('object key string', tok);
            lua.lua_pushstring(L, bytes(tok.str!));
            tok = this.next();
            if (tok.type !== Tok.Colon) this.fail('colon', tok);
            this.value(this.next());
            lua.lua_rawset(L, -3);
            tok = this.next();
            if (tok.type === Tok.ObjEnd) break;
            if (tok.type !== Tok.Comma) this.fail('comma or object end', tok);
            tok = this.next();
          }
        }
        this.depth--;
        return;
      }
      case Tok.ArrBegin: {
        this.descend();
        lua.lua_newtable(L);
        let tok = this.next();
        if (tok.type !== Tok.ArrEnd) {
          for (let i = 1; ; i++) {
            this.value(tok);
            lua.lua_rawseti(L, -2, i);
            tok = this.next();
            if (tok.type === Tok.ArrEnd) break;
            if (tok.type !== Tok.Comma) this.fail('comma or array end', tok);
            tok = this.next();
          }
        }
        this.depth--;
        return;
      }
      default:
        this.fail('value', t);
    }
  }
}

/** Decodes `s` and pushes the value; raises Lua errors for bad JSON. */
export function decodeJson(L: LuaState, s: Uint8Array, cfg: DecodeOptions): void {
  const dec = new Decoder(L, s, cfg);
  dec.value(dec.next());
  const t = dec.next();
  if (t.type !== Tok.End) dec.fail('the end', t);
}

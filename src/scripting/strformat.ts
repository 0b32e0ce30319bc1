/**
 * string.format as Lua 5.1 implements it (Redis's Lua): each directive goes to C sprintf, numbers are doubles
 * (`%d` truncates 3.7 to 3 where 5.3 raises "number has no integer representation"), `%s` takes strings and numbers
 * only, and the directive syntax is the narrow 5.1 one (flags "-+ #0", at most two digits of width and precision).
 */
import { argError, checkNumber, lauxlib, lua, raise, text, type LuaState } from './lua.js';
import { formatFloat, formatInt, formatText, toInt64, type Spec } from './printf.js';

const FLAGS = '-+ #0';

function quoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"' || ch === '\\' || ch === '\n') out += '\\' + ch;
    else if (ch === '\r') out += '\\r';
    else if (ch === '\0') out += '\\000';
    else out += ch;
  }
  return out + '"';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

export function stringFormat(L: LuaState): number {
  const top = lua.lua_gettop(L);
  const fmt = text(lauxlib.luaL_checklstring(L, 1));
  let arg = 1;
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i]!;
    if (ch !== '%') {
      out += ch;
      i++;
      continue;
    }
    if (fmt[i + 1] === '%') {
      out += '%';
      i += 2;
      continue;
    }
    i++;
    if (++arg > top) argError(L, arg, 'no value');
    const spec: Spec = { minus: false, plus: false, space: false, alt: false, zero: false, width: 0, prec: -1 };
    const flagStart = i;
    while (i < fmt.length && FLAGS.includes(fmt[i]!)) {
      const f = fmt[i]!;
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === ' ') spec.space = true;
      else if (f === '#') spec.alt = true;
      else spec.zero = true;
      i++;
    }
    if (i - flagStart >= FLAGS.length + 1) raise(L, 'invalid format (repeated flags)');
    let w = '';
    if (isDigit(fmt[i])) w += fmt[i++];
    if (isDigit(fmt[i])) w += fmt[i++];
    if (w !== '') spec.width = Number(w);
    if (fmt[i] === '.') {
      i++;
      let p = '';
      if (isDigit(fmt[i])) p += fmt[i++];
      if (isDigit(fmt[i])) p += fmt[i++];
      spec.prec = p === '' ? 0 : Number(p);
    }
    if (isDigit(fmt[i])) raise(L, 'invalid format (width or precision too long)');
    const conv = fmt[i++] ?? '';
    switch (conv) {
      case 'c':
        out += formatText(String.fromCharCode(Number(toInt64(checkNumber(L, arg)) & 0xffn)), spec);
        break;
      case 'd':
      case 'i':
      case 'o':
      case 'u':
      case 'x':
      case 'X':
        out += formatInt(toInt64(checkNumber(L, arg)), conv, spec);
        break;
      case 'e':
      case 'E':
      case 'f':
      case 'g':
      case 'G':
        out += formatFloat(checkNumber(L, arg), conv, spec);
        break;
      case 'q':
        out += quoted(text(lauxlib.luaL_checklstring(L, arg)));
        break;
      case 's': {
        const s = text(lauxlib.luaL_checklstring(L, arg));
        // A long string without precision is copied whole (5.1 skips sprintf, and with it the width).
        out += spec.prec < 0 && s.length >= 100 ? s : formatText(s, spec);
        break;
      }
      default:
        // The option character as C's "%c" prints it: a NUL ends the message there.
        raise(L, `invalid option '%${conv === '\0' ? '' : conv}' to 'format'`);
    }
  }
  lua.lua_pushstring(L, Buffer.from(out, 'latin1'));
  return 1;
}

/** string.rep(s, n): 5.1 has no separator argument. */
export function stringRep(L: LuaState): number {
  const s = lauxlib.luaL_checklstring(L, 1);
  const n = Math.trunc(checkNumber(L, 2));
  if (n <= 0 || s.length === 0) {
    lua.lua_pushstring(L, new Uint8Array(0));
    return 1;
  }
  if (s.length * n > 512 * 1024 * 1024) raise(L, 'not enough memory');
  const out = new Uint8Array(s.length * n);
  for (let k = 0; k < n; k++) out.set(s, k * s.length);
  lua.lua_pushstring(L, out);
  return 1;
}

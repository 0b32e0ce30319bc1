/**
 * Patches to fengari's internals that make it behave like the Lua 5.1 Redis embeds, applied once when fengari
 * loads. Fengari's modules call these functions through their module objects (`lobject.luaO_str2num(...)`), so
 * replacing the exports changes the VM's behaviour everywhere.
 *
 * 1. Numbers. Lua 5.1 has only doubles; fengari (5.3) also has integers, and its integers are 32-bit, so
 *    `1700000000 * 1000` would wrap around. Every numeral and string-to-number conversion therefore yields a double
 *    (parsed like C strtod, as 5.1 does: hex, `inf`, `nan`, surrounding spaces), so arithmetic never overflows.
 *    Doubles print with `%.14g` like 5.1 (`10/2` prints `5`, not 5.3's `5.0`), and library functions taking an
 *    integer truncate a fractional argument as 5.1 does (string.sub(s, 1, 2.5)) instead of raising "number has no
 *    integer representation".
 * 2. Iteration order. Fengari keeps a table's entries in insertion order, and a table constructor stores its array
 *    items last to first, so pairs({'a', 'b', 'c'}) would visit c, b, a. In C Lua the items 1..n live in the array
 *    part and come first, in order, and scripts rely on it: a new integer key k is linked after k-1 (or before
 *    k+1) so that consecutive integer keys iterate in ascending order.
 * 3. Hooks after a caught error. Fengari's lua_pcallk never records the hook state in the CallInfo it resumes from
 *    (an operator-precedence slip), so after pcall/xpcall catches an error inside a coroutine the count hook stays
 *    disabled — a script could then neither be suspended nor killed. The state is recorded before each call.
 * 4. Read-only tables. Redis 7 marks the globals table and the libraries read-only: any assignment raises "Attempt
 *    to modify a readonly table" (with position when done by Lua code, without from rawset). Tables get a `readonly`
 *    flag checked on every store.
 */
import { fmtG14 } from './printf.js';

interface TValue {
  ttisinteger(): boolean;
  value: number;
  setfltvalue(x: number): void;
  setsvalue(ts: unknown): void;
}

type Require = (id: string) => unknown;

/** glibc isspace. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function lowerAt(s: Uint8Array, i: number): number {
  const c = s[i] ?? 0;
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function matchWord(s: Uint8Array, i: number, w: string): boolean {
  for (let k = 0; k < w.length; k++) if (lowerAt(s, i + k) !== w.charCodeAt(k)) return false;
  return true;
}

/**
 * C strtod on `s` from `start` (leading spaces, sign, decimal or hex digits with exponent, "inf", "infinity", "nan"):
 * the value and the index after the number, or null when no number starts there.
 */
export function strtod(s: Uint8Array, start: number): { v: number; end: number } | null {
  const n = s.length;
  let i = start;
  while (i < n && isSpace(s[i]!)) i++;
  let neg = false;
  if (s[i] === 45 || s[i] === 43) {
    neg = s[i] === 45;
    i++;
  }
  let v: number;
  if (matchWord(s, i, 'inf')) {
    i += matchWord(s, i, 'infinity') ? 8 : 3;
    v = Infinity;
  } else if (matchWord(s, i, 'nan')) {
    i += 3;
    if (s[i] === 40) {
      let j = i + 1;
      while (j < n && (isDigitAt(s, j) || s[j] === 95 || (lowerAt(s, j) >= 97 && lowerAt(s, j) <= 122))) j++;
      if (s[j] === 41) i = j + 1;
    }
    v = NaN;
  } else if (s[i] === 48 && (s[i + 1] === 120 || s[i + 1] === 88) && (hexVal(s[i + 2] ?? 0) >= 0 || (s[i + 2] === 46 && hexVal(s[i + 3] ?? 0) >= 0))) {
    i += 2;
    let m = 0;
    let exp = 0;
    while (i < n && hexVal(s[i]!) >= 0) m = m * 16 + hexVal(s[i++]!);
    if (s[i] === 46) {
      i++;
      while (i < n && hexVal(s[i]!) >= 0) {
        m = m * 16 + hexVal(s[i++]!);
        exp -= 4;
      }
    }
    if ((s[i] === 112 || s[i] === 80) && (isDigitAt(s, i + 1) || ((s[i + 1] === 43 || s[i + 1] === 45) && isDigitAt(s, i + 2)))) {
      i++;
      let eneg = false;
      if (s[i] === 43 || s[i] === 45) eneg = s[i++] === 45;
      let e = 0;
      while (isDigitAt(s, i)) e = Math.min(1e6, e * 10 + (s[i++]! - 48));
      exp += eneg ? -e : e;
    }
    v = m * Math.pow(2, exp);
  } else {
    const first = i;
    let digits = 0;
    while (isDigitAt(s, i)) {
      i++;
      digits++;
    }
    if (s[i] === 46) {
      i++;
      while (isDigitAt(s, i)) {
        i++;
        digits++;
      }
    }
    if (digits === 0) return null;
    if ((s[i] === 101 || s[i] === 69) && (isDigitAt(s, i + 1) || ((s[i + 1] === 43 || s[i + 1] === 45) && isDigitAt(s, i + 2)))) {
      i += 2;
      while (isDigitAt(s, i)) i++;
    }
    let t = '';
    for (let k = first; k < i; k++) t += String.fromCharCode(s[k]!);
    v = Number(t);
  }
  return { v: neg ? -v : v, end: i };
}

/** Lua 5.1's luaO_str2d: strtod over the whole string, trailing spaces allowed. Null when it is not a number. */
export function str2number(s: Uint8Array): number | null {
  const r = strtod(s, 0);
  if (r === null) return null;
  let i = r.end;
  while (i < s.length && isSpace(s[i]!)) i++;
  return i === s.length ? r.v : null;
}

function isDigitAt(s: Uint8Array, i: number): boolean {
  const c = s[i];
  return c !== undefined && c >= 48 && c <= 57;
}

/** Latin1 text as a fresh Uint8Array (not a pooled Buffer: fengari may keep it). */
function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** Fengari's table: a Map of entries chained in iteration order (first `f`, last `l`). */
interface Entry {
  key: { value: unknown };
  p: Entry | undefined;
  n: Entry | undefined;
}
interface Table {
  readonly: boolean;
  strong: Map<unknown, Entry>;
  f: Entry | undefined;
  l: Entry | undefined;
}

/** How far around a new integer key to look for its neighbours (table constructors may hold a few nils). */
const WINDOW = 4;

/**
 * Moves the just-added last entry `e` (integer key k) after the entry of the nearest smaller key k-1 … k-WINDOW, or
 * else before the entry of the nearest larger key k+1 … k+WINDOW.
 */
function placeInt(t: Table, e: Entry): void {
  const k = e.key.value as number;
  let prev: Entry | undefined;
  let next: Entry | undefined;
  for (let d = 1; d <= WINDOW && prev === undefined; d++) prev = t.strong.get(k - d);
  for (let d = 1; d <= WINDOW && prev === undefined && next === undefined; d++) next = t.strong.get(k + d);
  if ((prev === undefined || prev === e.p) && next === undefined) return;
  // Unlink from the tail.
  t.l = e.p;
  if (e.p !== undefined) e.p.n = undefined;
  else t.f = undefined;
  if (prev !== undefined) {
    e.p = prev;
    e.n = prev.n;
    if (prev.n !== undefined) prev.n.p = e;
    else t.l = e;
    prev.n = e;
  } else {
    const nx = next!;
    e.n = nx;
    e.p = nx.p;
    if (nx.p !== undefined) nx.p.n = e;
    else t.f = e;
    nx.p = e;
  }
}

/** CallInfo flag: the value of allowhook when a yieldable pcall started. */
const CIST_OAH = 1;

export function applyPatches(require: Require): void {
  const lapi = require('fengari/src/lapi.js') as Record<string, unknown>;
  const pcallk = lapi.lua_pcallk as (L: { allowhook: boolean; ci: { callstatus: number } }, ...rest: unknown[]) => number;
  lapi.lua_pcallk = (L: { allowhook: boolean; ci: { callstatus: number } }, ...rest: unknown[]): number => {
    if (L.allowhook) L.ci.callstatus |= CIST_OAH;
    else L.ci.callstatus &= ~CIST_OAH;
    return pcallk(L, ...rest);
  };

  const lobject = require('fengari/src/lobject.js') as Record<string, unknown>;
  const lstring = require('fengari/src/lstring.js') as { luaS_bless(L: unknown, s: Uint8Array): unknown };
  const ltable = require('fengari/src/ltable.js') as Record<string, unknown> & { Table: { prototype: { readonly: boolean } } };
  const ldebug = require('fengari/src/ldebug.js') as { luaG_runerror(L: unknown, fmt: Uint8Array): never };

  lobject.luaO_str2num = (s: Uint8Array, o: TValue): number => {
    const v = str2number(s);
    if (v === null) return 0;
    o.setfltvalue(v);
    return s.length + 1;
  };

  // lua_tointegerx (luaL_checkinteger and friends): truncation toward zero, within fengari's 32-bit integers.
  const lvm = require('fengari/src/lvm.js') as Record<string, unknown>;
  const tonumber = lvm.tonumber as (o: TValue) => number | false;
  lvm.tointeger = (o: TValue): number | false => {
    if (o.ttisinteger()) return o.value;
    const n = tonumber(o);
    if (n === false) return false;
    const t = Math.trunc(n);
    return t >= -2147483648 && t <= 2147483647 ? t : false;
  };

  lobject.luaO_tostring = (L: unknown, o: TValue): void => {
    const t = o.ttisinteger() ? String(o.value) : fmtG14(o.value);
    o.setsvalue(lstring.luaS_bless(L, latin1(t)));
  };

  ltable.Table.prototype.readonly = false;
  const setfrom = ltable.luaH_setfrom as (L: unknown, t: Table, k: TValue, v: TValue) => void;
  const setint = ltable.luaH_setint as (t: Table, k: number, v: TValue) => void;
  const readonlyMsg = latin1('Attempt to modify a readonly table');
  ltable.luaH_setfrom = (L: unknown, t: Table, k: TValue & { type: number }, v: TValue): void => {
    if (t.readonly) ldebug.luaG_runerror(L, readonlyMsg);
    const last = t.l;
    setfrom(L, t, k, v);
    if (t.l !== last && t.l !== undefined && typeof t.l.key.value === 'number' && Number.isInteger(t.l.key.value)) placeInt(t, t.l);
  };
  ltable.luaH_setint = (t: Table, k: number, v: TValue): void => {
    const last = t.l;
    setint(t, k, v);
    if (t.l !== last && t.l !== undefined) placeInt(t, t.l);
  };
}

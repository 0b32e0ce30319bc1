/**
 * Argument parsing with Redis's exact rules: strict integers (string2ll), doubles (strtod without leading space),
 * long doubles for INCRBYFLOAT. All throw the RedisError Redis would reply with.
 */
import { ERR, RedisError } from '../errors.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Strict signed 64-bit integer as Redis's string2ll: no '+', no spaces, no leading zeros. Exact, as a bigint. */
export function parseBigInt64(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0n : null;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  const v = BigInt(s);
  if (v > INT64_MAX || v < INT64_MIN) return null;
  return v;
}

/**
 * Strict signed 64-bit integer as a number (values beyond 2^53 lose precision; use {@link parseBigInt64} where
 * exactness matters). Returns null when `s` is not an integer Redis would accept.
 */
export function parseInt64(s: string): number | null {
  const n = s.length;
  if (n === 0) return null;
  if (n < 16) {
    let i = 0;
    let neg = false;
    if (s.charCodeAt(0) === 45) {
      if (n === 1) return null;
      neg = true;
      i = 1;
    }
    if (s.charCodeAt(i) === 48) return n === 1 ? 0 : null;
    let v = 0;
    for (; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return null;
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }
  const b = parseBigInt64(s);
  return b === null ? null : Number(b);
}

/** An integer argument or `ERR value is not an integer or out of range`. */
export function intArg(s: string, error: string = ERR.notInteger): number {
  const v = parseInt64(s);
  if (v === null) throw new RedisError(error);
  return v;
}

/** Redis's string2d / strtod acceptance: decimal or inf/infinity forms, no leading space, no trailing bytes, no nan. */
export function parseDouble(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 5000) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  if (DECIMAL.test(s)) {
    const v = Number(s);
    if (Number.isNaN(v)) return null;
    // strtod's ERANGE, which string2d rejects: overflow to ±inf, or underflow all the way to zero.
    if (v === Infinity || v === -Infinity || (v === 0 && NONZERO_MANTISSA.test(s))) return null;
    return v;
  }
  const m = INF.exec(s);
  if (m) return m[1] === '-' ? -Infinity : Infinity;
  if (HEX.test(s)) return parseHexFloat(s);
  return null;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** A decimal whose digits before the exponent are not all zero. */
const NONZERO_MANTISSA = /^[^eE]*[1-9]/;
const INF = /^([+-]?)(?:inf|infinity)$/i;
const HEX = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?$/;

/** strtod also takes C99 hex floats (`0x1.8p3`). */
function parseHexFloat(s: string): number {
  let i = 0;
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  const body = s.slice(i + 2);
  const [mant, exp] = body.split(/[pP]/) as [string, string | undefined];
  const [ip, fp = ''] = mant.split('.') as [string, string | undefined];
  let v = ip.length ? parseInt(ip, 16) : 0;
  for (let k = 0; k < fp.length; k++) v += parseInt(fp[k]!, 16) / Math.pow(16, k + 1);
  return sign * v * Math.pow(2, exp ? Number(exp) : 0);
}

/** A float argument or `ERR value is not a valid float`. */
export function floatArg(s: string, error: string = ERR.notFloat): number {
  const v = parseDouble(s);
  if (v === null) throw new RedisError(error);
  return v;
}

/** Case-insensitive comparison of an argument with an ASCII keyword given in lower case. */
export function is(arg: string, lowerKeyword: string): boolean {
  return arg.length === lowerKeyword.length && (arg === lowerKeyword || arg.toLowerCase() === lowerKeyword);
}

/** Lower-cased keyword argument (for switch statements over options). */
export function kw(arg: string): string {
  return arg.length > 32 ? '' : arg.toLowerCase();
}

/** A C `int` argument as getIntFromObjectOrReply checks it: first an int64, then the 32-bit range. */
export function int32Arg(s: string): number {
  const v = intArg(s);
  if (v < -2147483648 || v > 2147483647) throw new RedisError(ERR.int32Range);
  return v;
}

/**
 * An argument as C string functions see it: cut at the first NUL byte. Redis matches option keywords with
 * strcasecmp, so `NX\0junk` is accepted as NX and error texts built with %s stop at the NUL.
 */
export function cstr(arg: string): string {
  const i = arg.indexOf('\0');
  return i < 0 ? arg : arg.slice(0, i);
}

/**
 * A SCAN-family cursor as Redis reads it with strtoul: optional sign, decimal digits, then end of string or a NUL
 * byte; no leading space; beyond 2^64-1 is an error. `-n` wraps to 2^64-n and `""` is 0, as strtoul does.
 * Returns a number (exact below 2^53, which covers every cursor Strata hands out).
 */
export function scanCursorArg(s: string): number {
  const n = s.length;
  const c0 = n > 0 ? s.charCodeAt(0) : 0;
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) throw new RedisError(ERR.invalidCursor);
  let i = c0 === 43 || c0 === 45 ? 1 : 0;
  const start = i;
  while (i < n) {
    const d = s.charCodeAt(i);
    if (d < 48 || d > 57) break;
    i++;
  }
  // With no digits strtoul leaves the end pointer at the start of the string.
  const end = i === start ? 0 : i;
  if (end < n && s.charCodeAt(end) !== 0) throw new RedisError(ERR.invalidCursor);
  if (i === start) return 0;
  const digits = s.slice(start, i);
  if (i - start <= 15) {
    const v = Number(digits);
    return c0 === 45 && v !== 0 ? 18446744073709551616 - v : v;
  }
  const b = BigInt(digits);
  if (b > 18446744073709551615n) throw new RedisError(ERR.invalidCursor);
  return Number(c0 === 45 && b !== 0n ? 18446744073709551616n - b : b);
}

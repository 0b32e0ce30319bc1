/**
 * Emulation of the x86 80-bit `long double` that Redis uses for INCRBYFLOAT (and HINCRBYFLOAT): 64-bit
 * significand, exponents down to 2^-16445 (subnormals) and up to 2^16384 (overflow to infinity).
 *
 * INCRBYFLOAT parses both operands with strtold, adds them in extended precision and prints the sum with
 * `%.17Lf` — so `0.1 + 0.2` prints `0.3` and `1e400` is a valid number printed with 401 digits. JS doubles cannot
 * reproduce that, so finite values are kept exactly as `mant * 2^exp` with a BigInt significand, and every step
 * (parse, add, print) rounds exactly as glibc and the x87 unit do: to nearest, ties to even.
 */

/** A finite extended-precision value `(-1)^neg * mant * 2^exp` with `mant < 2^64`, or an infinity. */
export interface LongDouble {
  neg: boolean;
  mant: bigint;
  exp: number;
  inf: boolean;
}

const SIG_BITS = 64;
/** Exponent of the least significant bit of the smallest subnormal. */
const MIN_LSB_EXP = -16445;
/** Values at or above 2^16384 overflow. */
const MAX_EXP_BOUND = 16384;
/** string2ld refuses inputs this long or longer (Redis's MAX_LONG_DOUBLE_CHARS). */
const MAX_CHARS = 5 * 1024;

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEXFLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** An exponent literal, saturated so absurd exponents stay absurd without huge numbers. */
function exponentOf(s: string | undefined): number {
  if (s === undefined) return 0;
  const v = Number(s);
  return Math.max(-1e9, Math.min(1e9, v));
}

const ZERO: LongDouble = { neg: false, mant: 0n, exp: 0, inf: false };

/**
 * Rounds the exact value `(-1)^neg * n * 2^e` to extended precision (nearest, ties to even). Returns an infinity
 * on overflow and a zero on total underflow.
 */
export function roundExact(neg: boolean, n: bigint, e: number): LongDouble {
  if (n === 0n) return { neg, mant: 0n, exp: 0, inf: false };
  const bl = bitLength(n);
  const shift = Math.max(bl - SIG_BITS, MIN_LSB_EXP - e);
  if (shift > 0) {
    const s = BigInt(shift);
    let q = n >> s;
    const rem = n - (q << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    n = q;
    e += shift;
    if (n === 0n) return { neg, mant: 0n, exp: 0, inf: false };
    if (n >> BigInt(SIG_BITS) !== 0n) {
      n >>= 1n;
      e += 1;
    }
  }
  if (bitLength(n) + e > MAX_EXP_BOUND) return { neg, mant: 0n, exp: 0, inf: true };
  return { neg, mant: n, exp: e, inf: false };
}

/**
 * Parses like Redis's string2ld: strtold over the whole string (decimal, hex float, inf/infinity), rejecting a
 * leading space, trailing bytes, NaN, and results that overflow or underflow to zero. Null when invalid.
 */
export function parseLongDouble(s: string): LongDouble | null {
  const len = s.length;
  if (len === 0 || len >= MAX_CHARS) return null;
  let m = DECIMAL.exec(s);
  if (m !== null) {
    const intDigits = m[2]!;
    const fracDigits = m[3] ?? '';
    if (intDigits.length === 0 && fracDigits.length === 0) return null;
    const neg = m[1] === '-';
    const digits = (intDigits + fracDigits).replace(/^0+/, '');
    if (digits.length === 0) return { ...ZERO, neg };
    const d = BigInt(digits);
    const e10 = exponentOf(m[4]) - fracDigits.length;
    const magnitude = digits.length + e10;
    // Clearly beyond the largest (1.19e4932) or below half the smallest subnormal (3.6e-4951): ERANGE.
    if (magnitude > 4934 || magnitude < -4952) return null;
    let v: LongDouble;
    if (e10 >= 0) {
      v = roundExact(neg, d * 10n ** BigInt(e10), 0);
    } else {
      const den = 10n ** BigInt(-e10);
      // Enough quotient bits that the rounding position lies well above the sticky bit.
      const s2 = Math.max(0, bitLength(den) - bitLength(d) + SIG_BITS + 4);
      const num = d << BigInt(s2);
      const q = num / den;
      const sticky = num - q * den === 0n ? 0n : 1n;
      v = roundExact(neg, (q << 1n) | sticky, -s2 - 1);
    }
    return v.inf || v.mant === 0n ? null : v;
  }
  m = HEXFLOAT.exec(s);
  if (m !== null) {
    const intDigits = m[2]!;
    const fracDigits = m[3] ?? '';
    if (intDigits.length === 0 && fracDigits.length === 0) return null;
    const neg = m[1] === '-';
    const n = BigInt('0x' + (intDigits + fracDigits || '0'));
    if (n === 0n) return { ...ZERO, neg };
    const e2 = exponentOf(m[4]) - 4 * fracDigits.length;
    const top = bitLength(n) + e2;
    if (top > MAX_EXP_BOUND + 1 || top < MIN_LSB_EXP - 2) return null;
    const v = roundExact(neg, n, e2);
    return v.inf || v.mant === 0n ? null : v;
  }
  m = INFINITY.exec(s);
  if (m !== null) return { neg: m[1] === '-', mant: 0n, exp: 0, inf: true };
  return null;
}

/** `a + b` in extended precision. Callers handle infinite operands before adding (the sum is then inf or NaN). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.mant === 0n) return b.mant === 0n ? { ...ZERO, neg: a.neg && b.neg } : b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const av = a.mant << BigInt(a.exp - e);
  const bv = b.mant << BigInt(b.exp - e);
  const sum = (a.neg ? -av : av) + (b.neg ? -bv : bv);
  // An exact zero sum is +0 when rounding to nearest.
  if (sum === 0n) return ZERO;
  return sum < 0n ? roundExact(true, -sum, e) : roundExact(false, sum, e);
}

const TEN17 = 10n ** 17n;

/**
 * Prints as Redis's ld2string in human mode: `%.17Lf` (exact decimal expansion rounded to 17 decimals, ties to
 * even), trailing zeros and a bare '.' removed, and `-0` printed as `0`.
 */
export function formatLongDouble(v: LongDouble): string {
  if (v.inf) return v.neg ? '-inf' : 'inf';
  let out: string;
  if (v.exp >= 0) {
    out = (v.mant << BigInt(v.exp)).toString();
  } else {
    const sh = BigInt(-v.exp);
    const scaled = v.mant * TEN17;
    let q = scaled >> sh;
    const rem = scaled - (q << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    const ip = (q / TEN17).toString();
    const fp = (q % TEN17).toString().padStart(17, '0').replace(/0+$/, '');
    out = fp.length > 0 ? `${ip}.${fp}` : ip;
  }
  if (v.neg) out = out === '0' ? '0' : '-' + out;
  return out;
}

/** Whether `v` is an infinity (the only non-finite value a parse can produce). */
export function isInfinite(v: LongDouble): boolean {
  return v.inf;
}

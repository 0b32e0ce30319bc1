/**
 * Doubles as Redis 7.2 prints them in replies (ZSCORE, WITHSCORES, ZINCRBY, RESP3 `,` doubles): its d2string.
 *
 *   nan, inf, -inf, 0 and -0 are spelled out;
 *   an integral value within ±2^62 is printed as a plain integer (all its digits, never an exponent);
 *   anything else goes through fpconv_dtoa, a Grisu2 conversion: the short digit string Grisu2 finds (almost
 *   always the shortest that reads back as the same double, though not in every case), laid out as a plain
 *   number when the decimal exponent is small and as `d.ddde±x` otherwise (`1e-7`, `1.5e+21`, `1e+300`:
 *   no padding of the exponent).
 *
 * Redis 7.0 printed `%.17g` (`1.1000000000000001`); 7.2 prints `1.1`. Grisu2 is reproduced exactly (not replaced
 * by JavaScript's own shortest form) because the two disagree on a small fraction of doubles.
 */

const TWO_62 = 4611686018427387904;
const TWO_53 = 9007199254740992;

/** Redis 7.2's d2string: the text of a double in a reply. */
export function formatScore(d: number): string {
  if (Number.isInteger(d)) {
    if (d === 0) return Object.is(d, -0) ? '-0' : '0';
    if (d < TWO_53 && d > -TWO_53) return String(d);
    if (d <= TWO_62 && d >= -TWO_62) return BigInt(d).toString();
  } else if (d !== d) {
    return 'nan';
  } else if (d === Infinity) {
    return 'inf';
  } else if (d === -Infinity) {
    return '-inf';
  }
  // Grisu2 costs a few hundred ns in JS: remember recent results in a small direct-mapped cache, as replies
  // tend to print the same scores again (repeated ZRANGE WITHSCORES, ZSCORE of hot members).
  f64[0] = d;
  const slot = (u32[0]! ^ u32[1]!) & (CACHE_SIZE - 1);
  if (CACHE_KEYS[slot] === d) return CACHE_TEXT[slot]!;
  const text = dtoa(d);
  CACHE_KEYS[slot] = d;
  CACHE_TEXT[slot] = text;
  return text;
}

const CACHE_SIZE = 4096;
const CACHE_KEYS = new Float64Array(CACHE_SIZE);
const CACHE_TEXT: string[] = new Array<string>(CACHE_SIZE).fill('0');

// ---- Grisu2, as fpconv implements it ----
//
// fpconv works on 64-bit unsigned integers (with C's wrap-around). Here a 64-bit value is a pair of Numbers, the
// high and the low 32 bits; helpers return the high half and leave the low half in `LO`, so nothing allocates.
// `x >>> 0` is x mod 2^32 for any integral Number below 2^53 (and much cheaper than `%` on doubles).

const P32 = 4294967296;
let LO = 0;
/** 2^i for i < 64 (`**` is a slow runtime call in V8). */
const POW2: number[] = [];
for (let i = 0, p = 1; i < 64; i++, p *= 2) POW2.push(p);

function add64(ah: number, al: number, bh: number, bl: number): number {
  let l = al + bl;
  let c = 0;
  if (l >= P32) {
    l -= P32;
    c = 1;
  }
  LO = l;
  const h = ah + bh + c;
  return h >= P32 ? h - P32 : h;
}

function sub64(ah: number, al: number, bh: number, bl: number): number {
  let l = al - bl;
  let b = 0;
  if (l < 0) {
    l += P32;
    b = 1;
  }
  LO = l;
  const h = ah - bh - b;
  return h < 0 ? h + P32 : h;
}

function lt64(ah: number, al: number, bh: number, bl: number): boolean {
  return ah < bh || (ah === bh && al < bl);
}

function mul10(h: number, l: number): number {
  const t = l * 10;
  const c = Math.floor(t / P32);
  LO = t - c * P32;
  return (h * 10 + c) >>> 0;
}

/** a << s for 0 <= s < 64 (bits shifted out of the top are lost). */
function shl64(h: number, l: number, s: number): number {
  if (s === 0) {
    LO = l;
    return h;
  }
  if (s >= 32) {
    LO = 0;
    return (l * POW2[s - 32]!) >>> 0;
  }
  const m = POW2[s]!;
  const lm = l * m;
  const carry = Math.floor(lm / P32);
  LO = lm - carry * P32;
  return (h * m + carry) >>> 0;
}

/** The high 64 bits of the 128-bit product a × b, rounded half up; computed on 16-bit limbs so every step is exact. */
function mulHigh(ah: number, al: number, bh: number, bl: number): number {
  const a0 = al & 0xffff, a1 = al >>> 16, a2 = ah & 0xffff, a3 = ah >>> 16;
  const b0 = bl & 0xffff, b1 = bl >>> 16, b2 = bh & 0xffff, b3 = bh >>> 16;
  let t = a0 * b0;
  t = Math.floor(t / 65536) + a0 * b1 + a1 * b0;
  t = Math.floor(t / 65536) + a0 * b2 + a1 * b1 + a2 * b0;
  // + 2^63: half of the discarded low 64 bits, for rounding.
  t = Math.floor(t / 65536) + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + 0x8000;
  t = Math.floor(t / 65536) + a1 * b3 + a2 * b2 + a3 * b1;
  const r4 = t & 0xffff;
  t = Math.floor(t / 65536) + a2 * b3 + a3 * b2;
  const r5 = t & 0xffff;
  t = Math.floor(t / 65536) + a3 * b3;
  const r6 = t & 0xffff;
  const r7 = Math.floor(t / 65536) & 0xffff;
  LO = r5 * 65536 + r4;
  return r7 * 65536 + r6;
}

/** Cached powers of ten 10^k for k = -348, -340, …, 340: 64-bit significand (rounded to nearest) and exponent. */
const POW_H: number[] = [];
const POW_L: number[] = [];
const POW_E: number[] = [];
const FIRST_POWER = -348;
const STEP_POWERS = 8;
for (let i = 0; i < 87; i++) {
  const k = FIRST_POWER + i * STEP_POWERS;
  // 10^k = num/den; find e with 2^63 <= 10^k / 2^e < 2^64, then round the quotient.
  let num = k >= 0 ? 10n ** BigInt(k) : 1n;
  let den = k >= 0 ? 1n : 10n ** BigInt(-k);
  const shift = 64 - (num.toString(2).length - den.toString(2).length);
  if (shift > 0) num <<= BigInt(shift);
  else den <<= BigInt(-shift);
  let e = -shift;
  while (num / den >= 1n << 64n) {
    den <<= 1n;
    e++;
  }
  while (num / den < 1n << 63n) {
    num <<= 1n;
    e--;
  }
  let f = num / den;
  if ((num % den) * 2n >= den) f++;
  if (f === 1n << 64n) {
    f >>= 1n;
    e++;
  }
  POW_H.push(Number(f >> 32n));
  POW_L.push(Number(f & 0xffffffffn));
  POW_E.push(e);
}

const TENS = [1000000000, 100000000, 10000000, 1000000, 100000, 10000, 1000, 100, 10, 1];
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Output of {@link grisu2}: NDIGITS decimal digits in DBUF and the exponent K: value = digits × 10^K. */
const DBUF = new Uint8Array(24);
let NDIGITS = 0;
let K = 0;

/** DBUF[from, to) as text. */
function digitText(from: number, to: number): string {
  let s = '';
  // Two digits at a time keeps the number of intermediate strings down.
  let i = from;
  for (; i + 1 < to; i += 2) s += PAIRS[DBUF[i]! * 10 + DBUF[i + 1]!]!;
  if (i < to) s += String.fromCharCode(48 + DBUF[i]!);
  return s;
}
const PAIRS: string[] = [];
for (let i = 0; i < 100; i++) PAIRS.push(String(Math.floor(i / 10)) + String(i % 10));

/** Grisu2's digits for a finite, non-zero, positive d. */
function grisu2(d: number): void {
  f64[0] = d;
  const hi32 = LITTLE_ENDIAN ? u32[1]! : u32[0]!;
  const lo32 = LITTLE_ENDIAN ? u32[0]! : u32[1]!;
  const bexp = (hi32 >>> 20) & 0x7ff;
  let fh = hi32 & 0xfffff;
  const fl = lo32;
  let exp: number;
  if (bexp !== 0) {
    fh += 0x100000;
    exp = bexp - 1075;
  } else {
    exp = -1074;
  }
  // Upper boundary m+ = 2f + 1 (exponent exp - 1), normalized so bit 63 is set.
  let uh = shl64(fh, fl, 1);
  let ul = LO + 1;
  let upE = exp - 1;
  while ((uh & 0x200000) === 0) {
    uh = shl64(uh, ul, 1);
    ul = LO;
    upE--;
  }
  uh = shl64(uh, ul, 10);
  ul = LO;
  upE -= 10;
  // Lower boundary m- = 2f - 1 (or 4f - 1 when f is a power of two), brought to m+'s exponent.
  const lShift = fh === 0x100000 && fl === 0 ? 2 : 1;
  let lh = shl64(fh, fl, lShift);
  let ll = LO;
  lh = sub64(lh, ll, 0, 1);
  ll = LO;
  lh = shl64(lh, ll, exp - lShift - upE);
  ll = LO;
  // w itself, normalized (its exponent equals m+'s).
  let wh = fh;
  let wl = fl;
  while ((wh & 0x100000) === 0) {
    wh = shl64(wh, wl, 1);
    wl = LO;
  }
  wh = shl64(wh, wl, 11);
  wl = LO;
  // A cached power of ten bringing the exponent into [-60, -32].
  const approx = Math.trunc(-(upE + 87) * 0.30102999566398114);
  let idx = Math.trunc((approx - FIRST_POWER) / STEP_POWERS);
  for (;;) {
    const cur = upE + POW_E[idx]! + 64;
    if (cur < -60) idx++;
    else if (cur > -32) idx--;
    else break;
  }
  const ph = POW_H[idx]!;
  const pl = POW_L[idx]!;
  const oneE = -(upE + POW_E[idx]! + 64);
  wh = mulHigh(wh, wl, ph, pl);
  wl = LO;
  uh = mulHigh(uh, ul, ph, pl);
  ul = LO;
  uh = sub64(uh, ul, 0, 1);
  ul = LO;
  lh = mulHigh(lh, ll, ph, pl);
  ll = LO;
  lh = add64(lh, ll, 0, 1);
  ll = LO;
  K = -(FIRST_POWER + idx * STEP_POWERS);

  // Digit generation (oneE is in [32, 60]: the integral part of m+ fits 32 bits).
  const wfh = sub64(uh, ul, wh, wl);
  const wfl = LO;
  let dh = sub64(uh, ul, lh, ll);
  let dl = LO;
  const one = POW2[oneE - 32]!;
  const mask = one - 1;
  let part1 = Math.floor(uh / one);
  let p2h = uh & mask;
  const p2l = ul;
  let n = 0;
  let kappa = 10;
  for (let i = 0; i < 10; i++) {
    const div = TENS[i]!;
    const digit = Math.floor(part1 / div);
    if (digit !== 0 || n > 0) DBUF[n++] = digit;
    part1 -= digit * div;
    kappa--;
    // rest = (part1 << oneE) + part2
    const rh = part1 * one + p2h;
    if (!lt64(dh, dl, rh, p2l)) {
      K += kappa;
      // kappa here is div << oneE, wrapped to 64 bits as in C.
      roundDigit(n, dh, dl, rh, p2l, (div * one) >>> 0, 0, wfh, wfl);
      NDIGITS = n;
      return;
    }
  }
  let pl2 = p2l;
  let uth = wfh;
  let utl = wfl;
  for (;;) {
    p2h = mul10(p2h, pl2);
    pl2 = LO;
    dh = mul10(dh, dl);
    dl = LO;
    uth = mul10(uth, utl);
    utl = LO;
    kappa--;
    const digit = Math.floor(p2h / one);
    if (digit !== 0 || n > 0) DBUF[n++] = digit;
    p2h = p2h & mask;
    if (lt64(p2h, pl2, dh, dl)) {
      K += kappa;
      roundDigit(n, dh, dl, p2h, pl2, one, 0, uth, utl);
      NDIGITS = n;
      return;
    }
  }
}

/** Moves the last digit towards w while the result stays within the boundaries (fpconv's round_digit). */
function roundDigit(
  n: number,
  dh: number, dl: number,
  rh: number, rl: number,
  kh: number, kl: number,
  fh: number, fl: number,
): void {
  for (;;) {
    // rem < frac
    if (!lt64(rh, rl, fh, fl)) break;
    // delta - rem >= kappa
    const xh = sub64(dh, dl, rh, rl);
    if (lt64(xh, LO, kh, kl)) break;
    // rem + kappa < frac || frac - rem > rem + kappa - frac
    const sh = add64(rh, rl, kh, kl);
    const sl = LO;
    if (!lt64(sh, sl, fh, fl)) {
      const ah = sub64(fh, fl, rh, rl);
      const al = LO;
      const bh = sub64(sh, sl, fh, fl);
      if (!lt64(bh, LO, ah, al)) break;
    }
    DBUF[n - 1]!--;
    rh = sh;
    rl = sl;
  }
}

/** fpconv_dtoa for a finite non-zero d: sign, then the digits laid out plainly or in exponent form. */
function dtoa(d: number): string {
  const neg = d < 0;
  grisu2(neg ? -d : d);
  const k = K;
  const n = NDIGITS;
  const ds = digitText(0, n);
  const exp = Math.abs(k + n - 1);
  const sign = neg ? '-' : '';
  if (k >= 0 && exp < n + 7) return sign + ds + '0'.repeat(k);
  if (k < 0 && (k > -7 || exp < 4)) {
    const offset = n + k;
    if (offset <= 0) return sign + '0.' + '0'.repeat(-offset) + ds;
    return sign + ds.slice(0, offset) + '.' + ds.slice(offset);
  }
  // Grisu2 gives at most 17 digits, so fpconv's cap of 18 - sign never cuts any.
  return sign + ds[0]! + (n > 1 ? '.' + ds.slice(1) : '') + (k + n - 1 < 0 ? 'e-' : 'e+') + String(exp);
}

/**
 * C printf number formatting, digit for digit: Redis's Lua (5.1, compiled C) prints numbers with `%.14g` (tostring,
 * concatenation), converts script arguments with `%.17g`, and string.format hands its directives to sprintf. C rounds
 * the exact binary value half-to-even; JavaScript's toPrecision rounds ties away from zero, so digits come from the
 * exact decimal expansion of the double (BigInt) instead.
 */

const view = new DataView(new ArrayBuffer(8));
const pow5Cache: bigint[] = [1n];

function pow5(k: number): bigint {
  for (let i = pow5Cache.length; i <= k; i++) pow5Cache.push(pow5Cache[i - 1]! * 5n);
  return pow5Cache[k]!;
}

/** |x| = digits × 10^-scale exactly (x finite). `digits` has no leading zeros ('0' for zero). */
function exact(x: number): { digits: string; scale: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const e = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let k: number;
  if (e === 0) k = -1074;
  else {
    m |= 1n << 52n;
    k = e - 1075;
  }
  if (m === 0n) return { digits: '0', scale: 0 };
  while ((m & 1n) === 0n && k < 0) {
    m >>= 1n;
    k++;
  }
  if (k >= 0) return { digits: (m << BigInt(k)).toString(), scale: 0 };
  // m / 2^-k = m * 5^-k / 10^-k
  return { digits: (m * pow5(-k)).toString(), scale: -k };
}

/** Rounds the digit string to its first `keep` digits, half to even; returns the digits and whether a carry added one. */
function roundDigits(d: string, keep: number): { d: string; carry: boolean } {
  if (keep >= d.length) return { d: d + '0'.repeat(keep - d.length), carry: false };
  if (keep < 0) return { d: '', carry: false };
  const first = d.charCodeAt(keep) - 48;
  let up = false;
  if (first > 5) up = true;
  else if (first === 5) {
    let rest = false;
    for (let i = keep + 1; i < d.length; i++) {
      if (d.charCodeAt(i) !== 48) {
        rest = true;
        break;
      }
    }
    up = rest || (keep > 0 && (d.charCodeAt(keep - 1) - 48) % 2 === 1);
  }
  let out = d.slice(0, keep);
  if (!up) return { d: out, carry: false };
  // Add one to the kept digits.
  const arr = out.split('');
  let i = arr.length - 1;
  while (i >= 0) {
    if (arr[i] === '9') {
      arr[i] = '0';
      i--;
    } else {
      arr[i] = String.fromCharCode(arr[i]!.charCodeAt(0) + 1);
      break;
    }
  }
  out = arr.join('');
  if (i < 0) return { d: '1' + out, carry: true };
  return { d: out, carry: false };
}

/** `n` significant digits of |x| (x finite, non-zero) and the decimal exponent of the first one. */
function significant(x: number, n: number): { d: string; exp: number } {
  const { digits, scale } = exact(x);
  let exp = digits.length - 1 - scale;
  const r = roundDigits(digits, n);
  let d = r.d;
  if (r.carry) {
    exp++;
    d = d.slice(0, n);
  }
  return { d, exp };
}

/** |x| with exactly `p` digits after the point: [integer part, fraction]. */
function fixed(x: number, p: number): [string, string] {
  const { digits, scale } = exact(x);
  let d: string;
  if (scale <= p) d = digits + '0'.repeat(p - scale);
  else {
    const keep = digits.length - (scale - p);
    if (keep < 0) d = '0';
    else {
      const r = roundDigits(digits, keep);
      d = r.d === '' ? '0' : r.d;
    }
  }
  if (d.length <= p) d = '0'.repeat(p - d.length + 1) + d;
  const int = d.slice(0, d.length - p).replace(/^0+(?=\d)/, '');
  return [int, d.slice(d.length - p)];
}

function expText(e: number): string {
  const a = Math.abs(e);
  return (e < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
}

export interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  /** -1 when absent. */
  prec: number;
}

const PLAIN: Spec = { minus: false, plus: false, space: false, alt: false, zero: false, width: 0, prec: -1 };

function pad(sign: string, body: string, spec: Spec, zeroOk: boolean): string {
  const len = sign.length + body.length;
  if (len >= spec.width) return sign + body;
  const fill = spec.width - len;
  if (spec.minus) return sign + body + ' '.repeat(fill);
  if (spec.zero && zeroOk) return sign + '0'.repeat(fill) + body;
  return ' '.repeat(fill) + sign + body;
}

/** The body of %e/%f/%g for |x| (finite). */
function floatBody(x: number, conv: string, prec: number, alt: boolean): string {
  const lower = conv.toLowerCase();
  if (lower === 'f') {
    const [i, f] = fixed(x, prec);
    return prec > 0 || alt ? `${i}.${f}` : i;
  }
  if (lower === 'e') {
    if (x === 0) return (prec > 0 || alt ? '0.' + '0'.repeat(prec) : '0') + (conv === 'E' ? 'E+00' : 'e+00');
    const { d, exp } = significant(x, prec + 1);
    const m = prec > 0 || alt ? `${d[0]}.${d.slice(1)}` : d[0]!;
    return m + (conv === 'E' ? 'E' : 'e') + expText(exp);
  }
  // %g: P significant digits; %e style when the exponent is < -4 or >= P.
  const P = prec === 0 ? 1 : prec;
  let exp = 0;
  if (x !== 0) exp = significant(x, P).exp;
  let s: string;
  if (exp < -4 || exp >= P) s = floatBody(x, conv === 'G' ? 'E' : 'e', P - 1, alt);
  else s = floatBody(x, 'f', P - 1 - exp, alt);
  if (!alt) {
    // Trailing zeros of the fraction (and a bare point) go, in the mantissa only.
    const ei = s.search(/[eE]/);
    let m = ei < 0 ? s : s.slice(0, ei);
    const tail = ei < 0 ? '' : s.slice(ei);
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    s = m + tail;
  }
  return s;
}

/** Whether the sign bit of x is set (NaNs included: 0/0 computed on x86 is a negative NaN, printed "-nan"). */
function signBit(x: number): boolean {
  view.setFloat64(0, x);
  return (view.getUint8(0) & 0x80) !== 0;
}

/** sprintf of one floating directive (conv one of e E f F g G). */
export function formatFloat(x: number, conv: string, spec: Spec = PLAIN): string {
  const neg = x < 0 || Object.is(x, -0) || (Number.isNaN(x) && signBit(x));
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  const upper = conv === 'E' || conv === 'F' || conv === 'G';
  if (!Number.isFinite(x)) {
    const t = Number.isNaN(x) ? 'nan' : 'inf';
    return pad(sign, upper ? t.toUpperCase() : t, spec, false);
  }
  const prec = spec.prec < 0 ? 6 : spec.prec;
  return pad(sign, floatBody(Math.abs(x), conv, prec, spec.alt), spec, true);
}

/** `%.14g`: how Lua 5.1 prints numbers (LUAI_NUMFFORMAT). */
export function fmtG14(x: number): string {
  if (Number.isInteger(x) && x > -1e14 && x < 1e14 && !Object.is(x, -0)) return String(x);
  return formatFloat(x, 'g', { ...PLAIN, prec: 14 });
}

/** `%.17g`: how Redis turns Lua numbers into command arguments. */
export function fmtG17(x: number): string {
  if (Number.isInteger(x) && x > -1e16 && x < 1e16 && !Object.is(x, -0)) return String(x);
  return formatFloat(x, 'g', { ...PLAIN, prec: 17 });
}

const TWO63 = 9223372036854775808;

/** A double cast to a C long long as x86 does it: truncation, and INT64_MIN for NaN or out of range. */
export function toInt64(x: number): bigint {
  if (Number.isNaN(x) || x >= TWO63 || x < -TWO63) return -9223372036854775808n;
  return BigInt(Math.trunc(x));
}

/** sprintf of one integer directive: d i (signed) or u o x X (the value as an unsigned 64-bit number). */
export function formatInt(v: bigint, conv: string, spec: Spec = PLAIN): string {
  let sign = '';
  let digits: string;
  if (conv === 'd' || conv === 'i') {
    if (v < 0n) {
      sign = '-';
      v = -v;
    } else if (spec.plus) sign = '+';
    else if (spec.space) sign = ' ';
    digits = v.toString();
  } else {
    const u = BigInt.asUintN(64, v);
    digits = conv === 'o' ? u.toString(8) : conv === 'u' ? u.toString() : u.toString(16);
    if (conv === 'X') digits = digits.toUpperCase();
  }
  if (spec.prec >= 0) {
    if (spec.prec === 0 && v === 0n) digits = '';
    if (digits.length < spec.prec) digits = '0'.repeat(spec.prec - digits.length) + digits;
  }
  if (spec.alt) {
    if (conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
    else if ((conv === 'x' || conv === 'X') && v !== 0n) sign = conv === 'x' ? '0x' : '0X';
  }
  return pad(sign, digits, spec, spec.prec < 0);
}

/** sprintf of %s (precision truncates) or %c. */
export function formatText(s: string, spec: Spec = PLAIN): string {
  if (spec.prec >= 0 && s.length > spec.prec) s = s.slice(0, spec.prec);
  return pad('', s, spec, false);
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fmtG14, fmtG17, formatFloat, formatInt, formatText, toInt64, type Spec } from '../../src/scripting/printf.js';

const spec = (s: Partial<Spec>): Spec => ({ minus: false, plus: false, space: false, alt: false, zero: false, width: 0, prec: -1, ...s });

describe('printf: C number formatting', () => {
  it('prints like %.14g (Lua 5.1 tostring)', () => {
    assert.equal(fmtG14(5), '5');
    assert.equal(fmtG14(10 / 2), '5');
    assert.equal(fmtG14(0.1), '0.1');
    assert.equal(fmtG14(1e14), '1e+14');
    assert.equal(fmtG14(12345678901234), '12345678901234');
    assert.equal(fmtG14(2 ** 53), '9.007199254741e+15');
    assert.equal(fmtG14(-1.5e-7), '-1.5e-07');
    assert.equal(fmtG14(-0), '-0');
    assert.equal(fmtG14(Infinity), 'inf');
    assert.equal(fmtG14(-Infinity), '-inf');
    assert.equal(fmtG14(NaN), 'nan');
    assert.equal(fmtG14(0.1 + 0.2), '0.3');
  });

  it('prints like %.17g (script arguments) with exact half-even rounding', () => {
    assert.equal(fmtG17(0.1), '0.10000000000000001');
    assert.equal(fmtG17(1e20), '1e+20');
    assert.equal(fmtG17(1.5), '1.5');
    // 2^-25 is exactly 2.98023223876953125e-8: the tie rounds to even, unlike JavaScript's toPrecision.
    assert.equal(fmtG17(2 ** -25), '2.9802322387695312e-08');
  });

  it('formats %f %e %g with flags, width and precision', () => {
    assert.equal(formatFloat(3.14159, 'f', spec({ width: 5, prec: 2 })), ' 3.14');
    assert.equal(formatFloat(0.5, 'f', spec({ prec: 0 })), '0');
    assert.equal(formatFloat(1.5, 'f', spec({ prec: 0 })), '2');
    assert.equal(formatFloat(2.0005, 'f', spec({ prec: 3 })), '2.001');
    assert.equal(formatFloat(0.1, 'f', spec({ prec: 20 })), '0.10000000000000000555');
    assert.equal(formatFloat(12345.678, 'e', spec({})), '1.234568e+04');
    assert.equal(formatFloat(0, 'e', spec({})), '0.000000e+00');
    assert.equal(formatFloat(12345.6789, 'E', spec({})), '1.234568E+04');
    assert.equal(formatFloat(0.000012345, 'g', spec({ width: 5, prec: 3 })), '1.23e-05');
    assert.equal(formatFloat(1e-10, 'G', spec({})), '1E-10');
    assert.equal(formatFloat(0.0001, 'g', spec({})), '0.0001');
    assert.equal(formatFloat(42, 'f', spec({ zero: true, width: 8, prec: 1 })), '000042.0');
    assert.equal(formatFloat(-Infinity, 'f', spec({ zero: true, width: 6 })), '  -inf');
  });

  it('formats integers and strings', () => {
    assert.equal(formatInt(-1n, 'x', spec({})), 'ffffffffffffffff');
    assert.equal(formatInt(255n, 'x', spec({ alt: true })), '0xff');
    assert.equal(formatInt(255n, 'x', spec({ alt: true, minus: true, width: 10, prec: 3 })), '0x0ff     ');
    assert.equal(formatInt(42n, 'd', spec({ zero: true, width: 5 })), '00042');
    assert.equal(formatInt(5n, 'd', spec({ plus: true })), '+5');
    assert.equal(formatInt(5n, 'd', spec({ space: true })), ' 5');
    assert.equal(formatInt(8n, 'o', spec({})), '10');
    assert.equal(formatInt(-1n, 'u', spec({})), '18446744073709551615');
    assert.equal(formatText('abc', spec({ width: 5, prec: 2 })), '   ab');
    assert.equal(toInt64(3.7), 3n);
    assert.equal(toInt64(-7.9), -7n);
    assert.equal(toInt64(1e20), -9223372036854775808n);
    assert.equal(toInt64(NaN), -9223372036854775808n);
  });
});

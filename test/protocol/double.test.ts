/**
 * formatScore: Redis 7.2's d2string. Expected texts were produced by Redis's own fpconv_dtoa (Grisu2), including
 * the cases where Grisu2 is not the shortest round-trip form or switches to exponent notation early.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatScore } from '../../src/protocol/double.js';

describe('formatScore', () => {
  it('spells out the special values and integers', () => {
    assert.equal(formatScore(0), '0');
    assert.equal(formatScore(-0), '-0');
    assert.equal(formatScore(Infinity), 'inf');
    assert.equal(formatScore(-Infinity), '-inf');
    assert.equal(formatScore(NaN), 'nan');
    assert.equal(formatScore(42), '42');
    assert.equal(formatScore(-7), '-7');
    assert.equal(formatScore(1e8), '100000000');
    assert.equal(formatScore(2 ** 60), '1152921504606846976');
    assert.equal(formatScore(-(2 ** 62)), '-4611686018427387904');
    // Past ±2^62 integers go through fpconv.
    assert.equal(formatScore(2 ** 63), '9223372036854776000');
    assert.equal(formatScore(1e21), '1e+21');
    assert.equal(formatScore(1.5e300), '1.5e+300');
  });

  it('prints the shortest form for ordinary fractions', () => {
    const cases: [number, string][] = [
      [1.1, '1.1'],
      [0.1, '0.1'],
      [0.1 + 0.2, '0.30000000000000004'],
      [1 / 3, '0.3333333333333333'],
      [-2.5, '-2.5'],
      [3.14159, '3.14159'],
      [1e-6, '0.000001'],
      [1.5e-6, '1.5e-6'],
      [1e-7, '1e-7'],
      [1.5e-7, '1.5e-7'],
      [123456.789, '123456.789'],
      [5e-324, '5e-324'],
      [2.2250738585072014e-308, '2.2250738585072014e-308'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
    ];
    for (const [d, s] of cases) assert.equal(formatScore(d), s, String(d));
  });

  it('reproduces Grisu2 where it differs from the shortest round-trip form', () => {
    const cases: [number, string][] = [
      [-2.660896835012902e-13, '-2.6608968350129023e-13'],
      [-1370301200728034.8, '-1370301200728034.7'],
      [1380657178666295.8, '1380657178666295.7'],
      [-1559047674913587.2, '-1559047674913587.3'],
      [-23199.11437596418, '-2.3199114375964182e+4'],
      [-150703100101461.38, '-150703100101461.37'],
    ];
    for (const [d, s] of cases) assert.equal(formatScore(d), s, String(d));
  });

  it('always reads back as the same double', () => {
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const view = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 20000; i++) {
      view.setUint32(0, (rand() * 2 ** 32) >>> 0);
      view.setUint32(4, (rand() * 2 ** 32) >>> 0);
      const d = view.getFloat64(0);
      if (!Number.isFinite(d)) continue;
      const s = formatScore(d);
      assert.ok(Object.is(Number(s), d) || (d === 0 && Number(s) === 0), `${d} -> ${s}`);
      // Twice: the second answer comes from the cache.
      assert.equal(formatScore(d), s);
    }
  });
});

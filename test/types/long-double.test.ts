/**
 * The x87 long double emulation behind INCRBYFLOAT, checked against replies recorded from Redis 7.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addLongDouble, formatLongDouble, parseLongDouble, type LongDouble } from '../../src/types/long-double.js';

function ld(s: string): LongDouble {
  const v = parseLongDouble(s);
  assert.ok(v !== null, `${s} parses`);
  return v;
}

/** Successive INCRBYFLOATs: like Redis, each result is stored as text and parsed again by the next one. */
function incr(...values: string[]): string {
  let stored = '0';
  for (const v of values) stored = formatLongDouble(addLongDouble(ld(stored), ld(v)));
  return stored;
}

describe('long double', () => {
  it('adds and prints like INCRBYFLOAT', () => {
    assert.equal(incr('0.1'), '0.1');
    assert.equal(incr('0.1', '0.2'), '0.3');
    assert.equal(incr('0.1', '0.2', '-0.3'), '0');
    assert.equal(incr('10.5', '-5.0e3', '5.0e3'), '10.5');
    assert.equal(incr('3.0e3', '1.1'), '3001.10000000000000009');
    assert.equal(incr('1.5e-17'), '0.00000000000000002');
    assert.equal(incr('5e-18'), '0');
    assert.equal(incr('1e-17', '5e-18'), '0.00000000000000002');
    assert.equal(incr('-0'), '0');
    assert.equal(incr('-0.000000000000000001'), '0');
    assert.equal(incr('0x10'), '16');
    assert.equal(incr('+.5', '5.'), '5.5');
    assert.equal(incr('123456789012345678901234567890'), '123456789012345678899921813504');
    assert.equal(incr('9007199254740993', '0.5'), '9007199254740993.5');
  });

  it('rounds the 18th decimal half to even', () => {
    // 2^-18 = 0.000003814697265625 exactly: the tie keeps the even digit 2.
    assert.equal(incr('0.000003814697265625'), '0.00000381469726562');
  });

  it('has the x87 range: beyond double, with subnormals', () => {
    const big = incr('1e400');
    assert.equal(big.length, 401);
    assert.ok(big.startsWith('10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324'));
    assert.equal(incr('1e4932').length, 4933);
    assert.equal(incr('1e-4950'), '0');
    assert.ok(parseLongDouble('1.18973149535723176502e4932') !== null);
    assert.equal(parseLongDouble('1.18973149535723176509e4932'), null);
    assert.equal(parseLongDouble('1e4933'), null);
    assert.equal(parseLongDouble('1e-4960'), null);
    assert.ok(parseLongDouble('0x1p-16445') !== null);
    assert.equal(parseLongDouble('0x1p-16446'), null);
    assert.equal(parseLongDouble('1e1000000000000000000000'), null);
    assert.equal(formatLongDouble(ld('0e1000000000000000000000')), '0');
    assert.equal(addLongDouble(ld('1.18973149535723176502e4932'), ld('1.18973149535723176502e4932')).inf, true);
  });

  it('accepts what strtold accepts and nothing else', () => {
    assert.equal(ld('inf').inf, true);
    assert.equal(ld('-Infinity').inf, true);
    for (const bad of ['', ' 1', '1 ', 'nan', 'NaN', '1e', '0x', '.', '-', 'abc', '1\x00', '1.2.3', 'e5', 'x'.repeat(6000)]) {
      assert.equal(parseLongDouble(bad), null, JSON.stringify(bad));
    }
  });
});

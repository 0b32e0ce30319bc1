/**
 * SORT's score parsing: glibc strtod's acceptance and ERANGE rules as Redis applies them (recorded with strtod
 * itself), not the stricter string2d of the other commands.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sortScore } from '../../src/commands/sort.js';

describe('sortScore', () => {
  it('accepts what strtod reads to the end of the C string', () => {
    const cases: [string, number][] = [
      ['1', 1],
      ['-2.5', -2.5],
      ['  +1.5e3', 1500],
      ['\t2', 2],
      ['\v1', 1],
      ['.5', 0.5],
      ['-.5', -0.5],
      ['5.', 5],
      ['0x10', 16],
      ['0x.8', 0.5],
      ['0x1.8p3', 12],
      ['-0x1p-2', -0.25],
      ['inf', Infinity],
      ['INF', Infinity],
      ['+infinity', Infinity],
      ['-Infinity', -Infinity],
      ['', 0],
      ['0e-400', 0],
      ['0.0000', 0],
      ['2.2250738585072014e-308', 2.2250738585072014e-308],
      ['0x1p-1074', 5e-324],
      // A NUL byte ends the C string: the rest is never looked at.
      ['1\x00abc', 1],
      ['\x001', 0],
    ];
    for (const [s, v] of cases) assert.equal(sortScore(s), v, JSON.stringify(s));
    assert.ok(Object.is(sortScore('-0'), -0));
  });

  it('refuses trailing bytes, NaN and out-of-range values', () => {
    for (const s of [
      'abc',
      '1 ',
      '1abc',
      ' ',
      '1e',
      '1e+',
      '.',
      '+',
      '0x',
      '1.5p3',
      '0x1.8p',
      'infx',
      'nan',
      'NaN',
      'nan(123)',
      '-nan',
      '1e400',
      '-1e400',
      '1e-400',
      '1e-310',
      '4.9e-324',
      '-1e-320',
      '2.2250738585072011e-308',
    ]) {
      assert.equal(sortScore(s), null, JSON.stringify(s));
    }
  });
});

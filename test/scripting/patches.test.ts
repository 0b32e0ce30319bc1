import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { str2number, strtod } from '../../src/scripting/patches.js';
import { Rand48 } from '../../src/scripting/random.js';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('Lua 5.1 string to number (strtod)', () => {
  it('accepts what C strtod accepts, with surrounding spaces', () => {
    assert.equal(str2number(b('10')), 10);
    assert.equal(str2number(b(' 5 ')), 5);
    assert.equal(str2number(b('5.')), 5);
    assert.equal(str2number(b('.5')), 0.5);
    assert.equal(str2number(b('-1.5e3')), -1500);
    assert.equal(str2number(b('0x10')), 16);
    assert.equal(str2number(b('0x1p4')), 16);
    assert.equal(str2number(b('inf')), Infinity);
    assert.equal(str2number(b('-Infinity')), -Infinity);
    assert.ok(Number.isNaN(str2number(b('nan'))));
    assert.equal(str2number(b('3000000000')), 3000000000);
  });

  it('refuses partial numbers', () => {
    for (const s of ['', ' ', '1e', '0x', 'abc', '1 2', '--1', '.', 'e5']) assert.equal(str2number(b(s)), null, s);
  });

  it('reports where a number ends (cjson)', () => {
    assert.deepEqual(strtod(b('12,3'), 0), { v: 12, end: 2 });
    assert.deepEqual(strtod(b('[-1.5]'), 1), { v: -1.5, end: 5 });
    assert.equal(strtod(b('-'), 0), null);
  });
});

describe("math.random's generator", () => {
  it('follows drand48 from its initial state, and reseeds like srand48', () => {
    const r = new Rand48();
    assert.equal(r.fraction().toPrecision(14), '0.39646477363839');
    assert.equal(r.fraction().toPrecision(14), '0.84048536971234');
    r.seed(5);
    assert.equal(r.fraction().toPrecision(14), '0.52483957937213');
    r.seed(0);
    assert.equal(r.fraction().toPrecision(14), '0.17082803611217');
  });
});

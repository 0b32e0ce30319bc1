/**
 * SetValue against a plain Set model: random operations across all three encodings, Redis 7.2's conversion
 * rules, iteration orders, sampling and the SCAN guarantee while members come and go.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SetEnc, SetValue, compareInt64, isInt64, type SetLimits } from '../../src/types/set.js';
import { samplePositions } from '../../src/types/slot-index.js';

const LIMITS: SetLimits = { setMaxIntsetEntries: 512, setMaxListpackEntries: 128, setMaxListpackValue: 64 };

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function make(members: string[], limits = LIMITS): SetValue {
  const s = SetValue.forFirst(members[0]!, members.length, limits);
  s.prepareAdd(members.length, limits);
  for (const m of members) s.add(m, limits);
  return s;
}

const numeric = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

describe('int64 helpers', () => {
  it('accepts exactly the canonical int64 strings', () => {
    for (const s of ['0', '-1', '7', '9223372036854775807', '-9223372036854775808', '1000000000000000000']) assert.ok(isInt64(s), s);
    for (const s of ['', '-', '01', '-0', '+1', ' 1', '1 ', '1.0', '9223372036854775808', '-9223372036854775809', '99999999999999999999', 'abc', '1e3']) {
      assert.ok(!isInt64(s), JSON.stringify(s));
    }
  });

  it('orders them numerically', () => {
    const values = ['0', '-1', '10', '9', '-10', '-9', '9223372036854775807', '-9223372036854775808', '123', '-123', '5'];
    assert.deepEqual([...values].sort(compareInt64), [...values].sort(numeric));
  });
});

describe('SetValue', () => {
  it('matches a Set model under random operations in every encoding', () => {
    const rand = rng(11);
    const limits = { setMaxIntsetEntries: 40, setMaxListpackEntries: 60, setMaxListpackValue: 8 };
    for (let round = 0; round < 30; round++) {
      const s = new SetValue(SetEnc.Intset);
      const model = new Set<string>();
      const strings = round % 3 !== 0;
      for (let step = 0; step < 1500; step++) {
        const r = rand();
        const m = strings && r < 0.1 ? `m${Math.floor(rand() * 80)}` : String(Math.floor(rand() * 120) - 60);
        const op = rand();
        if (op < 0.55) {
          assert.equal(s.add(m, limits), !model.has(m));
          model.add(m);
        } else if (op < 0.8) {
          assert.equal(s.delete(m), model.delete(m));
        } else if (op < 0.9 && model.size > 0) {
          const p = s.pop();
          assert.ok(model.delete(p), `popped ${p} was a member`);
        } else {
          assert.equal(s.has(m), model.has(m));
        }
        assert.equal(s.size, model.size);
        if (s.enc === SetEnc.Intset) {
          assert.ok(s.size <= limits.setMaxIntsetEntries);
          const members = [...s];
          assert.deepEqual(members, [...members].sort(numeric), 'an intset iterates in ascending order');
        }
      }
      assert.deepEqual(new Set(s), model);
    }
  });

  it('picks the first encoding like setTypeCreate', () => {
    assert.equal(SetValue.forFirst('1', 1, LIMITS).encoding, 'intset');
    assert.equal(SetValue.forFirst('1', 513, LIMITS).encoding, 'hashtable');
    assert.equal(SetValue.forFirst('a', 1, LIMITS).encoding, 'listpack');
    assert.equal(SetValue.forFirst('a', 128, LIMITS).encoding, 'listpack');
    assert.equal(SetValue.forFirst('a', 129, LIMITS).encoding, 'hashtable');
    assert.equal(SetValue.forFirst('1', 200, { ...LIMITS, setMaxListpackEntries: 300 }).encoding, 'intset');
    assert.equal(SetValue.forFirst('1', 600, { ...LIMITS, setMaxListpackEntries: 700 }).encoding, 'listpack');
  });

  it('converts an intset like Redis 7.2', () => {
    const limits = { setMaxIntsetEntries: 2, setMaxListpackEntries: 3, setMaxListpackValue: 5 };
    // Too many integers: straight to a hashtable (not a listpack).
    const a = make(['1', '2'], limits);
    assert.equal(a.encoding, 'intset');
    a.add('3', limits);
    assert.equal(a.encoding, 'hashtable');
    // A string: a listpack when it fits, with the integers first in ascending order.
    const b = make(['2', '1'], limits);
    b.add('x', limits);
    assert.equal(b.encoding, 'listpack');
    assert.deepEqual([...b], ['1', '2', 'x']);
    b.add('y', limits);
    assert.equal(b.encoding, 'hashtable', 'a fourth member overflows the listpack');
    assert.deepEqual([...b], ['1', '2', 'x', 'y']);
    // A string too long for a listpack, or integers too wide for one: a hashtable.
    const c = make(['1'], limits);
    c.add('abcdef', limits);
    assert.equal(c.encoding, 'hashtable');
    const d = make(['123456'], limits);
    d.add('x', limits);
    assert.equal(d.encoding, 'hashtable');
    const e = make(['-1234'], limits);
    e.add('x', limits);
    assert.equal(e.encoding, 'listpack', '-1234 is five characters');
  });

  it('converts a listpack to a hashtable on size or member length, never back', () => {
    const limits = { setMaxIntsetEntries: 512, setMaxListpackEntries: 3, setMaxListpackValue: 5 };
    const s = make(['a', 'b', 'c'], limits);
    assert.equal(s.encoding, 'listpack');
    s.add('a', limits);
    assert.equal(s.encoding, 'listpack', 'an existing member does not grow it');
    s.add('d', limits);
    assert.equal(s.encoding, 'hashtable');
    s.delete('d');
    s.delete('c');
    assert.equal(s.encoding, 'hashtable');
    const t = make(['a'], limits);
    t.add('abcdef', limits);
    assert.equal(t.encoding, 'hashtable');
    const u = make(['a'], limits);
    u.prepareAdd(4, limits);
    assert.equal(u.encoding, 'hashtable', 'a bulk add bigger than the listpack converts up front');
    const v = make(['1'], limits);
    v.prepareAdd(513, limits);
    assert.equal(v.encoding, 'hashtable', 'a bulk add bigger than the intset converts up front');
  });

  it('iterates a listpack in insertion order, deletions keeping the rest in place', () => {
    const s = make(['c', 'a', 'b']);
    s.delete('a');
    s.add('z', LIMITS);
    s.add('a', LIMITS);
    assert.deepEqual([...s], ['c', 'b', 'z', 'a']);
  });

  it('goes back to an intset only through maybeIntset, within the intset limit', () => {
    const s = new SetValue(SetEnc.Listpack);
    for (const m of ['30', '-2', '7']) s.add(m, LIMITS);
    s.maybeIntset(LIMITS);
    assert.equal(s.encoding, 'intset');
    assert.deepEqual([...s], ['-2', '7', '30']);
    const big = new SetValue(SetEnc.Hashtable);
    for (let i = 0; i < 10; i++) big.add(String(i), LIMITS);
    big.maybeIntset({ ...LIMITS, setMaxIntsetEntries: 5 });
    assert.equal(big.encoding, 'hashtable');
  });

  it('builds unions as Redis does: an intset first, sorted integers, then the strings', () => {
    const a = make(['5', '1']);
    const b = make(['x', '3', '1']);
    const u = SetValue.union([a, undefined, b], LIMITS);
    assert.equal(u.encoding, 'listpack');
    assert.deepEqual([...u], ['1', '5', 'x', '3']);
    const ints = SetValue.union([make(['9', '2']), make(['4'])], LIMITS);
    assert.equal(ints.encoding, 'intset');
    assert.deepEqual([...ints], ['2', '4', '9']);
  });

  it('returns every member present for a whole scan exactly once while others come and go', () => {
    const rand = rng(3);
    for (const count of [1, 5, 50]) {
      const s = new SetValue(SetEnc.Hashtable);
      for (let i = 0; i < 400; i++) s.add(`stable${i}`, LIMITS);
      for (let i = 0; i < 400; i++) s.add(`churn${i}`, LIMITS);
      const seen = new Map<string, number>();
      let cursor = 0;
      let n = 0;
      do {
        cursor = s.scan(cursor, count, (m) => seen.set(m, (seen.get(m) ?? 0) + 1));
        // The size stays bounded (one add per successful delete) so the scan can finish.
        for (let k = 0; k < 4; k++) {
          const victim = rand() < 0.5 ? `churn${Math.floor(rand() * 400)}` : `new${Math.floor(rand() * n)}`;
          if (s.delete(victim)) s.add(`new${n++}`, LIMITS);
        }
      } while (cursor !== 0);
      for (let i = 0; i < 400; i++) assert.equal(seen.get(`stable${i}`), 1, `stable${i} seen once (count ${count})`);
    }
  });

  it('samples distinct members in every encoding', () => {
    for (const members of [['1', '2', '3', '4', '5', '6'], ['a', 'b', 'c', 'd', 'e', 'f']]) {
      const s = make(members);
      for (let k = 0; k <= 6; k++) {
        const picked = s.sample(k);
        assert.equal(picked.length, k);
        assert.equal(new Set(picked).size, k);
        for (const m of picked) assert.ok(s.has(m));
      }
    }
    const pos = samplePositions(1000, 1000);
    assert.deepEqual([...pos].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
  });

  it('clones independently with the same encoding and order', () => {
    for (const members of [['3', '1', '2'], ['b', 'a', '1']]) {
      const s = make(members);
      const copy = s.clone();
      assert.equal(copy.encoding, s.encoding);
      assert.deepEqual([...copy], [...s]);
      copy.add('zz', LIMITS);
      copy.delete(members[0]!);
      assert.ok(s.has(members[0]!));
      assert.ok(!s.has('zz'));
    }
  });
});

describe('SetValue.popMany', () => {
  it('removes exactly the returned members, in every encoding', () => {
    for (const members of [Array.from({ length: 300 }, (_, i) => String(i * 2)), Array.from({ length: 300 }, (_, i) => `m${i}`)]) {
      for (const k of [1, 10, 150, 299]) {
        const s = new SetValue(SetEnc.Intset);
        const limits = { setMaxIntsetEntries: 1000, setMaxListpackEntries: 1000, setMaxListpackValue: 64 };
        for (const m of members) s.add(m, limits);
        const popped = s.popMany(k);
        assert.equal(popped.length, k);
        assert.equal(new Set(popped).size, k);
        assert.equal(s.size, members.length - k);
        for (const m of popped) assert.ok(!s.has(m));
        assert.deepEqual(new Set([...s, ...popped]), new Set(members));
        if (s.enc === SetEnc.Intset) {
          const rest = [...s];
          assert.deepEqual(rest, [...rest].sort(numeric), 'still ascending');
        }
      }
    }
  });
});

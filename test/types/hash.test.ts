/**
 * HashValue against a plain Map model: random operations, encoding conversions, iteration order, random picks and
 * the SCAN guarantee while fields come and go.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HashValue, type HashLimits } from '../../src/types/hash.js';

const LIMITS: HashLimits = { hashMaxListpackEntries: 128, hashMaxListpackValue: 64 };

/** A small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function fullScan(h: HashValue, count: number, between?: () => void): Map<string, number> {
  const seen = new Map<string, number>();
  let cursor = 0;
  let calls = 0;
  do {
    cursor = h.scanSlots(cursor, count, (slot) => seen.set(h.memberAt(slot), (seen.get(h.memberAt(slot)) ?? 0) + 1));
    between?.();
    assert.ok(++calls < 100000, 'scan terminates');
  } while (cursor !== 0);
  return seen;
}

describe('HashValue', () => {
  it('matches a Map model under random operations', () => {
    const rand = rng(7);
    const h = new HashValue();
    const model = new Map<string, string>();
    for (let step = 0; step < 20000; step++) {
      const f = `f${Math.floor(rand() * 300)}`;
      const op = rand();
      if (op < 0.5) {
        const v = `v${step}`;
        assert.equal(h.set(f, v, LIMITS), !model.has(f));
        model.set(f, v);
      } else if (op < 0.8) {
        assert.equal(h.delete(f), model.delete(f));
      } else {
        assert.equal(h.get(f), model.get(f));
        assert.equal(h.has(f), model.has(f));
      }
      assert.equal(h.size, model.size);
      if (step % 1000 === 0) {
        // Iteration is insertion order, like the model's.
        assert.deepEqual([...h.entries()], [...model.entries()]);
        if (h.size > 0) assert.ok(model.has(h.randomMember()));
      }
    }
    assert.deepEqual([...h.entries()], [...model.entries()]);
  });

  it('keeps insertion order through updates and deletes', () => {
    const h = new HashValue();
    for (const f of ['a', 'b', 'c', 'd']) h.set(f, f.toUpperCase(), LIMITS);
    h.set('b', 'B2', LIMITS);
    h.delete('a');
    h.set('e', 'E', LIMITS);
    h.set('a', 'A2', LIMITS);
    assert.deepEqual([...h.entries()], [['b', 'B2'], ['c', 'C'], ['d', 'D'], ['e', 'E'], ['a', 'A2']]);
  });

  it('converts to a hashtable past the listpack limits, one way', () => {
    const limits = { hashMaxListpackEntries: 3, hashMaxListpackValue: 5 };
    const h = new HashValue();
    h.set('a', '1', limits);
    h.set('b', '2', limits);
    h.set('c', '3', limits);
    assert.equal(h.encoding, 'listpack');
    h.set('c', '33', limits);
    assert.equal(h.encoding, 'listpack', 'updating a field does not grow the hash');
    h.set('d', '4', limits);
    assert.equal(h.encoding, 'hashtable');
    h.delete('d');
    h.delete('c');
    assert.equal(h.encoding, 'hashtable', 'shrinking keeps the hashtable');

    const long = new HashValue();
    long.set('a', '123456', limits);
    assert.equal(long.encoding, 'hashtable', 'a long value converts');
    const longField = new HashValue();
    longField.set('abcdef', '1', limits);
    assert.equal(longField.encoding, 'hashtable', 'a long field converts');
    const update = new HashValue();
    update.set('a', '1', limits);
    update.set('a', '1234567', limits);
    assert.equal(update.encoding, 'hashtable', 'a long value converts on update too');
  });

  it('prepareWrite converts up front like hashTypeTryConversion', () => {
    const limits = { hashMaxListpackEntries: 2, hashMaxListpackValue: 5 };
    const h = new HashValue();
    h.prepareWrite(['hset', 'k', 'a', '1', 'a', '2'], 2, limits);
    assert.equal(h.encoding, 'listpack');
    h.prepareWrite(['hset', 'k', 'a', '1', 'a', '2', 'a', '3'], 2, limits);
    assert.equal(h.encoding, 'hashtable', 'more pairs than the limit, even duplicates');
    const v = new HashValue();
    v.prepareWrite(['hset', 'k', 'a', '123456'], 2, limits);
    assert.equal(v.encoding, 'hashtable');
  });

  it('returns every field present for a whole scan exactly once while others come and go', () => {
    const rand = rng(42);
    for (const count of [1, 3, 10, 100]) {
      const h = new HashValue();
      for (let i = 0; i < 500; i++) h.set(`stable${i}`, 'v', LIMITS);
      for (let i = 0; i < 500; i++) h.set(`churn${i}`, 'v', LIMITS);
      let n = 0;
      const seen = fullScan(h, count, () => {
        // Between calls: delete some churn fields, add new ones (which reuse freed slots).
        // The size stays bounded (one add per successful delete) so the scan can finish.
        for (let k = 0; k < 5; k++) {
          const victim = rand() < 0.5 ? `churn${Math.floor(rand() * 500)}` : `new${Math.floor(rand() * n)}`;
          if (h.delete(victim)) h.set(`new${n++}`, 'v', LIMITS);
        }
      });
      for (let i = 0; i < 500; i++) assert.equal(seen.get(`stable${i}`), 1, `stable${i} seen once (count ${count})`);
    }
  });

  it('scans an unchanged hash exactly and ends with cursor 0', () => {
    const h = new HashValue();
    for (let i = 0; i < 1000; i++) h.set(`f${i}`, `${i}`, LIMITS);
    for (let i = 0; i < 1000; i += 3) h.delete(`f${i}`);
    const seen = fullScan(h, 7);
    assert.equal(seen.size, h.size);
    for (const [f] of h.entries()) assert.equal(seen.get(f), 1);
    assert.equal(h.scanSlots(1 << 30, 10, () => assert.fail('nothing past the end')), 0);
  });

  it('samples distinct slots uniformly enough', () => {
    const h = new HashValue();
    for (let i = 0; i < 20; i++) h.set(`f${i}`, `${i}`, LIMITS);
    const hits = new Map<string, number>();
    for (let round = 0; round < 2000; round++) {
      const slots = h.sampleSlots(5);
      const fields = slots.map((s) => h.memberAt(s));
      assert.equal(new Set(fields).size, 5, 'distinct');
      for (const f of fields) hits.set(f, (hits.get(f) ?? 0) + 1);
    }
    // Each field is expected 500 times; allow a wide margin.
    for (const [f, n] of hits) assert.ok(n > 350 && n < 650, `${f} picked ${n} times`);
    assert.equal(hits.size, 20);
  });

  it('clones independently, keeping the encoding', () => {
    const limits = { hashMaxListpackEntries: 1, hashMaxListpackValue: 64 };
    const h = new HashValue();
    h.set('a', '1', limits);
    h.set('b', '2', limits);
    const copy = h.clone();
    assert.equal(copy.encoding, 'hashtable');
    copy.set('c', '3', limits);
    copy.delete('a');
    assert.deepEqual([...h.entries()], [['a', '1'], ['b', '2']]);
    assert.deepEqual([...copy.entries()], [['b', '2'], ['c', '3']]);
    assert.equal(new HashValue().clone().encoding, 'listpack');
  });
});

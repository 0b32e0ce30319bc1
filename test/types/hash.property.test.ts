/**
 * Property test: random operation sequences on HashValue (types/hash.ts) against a Map, compared after every
 * operation — return values, contents in insertion order, slots, random picks and samples, the one-way
 * listpack → hashtable transition under random limits, and the SCAN cursor guarantee (a field present for a whole
 * scan is returned exactly once) while fields come and go.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HashValue, type HashLimits } from '../../src/types/hash.js';
import { pooledString, runs, sequence } from '../helpers/property.js';

const FIELDS = ['a', 'b', 'c', 'ab', '', '\x00', '\xff', 'long-field', '1', '2'];
const VALUES = ['v', '', '0', '\x00\xff', 'long-value', 'x'.repeat(9)];
const field = pooledString(FIELDS, 4);
const val = pooledString(VALUES, 4);

const opArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('set' as const), f: field, v: val }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('mset' as const), pairs: fc.array(fc.tuple(field, val), { minLength: 1, maxLength: 5 }) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('delete' as const), f: field }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('get' as const), f: field }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('random' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('sample' as const), n: fc.nat(12) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('scanStart' as const) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('scanStep' as const), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('clone' as const) }) },
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

const limitsArb = fc.record({
  hashMaxListpackEntries: fc.integer({ min: 0, max: 8 }),
  hashMaxListpackValue: fc.integer({ min: 0, max: 8 }),
});

interface Scan {
  cursor: number;
  /** How often each field was returned. */
  seen: Map<string, number>;
  /** Fields present since the scan started (deleting one takes it out). */
  throughout: Set<string>;
}

class Model {
  map = new Map<string, string>();
  listpack = true;
  scan: Scan | null = null;

  constructor(private limits: HashLimits) {}

  /** hashTypeSet: a long field or value converts before the write, too many fields after it. */
  set(f: string, v: string): boolean {
    const max = this.limits.hashMaxListpackValue;
    if (f.length > max || v.length > max) this.listpack = false;
    const isNew = !this.map.has(f);
    this.map.set(f, v);
    if (this.map.size > this.limits.hashMaxListpackEntries) this.listpack = false;
    return isNew;
  }

  /** hashTypeTryConversion before HSET: more pairs than a listpack holds, or any long argument. */
  prepare(pairs: readonly (readonly [string, string])[]): void {
    if (pairs.length > this.limits.hashMaxListpackEntries) this.listpack = false;
    else if (pairs.some(([f, v]) => f.length > this.limits.hashMaxListpackValue || v.length > this.limits.hashMaxListpackValue)) {
      this.listpack = false;
    }
  }

  delete(f: string): boolean {
    this.scan?.throughout.delete(f);
    return this.map.delete(f);
  }
}

function step(state: { h: HashValue }, m: Model, op: Op, limits: HashLimits): void {
  const h = state.h;
  switch (op.k) {
    case 'set':
      assert.equal(h.set(op.f, op.v, limits), m.set(op.f, op.v));
      return;
    case 'mset': {
      const argv = ['hset', 'key', ...op.pairs.flat()];
      h.prepareWrite(argv, 2, limits);
      m.prepare(op.pairs);
      for (const [f, v] of op.pairs) assert.equal(h.set(f, v, limits), m.set(f, v));
      return;
    }
    case 'delete':
      assert.equal(h.delete(op.f), m.delete(op.f));
      return;
    case 'get':
      assert.equal(h.get(op.f), m.map.get(op.f));
      assert.equal(h.has(op.f), m.map.has(op.f));
      return;
    case 'random': {
      if (m.map.size === 0) return;
      assert.ok(m.map.has(h.randomMember()));
      const slot = h.randomSlot();
      assert.equal(h.valueAt(slot), m.map.get(h.memberAt(slot)));
      return;
    }
    case 'sample': {
      const k = Math.min(op.n, m.map.size);
      const fields = h.sampleSlots(k).map((slot) => h.memberAt(slot));
      assert.equal(fields.length, k);
      assert.equal(new Set(fields).size, k, 'sampled fields are distinct');
      for (const f of fields) assert.ok(m.map.has(f), `sampled ${JSON.stringify(f)} is a field`);
      return;
    }
    case 'scanStart':
      m.scan = { cursor: 0, seen: new Map(), throughout: new Set(m.map.keys()) };
      return;
    case 'scanStep': {
      const scan = m.scan;
      if (scan === null) return;
      scan.cursor = h.scanSlots(scan.cursor, op.count, (slot) => {
        const f = h.memberAt(slot);
        assert.ok(m.map.has(f), `scan returned ${JSON.stringify(f)}, not a field`);
        assert.equal(h.valueAt(slot), m.map.get(f));
        scan.seen.set(f, (scan.seen.get(f) ?? 0) + 1);
      });
      if (scan.cursor === 0) {
        for (const f of scan.throughout) assert.equal(scan.seen.get(f), 1, `field ${JSON.stringify(f)} present for the whole scan`);
        m.scan = null;
      }
      return;
    }
    case 'clone': {
      const copy = h.clone();
      copy.set('clone-probe', 'x', limits);
      assert.equal(h.has('clone-probe'), m.map.has('clone-probe'));
      copy.delete('clone-probe');
      copy.listpack = h.listpack;
      state.h = copy;
      // A copy has fresh slots: a scan in progress on the original does not carry over.
      m.scan = null;
      return;
    }
  }
}

function check(h: HashValue, m: Model): void {
  assert.equal(h.size, m.map.size);
  // Iteration is insertion order (updates keep their place), as Redis's listpack iterates.
  assert.deepEqual([...h.entries()], [...m.map.entries()]);
  assert.deepEqual([...h.keys()], [...m.map.keys()]);
  const each: [string, string][] = [];
  h.forEach((f, v) => each.push([f, v]));
  assert.deepEqual(each, [...m.map.entries()]);
  for (const [f, v] of m.map) {
    const slot = h.slotOf(f);
    assert.ok(slot !== undefined);
    assert.equal(h.memberAt(slot), f);
    assert.equal(h.valueAt(slot), v);
  }
  assert.equal(h.encoding, m.listpack ? 'listpack' : 'hashtable');
}

describe('HashValue (property)', () => {
  it('matches a Map model after every operation, encodings and scans included', () => {
    fc.assert(
      fc.property(limitsArb, sequence(opArb, 100), (limits, ops) => {
        const state = { h: new HashValue() };
        const m = new Model(limits);
        for (const op of ops) {
          step(state, m, op, limits);
          check(state.h, m);
        }
      }),
      runs(300),
    );
  });

  it('finishes every scan with each long-lived field exactly once under heavy churn', () => {
    // Scans interleaved with many inserts and deletes, so slots are freed and reused mid-scan.
    const churn = fc.oneof(
      fc.record({ k: fc.constant('set' as const), f: fc.nat(30).map(String), v: fc.constant('v') }),
      fc.record({ k: fc.constant('delete' as const), f: fc.nat(30).map(String) }),
      fc.record({ k: fc.constant('scanStep' as const), count: fc.integer({ min: 1, max: 3 }) }),
    );
    const big = { hashMaxListpackEntries: 0, hashMaxListpackValue: 0 };
    fc.assert(
      fc.property(fc.array(fc.nat(30), { maxLength: 30 }), sequence(churn, 150), (initial, ops) => {
        const state = { h: new HashValue() };
        const m = new Model(big);
        for (const f of initial) step(state, m, { k: 'set', f: String(f), v: 'v' }, big);
        step(state, m, { k: 'scanStart' }, big);
        for (const op of ops) step(state, m, op, big);
        // Run the scan to the end.
        while (m.scan !== null) step(state, m, { k: 'scanStep', count: 2 }, big);
        check(state.h, m);
      }),
      runs(200),
    );
  });
});

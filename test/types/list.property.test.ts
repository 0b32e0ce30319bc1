/**
 * Property test: random operation sequences on the List deque (types/list.ts) against a plain array, compared
 * after every operation — return values, contents, index access and ranges, the listpack byte accounting and the
 * listpack/quicklist encoding, driven the way the list commands drive it (growing before an insertion, shrinking
 * after a removal).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { List } from '../../src/types/list.js';
import { canonicalInt64, pooledString, runs, sequence } from '../helpers/property.js';

// ---- reference model ----

/**
 * The bytes a listpack entry takes, written from the listpack format independently of lpEntrySize: canonical
 * int64s use the 7/13/16/24/32/64-bit integer encodings, strings a 1/2/5-byte header, then the back-length.
 */
function refEntrySize(s: string): number {
  let enc: number;
  if (canonicalInt64(s)) {
    const v = BigInt(s);
    const within = (bits: number) => v >= -(2n ** BigInt(bits - 1)) && v < 2n ** BigInt(bits - 1);
    if (v >= 0n && v <= 127n) enc = 1;
    else if (within(13)) enc = 2;
    else if (within(16)) enc = 3;
    else if (within(24)) enc = 4;
    else if (within(32)) enc = 5;
    else enc = 9;
  } else {
    enc = (s.length < 64 ? 1 : s.length < 4096 ? 2 : 5) + s.length;
  }
  const back = enc <= 127 ? 1 : enc < 16383 ? 2 : enc < 2097151 ? 3 : enc < 268435455 ? 4 : 5;
  return enc + back;
}

/** quicklistNodeLimit: a positive fill is an element count, a negative one a byte size (4 KB … 64 KB). */
function sizeLimit(fill: number): number {
  return fill >= 0 ? Infinity : 4096 * 2 ** Math.min(-fill - 1, 4);
}
function countLimit(fill: number): number {
  return fill > 0 ? fill : fill === 0 ? 1 : Infinity;
}
/** quicklistNodeExceedsLimit: a count fill still caps a listpack at 8 KB. */
function exceeds(fill: number, bytes: number, count: number): boolean {
  return fill < 0 ? bytes > sizeLimit(fill) : bytes > 8192 || count > countLimit(fill);
}

class Model {
  items: string[] = [];
  quick = false;

  get bytes(): number {
    let n = 7;
    for (const s of this.items) n += refEntrySize(s);
    return n;
  }

  growing(fill: number, added: readonly string[]): void {
    const raw = added.reduce((n, s) => n + s.length, 0);
    if (!this.quick && exceeds(fill, this.bytes + raw, this.items.length + added.length)) this.quick = true;
  }

  shrinking(fill: number): void {
    if (this.quick && this.bytes <= Math.floor(sizeLimit(fill) / 2) && this.items.length <= Math.floor(countLimit(fill) / 2)) {
      this.quick = false;
    }
  }
}

// ---- operations ----

const VALUES = [
  'a', 'b', '', '\x00', '\xff', 'a\x00', '0', '127', '128', '-1', '4095', '-4096', '4096', '32767', '-32769',
  '8388607', '8388608', '2147483647', '-2147483649', '9223372036854775807', '-9223372036854775808',
  '9223372036854775808', '01', '-0', '+1', 'x'.repeat(63), 'x'.repeat(64), 'w'.repeat(125), 'y'.repeat(126), 'z'.repeat(1500),
];
const value = pooledString(VALUES);
const fill = fc.constantFrom(-2, -1, 0, 1, 2, 3, 5);
const index = fc.integer({ min: -3, max: 40 });

const opArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constantFrom('pushBack' as const, 'pushFront' as const), vals: fc.array(value, { minLength: 1, maxLength: 4 }), fill }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constantFrom('popFront' as const, 'popBack' as const), n: fc.integer({ min: 1, max: 3 }), fill }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('at' as const), i: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('set' as const), i: fc.nat(50), v: value, fill }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('insert' as const), i: fc.nat(50), v: value, fill }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('indexOf' as const), v: value, from: fc.nat(10) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('remove' as const), v: value, limit: fc.nat(3), fromTail: fc.boolean(), fill }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('trim' as const), front: fc.nat(20), back: fc.nat(20), fill }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('range' as const), start: index.map((i) => i - 20), stop: index.map((i) => i - 20) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('normalize' as const), fill }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constantFrom('clone' as const, 'from' as const) }) },
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

/** LRANGE's clamping of (possibly negative) inclusive indexes; null for an empty range. */
function clamp(start: number, stop: number, len: number): [number, number] | null {
  if (start < 0) start += len;
  if (stop < 0) stop += len;
  if (start < 0) start = 0;
  if (stop >= len) stop = len - 1;
  return start > stop || start >= len ? null : [start, stop];
}

/** Applies `op` to both; returns nothing, asserting the structure's return values on the way. */
function step(state: { l: List }, m: Model, op: Op): void {
  const l = state.l;
  const items = m.items;
  switch (op.k) {
    case 'pushBack':
    case 'pushFront':
      l.growing(op.fill, op.vals.reduce((n, s) => n + s.length, 0), op.vals.length);
      m.growing(op.fill, op.vals);
      for (const v of op.vals) {
        if (op.k === 'pushBack') {
          l.pushBack(v);
          items.push(v);
        } else {
          l.pushFront(v);
          items.unshift(v);
        }
      }
      return;
    case 'popFront':
    case 'popBack': {
      const n = Math.min(op.n, items.length);
      if (n === 0) return;
      for (let i = 0; i < n; i++) {
        if (op.k === 'popFront') assert.equal(l.popFront(), items.shift());
        else assert.equal(l.popBack(), items.pop());
      }
      l.shrinking(op.fill);
      m.shrinking(op.fill);
      return;
    }
    case 'at':
      if (items.length > 0) assert.equal(l.at(op.i % items.length), items[op.i % items.length]);
      return;
    case 'set': {
      if (items.length === 0) return;
      const i = op.i % items.length;
      // LSET: grow check, replace, shrink check (a shorter value can bring a quicklist back).
      l.growing(op.fill, op.v.length, 1);
      m.growing(op.fill, [op.v]);
      l.set(i, op.v);
      items[i] = op.v;
      l.shrinking(op.fill);
      m.shrinking(op.fill);
      return;
    }
    case 'insert': {
      const i = op.i % (items.length + 1);
      l.growing(op.fill, op.v.length, 1);
      m.growing(op.fill, [op.v]);
      l.insert(i, op.v);
      items.splice(i, 0, op.v);
      return;
    }
    case 'indexOf': {
      const from = Math.min(op.from, items.length);
      assert.equal(l.indexOf(op.v, from), items.indexOf(op.v, from));
      assert.equal(l.indexOf(op.v), items.indexOf(op.v));
      return;
    }
    case 'remove': {
      let removed = 0;
      const order = [...items.keys()];
      if (op.fromTail) order.reverse();
      const drop = new Set<number>();
      for (const i of order) {
        if (items[i] === op.v && (op.limit === 0 || removed < op.limit)) {
          drop.add(i);
          removed++;
        }
      }
      m.items = items.filter((_, i) => !drop.has(i));
      assert.equal(l.removeMatching(op.v, op.limit, op.fromTail), removed);
      l.shrinking(op.fill);
      m.shrinking(op.fill);
      return;
    }
    case 'trim': {
      const front = op.front % (items.length + 1);
      const back = op.back % (items.length - front + 1);
      l.trim(front, back);
      m.items = items.slice(front, items.length - back);
      l.shrinking(op.fill);
      m.shrinking(op.fill);
      return;
    }
    case 'range': {
      // LRANGE reads the range through at(); compare it with the model's slice.
      const r = clamp(op.start, op.stop, items.length);
      const got: string[] = [];
      if (r !== null) for (let i = r[0]; i <= r[1]; i++) got.push(l.at(i));
      assert.deepEqual(got, r === null ? [] : items.slice(r[0], r[1] + 1));
      return;
    }
    case 'normalize':
      l.normalize(op.fill);
      if (m.quick) {
        if (m.bytes <= sizeLimit(op.fill) && items.length <= countLimit(op.fill)) m.quick = false;
      } else if (exceeds(op.fill, m.bytes, items.length)) {
        m.quick = true;
      }
      return;
    case 'clone': {
      const copy = l.clone();
      // The copy is independent: changing it leaves the original alone.
      copy.pushBack('clone-probe');
      assert.deepEqual(l.toArray(), items);
      copy.popBack();
      state.l = copy;
      return;
    }
    case 'from':
      state.l = List.from(items);
      m.quick = false;
      return;
  }
}

function check(l: List, m: Model): void {
  assert.equal(l.length, m.items.length);
  assert.deepEqual(l.toArray(), m.items);
  assert.equal(l.bytes, m.bytes, 'listpack bytes');
  assert.equal(l.encoding, m.quick ? 'quicklist' : 'listpack');
  assert.ok(l.capacity >= Math.max(8, l.length) && (l.capacity & (l.capacity - 1)) === 0, `capacity ${l.capacity}`);
}

describe('List (property)', () => {
  it('matches an array model after every operation', () => {
    fc.assert(
      fc.property(sequence(opArb, 120), (ops) => {
        const state = { l: new List() };
        const m = new Model();
        for (const op of ops) {
          step(state, m, op);
          check(state.l, m);
        }
      }),
      runs(300),
    );
  });

  it('wraps around the ring buffer and resizes at both ends', () => {
    // Long push/pop runs on one side, so the head crosses slot 0 and the buffer grows and shrinks repeatedly.
    const burst = fc.record({
      k: fc.constantFrom('pushBack' as const, 'pushFront' as const, 'popFront' as const, 'popBack' as const),
      n: fc.integer({ min: 1, max: 40 }),
    });
    fc.assert(
      fc.property(sequence(burst, 30), fc.array(fc.nat(200), { minLength: 1, maxLength: 5 }), (bursts, probes) => {
        const state = { l: new List() };
        const m = new Model();
        let counter = 0;
        for (const b of bursts) {
          for (let i = 0; i < b.n; i++) {
            if (b.k === 'pushBack' || b.k === 'pushFront') step(state, m, { k: b.k, vals: [String(counter++)], fill: -2 });
            else step(state, m, { k: b.k, n: 1, fill: -2 });
          }
          for (const p of probes) step(state, m, { k: 'insert', i: p, v: 'i', fill: -2 });
          check(state.l, m);
        }
      }),
      runs(100),
    );
  });
});

/**
 * Property test: random operation sequences on SetValue (types/set.ts) against a reference model, compared after
 * every operation — membership and return values, iteration order (ascending for an intset, insertion order
 * otherwise), random picks, samples and pops, the intset/listpack/hashtable transitions of Redis 7.2 under random
 * limits (driven the way SADD drives them: a new key picks its encoding from the first member and the argument
 * count), unions, copies and the SCAN cursor guarantee of a hashtable set.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SetEnc, SetValue, type SetLimits } from '../../src/types/set.js';
import { canonicalInt64, compareBig, pooledString, runs, sequence } from '../helpers/property.js';

type Enc = 'intset' | 'listpack' | 'hashtable';
const ENC_OF: Record<Enc, SetEnc> = { intset: SetEnc.Intset, listpack: SetEnc.Listpack, hashtable: SetEnc.Hashtable };

const POOL = [
  '0', '1', '-1', '2', '10', '-10', '100', '123456', '9223372036854775807', '-9223372036854775808',
  '01', '-0', '+1', '1.0', ' 1', '9223372036854775808', 'a', 'b', '', '\x00', '\xff', 'abcdefgh',
];
const member = fc.oneof(
  { weight: 3, arbitrary: pooledString(POOL) },
  { weight: 2, arbitrary: fc.integer({ min: -20, max: 20 }).map(String) },
);

const opArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('sadd' as const), members: fc.array(member, { minLength: 1, maxLength: 6 }) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('delete' as const), m: member }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('has' as const), m: member }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('random' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('sample' as const), n: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('pop' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('popMany' as const), n: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('toHashtable' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('maybeIntset' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('union' as const), other: fc.array(member, { maxLength: 6 }), missing: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('clone' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('scanStart' as const) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('scanStep' as const), count: fc.integer({ min: 1, max: 4 }) }) },
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

const limitsArb = fc.record({
  setMaxIntsetEntries: fc.integer({ min: 0, max: 10 }),
  setMaxListpackEntries: fc.integer({ min: 0, max: 10 }),
  setMaxListpackValue: fc.integer({ min: 0, max: 8 }),
});

interface Scan {
  cursor: number;
  seen: Map<string, number>;
  throughout: Set<string>;
}

/** The reference: members in iteration order plus the encoding, following Redis 7.2's t_set.c rules. */
class Model {
  order: string[] = [];
  scan: Scan | null = null;

  constructor(
    public enc: Enc,
    private limits: SetLimits,
  ) {}

  /** setTypeCreate: an intset for an integer first member within the intset limit, else by the size hint. */
  static create(first: string, hint: number, limits: SetLimits): Model {
    if (hint <= limits.setMaxIntsetEntries && canonicalInt64(first)) return new Model('intset', limits);
    return new Model(hint <= limits.setMaxListpackEntries ? 'listpack' : 'hashtable', limits);
  }

  get size(): number {
    return this.order.length;
  }

  has(m: string): boolean {
    return this.order.includes(m);
  }

  /** setTypeMaybeConvert: a bulk add bigger than the compact encoding allows goes straight to a hashtable. */
  prepareAdd(hint: number): void {
    const l = this.limits;
    if ((this.enc === 'listpack' && hint > l.setMaxListpackEntries) || (this.enc === 'intset' && hint > l.setMaxIntsetEntries)) {
      this.enc = 'hashtable';
    }
  }

  /** setTypeAdd. */
  add(m: string): boolean {
    if (this.has(m)) return false;
    const l = this.limits;
    if (this.enc === 'intset') {
      if (canonicalInt64(m)) {
        this.order.push(m);
        this.order.sort(compareBig);
        if (this.size > Math.min(l.setMaxIntsetEntries, 2 ** 30)) this.enc = 'hashtable';
        return true;
      }
      const widest = Math.max(0, ...this.order.map((s) => s.length));
      const fits = this.size < l.setMaxListpackEntries && m.length <= l.setMaxListpackValue && widest <= l.setMaxListpackValue;
      this.enc = fits ? 'listpack' : 'hashtable';
    } else if (this.enc === 'listpack' && (this.size >= l.setMaxListpackEntries || m.length > l.setMaxListpackValue)) {
      this.enc = 'hashtable';
    }
    this.order.push(m);
    return true;
  }

  delete(m: string): boolean {
    const i = this.order.indexOf(m);
    if (i < 0) return false;
    this.order.splice(i, 1);
    this.scan?.throughout.delete(m);
    return true;
  }

  /** maybeConvertToIntset (all members are integers): back to an intset, ascending, unless too big for one. */
  maybeIntset(): void {
    if (this.enc === 'intset' || this.size > Math.min(this.limits.setMaxIntsetEntries, 2 ** 30)) return;
    this.enc = 'intset';
    this.order.sort(compareBig);
  }
}

function build(members: readonly string[], limits: SetLimits): { s: SetValue; m: Model } {
  const s = SetValue.forFirst(members[0]!, members.length, limits);
  const m = Model.create(members[0]!, members.length, limits);
  for (const x of members) assert.equal(s.add(x, limits), m.add(x));
  return { s, m };
}

function check(s: SetValue, m: Model): void {
  assert.equal(s.size, m.size);
  assert.equal(s.encoding, m.enc);
  assert.deepEqual([...s.values()], m.order);
  assert.equal(s.scannable, m.enc === 'hashtable');
}

function step(state: { s: SetValue; m: Model }, op: Op, limits: SetLimits): void {
  const { s, m } = state;
  switch (op.k) {
    case 'sadd': {
      if (m.size === 0) {
        // SADD on a missing key (an emptied set is deleted): a new set whose encoding comes from the first member.
        Object.assign(state, build(op.members, limits));
        return;
      }
      s.prepareAdd(op.members.length, limits);
      m.prepareAdd(op.members.length);
      for (const x of op.members) assert.equal(s.add(x, limits), m.add(x));
      return;
    }
    case 'delete':
      assert.equal(s.delete(op.m), m.delete(op.m));
      return;
    case 'has':
      assert.equal(s.has(op.m), m.has(op.m));
      return;
    case 'random':
      if (m.size > 0) assert.ok(m.has(s.random()));
      return;
    case 'sample': {
      const k = Math.min(op.n, m.size);
      const got = s.sample(k);
      assert.equal(got.length, k);
      assert.equal(new Set(got).size, k, 'sampled members are distinct');
      for (const x of got) assert.ok(m.has(x));
      return;
    }
    case 'pop': {
      if (m.size === 0) return;
      const x = s.pop();
      assert.ok(m.delete(x), `popped ${JSON.stringify(x)} was a member`);
      return;
    }
    case 'popMany': {
      // popMany wants k below the size (SPOP with a count that covers the whole set takes another path).
      if (m.size < 2) return;
      const k = op.n % m.size;
      const got = s.popMany(k);
      assert.equal(got.length, k);
      assert.equal(new Set(got).size, k, 'popped members are distinct');
      for (const x of got) assert.ok(m.delete(x), `popped ${JSON.stringify(x)} was a member`);
      return;
    }
    case 'toHashtable':
      s.convert(SetEnc.Hashtable);
      if (m.enc !== 'hashtable') m.scan = null;
      m.enc = 'hashtable';
      return;
    case 'maybeIntset':
      if (!m.order.every(canonicalInt64)) return;
      s.maybeIntset(limits);
      if (m.enc !== 'intset') m.scan = null;
      m.maybeIntset();
      return;
    case 'union': {
      // SUNION builds its result as a new intset receiving every member of every set in iteration order.
      const other = op.other.length > 0 ? build(op.other, limits) : null;
      const got = SetValue.union([s, op.missing ? undefined : other?.s], limits);
      const want = new Model('intset', limits);
      for (const x of m.order) want.add(x);
      if (!op.missing && other !== null) for (const x of other.m.order) want.add(x);
      check(got, want);
      return;
    }
    case 'clone': {
      const copy = s.clone();
      check(copy, m);
      // Independent: changing the copy leaves the original alone.
      copy.add('clone-probe', limits);
      assert.equal(s.has('clone-probe'), false);
      state.s = s.clone();
      m.scan = null;
      return;
    }
    case 'scanStart':
      if (m.enc === 'hashtable') m.scan = { cursor: 0, seen: new Map(), throughout: new Set(m.order) };
      return;
    case 'scanStep': {
      const scan = m.scan;
      if (scan === null) return;
      scan.cursor = s.scan(scan.cursor, op.count, (x) => {
        assert.ok(m.has(x), `scan returned ${JSON.stringify(x)}, not a member`);
        scan.seen.set(x, (scan.seen.get(x) ?? 0) + 1);
      });
      if (scan.cursor === 0) {
        for (const x of scan.throughout) assert.equal(scan.seen.get(x), 1, `member ${JSON.stringify(x)} present for the whole scan`);
        m.scan = null;
      }
      return;
    }
  }
}

describe('SetValue (property)', () => {
  it('matches a reference model after every operation, in every encoding', () => {
    fc.assert(
      fc.property(limitsArb, fc.array(member, { minLength: 1, maxLength: 6 }), sequence(opArb, 100), (limits, first, ops) => {
        const state = build(first, limits);
        check(state.s, state.m);
        for (const op of ops) {
          step(state, op, limits);
          check(state.s, state.m);
        }
      }),
      runs(300),
    );
  });

  it('starts in the encoding setTypeCreate picks', () => {
    fc.assert(
      fc.property(limitsArb, member, fc.nat(12), (limits, first, hint) => {
        const s = SetValue.forFirst(first, hint, limits);
        assert.equal(s.enc, ENC_OF[Model.create(first, hint, limits).enc]);
      }),
      runs(200),
    );
  });
});

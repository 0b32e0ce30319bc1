/**
 * Property test: random operation sequences on SortedSet (types/sorted-set.ts) against a sorted array of
 * (member, score) pairs, compared after every operation — adds, score updates and removals, ranks, positions and
 * walks by rank, score ranges with exclusive and infinite bounds, lex ranges (on equal scores, where Redis defines
 * them), range deletions, the listpack/skiplist flag, copies and the slot-based SCAN cursor. Scores tie often and
 * members contain \x00 and \xff, so the member-byte tie-break is exercised; bulk inserts grow the B+tree past
 * leaf and inner-node splits and range deletions merge it back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SortedSet, type LexRange, type ScoreRange, type ZNode, type ZsetLimits } from '../../src/types/sorted-set.js';
import { pooledString, runs, sequence } from '../helpers/property.js';

type Pair = readonly [member: string, score: number];

// ---- reference model ----

/** Score first, then member bytes (latin1 strings compare like memcmp). */
function cmpPair(a: Pair, b: Pair): number {
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function inScore(s: number, r: ScoreRange): boolean {
  return (r.minex ? s > r.min : s >= r.min) && (r.maxex ? s < r.max : s <= r.max);
}

/** A member against a lex bound: `-` (kind -1) is below everything, `+` (kind 1) above everything. */
function lexCmp(m: string, bound: string, kind: number): number {
  if (kind === -1) return 1;
  if (kind === 1) return -1;
  return m < bound ? -1 : m > bound ? 1 : 0;
}

function inLex(m: string, r: LexRange): boolean {
  const a = lexCmp(m, r.min, r.minKind);
  const b = lexCmp(m, r.max, r.maxKind);
  return (r.minex ? a > 0 : a >= 0) && (r.maxex ? b < 0 : b <= 0);
}

class Model {
  sorted: Pair[] = [];
  listpack: boolean;

  constructor(
    listpack: boolean,
    private limits: ZsetLimits,
  ) {
    this.listpack = listpack;
  }

  indexOf(m: string): number {
    return this.sorted.findIndex((p) => p[0] === m);
  }

  score(m: string): number | undefined {
    return this.sorted.find((p) => p[0] === m)?.[1];
  }

  /** A listpack stores an integral score as an integer, so -0 reads back as 0; a skiplist keeps the sign. */
  insert(m: string, s: number): void {
    const p: Pair = [m, this.listpack && s === 0 ? 0 : s];
    let i = 0;
    while (i < this.sorted.length && cmpPair(this.sorted[i]!, p) < 0) i++;
    this.sorted.splice(i, 0, p);
  }

  remove(m: string): boolean {
    const i = this.indexOf(m);
    if (i < 0) return false;
    this.sorted.splice(i, 1);
    return true;
  }

  /** zsetAdd on a listpack: one member too many, or one too long, converts for good. */
  prepareAdd(len: number, size = this.sorted.length): void {
    if (size + 1 > this.limits.zsetMaxListpackEntries || len > this.limits.zsetMaxListpackValue) this.listpack = false;
  }

  /** Lex ranges are defined when every score is the same. */
  get flat(): boolean {
    return this.sorted.every((p) => p[1] === this.sorted[0]![1]);
  }

  /** [rank of the first pair in, how many are in], for a predicate that holds on a contiguous run. */
  span(pred: (p: Pair) => boolean): { first: number; count: number } {
    const first = this.sorted.findIndex(pred);
    const count = this.sorted.filter(pred).length;
    return { first: Math.max(first, 0), count };
  }
}

// ---- generators ----

const MEMBERS = ['', 'a', 'b', 'ab', 'a\x00', 'a\xff', '\x00', '\xff', '\xff\xff', '\x00\x00', 'b\x00a', 'long-member'];
const member = pooledString(MEMBERS, 3);
/**
 * Few distinct scores, so ties are common. -0 ties with 0, an update between them changes nothing, and a listpack
 * keeps -0 as 0.
 */
const SCORES = [-Infinity, -2, -1, -0.5, -0, 0, 0.5, 1, 1.5, 2, 3, Infinity];
const score = fc.constantFrom(...SCORES);
const scoreRange = fc.record({ min: score, max: score, minex: fc.boolean(), maxex: fc.boolean() });
const lexBound = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom({ s: '', kind: -1 }, { s: '', kind: 1 }) },
  { weight: 4, arbitrary: member.map((s) => ({ s, kind: 0 })) },
);
const lexRange = fc
  .record({ lo: lexBound, hi: lexBound, minex: fc.boolean(), maxex: fc.boolean() })
  .map(({ lo, hi, minex, maxex }): LexRange => ({ min: lo.s, minKind: lo.kind, max: hi.s, maxKind: hi.kind, minex, maxex }));

const opArb = fc.oneof(
  { weight: 8, arbitrary: fc.record({ k: fc.constant('add' as const), m: member, s: score }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('incr' as const), m: member, by: fc.constantFrom(-1, 0.5, 2, Infinity) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('delete' as const), m: member }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('lookup' as const), m: member }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('byRank' as const), r: fc.nat(1000), steps: fc.integer({ min: -3, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('walk' as const), start: fc.nat(1000), count: fc.integer({ min: -1, max: 8 }), reverse: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('scoreRange' as const), r: scoreRange }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('lexRange' as const), r: lexRange }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delRank' as const), start: fc.nat(1000), len: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delScore' as const), r: scoreRange }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delLex' as const), r: lexRange }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('compact' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('clone' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('scanStart' as const) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('scanStep' as const), count: fc.integer({ min: 1, max: 5 }) }) },
);
type Op =
  | (typeof opArb extends fc.Arbitrary<infer T> ? T : never)
  | { k: 'bulk'; n: number; salt: number };

const limitsArb = fc.record({
  zsetMaxListpackEntries: fc.integer({ min: 0, max: 12 }),
  zsetMaxListpackValue: fc.integer({ min: 0, max: 4 }),
});

// ---- running ----

const BULK_PREFIXES = ['', '\x00', '\xff', 'b'];

interface State {
  z: SortedSet;
  m: Model;
  /** Lex mode: every score written is 0, so lex ranges are defined all along. */
  lexMode: boolean;
  scan: { cursor: number; seen: Map<string, number>; throughout: Set<string> } | null;
}

/** The pairs a position walk reaches: from `node`, `steps` moves forward (or backward when negative). */
function navigate(node: ZNode | null, steps: number): Pair | null {
  for (let i = 0; node !== null && i < Math.abs(steps); i++) node = steps > 0 ? node.next[0]! : node.backward;
  return node === null ? null : [node.member, node.score];
}

function setScore(st: State, m: string, s: number, limits: ZsetLimits): void {
  const old = st.m.score(m);
  if (old === undefined) {
    st.z.prepareAdd(m.length, limits);
    st.m.prepareAdd(m.length);
    st.z.add(m, s);
    st.m.insert(m, s);
  } else {
    st.z.setScore(m, s);
    // As zsetAdd: an equal score (0 and -0 included) leaves the pair untouched.
    if (s !== old) {
      st.m.remove(m);
      st.m.insert(m, s);
    }
  }
}

function forget(st: State, m: string): void {
  st.scan?.throughout.delete(m);
}

function step(st: State, op: Op, limits: ZsetLimits): void {
  const { z, m } = st;
  const sorted = m.sorted;
  const n = sorted.length;
  switch (op.k) {
    case 'add':
      setScore(st, op.m, st.lexMode ? 0 : op.s, limits);
      return;
    case 'incr': {
      const old = m.score(op.m);
      if (old === undefined || st.lexMode) return;
      const s = old + op.by;
      if (!Number.isNaN(s)) setScore(st, op.m, s, limits);
      return;
    }
    case 'bulk': {
      // Distinct new members with tied scores and \x00/\xff prefixes, added one by one as ZADD would; the
      // model takes them in one sort (inserting one by one into the array would be quadratic).
      const have = new Set(sorted.map((p) => p[0]));
      const added: Pair[] = [];
      for (let i = 0; i < op.n; i++) {
        const name = `${BULK_PREFIXES[(i + op.salt) % 4]}k${op.salt}-${i}`;
        if (have.has(name)) continue;
        have.add(name);
        const s = st.lexMode ? 0 : ((i * 7 + op.salt) % 9) - 4;
        z.prepareAdd(name.length, limits);
        m.prepareAdd(name.length, n + added.length);
        z.add(name, s);
        added.push([name, s]);
      }
      m.sorted = [...sorted, ...added].sort(cmpPair);
      return;
    }
    case 'delete': {
      forget(st, op.m);
      assert.equal(z.delete(op.m), m.remove(op.m));
      return;
    }
    case 'lookup': {
      const i = m.indexOf(op.m);
      assert.equal(z.has(op.m), i >= 0);
      assert.equal(z.score(op.m), i >= 0 ? sorted[i]![1] : undefined);
      assert.equal(z.rank(op.m), i);
      return;
    }
    case 'byRank': {
      if (n === 0) {
        assert.equal(z.first(), null);
        assert.equal(z.last(), null);
        return;
      }
      const r = op.r % n;
      assert.equal(z.memberAt(r), sorted[r]![0]);
      const want = r + op.steps >= 0 && r + op.steps < n ? sorted[r + op.steps]! : null;
      assert.deepEqual(navigate(z.byRank(r), op.steps), want);
      assert.deepEqual(navigate(z.first(), 0), sorted[0]);
      assert.deepEqual(navigate(z.last(), 0), sorted[n - 1]);
      assert.equal(z.firstMember(), sorted[0]![0]);
      assert.equal(z.lastMember(), sorted[n - 1]![0]);
      return;
    }
    case 'walk': {
      if (n === 0) return;
      const start = op.start % n;
      const got: Pair[] = [];
      z.walk(start, op.count, op.reverse, (mm, s) => got.push([mm, s]));
      const want: Pair[] = [];
      for (let k = 0; k < op.count; k++) {
        const i = op.reverse ? start - k : start + k;
        if (i < 0 || i >= n) break;
        want.push(sorted[i]!);
      }
      assert.deepEqual(got, want);
      return;
    }
    case 'scoreRange': {
      const want = m.span((p) => inScore(p[1], op.r));
      const got = z.scoreRange(op.r);
      assert.equal(got.count, want.count, 'score range count');
      if (want.count > 0) assert.equal(got.first, want.first, 'score range first rank');
      assert.equal(z.countInRange(op.r), want.count);
      return;
    }
    case 'lexRange': {
      if (!m.flat) return;
      const want = m.span((p) => inLex(p[0], op.r));
      const got = z.lexRange(op.r);
      assert.equal(got.count, want.count, 'lex range count');
      if (want.count > 0) assert.equal(got.first, want.first, 'lex range first rank');
      assert.equal(z.countInLex(op.r), want.count);
      return;
    }
    case 'delRank': {
      if (n === 0) return;
      const start = op.start % n;
      const end = Math.min(n - 1, start + op.len);
      for (let i = start; i <= end; i++) forget(st, sorted[i]![0]);
      assert.equal(z.deleteRangeByRank(start, end), end - start + 1);
      sorted.splice(start, end - start + 1);
      return;
    }
    case 'delScore':
    case 'delLex': {
      if (op.k === 'delLex' && !m.flat) return;
      const inside = (p: Pair) => (op.k === 'delScore' ? inScore(p[1], op.r as ScoreRange) : inLex(p[0], op.r as LexRange));
      const gone = sorted.filter(inside);
      for (const p of gone) forget(st, p[0]);
      const removed = op.k === 'delScore' ? z.deleteRangeByScore(op.r) : z.deleteRangeByLex(op.r);
      assert.equal(removed, gone.length);
      m.sorted = sorted.filter((p) => !inside(p));
      return;
    }
    case 'compact': {
      // What a store command does after building its result: back to listpack when small enough.
      const maxLen = Math.max(0, ...sorted.map((p) => p[0].length));
      z.compactIfSmall(maxLen, limits);
      if (!m.listpack && n <= limits.zsetMaxListpackEntries && maxLen <= limits.zsetMaxListpackValue) {
        m.listpack = true;
        // The rewrite into a listpack turns -0 into 0.
        m.sorted = sorted.map(([mm, s]) => [mm, s === 0 ? 0 : s]);
      }
      return;
    }
    case 'clone': {
      const copy = z.clone();
      copy.add('clone-probe', 0);
      assert.equal(z.has('clone-probe'), false);
      copy.delete('clone-probe');
      st.z = copy;
      // A copy has its own slots: a scan in progress does not carry over.
      st.scan = null;
      return;
    }
    case 'scanStart':
      st.scan = { cursor: 0, seen: new Map(), throughout: new Set(sorted.map((p) => p[0])) };
      return;
    case 'scanStep': {
      const scan = st.scan;
      if (scan === null) return;
      scan.cursor = z.scan(scan.cursor, op.count, (mm, s) => {
        assert.equal(m.score(mm), s, `scan returned ${JSON.stringify(mm)} with its current score`);
        scan.seen.set(mm, (scan.seen.get(mm) ?? 0) + 1);
      });
      if (scan.cursor === 0) {
        for (const mm of scan.throughout) assert.equal(scan.seen.get(mm), 1, `member ${JSON.stringify(mm)} present for the whole scan`);
        st.scan = null;
      }
      return;
    }
  }
}

function check(st: State): void {
  const { z, m } = st;
  z.verify();
  assert.equal(z.size, m.sorted.length);
  assert.deepEqual([...z.entries()], m.sorted);
  assert.equal(z.encoding, m.listpack ? 'listpack' : 'skiplist');
}

function run(limits: ZsetLimits, create: { size: number; maxLen: number }, lexMode: boolean, ops: Op[], fullCheckEvery = 1): void {
  const z = SortedSet.create(create.size, create.maxLen, limits);
  const listpack = create.size <= limits.zsetMaxListpackEntries && create.maxLen <= limits.zsetMaxListpackValue;
  const st: State = { z, m: new Model(listpack, limits), lexMode, scan: null };
  check(st);
  ops.forEach((op, i) => {
    step(st, op, limits);
    if (i % fullCheckEvery === 0 || op.k === 'bulk') check(st);
  });
  check(st);
}

const createArb = fc.record({ size: fc.nat(14), maxLen: fc.nat(6) });

describe('SortedSet (property)', () => {
  it('matches a sorted-array model after every operation', () => {
    fc.assert(
      fc.property(limitsArb, createArb, fc.boolean(), sequence(opArb, 100), (limits, create, lexMode, ops) => {
        run(limits, create, lexMode, ops);
      }),
      runs(300),
    );
  });

  it('matches the model on big sets, through leaf and inner-node splits and merges', () => {
    // Bulk inserts of up to 3000 members (a two- or three-level tree with inner splits past ~4000 members)
    // mixed with the ordinary operations; range deletions then shrink it through merges.
    const bulk = fc.record({ k: fc.constant('bulk' as const), n: fc.integer({ min: 100, max: 3000 }), salt: fc.nat(50) });
    const bigOp = fc.oneof({ weight: 1, arbitrary: bulk as fc.Arbitrary<Op> }, { weight: 12, arbitrary: opArb as fc.Arbitrary<Op> });
    const delBig = fc.record({ k: fc.constant('delRank' as const), start: fc.nat(5000), len: fc.integer({ min: 50, max: 2000 }) });
    fc.assert(
      fc.property(
        fc.boolean(),
        sequence(fc.oneof({ weight: 6, arbitrary: bigOp }, { weight: 1, arbitrary: delBig as fc.Arbitrary<Op> }), 40),
        (lexMode, ops) => {
          run({ zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64 }, { size: 1, maxLen: 1 }, lexMode, ops, 5);
        },
      ),
      runs(12),
    );
  });
});

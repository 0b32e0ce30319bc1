/**
 * The skiplist against a sorted-array model: random inserts, score updates and deletes, then every query (rank,
 * by-rank, score and lex ranges with exclusive bounds, counts, range deletions) compared with the model. Members
 * include \x00 and \xff bytes and many score ties, so the member-byte tie-break is exercised.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SortedSet, type LexRange, type ScoreRange } from '../../src/types/sorted-set.js';

type Pair = [string, number];

function cmp(a: Pair, b: Pair): number {
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** A tiny deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'b', 'ab', '\x00', '\xff', 'a\x00', 'a\xff', '\xff\xff', '', 'b\x00a', 'zz'];

function randomMember(r: () => number): string {
  if (r() < 0.5) return ALPHABET[Math.floor(r() * ALPHABET.length)]!;
  let s = '';
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) s += String.fromCharCode([0, 1, 97, 98, 254, 255][Math.floor(r() * 6)]!);
  return s;
}

function randomScore(r: () => number): number {
  const k = r();
  if (k < 0.05) return Infinity;
  if (k < 0.1) return -Infinity;
  // Few distinct scores: lots of ties.
  return Math.floor(r() * 7) - 3 + (r() < 0.2 ? 0.5 : 0);
}

function model(zs: SortedSet): Pair[] {
  return [...zs.entries()];
}

function inScore(s: number, r: ScoreRange): boolean {
  return (r.minex ? s > r.min : s >= r.min) && (r.maxex ? s < r.max : s <= r.max);
}

function lexCmp(m: string, b: string, kind: number): number {
  if (kind !== 0) return -kind;
  return m < b ? -1 : m > b ? 1 : 0;
}

function inLex(m: string, r: LexRange): boolean {
  const a = lexCmp(m, r.min, r.minKind);
  const b = lexCmp(m, r.max, r.maxKind);
  return (r.minex ? a > 0 : a >= 0) && (r.maxex ? b < 0 : b <= 0);
}

function randomScoreRange(r: () => number): ScoreRange {
  const pick = () => (r() < 0.1 ? (r() < 0.5 ? -Infinity : Infinity) : Math.floor(r() * 9) - 4 + (r() < 0.2 ? 0.5 : 0));
  return { min: pick(), max: pick(), minex: r() < 0.4, maxex: r() < 0.4 };
}

function randomLexRange(r: () => number): LexRange {
  const bound = () => {
    const k = r();
    if (k < 0.1) return { s: '', kind: -1, ex: true };
    if (k < 0.2) return { s: '', kind: 1, ex: true };
    return { s: randomMember(r), kind: 0, ex: r() < 0.5 };
  };
  const a = bound();
  const b = bound();
  return { min: a.s, minKind: a.kind, minex: a.ex, max: b.s, maxKind: b.kind, maxex: b.ex };
}

function checkStructure(zs: SortedSet, expected: Pair[]): void {
  zs.verify();
  assert.deepEqual(model(zs), expected);
  assert.equal(zs.size, expected.length);
  // Walking down from the top mirrors the ascending order.
  const back: Pair[] = [];
  zs.walk(expected.length - 1, expected.length, true, (m, s) => back.push([m, s]));
  assert.deepEqual(back.reverse(), expected);
  for (let i = 0; i < expected.length; i++) {
    const [m, s] = expected[i]!;
    assert.equal(zs.rank(m), i, `rank of ${JSON.stringify(m)}`);
    assert.equal(zs.score(m), s);
    assert.equal(zs.memberAt(i), m);
  }
  if (expected.length > 0) {
    assert.equal(zs.firstMember(), expected[0]![0]);
    assert.equal(zs.lastMember(), expected[expected.length - 1]![0]);
  }
}

describe('SortedSet', () => {
  it('orders by score then member bytes, \\x00 and \\xff included', () => {
    const zs = new SortedSet();
    for (const m of ['b', '\xff', 'a', '\x00', 'a\x00', '', 'ab']) zs.add(m, 1);
    zs.add('low', 0);
    zs.add('high', 2);
    assert.deepEqual(
      [...zs.entries()].map((p) => p[0]),
      ['low', '', '\x00', 'a', 'a\x00', 'ab', 'b', '\xff', 'high'],
    );
  });

  it('matches a sorted-array model under random operations', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = rng(seed);
      const zs = new SortedSet();
      const ref = new Map<string, number>();
      const sorted = () => [...ref].sort(cmp);
      for (let step = 0; step < 1500; step++) {
        const op = r();
        const m = randomMember(r);
        if (op < 0.45) {
          const s = randomScore(r);
          if (zs.has(m)) zs.setScore(m, s);
          else zs.add(m, s);
          ref.set(m, s);
        } else if (op < 0.7) {
          assert.equal(zs.delete(m), ref.delete(m));
        } else if (op < 0.8) {
          const exp = sorted();
          const range = randomScoreRange(r);
          const inside = exp.filter((p) => inScore(p[1], range));
          assert.equal(zs.countInRange(range), inside.length, JSON.stringify(range));
          const { first, count } = zs.scoreRange(range);
          const got: Pair[] = [];
          zs.walk(first, count, false, (m2, s2) => got.push([m2, s2]));
          assert.deepEqual(got, inside);
        } else if (op < 0.88) {
          // Lex queries are defined for equal scores: check on a set where every score is 0.
          const flat = new SortedSet();
          for (const k of ref.keys()) flat.add(k, 0);
          const range = randomLexRange(r);
          const inside = [...ref.keys()].sort().filter((k) => inLex(k, range));
          assert.equal(flat.countInLex(range), inside.length);
          const { first, count } = flat.lexRange(range);
          const got: string[] = [];
          flat.walk(first, count, false, (m2) => got.push(m2));
          assert.deepEqual(got, inside);
          if (r() < 0.3) {
            assert.equal(flat.deleteRangeByLex(range), inside.length);
            flat.verify();
            assert.deepEqual([...flat.entries()].map((p) => p[0]), [...ref.keys()].sort().filter((k) => !inLex(k, range)));
          }
        } else if (op < 0.92) {
          const exp = sorted();
          if (exp.length > 0) {
            const a = Math.floor(r() * exp.length);
            const b = a + Math.floor(r() * 4);
            const end = Math.min(b, exp.length - 1);
            assert.equal(zs.deleteRangeByRank(a, end), end - a + 1);
            for (let i = a; i <= end; i++) ref.delete(exp[i]![0]);
          }
        } else if (op < 0.95) {
          const range = randomScoreRange(r);
          const exp = sorted();
          const gone = exp.filter((p) => inScore(p[1], range));
          assert.equal(zs.deleteRangeByScore(range), gone.length);
          for (const p of gone) ref.delete(p[0]);
        } else {
          checkStructure(zs, sorted());
        }
      }
      checkStructure(zs, sorted());
      checkStructure(zs.clone(), sorted());
    }
  });

  it('stays consistent through leaf and inner node splits and merges', () => {
    for (let seed = 100; seed < 104; seed++) {
      const r = rng(seed);
      const zs = new SortedSet(false);
      const ref = new Map<string, number>();
      const sorted = () => [...ref].sort(cmp);
      // Grow to tens of thousands (three levels), then shrink with single and range deletions, then regrow.
      for (const [steps, pAdd] of [[40000, 0.9], [30000, 0.25], [20000, 0.7]] as const) {
        for (let step = 0; step < steps; step++) {
          const m = `k${Math.floor(r() * 60000)}${r() < 0.1 ? '\xff' : ''}`;
          const op = r();
          if (op < pAdd) {
            const s = Math.floor(r() * 50) + (r() < 0.1 ? 0.5 : 0);
            if (zs.has(m)) zs.setScore(m, s);
            else zs.add(m, s);
            ref.set(m, s);
          } else if (op < 0.995) {
            assert.equal(zs.delete(m), ref.delete(m));
          } else if (ref.size > 0) {
            const exp = sorted();
            const a = Math.floor(r() * exp.length);
            const cnt = Math.min(exp.length - a, 1 + Math.floor(r() * 700));
            assert.equal(zs.deleteRange(a, cnt), cnt);
            for (let i = a; i < a + cnt; i++) ref.delete(exp[i]![0]);
          }
          if (step % 5000 === 0) zs.verify();
        }
        checkStructure(zs, sorted());
      }
    }
  });

  it('keeps a member in its slot across score updates, so a scan sees it exactly once', () => {
    const zs = new SortedSet(false);
    for (let i = 0; i < 200; i++) zs.add(`m${i}`, i);
    const seen = new Map<string, number>();
    let cursor = 0;
    let round = 0;
    do {
      cursor = zs.scan(cursor, 7, (m) => seen.set(m, (seen.get(m) ?? 0) + 1));
      // Churn while scanning: move scores around, delete and add other members.
      for (let i = 0; i < 200; i += 3) zs.setScore(`m${i}`, (i * 7919 + round) % 101);
      zs.delete(`x${round - 1}`);
      zs.add(`x${round}`, round);
      round++;
    } while (cursor !== 0);
    for (let i = 0; i < 200; i++) assert.equal(seen.get(`m${i}`), 1, `m${i}`);
  });

  it('tracks the encoding one way and back for stores', () => {
    const limits = { zsetMaxListpackEntries: 3, zsetMaxListpackValue: 4 };
    const zs = SortedSet.create(1, 1, limits);
    assert.equal(zs.encoding, 'listpack');
    for (const m of ['a', 'b', 'c']) {
      zs.prepareAdd(m.length, limits);
      zs.add(m, 1);
    }
    assert.equal(zs.encoding, 'listpack');
    zs.prepareAdd(1, limits);
    zs.add('d', 1);
    assert.equal(zs.encoding, 'skiplist');
    zs.delete('d');
    zs.delete('c');
    assert.equal(zs.encoding, 'skiplist');
    zs.compactIfSmall(1, limits);
    assert.equal(zs.encoding, 'listpack');
    assert.equal(SortedSet.create(1, 5, limits).encoding, 'skiplist');
    assert.equal(SortedSet.create(4, 1, limits).encoding, 'skiplist');
    const small = SortedSet.create(1, 1, limits);
    small.prepareAdd(5, limits);
    assert.equal(small.encoding, 'skiplist');
  });

  it('handles ranks, pops and ranges on a large set', () => {
    const zs = new SortedSet(false);
    const n = 20000;
    for (let i = 0; i < n; i++) zs.add(`k${i}`, (i * 7919) % n);
    zs.verify();
    for (let i = 0; i < n; i += 997) {
      const m = zs.memberAt(i);
      assert.equal(zs.score(m), i);
      assert.equal(zs.rank(m), i);
    }
    assert.equal(zs.countInRange({ min: 100, max: 199, minex: false, maxex: false }), 100);
    assert.equal(zs.countInRange({ min: 100, max: 199, minex: true, maxex: true }), 98);
    zs.delete(zs.firstMember());
    zs.delete(zs.lastMember());
    assert.equal(zs.score(zs.firstMember()), 1);
    assert.equal(zs.score(zs.lastMember()), n - 2);
    // Element-wise positions (used by SORT) walk both ways.
    assert.equal(zs.first()!.score, 1);
    assert.equal(zs.first()!.next[0]!.score, 2);
    assert.equal(zs.last()!.backward!.score, n - 3);
    assert.equal(zs.byRank(500).member, zs.memberAt(500));
    // Deleting ranges spanning many leaves keeps the tree consistent.
    assert.equal(zs.deleteRangeByRank(1000, 15000), 14001);
    zs.verify();
    assert.equal(zs.deleteRangeByScore({ min: 5000, max: 19000, minex: false, maxex: false }), 19000 - 15002 + 1);
    zs.verify();
    assert.equal(zs.deleteRangeByScore({ min: -Infinity, max: Infinity, minex: false, maxex: false }), n - 2 - 14001 - 3999);
    assert.equal(zs.size, 0);
    zs.verify();
    assert.equal(zs.first(), null);
    assert.equal(zs.last(), null);
    zs.add('again', 1);
    zs.verify();
    assert.equal(zs.firstMember(), 'again');
  });
});

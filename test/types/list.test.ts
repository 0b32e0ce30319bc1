/**
 * The list deque against a plain array model under random operations, plus the listpack size accounting and
 * the listpack/quicklist transitions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { List, lpEntrySize } from '../../src/types/list.js';

/** A small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const expectedBytes = (items: string[]) => 7 + items.reduce((n, s) => n + lpEntrySize(s), 0);

describe('List deque', () => {
  it('matches an array model under random operations', () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const rand = rng(seed);
      const l = new List();
      const model: string[] = [];
      const values = ['a', 'b', 'c', '1', '-7', '300', 'x'.repeat(70), ''];
      const pick = () => values[Math.floor(rand() * values.length)]!;
      for (let step = 0; step < 20000; step++) {
        const op = Math.floor(rand() * 100);
        // Grow on average, with bursts of pops so the buffer shrinks and wraps around.
        const popBias = step % 4000 > 3000 ? 60 : 35;
        if (op < 20) {
          const v = pick();
          l.pushBack(v);
          model.push(v);
        } else if (op < 40) {
          const v = pick();
          l.pushFront(v);
          model.unshift(v);
        } else if (op < 40 + popBias / 2) {
          if (model.length > 0) assert.equal(l.popFront(), model.shift());
        } else if (op < 40 + popBias) {
          if (model.length > 0) assert.equal(l.popBack(), model.pop());
        } else if (op < 85) {
          if (model.length > 0) {
            const i = Math.floor(rand() * model.length);
            const v = pick();
            l.set(i, v);
            model[i] = v;
          }
        } else if (op < 92) {
          const i = Math.floor(rand() * (model.length + 1));
          const v = pick();
          l.insert(i, v);
          model.splice(i, 0, v);
        } else if (op < 95) {
          const v = pick();
          const limit = Math.floor(rand() * 3);
          const fromTail = rand() < 0.5;
          let removed = 0;
          if (!fromTail) {
            for (let i = 0; i < model.length; ) {
              if (model[i] === v && (limit === 0 || removed < limit)) {
                model.splice(i, 1);
                removed++;
              } else i++;
            }
          } else {
            for (let i = model.length - 1; i >= 0; i--) {
              if (model[i] === v && (limit === 0 || removed < limit)) {
                model.splice(i, 1);
                removed++;
              }
            }
          }
          assert.equal(l.removeMatching(v, limit, fromTail), removed);
        } else if (op < 97) {
          const front = Math.floor(rand() * (model.length + 1) * 0.3);
          const back = Math.floor(rand() * (model.length - front + 1) * 0.3);
          l.trim(front, back);
          model.splice(0, front);
          model.splice(model.length - back, back);
        } else {
          const v = pick();
          assert.equal(l.indexOf(v), model.indexOf(v));
        }
        assert.equal(l.length, model.length);
        if (step % 97 === 0) {
          assert.deepEqual(l.toArray(), model);
          assert.equal(l.bytes, expectedBytes(model));
        }
      }
      assert.deepEqual(l.toArray(), model);
      for (let i = 0; i < model.length; i++) assert.equal(l.at(i), model[i]);
    }
  });

  it('handles a million elements at both ends', () => {
    const l = new List();
    for (let i = 0; i < 1_000_000; i++) l.pushBack(String(i));
    for (let i = 0; i < 1000; i++) l.pushFront('f' + i);
    assert.equal(l.length, 1_001_000);
    assert.equal(l.at(0), 'f999');
    assert.equal(l.at(1000), '0');
    assert.equal(l.at(l.length - 1), '999999');
    for (let i = 0; i < 999_000; i++) l.popFront();
    assert.equal(l.length, 2000);
    assert.equal(l.at(0), '998000');
    assert.equal(l.popBack(), '999999');
  });

  it('clones independently, keeping the encoding', () => {
    const l = List.from(['a', 'b']);
    l.quick = true;
    const k = l.clone();
    k.pushBack('c');
    assert.deepEqual(l.toArray(), ['a', 'b']);
    assert.deepEqual(k.toArray(), ['a', 'b', 'c']);
    assert.equal(k.encoding, 'quicklist');
    assert.equal(k.bytes, expectedBytes(['a', 'b', 'c']));
  });
});

describe('listpack sizes', () => {
  it('counts integers in their compact encodings', () => {
    assert.equal(lpEntrySize('0'), 2);
    assert.equal(lpEntrySize('127'), 2);
    assert.equal(lpEntrySize('128'), 3);
    assert.equal(lpEntrySize('-4096'), 3);
    assert.equal(lpEntrySize('4096'), 4);
    assert.equal(lpEntrySize('-32768'), 4);
    assert.equal(lpEntrySize('32768'), 5);
    assert.equal(lpEntrySize('8388607'), 5);
    assert.equal(lpEntrySize('8388608'), 6);
    assert.equal(lpEntrySize('2147483647'), 6);
    assert.equal(lpEntrySize('2147483648'), 10);
    assert.equal(lpEntrySize('9223372036854775807'), 10);
    assert.equal(lpEntrySize('-9223372036854775808'), 10);
  });

  it('counts non-canonical numbers and other strings as strings', () => {
    assert.equal(lpEntrySize(''), 2);
    assert.equal(lpEntrySize('a'), 3);
    assert.equal(lpEntrySize('01'), 4);
    assert.equal(lpEntrySize('-0'), 4);
    assert.equal(lpEntrySize('+1'), 4);
    assert.equal(lpEntrySize('9223372036854775808'), 1 + 19 + 1);
    assert.equal(lpEntrySize('x'.repeat(63)), 1 + 63 + 1);
    assert.equal(lpEntrySize('x'.repeat(64)), 2 + 64 + 1);
    assert.equal(lpEntrySize('x'.repeat(125)), 2 + 125 + 1);
    assert.equal(lpEntrySize('x'.repeat(126)), 2 + 126 + 2);
    assert.equal(lpEntrySize('x'.repeat(4096)), 5 + 4096 + 2);
  });
});

describe('list encoding', () => {
  it('converts by count with a positive fill and back at half', () => {
    const l = new List();
    l.growing(4, 3, 3);
    for (const s of ['a', 'b', 'c']) l.pushBack(s);
    assert.equal(l.encoding, 'listpack');
    l.growing(4, 1, 1);
    l.pushBack('d');
    assert.equal(l.encoding, 'listpack');
    l.growing(4, 1, 1);
    assert.equal(l.encoding, 'quicklist');
    l.pushBack('e');
    l.popBack();
    l.shrinking(4);
    assert.equal(l.encoding, 'quicklist');
    l.popBack();
    l.popBack();
    l.shrinking(4);
    assert.equal(l.encoding, 'listpack');
  });

  it('converts by bytes with a negative fill', () => {
    const l = new List();
    const big = 'x'.repeat(1000);
    for (let i = 0; i < 8; i++) {
      l.growing(-2, big.length, 1);
      l.pushBack(big);
    }
    // 7 + 8 * 1004 = 8039 bytes: still one listpack under 8 KB.
    assert.equal(l.bytes, 8039);
    assert.equal(l.encoding, 'listpack');
    l.growing(-2, big.length, 1);
    assert.equal(l.encoding, 'quicklist');
    l.pushBack(big);
    while (l.bytes > 4096) {
      l.popBack();
      l.shrinking(-2);
      if (l.bytes > 4096) assert.equal(l.encoding, 'quicklist');
    }
    assert.equal(l.encoding, 'listpack');
  });

  it('fill 0 allows one element per listpack and never converts back', () => {
    const l = new List();
    l.growing(0, 1, 1);
    l.pushBack('a');
    assert.equal(l.encoding, 'listpack');
    l.growing(0, 1, 1);
    assert.equal(l.encoding, 'quicklist');
    l.shrinking(0);
    assert.equal(l.encoding, 'quicklist');
  });

  it('count fills still convert past the 8 KB safety limit', () => {
    const l = new List();
    l.growing(1000, 9000, 1);
    assert.equal(l.encoding, 'quicklist');
  });
});

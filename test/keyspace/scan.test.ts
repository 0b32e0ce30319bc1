/**
 * Database.scan's guarantee, in process: a key present for a whole scan is returned at least once however many
 * keys are added and removed between calls, and the cursor reaches 0.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { T } from '../../src/keyspace/entry.js';
import { Keyspace } from '../../src/keyspace/keyspace.js';

describe('Database.scan', () => {
  it('returns every stable key at least once under heavy churn (10,000 keys, COUNT 10)', () => {
    const ks = new Keyspace(1, () => 1000);
    const db = ks.dbs[0]!;
    for (let i = 0; i < 10000; i++) db.add(`stable:${i}`, T.String, 'v');
    // Some transient keys exist before the scan starts too.
    const transient: string[] = [];
    for (let i = 0; i < 2000; i++) {
      db.add(`t:${i}`, T.String, 'v');
      transient.push(`t:${i}`);
    }
    const seen = new Map<string, number>();
    let cursor = 0;
    let next = 2000;
    let calls = 0;
    let rnd = 12345;
    const random = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
    do {
      cursor = db.scan(cursor, 10, (e) => seen.set(e.key, (seen.get(e.key) ?? 0) + 1));
      calls++;
      // Delete a few random transient keys and add a few new ones (they reuse freed slots).
      for (let k = 0; k < 3 && transient.length > 0; k++) {
        const idx = Math.floor(random() * transient.length);
        db.delete(transient[idx]!);
        transient[idx] = transient[transient.length - 1]!;
        transient.pop();
      }
      for (let k = 0; k < 3; k++) {
        db.add(`t:${next}`, T.String, 'v');
        transient.push(`t:${next++}`);
      }
    } while (cursor !== 0);
    const missing: string[] = [];
    for (let i = 0; i < 10000; i++) if (!seen.has(`stable:${i}`)) missing.push(`stable:${i}`);
    assert.deepEqual(missing, []);
    assert.ok(calls >= 1000, `only ${calls} calls`);
  });

  it('bounds the work per call and skips expired keys (deleting them)', () => {
    let now = 1000;
    const ks = new Keyspace(1, () => now);
    const db = ks.dbs[0]!;
    for (let i = 0; i < 100; i++) {
      const e = db.add(`k:${i}`, T.String, 'v');
      if (i % 2 === 0) db.setExpire(e, 1500);
    }
    now = 2000;
    ks.tick();
    const out: string[] = [];
    let cursor = 0;
    let calls = 0;
    do {
      const before = out.length;
      cursor = db.scan(cursor, 10, (e) => out.push(e.key));
      assert.ok(out.length - before <= 10);
      calls++;
    } while (cursor !== 0);
    assert.equal(out.length, 50);
    assert.ok(out.every((k) => Number(k.slice(2)) % 2 === 1));
    assert.equal(db.size, 50);
    assert.ok(calls >= 10);
  });

  it('a cursor past the end finishes the scan', () => {
    const ks = new Keyspace(1);
    const db = ks.dbs[0]!;
    db.add('a', T.String, 'v');
    const out: string[] = [];
    assert.equal(db.scan(2 ** 64, 10, (e) => out.push(e.key)), 0);
    assert.deepEqual(out, []);
  });
});

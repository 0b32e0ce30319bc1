/**
 * The active expiry cycle in process, with a fake clock: Keyspace.activeExpire removes due keys in every
 * database, skips stale heap items (changed TTLs, persisted, deleted, renamed or moved keys) and respects its
 * time budget.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storeLike } from '../../src/keyspace/clone.js';
import { T } from '../../src/keyspace/entry.js';
import { Keyspace } from '../../src/keyspace/keyspace.js';

describe('Keyspace.activeExpire', () => {
  it('removes due keys in every database and nothing else', () => {
    let now = 10_000;
    const ks = new Keyspace(3, () => now);
    ks.tick();
    const expired: string[] = [];
    ks.listen({ expired: (db, key) => expired.push(`${db.id}:${key}`) });
    for (let d = 0; d < 3; d++) {
      const db = ks.dbs[d]!;
      for (let i = 0; i < 100; i++) {
        const e = db.add(`k${i}`, T.String, 'v');
        if (i < 50) db.setExpire(e, 10_100 + i);
      }
    }
    now = 10_125;
    assert.equal(ks.activeExpire(25), false);
    for (const db of ks.dbs) assert.equal(db.size, 100 - 26);
    assert.equal(expired.length, 3 * 26);
    now = 20_000;
    ks.activeExpire(25);
    for (const db of ks.dbs) {
      assert.equal(db.size, 50);
      assert.equal(db.volatile.size, 0);
    }
    assert.equal(ks.expiredKeys, 150);
  });

  it('ignores stale heap items: new TTL, PERSIST, DEL, re-added key', () => {
    let now = 1000;
    const ks = new Keyspace(1, () => now);
    ks.tick();
    const db = ks.dbs[0]!;
    const a = db.add('a', T.String, 'v');
    db.setExpire(a, 1100);
    db.setExpire(a, 5000); // extended: the 1100 heap item is stale
    const b = db.add('b', T.String, 'v');
    db.setExpire(b, 1100);
    db.persist(b);
    const c = db.add('c', T.String, 'v');
    db.setExpire(c, 1100);
    db.delete('c');
    db.add('c', T.String, 'new'); // same name, no TTL
    now = 2000;
    ks.activeExpire(25);
    assert.equal(db.size, 3);
    assert.equal(ks.expiredKeys, 0);
    now = 6000;
    ks.activeExpire(25);
    assert.deepEqual([...db.entries()].map((e) => e.key).sort(), ['b', 'c']);
  });

  it('keys moved to another database or renamed expire from their new home only', () => {
    let now = 1000;
    const ks = new Keyspace(2, () => now);
    ks.tick();
    const [db0, db1] = [ks.dbs[0]!, ks.dbs[1]!];
    const e = db0.add('k', T.String, 'v');
    db0.setExpire(e, 1500);
    // MOVE: the value goes to db1 with the same TTL; db0 gets a new, persistent key of the same name.
    storeLike(db1, 'k', e.value, e, true);
    db0.unlink(e);
    db0.add('k', T.String, 'unrelated');
    // RENAME within db1.
    const r = db1.add('r', T.String, 'v');
    db1.setExpire(r, 1500);
    storeLike(db1, 'r2', r.value, r, true);
    db1.unlink(r);
    now = 2000;
    ks.activeExpire(25);
    assert.equal(db0.size, 1);
    assert.equal(db0.peek('k')?.value, 'unrelated');
    assert.equal(db1.size, 0);
    assert.equal(ks.expiredKeys, 2);
  });

  it('stops at the budget and reports more work', () => {
    let now = 1000;
    let ticks = 0;
    // Each clock read advances 1 ms once expiry has started, so a 5 ms budget runs out quickly.
    const ks = new Keyspace(1, () => (ticks++, now + (now > 1000 ? ticks : 0)));
    ks.tick();
    const db = ks.dbs[0]!;
    for (let i = 0; i < 5000; i++) db.setExpire(db.add(`k${i}`, T.String, 'v'), 1001);
    now = 2000;
    const more = ks.activeExpire(5);
    assert.equal(more, true);
    assert.ok(db.size > 0 && db.size < 5000, String(db.size));
    while (ks.activeExpire(5));
    assert.equal(db.size, 0);
  });
});

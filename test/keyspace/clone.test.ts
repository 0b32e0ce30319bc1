/**
 * cloneValue / storeLike (COPY, MOVE, RENAME helpers) and exact int64 expiry times.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloneValue, storeLike } from '../../src/keyspace/clone.js';
import { T } from '../../src/keyspace/entry.js';
import { expireTimeOf, setExpireExact } from '../../src/keyspace/exact-expire.js';
import { Keyspace } from '../../src/keyspace/keyspace.js';
import { MutableString } from '../../src/types/mutable-string.js';

describe('cloneValue', () => {
  it('shares immutable strings and deep-copies MutableStrings', () => {
    assert.equal(cloneValue(T.String, 'abc'), 'abc');
    const m = new MutableString('hello', 64);
    const c = cloneValue(T.String, m) as MutableString;
    assert.ok(c instanceof MutableString);
    assert.notEqual(c, m);
    assert.equal(c.toString(), 'hello');
    c.writeAt(0, 'J');
    m.append('!');
    assert.equal(m.toString(), 'hello!');
    assert.equal(c.toString(), 'Jello');
  });

  it('refuses types it does not know how to copy', () => {
    assert.throws(() => cloneValue(T.Stream, {}), /no clone function for type stream/);
  });
});

describe('storeLike', () => {
  it('keeps the TTL, replaces the target, and keeps access metadata only for moves', () => {
    let now = 1000;
    const ks = new Keyspace(1, () => now);
    ks.tick();
    const db = ks.dbs[0]!;
    const src = db.add('src', T.String, 'v');
    src.freq = 42;
    db.setExpire(src, 9000);
    db.add('dst', T.String, 'old');
    now = 2000;
    ks.tick();
    const moved = storeLike(db, 'dst', src.value, src, true);
    assert.equal(db.peek('dst'), moved);
    assert.equal(moved.expireAt, 9000);
    assert.equal(moved.atime, 1000);
    assert.equal(moved.freq, 42);
    const copied = storeLike(db, 'copy', 'v', src, false);
    assert.equal(copied.expireAt, 9000);
    assert.equal(copied.atime, 2000);
    assert.equal(db.size, 3);
    assert.equal(db.volatile.size, 3);
  });

  it('carries exact expiry times beyond 2^53', () => {
    const ks = new Keyspace(1);
    const db = ks.dbs[0]!;
    const e = db.add('k', T.String, 'v');
    setExpireExact(db, e, 9223372036854775807n);
    assert.equal(expireTimeOf(e), 9223372036854775807n);
    const m = storeLike(db, 'k2', e.value, e, true);
    assert.equal(expireTimeOf(m), 9223372036854775807n);
    // Changing expireAt some other way invalidates the recorded exact value.
    db.setExpire(m, 2 ** 60);
    assert.equal(expireTimeOf(m), 2n ** 60n);
    setExpireExact(db, m, 5000);
    assert.equal(expireTimeOf(m), 5000);
  });
});

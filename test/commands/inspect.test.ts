/**
 * Value inspection: the memory estimate's sampling and safety on any JS structure, and the refcount rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryBytes, refcount, stringBytes, valueBytes } from '../../src/commands/inspect.js';
import { Entry, T } from '../../src/keyspace/entry.js';
import { Config } from '../../src/server/config.js';
import { MutableString } from '../../src/types/mutable-string.js';

describe('memory estimates', () => {
  it('sizes strings by their bytes, 8-aligned with a 16-byte header', () => {
    assert.equal(stringBytes(''), 16);
    assert.equal(stringBytes('a'), 24);
    assert.equal(stringBytes('x'.repeat(100)), 120);
    assert.ok(valueBytes(new MutableString('abc', 1000), 5) >= 1000);
  });

  it('extrapolates collections from a sample, or measures everything with 0', () => {
    const m = new Map<string, string>();
    for (let i = 0; i < 1000; i++) m.set(`k${i}`, i < 5 ? 'x' : 'x'.repeat(100));
    const sampled = valueBytes(m, 5);
    const full = valueBytes(m, 0);
    assert.ok(full > sampled * 2, `full ${full} sampled ${sampled}`);
    const arr = Array.from({ length: 100 }, () => 'abc');
    assert.equal(valueBytes(arr, 5), valueBytes(arr, 0));
  });

  it('survives cycles and deep nesting', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 10000; i++) deep = { next: deep };
    assert.ok(valueBytes(a, 5) > 0);
    assert.ok(valueBytes(deep, 5) > 0);
  });

  it('counts the entry, key and expiry overhead', () => {
    const e = new Entry('key', T.String, 'value', Date.now());
    const plain = entryBytes(e, 5);
    e.expireAt = Date.now() + 1000;
    assert.ok(entryBytes(e, 5) > plain);
  });
});

describe('refcount', () => {
  it('shares 0..9999 unless an LRU/LFU policy with maxmemory is set', () => {
    const config = new Config();
    const entry = (v: string) => new Entry('k', T.String, v, 0);
    assert.equal(refcount(entry('9999'), config), 2147483647);
    assert.equal(refcount(entry('10000'), config), 1);
    assert.equal(refcount(entry('-1'), config), 1);
    assert.equal(refcount(entry('abc'), config), 1);
    config.set('maxmemory-policy', 'allkeys-lru');
    assert.equal(refcount(entry('5'), config), 2147483647);
    config.set('maxmemory', '100mb');
    assert.equal(refcount(entry('5'), config), 1);
  });
});

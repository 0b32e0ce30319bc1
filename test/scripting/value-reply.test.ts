import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueReply } from '../../src/protocol/value-reply.js';

describe('ValueReply', () => {
  it('builds nested values', () => {
    const r = new ValueReply();
    r.array(3);
    r.int(1);
    r.array(2);
    r.bulk('a');
    r.nil();
    r.status('OK');
    r.error('ERR x');
    assert.deepEqual(r.values(), [
      {
        t: 'array',
        items: [
          { t: 'int', n: 1 },
          { t: 'array', items: [{ t: 'bulk', s: 'a' }, { t: 'nil' }] },
          { t: 'status', s: 'OK' },
        ],
      },
      { t: 'error', s: 'ERR x' },
    ]);
    assert.deepEqual(r.values(), []);
  });

  it('gives RESP2 shapes in RESP2 and keeps RESP3 types in RESP3', () => {
    const r = new ValueReply();
    const write = () => {
      r.map(1);
      r.bulk('k');
      r.double(1.5);
      r.set(0);
      r.bool(true);
      r.nilArray();
      r.verbatim('txt body');
    };
    write();
    assert.deepEqual(r.values(), [
      { t: 'array', items: [{ t: 'bulk', s: 'k' }, { t: 'bulk', s: '1.5' }] },
      { t: 'array', items: [] },
      { t: 'int', n: 1 },
      { t: 'nilArray' },
      { t: 'bulk', s: 'txt body' },
    ]);
    r.resp = 3;
    write();
    assert.deepEqual(r.values(), [
      { t: 'map', items: [{ t: 'bulk', s: 'k' }, { t: 'double', d: 1.5 }] },
      { t: 'set', items: [] },
      { t: 'bool', b: true },
      { t: 'null' },
      { t: 'verbatim', s: 'txt body', format: 'txt' },
    ]);
  });

  it('handles empty aggregates inside aggregates', () => {
    const r = new ValueReply();
    r.array(2);
    r.array(0);
    r.bulks(['x']);
    r.int(7);
    assert.deepEqual(r.values(), [
      { t: 'array', items: [{ t: 'array', items: [] }, { t: 'array', items: [{ t: 'bulk', s: 'x' }] }] },
      { t: 'int', n: 7 },
    ]);
  });
});

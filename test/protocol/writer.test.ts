import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDouble17g, RespEncoder } from '../../src/protocol/writer.js';

function enc(resp: 2 | 3, f: (e: RespEncoder) => void): string {
  const e = new RespEncoder();
  e.resp = resp;
  f(e);
  return e.take().toString('latin1');
}

describe('RespEncoder', () => {
  it('encodes simple replies', () => {
    assert.equal(enc(2, (e) => e.ok()), '+OK\r\n');
    assert.equal(enc(2, (e) => e.status('PONG')), '+PONG\r\n');
    assert.equal(enc(2, (e) => e.error('ERR x')), '-ERR x\r\n');
    for (const n of [0, 7, 10, 99, 12345, 99999999, 100000000, -1, -123, 2 ** 53]) {
      assert.equal(enc(2, (e) => e.int(n)), `:${n}\r\n`);
    }
    assert.equal(enc(2, (e) => e.int(9223372036854775807n)), ':9223372036854775807\r\n');
    assert.equal(enc(2, (e) => e.bulk('')), '$0\r\n\r\n');
    assert.equal(enc(2, (e) => e.bulk('\x00\xff')), '$2\r\n\x00\xff\r\n');
  });

  it('encodes nulls, maps, sets, doubles and booleans per protocol version', () => {
    assert.equal(enc(2, (e) => e.nil()), '$-1\r\n');
    assert.equal(enc(3, (e) => e.nil()), '_\r\n');
    assert.equal(enc(2, (e) => e.nilArray()), '*-1\r\n');
    assert.equal(enc(3, (e) => e.nilArray()), '_\r\n');
    assert.equal(enc(2, (e) => e.map(2)), '*4\r\n');
    assert.equal(enc(3, (e) => e.map(2)), '%2\r\n');
    assert.equal(enc(2, (e) => e.set(3)), '*3\r\n');
    assert.equal(enc(3, (e) => e.set(3)), '~3\r\n');
    assert.equal(enc(2, (e) => e.double(1.5)), '$3\r\n1.5\r\n');
    assert.equal(enc(3, (e) => e.double(1.5)), ',1.5\r\n');
    assert.equal(enc(3, (e) => e.double(-Infinity)), ',-inf\r\n');
    assert.equal(enc(2, (e) => e.bool(true)), ':1\r\n');
    assert.equal(enc(3, (e) => e.bool(false)), '#f\r\n');
    assert.equal(enc(3, (e) => e.verbatim('hi')), '=6\r\ntxt:hi\r\n');
    assert.equal(enc(2, (e) => e.verbatim('hi')), '$2\r\nhi\r\n');
    assert.equal(enc(3, (e) => e.push(3)), '>3\r\n');
  });

  it('keeps order across large queued bulks and small writes', () => {
    const big = 'y'.repeat(200_000);
    const out = enc(2, (e) => {
      e.int(1);
      e.bulk(big);
      e.int(2);
      e.bulk(big);
      e.status('END');
    });
    assert.equal(out, `:1\r\n$200000\r\n${big}\r\n:2\r\n$200000\r\n${big}\r\n+END\r\n`);
  });

  it('grows its buffer for many replies', () => {
    const out = enc(2, (e) => {
      for (let i = 0; i < 10000; i++) e.bulk('value-' + i);
    });
    assert.ok(out.endsWith('$10\r\nvalue-9999\r\n'));
  });

  it('drops replies while muted', () => {
    assert.equal(enc(2, (e) => {
      e.muted = true;
      e.ok();
      e.muted = false;
      e.int(1);
    }), ':1\r\n');
  });
});

describe('formatDouble17g', () => {
  it('formats like printf %.17g', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [1.5, '1.5'],
      [0.1, '0.10000000000000001'],
      [1e17, '1e+17'],
      [1.5e-7, '1.4999999999999999e-07'],
      [123456789012345680000, '1.2345678901234568e+20'],
      [-2.5, '-2.5'],
      [Infinity, 'inf'],
      [0.0001, '0.0001'],
    ];
    for (const [d, s] of cases) assert.equal(formatDouble17g(d), s, String(d));
  });
});

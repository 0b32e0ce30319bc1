import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INLINE_MAX_SIZE, ProtocolError, QueryBufferLimitError, RespReader, splitArgs } from '../../src/protocol/reader.js';

const limits = () => ({ maxBulkLen: 512 * 1024 * 1024, maxQueryBuffer: 1024 * 1024 * 1024 });

function encode(...args: string[]): Buffer {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return Buffer.from(s, 'latin1');
}

/** Feeds `chunks` and collects every command, or the protocol error message. */
function parse(chunks: Buffer[], reader = new RespReader(limits())): { cmds: string[][]; error?: string } {
  const cmds: string[][] = [];
  try {
    for (const ch of chunks) {
      reader.feed(ch);
      for (let c = reader.next(); c !== null; c = reader.next()) cmds.push(c);
    }
  } catch (e) {
    if (e instanceof ProtocolError) return { cmds, error: e.message };
    throw e;
  }
  return { cmds };
}

const ALL_BYTES = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));

describe('RespReader', () => {
  it('parses a multibulk command', () => {
    assert.deepEqual(parse([encode('SET', 'k', 'v')]).cmds, [['SET', 'k', 'v']]);
  });

  it('parses every frame split at every byte boundary, also into single bytes', () => {
    const frames = [
      encode('SET', 'key', ALL_BYTES),
      encode('GET', ''),
      Buffer.from('PING\r\n'),
      Buffer.from('ECHO "a b" \'c\'\n'),
      encode('MSET', 'a\r\nb', '$5\r\n', '*3'),
    ];
    const whole = Buffer.concat(frames);
    const expected = parse([whole]).cmds;
    assert.equal(expected.length, 5);
    assert.deepEqual(expected[2], ['PING']);
    assert.deepEqual(expected[3], ['ECHO', 'a b', 'c']);
    assert.equal(expected[0]![2], ALL_BYTES);
    for (let cut = 1; cut < whole.length; cut++) {
      const got = parse([whole.subarray(0, cut), whole.subarray(cut)]).cmds;
      assert.deepEqual(got, expected, `split at ${cut}`);
    }
    for (let cut = 1; cut < whole.length - 1; cut += 7) {
      const got = parse([whole.subarray(0, cut), whole.subarray(cut, cut + 3), whole.subarray(cut + 3)]).cmds;
      assert.deepEqual(got, expected, `three-way split at ${cut}`);
    }
    const bytes = Array.from(whole, (b) => Buffer.from([b]));
    assert.deepEqual(parse(bytes).cmds, expected);
  });

  it('handles a pipeline of many commands in one chunk', () => {
    const n = 1000;
    const chunk = Buffer.concat(Array.from({ length: n }, (_, i) => encode('INCR', `k${i}`)));
    const { cmds } = parse([chunk]);
    assert.equal(cmds.length, n);
    assert.deepEqual(cmds[999], ['INCR', 'k999']);
  });

  it('assembles a large bulk from many chunks without losing bytes', () => {
    const big = 'x'.repeat(300_000) + ALL_BYTES;
    const whole = encode('SET', 'big', big);
    const chunks: Buffer[] = [];
    for (let i = 0; i < whole.length; i += 1000) chunks.push(whole.subarray(i, i + 1000));
    const r = new RespReader(limits());
    const { cmds } = parse(chunks, r);
    assert.equal(cmds.length, 1);
    assert.equal(cmds[0]![2], big);
    assert.equal(r.buffered, 0);
  });

  it('skips empty multibulk and empty inline lines', () => {
    assert.deepEqual(parse([Buffer.from('*0\r\n*-1\r\n\r\n   \r\nPING\r\n')]).cmds, [['PING']]);
  });

  it('accepts inline commands with LF only and quoted arguments with escapes', () => {
    assert.deepEqual(parse([Buffer.from('SET "k\\x00\\xff" "v\\n"\n')]).cmds, [['SET', 'k\x00\xff', 'v\n']]);
  });

  it('rejects bad frames with Redis error texts', () => {
    const cases: [string, string][] = [
      ['*abc\r\n', 'invalid multibulk length'],
      ['*3000000000\r\n', 'invalid multibulk length'],
      ['*1\r\n+foo\r\n', "expected '$', got '+'"],
      ['*1\r\n$-1\r\n', 'invalid bulk length'],
      ['*1\r\n$abc\r\n', 'invalid bulk length'],
      ['*1\r\n$536870913\r\n', 'invalid bulk length'],
      ['*1\r\n$01\r\n', 'invalid bulk length'],
      ['*+1\r\n', 'invalid multibulk length'],
      ['SET "unterminated\r\n', 'unbalanced quotes in request'],
      ['SET "a"b\r\n', 'unbalanced quotes in request'],
    ];
    for (const [input, msg] of cases) {
      assert.equal(parse([Buffer.from(input, 'latin1')]).error, msg, JSON.stringify(input));
    }
  });

  it('limits inline requests and count lines without a newline to 64 KB', () => {
    assert.equal(parse([Buffer.alloc(INLINE_MAX_SIZE + 1, 'a')]).error, 'too big inline request');
    assert.equal(parse([Buffer.from('*' + '1'.repeat(INLINE_MAX_SIZE + 1))]).error, 'too big mbulk count string');
    assert.equal(parse([Buffer.from('*1\r\n$' + '1'.repeat(INLINE_MAX_SIZE + 1))]).error, 'too big bulk count string');
    // Under the limit it just waits for more bytes.
    assert.equal(parse([Buffer.alloc(1000, 'a')]).error, undefined);
  });

  it('caps frames from unauthenticated clients as Redis does', () => {
    const r = new RespReader(limits());
    r.authRequired = true;
    assert.equal(parse([encode(...Array.from({ length: 11 }, () => 'a'))], r).error, 'invalid multibulk length');
    const r2 = new RespReader(limits());
    r2.authRequired = true;
    assert.equal(parse([encode('AUTH', 'x'.repeat(16385))], r2).error, 'invalid bulk length');
    const r3 = new RespReader(limits());
    r3.authRequired = true;
    assert.deepEqual(parse([encode('AUTH', 'secret')], r3).cmds, [['AUTH', 'secret']]);
  });

  it('enforces proto-max-bulk-len and the query buffer limit', () => {
    const r = new RespReader({ maxBulkLen: 10, maxQueryBuffer: 1000 });
    assert.equal(parse([encode('SET', 'k', 'x'.repeat(11))], r).error, 'invalid bulk length');
    const r2 = new RespReader({ maxBulkLen: 10_000, maxQueryBuffer: 1000 });
    assert.throws(() => r2.feed(Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000\r\n${'x'.repeat(1200)}`)), QueryBufferLimitError);
  });
});

describe('splitArgs (inline syntax)', () => {
  it('splits like sdssplitargs', () => {
    assert.deepEqual(splitArgs('  a  b\tc '), ['a', 'b', 'c']);
    assert.deepEqual(splitArgs('"a b" \'c d\''), ['a b', 'c d']);
    assert.deepEqual(splitArgs('"\\x41\\x4a\\t\\q"'), ['AJ\tq']);
    assert.deepEqual(splitArgs("'it\\'s'"), ["it's"]);
    assert.deepEqual(splitArgs('""'), ['']);
    assert.deepEqual(splitArgs('a"b c"'), ['ab c']);
    assert.equal(splitArgs('"abc'), null);
    assert.equal(splitArgs("'abc"), null);
    assert.equal(splitArgs('"a"b'), null);
    assert.deepEqual(splitArgs(''), []);
  });
});

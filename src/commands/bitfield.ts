/**
 * BITFIELD and BITFIELD_RO: signed (i1..i64) and unsigned (u1..u63) integers at arbitrary bit offsets of a string,
 * with GET, SET, INCRBY and the OVERFLOW policy (WRAP, SAT, FAIL) applying to the operations after it.
 * Values are handled as BigInts so 64-bit fields are exact.
 */
import { N } from '../keyspace/notify.js';
import { ERR, RedisError } from '../errors.js';
import { T, type StringValue } from '../keyspace/entry.js';
import type { Client } from '../server/client.js';
import { parseBigInt64 } from './args.js';
import { bitOffsetArg, bitTarget, byteAt } from './bits.js';
import { defineGroup } from './spec.js';

const TYPE_ERROR = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

const GET = 0;
const SET = 1;
const INCRBY = 2;

const WRAP = 0;
const SAT = 1;
const FAIL = 2;

interface Op {
  opcode: number;
  offset: number;
  bits: number;
  signed: boolean;
  value: bigint;
  overflow: number;
}

/**
 * A type argument such as `i16` or `u8` (lower case only, as in Redis). Like Redis, which reads it as a C string,
 * it stops at a NUL byte.
 */
function parseType(arg: string): { signed: boolean; bits: number } {
  const nul = arg.indexOf('\0');
  const t = nul >= 0 ? arg.slice(0, nul) : arg;
  const k = t.charCodeAt(0);
  const signed = k === 105;
  if (!signed && k !== 117) throw new RedisError(TYPE_ERROR);
  const n = parseBigInt64(t.slice(1));
  if (n === null || n < 1n || n > (signed ? 64n : 63n)) throw new RedisError(TYPE_ERROR);
  return { signed, bits: Number(n) };
}

/** Reads `bits` bits at bit `offset` as an unsigned integer (bytes past the end read as zero). */
function readField(v: StringValue | undefined, offset: number, bits: number): bigint {
  let hi = 0;
  let lo = 0;
  const split = bits > 32 ? bits - 32 : 0;
  for (let i = 0; i < bits; i++) {
    const pos = offset + i;
    const bit = v === undefined ? 0 : (byteAt(v, Math.floor(pos / 8)) >> (7 - (pos % 8))) & 1;
    if (i < split) hi = hi * 2 + bit;
    else lo = lo * 2 + bit;
  }
  return split > 0 ? (BigInt(hi) << 32n) | BigInt(lo) : BigInt(lo);
}

/** Writes the low `bits` bits of `value` at bit `offset` of `buf` (which is long enough). */
function writeField(buf: Buffer, offset: number, bits: number, value: bigint): void {
  const u = BigInt.asUintN(bits, value);
  const hi = Number(u >> 32n);
  const lo = Number(u & 0xffffffffn);
  for (let i = 0; i < bits; i++) {
    const fromLsb = bits - 1 - i;
    const bit = fromLsb >= 32 ? Math.floor(hi / 2 ** (fromLsb - 32)) % 2 : Math.floor(lo / 2 ** fromLsb) % 2;
    const pos = offset + i;
    const byte = Math.floor(pos / 8);
    const mask = 1 << (7 - (pos % 8));
    buf[byte] = bit ? buf[byte]! | mask : buf[byte]! & ~mask;
  }
}

/**
 * Applies the overflow policy to `value + incr` (SET passes its value with incr 0) and returns the value to store,
 * or null when FAIL refuses it. The overflow tests are Redis's own, done in wrapping 64-bit arithmetic: for a SET
 * of a value just above INT64_MIN into a narrow signed field, `max - value` wraps negative, so Redis takes it as an
 * overflow upwards and SAT stores the maximum. Emulated exactly.
 */
function applyOverflow(value: bigint, incr: bigint, signed: boolean, bits: number, policy: number): bigint | null {
  const b = BigInt(bits);
  let up: boolean;
  let down: boolean;
  let max: bigint;
  let min: bigint;
  if (signed) {
    max = bits === 64 ? INT64_MAX : (1n << (b - 1n)) - 1n;
    min = -max - 1n;
    const maxIncr = BigInt.asIntN(64, max - value);
    const minIncr = BigInt.asIntN(64, min - value);
    up = value > max || (bits !== 64 && incr > maxIncr) || (value >= 0n && incr > 0n && incr > maxIncr);
    down = !up && (value < min || (bits !== 64 && incr < minIncr) || (value < 0n && incr < 0n && incr < minIncr));
  } else {
    max = (1n << b) - 1n;
    min = 0n;
    const maxIncr = BigInt.asIntN(64, max - value);
    const minIncr = BigInt.asIntN(64, -value);
    up = value > max || (incr > 0n && incr > maxIncr);
    down = !up && incr < 0n && incr < minIncr;
  }
  if (!up && !down) return value + incr;
  if (policy === FAIL) return null;
  if (policy === SAT) return up ? max : min;
  return signed ? BigInt.asIntN(bits, value + incr) : BigInt.asUintN(bits, value + incr);
}

const INT64_MAX = 9223372036854775807n;

function bitfield(c: Client, argv: string[], readOnlyCommand: boolean): void {
  const ops: Op[] = [];
  let overflow = WRAP;
  let readonly = true;
  let highestBit = 0;
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const sub = argv[j]!.toLowerCase();
    let opcode: number;
    if (sub === 'get' && remaining >= 2) opcode = GET;
    else if (sub === 'set' && remaining >= 3) opcode = SET;
    else if (sub === 'incrby' && remaining >= 3) opcode = INCRBY;
    else if (sub === 'overflow' && remaining >= 1) {
      const kind = argv[++j]!.toLowerCase();
      if (kind === 'wrap') overflow = WRAP;
      else if (kind === 'sat') overflow = SAT;
      else if (kind === 'fail') overflow = FAIL;
      else throw new RedisError('ERR Invalid OVERFLOW type specified');
      continue;
    } else throw new RedisError(ERR.syntax);
    const { signed, bits } = parseType(argv[j + 1]!);
    const offset = bitOffsetArg(c, argv[j + 2]!, true, bits);
    let value = 0n;
    if (opcode !== GET) {
      readonly = false;
      if (offset + bits - 1 > highestBit) highestBit = offset + bits - 1;
      const n = parseBigInt64(argv[j + 3]!);
      if (n === null) throw new RedisError(ERR.notInteger);
      value = n;
    }
    ops.push({ opcode, offset, bits, signed, value, overflow });
    j += opcode === GET ? 2 : 3;
  }

  const db = c.db;
  const key = argv[1]!;
  const r = c.reply;
  if (readonly) {
    const e = db.read(key);
    if (e !== undefined && e.type !== T.String) throw new RedisError(ERR.wrongType);
    const v = e === undefined ? undefined : (e.value as StringValue);
    r.array(ops.length);
    for (const op of ops) {
      const u = readField(v, op.offset, op.bits);
      r.int(op.signed ? BigInt.asIntN(op.bits, u) : u);
    }
    return;
  }
  if (readOnlyCommand) throw new RedisError('ERR BITFIELD_RO only supports the GET subcommand');
  // Like Redis, the string is grown up front to hold the farthest field written, even if FAIL then skips it.
  const { m } = bitTarget(c, key, highestBit);
  r.array(ops.length);
  for (const op of ops) {
    const raw = readField(m, op.offset, op.bits);
    const old = op.signed ? BigInt.asIntN(op.bits, raw) : raw;
    if (op.opcode === GET) {
      r.int(old);
      continue;
    }
    let next: bigint | null;
    if (op.opcode === INCRBY) {
      next = applyOverflow(old, op.value, op.signed, op.bits, op.overflow);
    } else {
      // An unsigned SET takes the argument as a 64-bit unsigned number: -1 is 2^64-1, which overflows.
      next = applyOverflow(op.signed ? op.value : BigInt.asUintN(64, op.value), 0n, op.signed, op.bits, op.overflow);
    }
    if (next === null) {
      r.nil();
      continue;
    }
    writeField(m.buf, op.offset, op.bits, next);
    r.int(op.opcode === INCRBY ? next : old);
  }
  db.touched(key, N.string, 'setbit');
}

export const bitfieldCommands = defineGroup('bitmap', [
  {
    // BITFIELD key [GET encoding offset | [OVERFLOW WRAP | SAT | FAIL] SET encoding offset value | INCRBY encoding offset increment ...]
    name: 'bitfield',
    arity: -2,
    flags: ['write', 'denyoom'],
    acl: ['bitmap'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Reads, writes and increments integers of any width at arbitrary bit offsets of a string.',
    since: '3.2.0',
    complexity: 'O(1) for each subcommand specified',
    run(c, argv) {
      bitfield(c, argv, false);
    },
  },
  {
    // BITFIELD_RO key [GET encoding offset ...]
    name: 'bitfield_ro',
    arity: -2,
    flags: ['readonly', 'fast'],
    acl: ['bitmap'],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Reads integers of any width at arbitrary bit offsets of a string (GET only).',
    since: '6.0.0',
    complexity: 'O(1) for each subcommand specified',
    run(c, argv) {
      bitfield(c, argv, true);
    },
  },
]);

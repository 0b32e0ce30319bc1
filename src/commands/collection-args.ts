/**
 * Argument and reply helpers shared by the collection commands: the count of HRANDFIELD / SRANDMEMBER, the
 * MATCH / COUNT options of HSCAN / SSCAN and their two-element reply, exact int64 parsing.
 */
import { ERR, RedisError } from '../errors.js';
import type { Reply } from '../protocol/reply.js';
import { cstr, intArg, is, parseBigInt64, parseInt64 } from './args.js';

const INT64_MIN = -9223372036854775808n;

/** An exact int64 from a canonical string: a number when short enough to be safe, else a bigint. Null if invalid. */
export function exactInt64(s: string): number | bigint | null {
  return s.length < 16 ? parseInt64(s) : parseBigInt64(s);
}

/**
 * A count argument of HRANDFIELD / SRANDMEMBER: an int64 in [-LONG_MAX, LONG_MAX] (so not INT64_MIN, whose
 * absolute value does not fit), exact. Returns it as a bigint only when it is too big to be a safe number.
 */
export function randomCountArg(s: string): number | bigint {
  const v = exactInt64(s);
  if (v === null) throw new RedisError(ERR.notInteger);
  if (v === INT64_MIN) throw new RedisError('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  if (typeof v === 'bigint' && v >= -9007199254740991n && v <= 9007199254740991n) return Number(v);
  return v;
}

/** Parsed MATCH / COUNT options of HSCAN, SSCAN (and ZSCAN): Redis's scanGenericCommand rules for a key's value. */
export interface ScanOptions {
  count: number;
  /** null when absent or `*` (which Redis treats as no pattern). */
  pattern: string | null;
}

export function parseScanOptions(argv: string[], from: number): ScanOptions {
  let count = 10;
  let pattern: string | null = null;
  for (let i = from; i < argv.length; i += 2) {
    // Keywords are compared as C strings, so `COUNT\0x` is COUNT.
    const opt = cstr(argv[i]!);
    const hasValue = i + 1 < argv.length;
    if (is(opt, 'count') && hasValue) {
      count = intArg(argv[i + 1]!);
      if (count < 1) throw new RedisError(ERR.syntax);
    } else if (is(opt, 'match') && hasValue) {
      const p = argv[i + 1]!;
      pattern = p === '*' ? null : p;
    } else {
      // TYPE is only an option of the keyspace SCAN.
      throw new RedisError(ERR.syntax);
    }
  }
  return { count, pattern };
}

/** The reply of a *SCAN: the next cursor and the items found. */
export function replyScan(r: Reply, next: number, items: readonly string[]): void {
  r.array(2);
  r.bulk(String(next));
  r.bulks(items);
}

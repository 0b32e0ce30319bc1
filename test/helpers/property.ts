/**
 * Shared pieces of the fast-check property tests (test/types/*.property.test.ts and
 * test/integration/types-model.property.test.ts): byte-string generators and the run settings.
 *
 * STRATA_PROPERTY_RUNS scales every property's run count (e.g. `STRATA_PROPERTY_RUNS=10` for a longer soak);
 * STRATA_PROPERTY_SEED replays a failure with the seed fast-check printed.
 */
import fc from 'fast-check';

const scale = Number(process.env.STRATA_PROPERTY_RUNS ?? '1') || 1;
const seed = process.env.STRATA_PROPERTY_SEED === undefined ? undefined : Number(process.env.STRATA_PROPERTY_SEED);

/** fast-check parameters: `numRuns` runs (times the scale), the replay seed when given. */
export function runs(numRuns: number): fc.Parameters<unknown> {
  // includeErrorInReport: the failure message shows the assertion that failed next to the shrunk counterexample.
  const p: fc.Parameters<unknown> = { numRuns: Math.max(1, Math.round(numRuns * scale)), includeErrorInReport: true };
  if (seed !== undefined) p.seed = seed;
  return p;
}

/** Bytes that stress byte order and binary safety: NUL, 0xff, CR/LF, ASCII. */
export const EDGE_BYTES = ['\x00', '\x01', 'a', 'b', '\r', '\n', ' ', '\x7f', '\x80', '\xfe', '\xff'] as const;

/** A short latin1 byte string (one char per byte) drawn from `bytes`, `maxLength` bytes at most. */
export function byteString(maxLength = 3, bytes: readonly string[] = EDGE_BYTES): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...bytes), { maxLength }).map((a) => a.join(''));
}

/**
 * Small pools mixed with random bytes (one draw in `1 + poolWeight`): pools make collisions (duplicates, ties,
 * matches) frequent.
 */
export function pooledString(pool: readonly string[], maxLength = 3, poolWeight = 3): fc.Arbitrary<string> {
  return fc.oneof({ weight: poolWeight, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: byteString(maxLength) });
}

/** Numeric order of two canonical int64 decimal strings, through BigInt (independent of the code under test). */
export function compareBig(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether `s` is a canonical int64 (no sign but '-', no leading zeros, no "-0"), by regex and BigInt. */
export function canonicalInt64(s: string): boolean {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s) || s === '-0') return false;
  const v = BigInt(s);
  return v >= -(2n ** 63n) && v < 2n ** 63n;
}

/**
 * An operation sequence of up to `maxLength` operations. fast-check's default size would cap arrays at about ten
 * elements whatever maxLength says; `size: 'max'` spreads lengths over the whole range.
 */
export function sequence<T>(op: fc.Arbitrary<T>, maxLength: number): fc.Arbitrary<T[]> {
  return fc.array(op, { maxLength, size: 'max' });
}

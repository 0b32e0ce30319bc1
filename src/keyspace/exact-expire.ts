/**
 * Exact expiry times beyond 2^53 ms. `Entry.expireAt` is a JS number, exact up to year 287396; Redis accepts any
 * int64 (`PEXPIREAT k 9223372036854775807`) and PEXPIRETIME then replies with that exact value. The rare entries
 * whose time is not a safe integer keep the exact bigint here, off the hot path and without growing every Entry.
 * A recorded value only counts while it still rounds to the entry's current `expireAt`, so code that sets
 * `expireAt` directly (SET PXAT, PERSIST) never has to clear it.
 */
import type { Database } from './database.js';
import type { Entry } from './entry.js';

const exact = new WeakMap<Entry, bigint>();

/** Sets the absolute expiry `at` (ms, exact int64). */
export function setExpireExact(db: Database, e: Entry, at: bigint | number): void {
  const n = Number(at);
  db.setExpire(e, n);
  if (!Number.isSafeInteger(n) && typeof at === 'bigint') exact.set(e, at);
}

/** The entry's expiry time in ms (0 = none): a number when exact, else the recorded bigint. */
export function expireTimeOf(e: Entry): number | bigint {
  const at = e.expireAt;
  if (Number.isSafeInteger(at)) return at;
  const x = exact.get(e);
  if (x !== undefined && Number(x) === at) return x;
  return BigInt(at);
}

/** Carries an exact expiry over to a new entry for the same value (RENAME, MOVE, COPY). */
export function copyExactExpire(from: Entry, to: Entry): void {
  const x = exact.get(from);
  if (x !== undefined) exact.set(to, x);
}

/**
 * The set value, with Redis 7.2's three encodings and their one-way conversions:
 *
 * - `intset`: every member is a canonical int64 and there are at most set-max-intset-entries of them. Kept as a
 *   sorted array of the decimal strings (ordered numerically), so iteration is ascending as in Redis; lookups are
 *   O(log N) and inserts O(N), Redis's own intset costs.
 * - `listpack`: at most set-max-listpack-entries members of at most set-max-listpack-value bytes. Iterated in
 *   insertion order like Redis's listpack.
 * - `hashtable`: anything bigger.
 *
 * Listpack and hashtable sets share one structure (SlotIndex: O(1) membership, random picks and a stable SCAN
 * cursor); the encoding only changes the name OBJECT ENCODING reports and whether SSCAN returns the set whole.
 */
import { SlotIndex, samplePositions } from './slot-index.js';

/** The thresholds that decide a set's encoding (a subset of server/encoding-limits.ts). */
export interface SetLimits {
  setMaxIntsetEntries: number;
  setMaxListpackEntries: number;
  setMaxListpackValue: number;
}

export const enum SetEnc {
  Intset = 0,
  Listpack = 1,
  Hashtable = 2,
}

const ENCODING_NAMES = ['intset', 'listpack', 'hashtable'] as const;

const INT64_MAX = '9223372036854775807';
const INT64_MIN_ABS = '9223372036854775808';

/** Whether `s` is an int64 in canonical form (what Redis's string2ll accepts: no '+', no leading zeros). */
export function isInt64(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return false;
  }
  const digits = n - i;
  if (digits < 19) return true;
  if (digits > 19) return false;
  const limit = i === 1 ? INT64_MIN_ABS : INT64_MAX;
  return (i === 1 ? s.slice(1) : s) <= limit;
}

/** Numeric order of two canonical int64 strings. */
export function compareInt64(a: string, b: string): number {
  const an = a.charCodeAt(0) === 45;
  const bn = b.charCodeAt(0) === 45;
  if (an !== bn) return an ? -1 : 1;
  let c: number;
  if (a.length !== b.length) c = a.length < b.length ? -1 : 1;
  else c = a < b ? -1 : a > b ? 1 : 0;
  return an ? -c : c;
}

/** Index of `m` in the sorted intset array, or -(insertion point) - 1. */
function search(ints: string[], m: string): number {
  let lo = 0;
  let hi = ints.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareInt64(ints[mid]!, m);
    if (c < 0) lo = mid + 1;
    else if (c > 0) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

/** Redis caps an intset at 2^30 entries whatever the configuration says. */
function intsetMax(limits: SetLimits): number {
  return Math.min(limits.setMaxIntsetEntries, 1 << 30);
}

/** A set with no encoding chosen yet: the constructor below picks one from the first member and a size hint. */
export class SetValue {
  enc: SetEnc;
  /** Sorted members while intset-encoded, else null. */
  private ints: string[] | null;
  /** Members while listpack- or hashtable-encoded, else null. */
  private table: SlotIndex | null;

  /**
   * An empty set of the given encoding. Use {@link SetValue.forFirst} to pick the encoding Redis would pick for a
   * new key.
   */
  constructor(enc: SetEnc) {
    this.enc = enc;
    this.ints = enc === SetEnc.Intset ? [] : null;
    this.table = enc === SetEnc.Intset ? null : new MemberTable();
  }

  /**
   * Redis's setTypeCreate: the encoding for a new set whose first member is `first` and that is about to receive
   * about `sizeHint` members.
   */
  static forFirst(first: string, sizeHint: number, limits: SetLimits): SetValue {
    if (sizeHint <= limits.setMaxIntsetEntries && isInt64(first)) return new SetValue(SetEnc.Intset);
    if (sizeHint <= limits.setMaxListpackEntries) return new SetValue(SetEnc.Listpack);
    return new SetValue(SetEnc.Hashtable);
  }

  get encoding(): 'intset' | 'listpack' | 'hashtable' {
    return ENCODING_NAMES[this.enc];
  }

  get size(): number {
    return this.ints !== null ? this.ints.length : this.table!.size;
  }

  has(m: string): boolean {
    if (this.ints !== null) return isInt64(m) && search(this.ints, m) >= 0;
    return this.table!.has(m);
  }

  /** Redis's setTypeMaybeConvert: a bulk add of about `sizeHint` members skips the compact encodings. */
  prepareAdd(sizeHint: number, limits: SetLimits): void {
    if (
      (this.enc === SetEnc.Listpack && sizeHint > limits.setMaxListpackEntries) ||
      (this.enc === SetEnc.Intset && sizeHint > limits.setMaxIntsetEntries)
    ) {
      this.convert(SetEnc.Hashtable);
    }
  }

  /** Adds a member, converting the encoding as Redis's setTypeAdd does. Returns true when it was new. */
  add(m: string, limits: SetLimits): boolean {
    const ints = this.ints;
    if (ints !== null) {
      if (isInt64(m)) {
        const at = search(ints, m);
        if (at >= 0) return false;
        const ip = -at - 1;
        if (ip === ints.length) ints.push(m);
        else ints.splice(ip, 0, m);
        if (ints.length > intsetMax(limits)) this.convert(SetEnc.Hashtable);
        return true;
      }
      // A non-integer: a listpack when the result fits one (judged, like Redis, by the widest integer), else a
      // hashtable.
      const n = ints.length;
      const widest = n === 0 ? 0 : Math.max(ints[0]!.length, ints[n - 1]!.length);
      const fits =
        n < limits.setMaxListpackEntries && m.length <= limits.setMaxListpackValue && widest <= limits.setMaxListpackValue;
      this.convert(fits ? SetEnc.Listpack : SetEnc.Hashtable);
      (this.table as MemberTable).put(m);
      return true;
    }
    const table = this.table as MemberTable;
    if (table.has(m)) return false;
    if (this.enc === SetEnc.Listpack && (table.size >= limits.setMaxListpackEntries || m.length > limits.setMaxListpackValue)) {
      this.enc = SetEnc.Hashtable;
    }
    table.put(m);
    return true;
  }

  /** Removes a member; true when it was there. */
  delete(m: string): boolean {
    const ints = this.ints;
    if (ints !== null) {
      if (!isInt64(m)) return false;
      const at = search(ints, m);
      if (at < 0) return false;
      if (at === ints.length - 1) ints.pop();
      else ints.splice(at, 1);
      return true;
    }
    return (this.table as MemberTable).drop(m);
  }

  /** A uniformly random member; the set must not be empty. */
  random(): string {
    const ints = this.ints;
    if (ints !== null) return ints[Math.floor(Math.random() * ints.length)]!;
    return this.table!.randomMember();
  }

  /** `k` distinct members picked uniformly (k ≤ size), in O(k). */
  sample(k: number): string[] {
    const ints = this.ints;
    if (ints !== null) {
      const pos = samplePositions(ints.length, k);
      return pos.map((p) => ints[p]!);
    }
    const t = this.table!;
    return t.sampleSlots(k).map((slot) => t.memberAt(slot));
  }

  /** Removes and returns a uniformly random member; the set must not be empty. */
  pop(): string {
    const m = this.random();
    this.delete(m);
    return m;
  }

  /**
   * Removes and returns `k` distinct random members (k < size). An intset is rebuilt once instead of spliced per
   * member, so this stays O(N + k) on big intsets.
   */
  popMany(k: number): string[] {
    const ints = this.ints;
    if (ints === null) {
      const out = new Array<string>(k);
      for (let i = 0; i < k; i++) out[i] = this.pop();
      return out;
    }
    const pos = samplePositions(ints.length, k);
    const gone = new Uint8Array(ints.length);
    const out = new Array<string>(k);
    for (let i = 0; i < k; i++) {
      gone[pos[i]!] = 1;
      out[i] = ints[pos[i]!]!;
    }
    let w = 0;
    for (let i = 0; i < ints.length; i++) if (gone[i] === 0) ints[w++] = ints[i]!;
    ints.length = w;
    return out;
  }

  /** Members in Redis's iteration order: ascending for an intset, insertion order otherwise. */
  values(): IterableIterator<string> {
    return this.ints !== null ? this.ints.values() : this.table!.keys();
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.values();
  }

  /** Whether SSCAN walks this set by cursor (hashtable) or returns it whole (the compact encodings). */
  get scannable(): boolean {
    return this.enc === SetEnc.Hashtable;
  }

  /** Cursor walk of a hashtable-encoded set (see SlotIndex.scanSlots). */
  scan(cursor: number, count: number, visit: (m: string) => void): number {
    const t = this.table!;
    return t.scanSlots(cursor, count, (slot) => visit(t.memberAt(slot)));
  }

  /**
   * Converts to `enc` (never back to a compact encoding, except through {@link maybeIntset}). The members keep
   * their iteration order: an intset's ascending order becomes the listpack/hashtable insertion order.
   */
  convert(enc: SetEnc): void {
    if (enc === this.enc) return;
    if (this.ints !== null) {
      const t = new MemberTable();
      for (const m of this.ints) t.put(m);
      this.table = t;
      this.ints = null;
    } else if (enc === SetEnc.Intset) {
      const ints = [...this.table!.keys()].sort(compareInt64);
      this.ints = ints;
      this.table = null;
    }
    this.enc = enc;
  }

  /**
   * Redis's maybeConvertToIntset, used by SINTERSTORE when every member of the result is an integer: back to an
   * intset unless the result is too big for one.
   */
  maybeIntset(limits: SetLimits): void {
    if (this.enc === SetEnc.Intset || this.size > intsetMax(limits)) return;
    this.convert(SetEnc.Intset);
  }

  /**
   * The union of `sets` (undefined entries are missing keys) built as Redis builds it: a new intset receiving
   * every member in turn, so the result's encoding and iteration order are Redis's.
   */
  static union(sets: readonly (SetValue | undefined)[], limits: SetLimits): SetValue {
    const out = new SetValue(SetEnc.Intset);
    for (const s of sets) if (s !== undefined) for (const m of s) out.add(m, limits);
    return out;
  }

  /** A copy with the same encoding and iteration order (COPY). */
  clone(): SetValue {
    const s = new SetValue(this.enc);
    if (this.ints !== null) s.ints = this.ints.slice();
    else for (const m of this.table!.keys()) (s.table as MemberTable).put(m);
    return s;
  }
}

/** SlotIndex with its protected mutators exposed to SetValue. */
class MemberTable extends SlotIndex {
  put(m: string): void {
    this.insert(m);
  }

  drop(m: string): boolean {
    return this.remove(m) >= 0;
  }
}

/**
 * The hash value: field → value with O(1) access, a stable SCAN cursor and O(1) random picks (see SlotIndex),
 * plus the encoding Redis would report.
 *
 * Encoding (Redis 7.2): `listpack` while the hash has at most hash-max-listpack-entries fields and every field
 * and value is at most hash-max-listpack-value bytes, `hashtable` after that. The conversion is one-way: a hash
 * that shrinks stays a hashtable. Only the flag changes; the structure is the same, but a listpack hash is
 * iterated in insertion order and HSCAN returns it whole, as Redis does.
 */
import { SlotIndex } from './slot-index.js';

/** The thresholds that decide a hash's encoding (a subset of server/encoding-limits.ts). */
export interface HashLimits {
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
}

export class HashValue extends SlotIndex {
  /** slot → value */
  private values: (string | undefined)[] = [];
  /** True while Redis would keep this hash as a listpack. */
  listpack = true;

  get encoding(): 'listpack' | 'hashtable' {
    return this.listpack ? 'listpack' : 'hashtable';
  }

  get(field: string): string | undefined {
    const slot = this.index.get(field);
    return slot === undefined ? undefined : this.values[slot];
  }

  valueAt(slot: number): string {
    return this.values[slot]!;
  }

  /**
   * Sets a field, converting to a hashtable as Redis's hashTypeSet does: before the write when the field or the
   * value is too long for a listpack, after it when the listpack has too many fields. Returns true for a new field.
   */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (this.listpack && (field.length > limits.hashMaxListpackValue || value.length > limits.hashMaxListpackValue)) {
      this.listpack = false;
    }
    const slot = this.index.get(field);
    if (slot !== undefined) {
      this.values[slot] = value;
      return false;
    }
    this.values[this.insert(field)] = value;
    if (this.listpack && this.index.size > limits.hashMaxListpackEntries) this.listpack = false;
    return true;
  }

  /**
   * What Redis's hashTypeTryConversion checks before a multi-field write (HSET, HMSET, HSETNX) on a listpack: more
   * new pairs than the listpack may hold, or any argument longer than a listpack value, convert up front — even
   * when duplicates would have kept the hash small.
   */
  prepareWrite(argv: readonly string[], from: number, limits: HashLimits): void {
    if (!this.listpack) return;
    if ((argv.length - from) / 2 > limits.hashMaxListpackEntries) {
      this.listpack = false;
      return;
    }
    const max = limits.hashMaxListpackValue;
    for (let i = from; i < argv.length; i++) {
      if (argv[i]!.length > max) {
        this.listpack = false;
        return;
      }
    }
  }

  delete(field: string): boolean {
    const slot = this.remove(field);
    if (slot < 0) return false;
    this.values[slot] = undefined;
    if (this.index.size === 0) this.values = [];
    return true;
  }

  /** Field/value pairs in iteration order (insertion order). */
  *entries(): IterableIterator<[string, string]> {
    const values = this.values;
    for (const [f, slot] of this.index) yield [f, values[slot]!];
  }

  /** Calls `fn` for every pair in iteration order, without allocating per pair. */
  forEach(fn: (field: string, value: string) => void): void {
    const values = this.values;
    for (const [f, slot] of this.index) fn(f, values[slot]!);
  }

  clone(): HashValue {
    const h = new HashValue();
    h.listpack = this.listpack;
    const big = { hashMaxListpackEntries: Infinity, hashMaxListpackValue: Infinity };
    this.forEach((f, v) => h.set(f, v, big));
    h.listpack = this.listpack;
    return h;
  }
}

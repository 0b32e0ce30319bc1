/**
 * A keyspace entry: the value of one key with its type tag, expiry and access metadata.
 */
import { MutableString } from '../types/mutable-string.js';

/** Value types, named as `TYPE` reports them. Numbering is internal and never persisted. */
export const enum T {
  String = 0,
  List = 1,
  Set = 2,
  ZSet = 3,
  Hash = 4,
  Stream = 5,
}

export const TYPE_NAMES = ['string', 'list', 'set', 'zset', 'hash', 'stream'] as const;

/**
 * A string value: a latin1 `string` when written whole (cheap to store and to reply), a {@link MutableString} once
 * it is modified in place (APPEND, SETRANGE, SETBIT, BITFIELD) so those stay O(change) as in Redis.
 */
export type StringValue = string | MutableString;

export class Entry {
  /** Absolute expiry time in ms since the epoch; 0 when the key is persistent. */
  expireAt = 0;
  /** Index in the database's slot array (SCAN cursor space). */
  slot = -1;
  /** Last access time in ms (OBJECT IDLETIME, LRU eviction). */
  atime: number;
  /** LFU counter (OBJECT FREQ). */
  freq = 5;

  constructor(
    readonly key: string,
    public type: T,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    public value: any,
    now: number,
  ) {
    this.atime = now;
  }
}

/** Reads a string entry's value as a latin1 string. */
export function stringOf(v: StringValue): string {
  return typeof v === 'string' ? v : v.toString();
}

export function stringLength(v: StringValue): number {
  return typeof v === 'string' ? v.length : v.length;
}

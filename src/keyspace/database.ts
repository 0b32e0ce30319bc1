/**
 * One numbered database: a Map from key (latin1 string) to {@link Entry}, a slot array that gives SCAN a stable
 * cursor, and the expiry index.
 *
 * Why slots: a JS Map cannot resume iteration from a number. Each entry owns a slot index for its whole life; a
 * cursor is a slot index, so a key present during a whole SCAN is returned exactly once however keys come and go
 * (freed slots are reused by new keys, which SCAN need not return).
 */
import { Entry, T } from './entry.js';
import { ExpiryHeap } from './expiry-heap.js';
import { N } from './notify.js';
import type { Keyspace } from './keyspace.js';

/** V8 caps a Map at 2^24 entries; beyond this a database spreads over several Maps. */
const MAP_LIMIT = 1 << 24;

export class Database {
  private maps: Map<string, Entry>[] = [new Map()];
  private slots: (Entry | undefined)[] = [];
  private freeSlots: number[] = [];
  private count = 0;
  readonly volatile = new Set<Entry>();
  readonly heap = new ExpiryHeap();
  /** Average TTL tracking for INFO keyspace (avg_ttl), updated by the active cycle. */
  avgTtl = 0;

  constructor(
    readonly id: number,
    readonly ks: Keyspace,
  ) {}

  get size(): number {
    return this.count;
  }

  /** The raw entry, expired or not. */
  private raw(key: string): Entry | undefined {
    const maps = this.maps;
    if (maps.length === 1) return maps[0]!.get(key);
    for (let i = 0; i < maps.length; i++) {
      const e = maps[i]!.get(key);
      if (e !== undefined) return e;
    }
    return undefined;
  }

  /** Looks a key up, expiring it first if its time has come (lazy expiry). Updates the access time. */
  get(key: string): Entry | undefined {
    const e = this.raw(key);
    if (e === undefined) return undefined;
    if (e.expireAt !== 0 && e.expireAt <= this.ks.now) {
      this.expire(e);
      return undefined;
    }
    if (!this.ks.noTouch) e.atime = this.ks.now;
    return e;
  }

  /** Like {@link get} but without touching the access time (OBJECT, TYPE-free inspection). */
  peek(key: string): Entry | undefined {
    const e = this.raw(key);
    if (e === undefined) return undefined;
    if (e.expireAt !== 0 && e.expireAt <= this.ks.now) {
      this.expire(e);
      return undefined;
    }
    return e;
  }

  /** A lookup on behalf of a read command: counts keyspace hits and misses (INFO stats). */
  read(key: string): Entry | undefined {
    const e = this.get(key);
    if (e === undefined) this.ks.misses++;
    else this.ks.hits++;
    return e;
  }

  /**
   * Signals that `key` changed (WATCH, dirty counter) and, when `event` is given, emits the keyspace notification
   * of class `cls` (an `N` bit). Call after every write, once per key.
   */
  touched(key: string, cls = 0, event = ''): void {
    this.ks.modified(this, key);
    if (cls !== 0 && this.ks.notifyFlags !== 0) this.ks.notify(cls, event, this, key);
  }

  has(key: string): boolean {
    return this.peek(key) !== undefined;
  }

  /** Adds a new key (which must not exist) and returns its entry. */
  add(key: string, type: T, value: unknown): Entry {
    const e = new Entry(key, type, value, this.ks.now);
    this.insert(e);
    return e;
  }

  /** Stores `e` under its key, replacing any existing value (the old expiry is dropped). */
  insert(e: Entry): void {
    const old = this.raw(e.key);
    if (old !== undefined) this.unlink(old);
    else if (this.ks.notifyFlags !== 0) this.ks.notify(N.newKey, 'new', this, e.key);
    let map = this.maps[this.maps.length - 1]!;
    if (map.size >= MAP_LIMIT) {
      map = new Map();
      this.maps.push(map);
    }
    map.set(e.key, e);
    e.slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.slots.length;
    this.slots[e.slot] = e;
    this.count++;
    if (e.expireAt !== 0) this.trackExpire(e);
  }

  /**
   * Sets a string value: reuses the entry when the key already holds any value (keeping or clearing the TTL),
   * otherwise adds one. The hot path of SET.
   */
  setString(key: string, value: unknown, keepTtl: boolean): Entry {
    const e = this.raw(key);
    if (e !== undefined && !(e.expireAt !== 0 && e.expireAt <= this.ks.now)) {
      e.type = T.String;
      e.value = value;
      e.atime = this.ks.now;
      if (!keepTtl && e.expireAt !== 0) this.persist(e);
      return e;
    }
    if (e !== undefined) this.unlink(e);
    return this.add(key, T.String, value);
  }

  /** Deletes a key; returns false when it did not exist (or had expired). */
  delete(key: string): boolean {
    const e = this.peek(key);
    if (e === undefined) return false;
    this.unlink(e);
    return true;
  }

  /** Removes an entry from every index. */
  unlink(e: Entry): void {
    const maps = this.maps;
    if (maps.length === 1) maps[0]!.delete(e.key);
    else for (const m of maps) if (m.delete(e.key)) break;
    this.slots[e.slot] = undefined;
    this.freeSlots.push(e.slot);
    e.slot = -1;
    this.count--;
    if (e.expireAt !== 0) {
      this.volatile.delete(e);
      e.expireAt = 0;
    }
    if (this.count === 0) {
      this.slots = [];
      this.freeSlots = [];
    }
  }

  /** Sets an absolute expiry time in ms. */
  setExpire(e: Entry, at: number): void {
    e.expireAt = at;
    this.trackExpire(e);
  }

  private trackExpire(e: Entry): void {
    this.volatile.add(e);
    this.heap.push(e.expireAt, e);
    if (this.heap.size > 2 * this.volatile.size + 1024) this.heap.rebuild(this.volatile);
  }

  /** Removes the TTL; returns false when the key had none. */
  persist(e: Entry): boolean {
    if (e.expireAt === 0) return false;
    e.expireAt = 0;
    this.volatile.delete(e);
    return true;
  }

  /** Deletes an expired entry and tells the keyspace (notifications, effects log, WATCH). */
  private expire(e: Entry): void {
    this.unlink(e);
    this.ks.expired(this, e.key);
  }

  /**
   * Active expiry: deletes keys whose time has passed, in heap order, until `deadline` (ms, from `clock`).
   * Returns the number of keys removed.
   */
  expireDue(now: number, budget: number, clock: () => number): number {
    let removed = 0;
    const heap = this.heap;
    const start = clock();
    while (heap.size > 0 && heap.peekTime() <= now) {
      const e = heap.peekEntry()!;
      const at = heap.peekTime();
      heap.pop();
      if (e.slot >= 0 && e.expireAt === at) {
        this.expire(e);
        removed++;
        if ((removed & 63) === 0 && clock() - start >= budget) break;
      }
    }
    return removed;
  }

  /** Returns the keys in slots [cursor, …) visiting at most `count` live keys; next cursor is 0 at the end. */
  scan(cursor: number, count: number, visit: (e: Entry) => void): number {
    const slots = this.slots;
    let i = cursor;
    let seen = 0;
    // Like Redis, bound the empty slots visited per call as well (count * 10).
    let budget = count * 10;
    while (i < slots.length && seen < count && budget > 0) {
      const e = slots[i++];
      if (e === undefined) {
        budget--;
        continue;
      }
      seen++;
      if (e.expireAt !== 0 && e.expireAt <= this.ks.now) {
        this.expire(e);
        continue;
      }
      visit(e);
    }
    return i >= slots.length ? 0 : i;
  }

  /** A random live key, or undefined when empty. */
  randomEntry(random: () => number): Entry | undefined {
    for (let tries = 0; this.count > 0 && tries < 100; tries++) {
      const e = this.slots[Math.floor(random() * this.slots.length)];
      if (e === undefined) continue;
      if (e.expireAt !== 0 && e.expireAt <= this.ks.now) {
        this.expire(e);
        continue;
      }
      return e;
    }
    // Sparse slot array or mostly expired keys: fall back to a walk from a random start.
    if (this.count === 0) return undefined;
    const start = Math.floor(random() * this.slots.length);
    for (let k = 0; k < this.slots.length; k++) {
      const e = this.slots[(start + k) % this.slots.length];
      if (e === undefined) continue;
      if (e.expireAt !== 0 && e.expireAt <= this.ks.now) {
        this.expire(e);
        continue;
      }
      return e;
    }
    return undefined;
  }

  /** Every entry, expired or not (KEYS filters; snapshots). */
  *entries(): IterableIterator<Entry> {
    for (const m of this.maps) yield* m.values();
  }

  /** Drops everything; returns the old contents so a caller can free them lazily. */
  clear(): void {
    this.maps = [new Map()];
    this.slots = [];
    this.freeSlots = [];
    this.count = 0;
    this.volatile.clear();
    this.heap.clear();
  }

  /** Swaps contents with another database (SWAPDB). */
  swapWith(other: Database): void {
    const fields = ['maps', 'slots', 'freeSlots', 'count', 'avgTtl'] as const;
    for (const f of fields) {
      const a = this[f];
      (this as unknown as Record<string, unknown>)[f] = other[f];
      (other as unknown as Record<string, unknown>)[f] = a;
    }
    const va = [...this.volatile];
    const vb = [...other.volatile];
    this.volatile.clear();
    other.volatile.clear();
    for (const e of vb) this.volatile.add(e);
    for (const e of va) other.volatile.add(e);
    this.heap.rebuild(this.volatile);
    other.heap.rebuild(other.volatile);
  }
}

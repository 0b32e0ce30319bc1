/**
 * All databases plus the time base and the hooks other subsystems listen on (modified keys for WATCH and
 * notifications, expired keys for the effects log).
 */
import { Database } from './database.js';
import { N, publishEvent } from './notify.js';

export interface KeyspaceListener {
  /** A key's value changed (Redis's signalModifiedKey): WATCH, client-side caching. */
  modified?(db: Database, key: string): void;
  /** A key was removed because its TTL passed (lazy or active expiry). */
  expired?(db: Database, key: string): void;
  /**
   * Every key of `db` is about to change at once: FLUSHDB/FLUSHALL (`next` null) or SWAPDB (`next` is the database
   * whose contents move in). Called before the change, so a listener can still see which keys `db` holds.
   */
  replacing?(db: Database, next: Database | null): void;
}

export class Keyspace {
  dbs: Database[] = [];
  /** The time commands see, in ms; refreshed before each command so one command sees one instant. */
  now = Date.now();
  /** Set while a CLIENT NO-TOUCH client runs a command: lookups do not change access times. */
  noTouch = false;
  /** Number of changes since the last save (INFO rdb_changes_since_last_save). */
  dirty = 0;
  expiredKeys = 0;
  hits = 0;
  misses = 0;
  private listeners: KeyspaceListener[] = [];
  /** notify-keyspace-events as bits (see notify.ts); 0 = notifications off, the common case, checked first. */
  notifyFlags = 0;
  /** Where events go (the server's Pub/Sub). */
  publish: (channel: string, message: string) => void = () => {};

  constructor(
    databases: number,
    readonly clock: () => number = Date.now,
  ) {
    this.resize(databases);
  }

  resize(databases: number): void {
    while (this.dbs.length < databases) this.dbs.push(new Database(this.dbs.length, this));
  }

  listen(l: KeyspaceListener): void {
    this.listeners.push(l);
  }

  tick(): number {
    this.now = this.clock();
    return this.now;
  }

  /** Call after every change to a key's value (or its deletion). */
  modified(db: Database, key: string): void {
    this.dirty++;
    for (const l of this.listeners) l.modified?.(db, key);
  }

  /**
   * Emits a keyspace event of class `cls` (an `N` bit) named `event` for `key`: Redis's notifyKeyspaceEvent.
   * Call it after the change, once per key changed.
   */
  notify(cls: number, event: string, db: Database, key: string): void {
    const flags = this.notifyFlags;
    if ((flags & cls) === 0 || (flags & (N.keyspace | N.keyevent)) === 0) return;
    publishEvent(flags, this.publish, event, db.id, key);
  }

  expired(db: Database, key: string): void {
    this.notify(N.expired, 'expired', db, key);
    this.expiredKeys++;
    this.dirty++;
    for (const l of this.listeners) {
      l.expired?.(db, key);
      l.modified?.(db, key);
    }
  }

  /**
   * One active expiry pass over every database, bounded by `budgetMs`. Returns true when it stopped early with
   * work left, so the caller can run another pass soon (Redis's "fast cycle").
   */
  activeExpire(budgetMs: number): boolean {
    const now = this.tick();
    const start = this.clock();
    for (const db of this.dbs) {
      if (db.volatile.size === 0) continue;
      const left = budgetMs - (this.clock() - start);
      if (left <= 0) return true;
      db.expireDue(now, left, this.clock);
      if (db.heap.peekTime() <= now) return true;
    }
    return false;
  }

  /** Announces a whole-database change (see {@link KeyspaceListener.replacing}); call before making it. */
  replacing(db: Database, next: Database | null): void {
    for (const l of this.listeners) l.replacing?.(db, next);
  }

  totalKeys(): number {
    let n = 0;
    for (const db of this.dbs) n += db.size;
    return n;
  }
}

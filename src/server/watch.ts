/**
 * WATCH bookkeeping: which clients watch which keys, and flagging them when a key changes so their EXEC fails.
 * Listens to the keyspace: a modified key (any write, expiry, eviction) and whole-database changes (FLUSHDB,
 * FLUSHALL, SWAPDB) mark watchers dirty as Redis does.
 */
import type { Database } from '../keyspace/database.js';
import type { KeyspaceListener } from '../keyspace/keyspace.js';
import type { Client } from './client.js';

export class WatchRegistry implements KeyspaceListener {
  private byDb = new Map<Database, Map<string, Set<Client>>>();
  /** Number of (client, key) registrations, so writes skip all work when nobody watches. */
  private count = 0;

  watch(c: Client, db: Database, key: string): void {
    for (const [d, k] of c.watched) if (d === db && k === key) return;
    // Expire the key now if its time has come, so that an already-expired key does not count as "changed" later.
    db.peek(key);
    let keys = this.byDb.get(db);
    if (keys === undefined) this.byDb.set(db, (keys = new Map()));
    let clients = keys.get(key);
    if (clients === undefined) keys.set(key, (clients = new Set()));
    clients.add(c);
    c.watched.push([db, key]);
    this.count++;
  }

  unwatchAll(c: Client): void {
    for (const [db, key] of c.watched) {
      const keys = this.byDb.get(db);
      const clients = keys?.get(key);
      if (clients === undefined) continue;
      clients.delete(c);
      this.count--;
      if (clients.size === 0) keys!.delete(key);
      if (keys!.size === 0) this.byDb.delete(db);
    }
    c.watched = [];
    c.dirtyCas = false;
  }

  modified(db: Database, key: string): void {
    if (this.count === 0) return;
    const clients = this.byDb.get(db)?.get(key);
    if (clients !== undefined) for (const c of clients) c.dirtyCas = true;
  }

  replacing(db: Database, next: Database | null): void {
    if (this.count === 0) return;
    const keys = this.byDb.get(db);
    if (keys === undefined) return;
    for (const [key, clients] of keys) {
      if (db.has(key) || (next !== null && next.has(key))) for (const c of clients) c.dirtyCas = true;
    }
  }
}

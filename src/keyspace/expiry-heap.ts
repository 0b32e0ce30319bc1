/**
 * Min-heap of (expireAt, entry) for the active expiry cycle. Entries whose TTL changed or that were deleted stay in
 * the heap as stale items and are skipped when popped (the entry's current `expireAt` no longer matches); the heap
 * is rebuilt when stale items outnumber live ones, so its size stays O(volatile keys).
 */
import type { Entry } from './entry.js';

export class ExpiryHeap {
  private times: number[] = [];
  private items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  push(at: number, e: Entry): void {
    const times = this.times;
    const items = this.items;
    let i = items.length;
    times.push(at);
    items.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent]! <= at) break;
      times[i] = times[parent]!;
      items[i] = items[parent]!;
      i = parent;
    }
    times[i] = at;
    items[i] = e;
  }

  /** Earliest time in the heap (possibly stale), or Infinity. */
  peekTime(): number {
    return this.items.length > 0 ? this.times[0]! : Infinity;
  }

  peekEntry(): Entry | undefined {
    return this.items[0];
  }

  pop(): void {
    const times = this.times;
    const items = this.items;
    const lastT = times.pop()!;
    const lastE = items.pop()!;
    const n = items.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && times[child + 1]! < times[child]!) child++;
      if (times[child]! >= lastT) break;
      times[i] = times[child]!;
      items[i] = items[child]!;
      i = child;
    }
    times[i] = lastT;
    items[i] = lastE;
  }

  /** Rebuilds from the given live entries (drops stale items). */
  rebuild(live: Iterable<Entry>): void {
    this.times = [];
    this.items = [];
    for (const e of live) if (e.expireAt > 0) this.push(e.expireAt, e);
  }

  clear(): void {
    this.times = [];
    this.items = [];
  }
}

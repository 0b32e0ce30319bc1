/**
 * The member index shared by hashes and sets: a Map from member to a *slot* that the member keeps for its whole
 * life, plus a dense array of live slots.
 *
 * - Slots give *SCAN a stable cursor (the same technique as keyspace/database.ts): a cursor is a slot number, so a
 *   member present for a whole scan is returned exactly once however members come and go. Freed slots are reused
 *   by later members, which a scan in progress need not return.
 * - The dense array (swap-removed on delete) gives O(1) uniform random picks for SPOP, SRANDMEMBER and
 *   HRANDFIELD, whatever the holes in the slot array.
 * - The Map keeps insertion order, which is the order Redis's listpack encoding iterates in (deletes keep the
 *   order of the rest), so small hashes and sets reply in the same order as Redis.
 */
export class SlotIndex {
  /** member → slot */
  protected readonly index = new Map<string, number>();
  /** slot → member (undefined for a free slot) */
  protected members: (string | undefined)[] = [];
  /** Live slots, in no particular order. */
  private dense: number[] = [];
  /** slot → its position in `dense` */
  private pos: number[] = [];
  private free: number[] = [];

  get size(): number {
    return this.index.size;
  }

  has(member: string): boolean {
    return this.index.has(member);
  }

  /** The slot of `member`, or undefined. */
  slotOf(member: string): number | undefined {
    return this.index.get(member);
  }

  memberAt(slot: number): string {
    return this.members[slot]!;
  }

  /** Adds a member known to be absent; returns its slot. */
  protected insert(member: string): number {
    const slot = this.free.length > 0 ? this.free.pop()! : this.members.length;
    this.members[slot] = member;
    this.index.set(member, slot);
    this.pos[slot] = this.dense.length;
    this.dense.push(slot);
    return slot;
  }

  /** Removes a member; returns its former slot or -1 when absent. */
  protected remove(member: string): number {
    const slot = this.index.get(member);
    if (slot === undefined) return -1;
    this.index.delete(member);
    this.members[slot] = undefined;
    const at = this.pos[slot]!;
    const last = this.dense.pop()!;
    if (last !== slot) {
      this.dense[at] = last;
      this.pos[last] = at;
    }
    if (this.index.size === 0) {
      // Start afresh: nothing can be mid-scan over an empty collection that still matters.
      this.members = [];
      this.pos = [];
      this.free = [];
    } else {
      this.free.push(slot);
    }
    return slot;
  }

  /** A uniformly random live slot; the collection must not be empty. */
  randomSlot(): number {
    return this.dense[Math.floor(Math.random() * this.dense.length)]!;
  }

  /** `k` distinct live slots picked uniformly (k ≤ size). */
  sampleSlots(k: number): number[] {
    const pos = samplePositions(this.dense.length, k);
    for (let i = 0; i < pos.length; i++) pos[i] = this.dense[pos[i]!]!;
    return pos;
  }

  /** A uniformly random member; the collection must not be empty. */
  randomMember(): string {
    return this.members[this.randomSlot()]!;
  }

  /** Members in insertion order. */
  keys(): IterableIterator<string> {
    return this.index.keys();
  }

  /**
   * Visits live slots from `cursor` on until `count` members were seen (or `count * 10` empty slots skipped, as
   * Redis bounds the empty buckets a call visits). Returns the next cursor, 0 when the walk is complete.
   */
  scanSlots(cursor: number, count: number, visit: (slot: number) => void): number {
    const members = this.members;
    const n = members.length;
    let i = cursor;
    let seen = 0;
    let budget = count * 10;
    while (i < n && seen < count && budget > 0) {
      const m = members[i];
      if (m === undefined) {
        budget--;
        i++;
        continue;
      }
      visit(i++);
      seen++;
    }
    return i >= n ? 0 : i;
  }
}

/**
 * `k` distinct positions drawn uniformly from [0, n) (k ≤ n), by Robert Floyd's algorithm: O(k) time and memory
 * whatever the ratio of k to n, no retries.
 */
export function samplePositions(n: number, k: number): number[] {
  const picked = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(Math.random() * (j + 1));
    picked.add(picked.has(t) ? j : t);
  }
  return [...picked];
}

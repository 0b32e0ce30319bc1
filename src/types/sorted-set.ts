/**
 * The sorted set value: a Map from member to its score (O(1) ZSCORE) plus an order-statistic B+tree holding the
 * (score, member) pairs in order: score first, then member bytes (members are latin1 strings, so JS string
 * comparison is byte order, a shorter prefix first like memcmp).
 *
 * Why a B+tree and not Redis's skiplist: both give O(log N) insert, delete and rank and O(log N + M) ranges,
 * but a skiplist node is several objects in JS and a rank walks ~40 of them on a million members, one cache miss
 * each. Here leaves hold up to LEAF_CAP pairs in two flat arrays, inner nodes hold the subtree sizes of their
 * children (ranks are prefix sums along one root-to-leaf path) and the smallest key of each child (routing), so
 * a million members are three or four levels deep.
 *
 * Encoding: Redis keeps small sorted sets in a listpack and converts them, one way, to a skiplist once they hold
 * more than zset-max-listpack-entries members or a member longer than zset-max-listpack-value bytes. Both are
 * this structure here; `listpack` only records which encoding Redis would be using (OBJECT ENCODING, and ZSCAN,
 * which returns a listpack whole in one call).
 *
 * Each member also owns a *slot* for its whole life (score updates included): ZSCAN's cursor is a slot number, so
 * a member present during a whole scan is returned exactly once however others come and go.
 */

const LEAF_CAP = 128;
const INNER_CAP = 64;
/** Below these sizes a node tries to merge with a neighbour (keeps the tree dense after deletions). */
const LEAF_MIN = LEAF_CAP >> 2;
const INNER_MIN = INNER_CAP >> 2;

class Leaf {
  readonly leaf = true;
  n = 0;
  scores: number[] = [];
  members: string[] = [];
  prev: Leaf | null = null;
  next: Leaf | null = null;
}

class Inner {
  readonly leaf = false;
  n = 0;
  children: Node[] = [];
  /** Number of pairs under each child. */
  counts: number[] = [];
  /** The routing key of child i (i ≥ 1): every pair in child i is ≥ it, every pair in child i-1 below it. */
  sepS: number[] = [];
  sepM: string[] = [];
}

type Node = Leaf | Inner;

/**
 * A read-only position in the order, for code that walks element by element (SORT): its member and score and
 * the neighbouring positions, shaped like a skiplist node (`next[0]`, `backward`). Valid while the set is not
 * modified; {@link SortedSet.walk} is the cheaper way to visit a range.
 */
export class ZNode {
  constructor(
    private readonly leaf: Leaf,
    private readonly pos: number,
  ) {}

  get member(): string {
    return this.leaf.members[this.pos]!;
  }

  get score(): number {
    return this.leaf.scores[this.pos]!;
  }

  /** The previous position, or null at the lowest element. */
  get backward(): ZNode | null {
    if (this.pos > 0) return new ZNode(this.leaf, this.pos - 1);
    const l = this.leaf.prev;
    return l === null ? null : new ZNode(l, l.n - 1);
  }

  /** `next[0]`: the following position, or null at the highest element. */
  get next(): (ZNode | null)[] {
    if (this.pos + 1 < this.leaf.n) return [new ZNode(this.leaf, this.pos + 1)];
    const l = this.leaf.next;
    return [l === null ? null : new ZNode(l, 0)];
  }
}

/** Per member: its score and its slot. */
export interface ZEntry {
  score: number;
  slot: number;
}

/** A score interval: min/max with exclusive flags (`(1.5` is exclusive). */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** A member interval for the BYLEX family. `-`/`+` are the infinite bounds (kind -1 and 1); kind 0 is a string. */
export interface LexRange {
  min: string;
  max: string;
  minKind: number;
  maxKind: number;
  minex: boolean;
  maxex: boolean;
}

/** The thresholds that decide a sorted set's encoding (from server/encoding-limits.ts). */
export interface ZsetLimits {
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
}

export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}

export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}

/** Compares a member with a lex bound of the given kind (Redis's sdscmplex with its min/max sentinels). */
function cmpLex(m: string, bound: string, kind: number): number {
  if (kind !== 0) return -kind;
  return m < bound ? -1 : m > bound ? 1 : 0;
}

export function lexGteMin(m: string, r: LexRange): boolean {
  const c = cmpLex(m, r.min, r.minKind);
  return r.minex ? c > 0 : c >= 0;
}

export function lexLteMax(m: string, r: LexRange): boolean {
  const c = cmpLex(m, r.max, r.maxKind);
  return r.maxex ? c < 0 : c <= 0;
}

/** Whether a lex range can hold anything at all (min below max, or equal and inclusive). */
function lexRangeNonEmpty(r: LexRange): boolean {
  let c: number;
  if (r.minKind !== 0 || r.maxKind !== 0) {
    // Two sentinels compare equal only to themselves; a sentinel against a string orders as -inf/+inf.
    if (r.minKind === r.maxKind) c = 0;
    else if (r.minKind === -1 || r.maxKind === 1) c = -1;
    else c = 1;
  } else {
    c = r.min < r.max ? -1 : r.min > r.max ? 1 : 0;
  }
  return c < 0 || (c === 0 && !r.minex && !r.maxex);
}

/** Whether the pair (s, m) orders before (s2, m2). */
function before(s: number, m: string, s2: number, m2: string): boolean {
  return s < s2 || (s === s2 && m < m2);
}

/** The child of `node` whose key interval holds (s, m): the last child whose routing key is ≤ it. */
function childFor(node: Inner, s: number, m: string): number {
  let lo = 1;
  let hi = node.n - 1;
  const sepS = node.sepS;
  const sepM = node.sepM;
  // Find the last i in [1, n-1] with sep[i] <= key; 0 if none.
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (before(s, m, sepS[mid]!, sepM[mid]!)) hi = mid - 1;
    else lo = mid + 1;
  }
  return hi < 1 ? 0 : hi;
}

/** Position of the first pair ≥ (s, m) in a leaf. */
function leafLowerBound(leaf: Leaf, s: number, m: string): number {
  let lo = 0;
  let hi = leaf.n;
  const scores = leaf.scores;
  const members = leaf.members;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(scores[mid]!, members[mid]!, s, m)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertAt<V>(a: V[], i: number, v: V, n: number): void {
  for (let k = n; k > i; k--) a[k] = a[k - 1]!;
  a[i] = v;
}

function removeAt<V>(a: V[], i: number, n: number): void {
  for (let k = i; k < n - 1; k++) a[k] = a[k + 1]!;
  a.length = n - 1;
}

/** A monotone predicate over pairs: true for a prefix of the order (a lower bound's "still before it"). */
type Pred = (s: number, m: string) => boolean;

/** Scratch path for descents (a command runs to completion, so one is enough). */
const PATH: Inner[] = [];
const PATH_I: number[] = [];

export class SortedSet {
  readonly dict = new Map<string, ZEntry>();
  private root: Node = new Leaf();
  private head: Leaf;
  private tail: Leaf;
  /** slot → member (undefined for a free slot). */
  private slots: (string | undefined)[] = [];
  private freeSlots: number[] = [];
  /** True while Redis would keep this set as a listpack. */
  listpack: boolean;

  constructor(listpack = true) {
    this.listpack = listpack;
    this.head = this.tail = this.root as Leaf;
  }

  /** A new set with the encoding Redis's zsetTypeCreate picks for the expected size and longest member. */
  static create(sizeHint: number, maxLenHint: number, limits: ZsetLimits): SortedSet {
    return new SortedSet(sizeHint <= limits.zsetMaxListpackEntries && maxLenHint <= limits.zsetMaxListpackValue);
  }

  get size(): number {
    return this.dict.size;
  }

  get encoding(): 'listpack' | 'skiplist' {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  score(member: string): number | undefined {
    return this.dict.get(member)?.score;
  }

  has(member: string): boolean {
    return this.dict.has(member);
  }

  /** The lowest member (the set must not be empty). */
  firstMember(): string {
    return this.head.members[0]!;
  }

  /** The highest member (the set must not be empty). */
  lastMember(): string {
    return this.tail.members[this.tail.n - 1]!;
  }

  /**
   * Before adding a member of `len` bytes: converts to skiplist when the listpack would grow past its limits
   * (one way, as in Redis).
   */
  prepareAdd(len: number, limits: ZsetLimits): void {
    if (this.listpack && (this.dict.size + 1 > limits.zsetMaxListpackEntries || len > limits.zsetMaxListpackValue)) {
      this.listpack = false;
    }
  }

  /** After building a set in skiplist form (stores): back to listpack when small enough (zsetConvertToListpackIfNeeded). */
  compactIfSmall(maxLen: number, limits: ZsetLimits): void {
    if (!this.listpack && this.dict.size <= limits.zsetMaxListpackEntries && maxLen <= limits.zsetMaxListpackValue) {
      this.listpack = true;
      // The listpack rewrite stores -0 as the integer 0 (see add).
      for (let l: Leaf | null = this.head; l !== null; l = l.next) {
        for (let k = 0; k < l.n; k++) {
          if (Object.is(l.scores[k], -0)) {
            l.scores[k] = 0;
            this.dict.get(l.members[k]!)!.score = 0;
          }
        }
      }
    }
  }

  /** Adds a member known to be absent. */
  add(member: string, score: number): void {
    // A listpack stores an integral score as an integer (Redis's double2ll), so -0 reads back as 0; a skiplist
    // keeps the sign. (0 and -0 compare equal, so the order is the same either way.)
    if (score === 0 && this.listpack) score = 0;
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.slots.length;
    this.slots[slot] = member;
    this.dict.set(member, { score, slot });
    this.insertPair(score, member);
  }

  /** Changes the score of a present member. */
  setScore(member: string, score: number): void {
    const e = this.dict.get(member)!;
    // -0 === 0: an update between the two zeros changes nothing, as in Redis; a listpack stores -0 as 0 (see add).
    if (e.score === score) return;
    if (score === 0 && this.listpack) score = 0;
    if (!this.updateInPlace(e.score, member, score)) {
      this.removePair(e.score, member);
      this.insertPair(score, member);
    }
    e.score = score;
  }

  /** Removes a member; false when absent. */
  delete(member: string): boolean {
    const e = this.dict.get(member);
    if (e === undefined) return false;
    this.removePair(e.score, member);
    this.forget(member, e);
    return true;
  }

  private forget(member: string, e: ZEntry): void {
    this.dict.delete(member);
    this.slots[e.slot] = undefined;
    if (this.dict.size === 0) {
      this.slots = [];
      this.freeSlots = [];
    } else {
      this.freeSlots.push(e.slot);
    }
  }

  // ---- tree core ----

  private insertPair(s: number, m: string): void {
    let node = this.root;
    let depth = 0;
    while (!node.leaf) {
      const i = childFor(node, s, m);
      PATH[depth] = node;
      PATH_I[depth] = i;
      depth++;
      node.counts[i]!++;
      node = node.children[i]!;
    }
    const pos = leafLowerBound(node, s, m);
    insertAt(node.scores, pos, s, node.n);
    insertAt(node.members, pos, m, node.n);
    node.n++;
    if (node.n > LEAF_CAP) this.splitLeaf(node, depth);
  }

  private splitLeaf(leaf: Leaf, depth: number): void {
    const mid = leaf.n >> 1;
    const right = new Leaf();
    right.scores = leaf.scores.slice(mid);
    right.members = leaf.members.slice(mid);
    right.n = leaf.n - mid;
    leaf.scores.length = mid;
    leaf.members.length = mid;
    leaf.n = mid;
    right.next = leaf.next;
    right.prev = leaf;
    if (leaf.next !== null) leaf.next.prev = right;
    else this.tail = right;
    leaf.next = right;
    this.addSibling(leaf, right, right.n, right.scores[0]!, right.members[0]!, depth);
  }

  /** Puts `right` just after `left` in left's parent (depth-1 on PATH), splitting upwards as needed. */
  private addSibling(left: Node, right: Node, rightCount: number, sepS: number, sepM: string, depth: number): void {
    if (depth === 0) {
      const root = new Inner();
      root.children = [left, right];
      const total = this.dict.size;
      root.counts = [total - rightCount, rightCount];
      root.sepS = [0, sepS];
      root.sepM = ['', sepM];
      root.n = 2;
      this.root = root;
      return;
    }
    const parent = PATH[depth - 1]!;
    const i = PATH_I[depth - 1]!;
    const n = parent.n;
    parent.counts[i]! -= rightCount;
    insertAt(parent.children, i + 1, right, n);
    insertAt(parent.counts, i + 1, rightCount, n);
    insertAt(parent.sepS, i + 1, sepS, n);
    insertAt(parent.sepM, i + 1, sepM, n);
    parent.n = n + 1;
    if (parent.n > INNER_CAP) this.splitInner(parent, depth - 1);
  }

  private splitInner(node: Inner, depth: number): void {
    const mid = node.n >> 1;
    const right = new Inner();
    right.children = node.children.slice(mid);
    right.counts = node.counts.slice(mid);
    right.sepS = node.sepS.slice(mid);
    right.sepM = node.sepM.slice(mid);
    right.n = node.n - mid;
    node.children.length = mid;
    node.counts.length = mid;
    node.sepS.length = mid;
    node.sepM.length = mid;
    node.n = mid;
    let rightCount = 0;
    for (let k = 0; k < right.n; k++) rightCount += right.counts[k]!;
    // The parent's count for `node` still includes the moved children: addSibling takes them off.
    this.addSibling(node, right, rightCount, right.sepS[0]!, right.sepM[0]!, depth);
  }

  /** Changes (s, m) to score `to` without moving it, when it stays strictly inside its leaf's order. */
  private updateInPlace(s: number, m: string, to: number): boolean {
    let node = this.root;
    while (!node.leaf) node = node.children[childFor(node, s, m)]!;
    const pos = leafLowerBound(node, s, m);
    if (pos === 0 || pos >= node.n - 1) return false;
    const sc = node.scores;
    const mm = node.members;
    if (!before(sc[pos - 1]!, mm[pos - 1]!, to, m) || !before(to, m, sc[pos + 1]!, mm[pos + 1]!)) return false;
    sc[pos] = to;
    return true;
  }

  /** Removes the pair (s, m), which must be present. */
  private removePair(s: number, m: string): void {
    let node = this.root;
    let depth = 0;
    while (!node.leaf) {
      const i = childFor(node, s, m);
      PATH[depth] = node;
      PATH_I[depth] = i;
      depth++;
      node.counts[i]!--;
      node = node.children[i]!;
    }
    const pos = leafLowerBound(node, s, m);
    removeAt(node.scores, pos, node.n);
    removeAt(node.members, pos, node.n);
    node.n--;
    this.rebalance(node, depth);
  }

  /**
   * After removals from `node` (at `depth`, its ancestors on PATH): drops it when empty, merges it with a
   * neighbour when small, and shortens the tree when the root is left with a single child.
   */
  private rebalance(node: Node, depth: number): void {
    while (depth > 0) {
      const parent = PATH[depth - 1]!;
      const i = PATH_I[depth - 1]!;
      const min = node.leaf ? LEAF_MIN : INNER_MIN;
      if (node.n === 0) {
        if (node.leaf) this.unlinkLeaf(node);
        this.removeChild(parent, i);
      } else if (node.n < min) {
        const cap = node.leaf ? LEAF_CAP : INNER_CAP;
        if (i > 0 && parent.children[i - 1]!.n + node.n <= cap) this.merge(parent, i - 1);
        else if (i + 1 < parent.n && parent.children[i + 1]!.n + node.n <= cap) this.merge(parent, i);
        else break;
      } else {
        break;
      }
      node = parent;
      depth--;
    }
    while (!this.root.leaf && this.root.n === 1) this.root = this.root.children[0]!;
    if (!this.root.leaf && this.root.n === 0) {
      const leaf = new Leaf();
      this.root = this.head = this.tail = leaf;
    }
  }

  private unlinkLeaf(leaf: Leaf): void {
    if (leaf.prev !== null) leaf.prev.next = leaf.next;
    else if (leaf.next !== null) this.head = leaf.next;
    if (leaf.next !== null) leaf.next.prev = leaf.prev;
    else if (leaf.prev !== null) this.tail = leaf.prev;
  }

  private removeChild(parent: Inner, i: number): void {
    const n = parent.n;
    removeAt(parent.children, i, n);
    removeAt(parent.counts, i, n);
    removeAt(parent.sepS, i, n);
    removeAt(parent.sepM, i, n);
    parent.n = n - 1;
  }

  /** Merges child j+1 of `parent` into child j. */
  private merge(parent: Inner, j: number): void {
    const left = parent.children[j]!;
    const right = parent.children[j + 1]!;
    if (left.leaf) {
      const r = right as Leaf;
      for (let k = 0; k < r.n; k++) {
        left.scores.push(r.scores[k]!);
        left.members.push(r.members[k]!);
      }
      left.n += r.n;
      this.unlinkLeaf(r);
    } else {
      const r = right as Inner;
      for (let k = 0; k < r.n; k++) {
        left.children.push(r.children[k]!);
        left.counts.push(r.counts[k]!);
        // The first child of `right` is bounded below by the parent's key for `right`.
        left.sepS.push(k === 0 ? parent.sepS[j + 1]! : r.sepS[k]!);
        left.sepM.push(k === 0 ? parent.sepM[j + 1]! : r.sepM[k]!);
      }
      left.n += r.n;
    }
    parent.counts[j]! += parent.counts[j + 1]!;
    this.removeChild(parent, j + 1);
  }

  // ---- order statistics ----

  /** How many pairs satisfy `pred`, a predicate true for a prefix of the order. */
  private countWhile(pred: Pred): number {
    let node = this.root;
    let count = 0;
    while (!node.leaf) {
      // The last child whose routing key satisfies pred holds the boundary.
      let lo = 1;
      let hi = node.n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (pred(node.sepS[mid]!, node.sepM[mid]!)) lo = mid + 1;
        else hi = mid - 1;
      }
      const i = hi < 1 ? 0 : hi;
      for (let k = 0; k < i; k++) count += node.counts[k]!;
      node = node.children[i]!;
    }
    let lo = 0;
    let hi = node.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(node.scores[mid]!, node.members[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    return count + lo;
  }

  /** 0-based rank of a member in ascending order, or -1 when absent. */
  rank(member: string): number {
    const e = this.dict.get(member);
    if (e === undefined) return -1;
    const s = e.score;
    let node = this.root;
    let count = 0;
    while (!node.leaf) {
      const i = childFor(node, s, member);
      const counts = node.counts;
      for (let k = 0; k < i; k++) count += counts[k]!;
      node = node.children[i]!;
    }
    return count + leafLowerBound(node, s, member);
  }

  /** The leaf and position holding rank `r` (0 ≤ r < size). */
  private locate(r: number): { leaf: Leaf; pos: number } {
    let node = this.root;
    while (!node.leaf) {
      const counts = node.counts;
      let i = 0;
      while (r >= counts[i]!) r -= counts[i++]!;
      node = node.children[i]!;
    }
    return { leaf: node, pos: r };
  }

  /** The member at a 0-based rank (0 ≤ rank < size). */
  memberAt(rank: number): string {
    const { leaf, pos } = this.locate(rank);
    return leaf.members[pos]!;
  }

  /** The position of a 0-based rank (0 ≤ rank < size). */
  byRank(rank: number): ZNode {
    const { leaf, pos } = this.locate(rank);
    return new ZNode(leaf, pos);
  }

  /** The lowest position, or null when empty. */
  first(): ZNode | null {
    return this.dict.size === 0 ? null : new ZNode(this.head, 0);
  }

  /** The highest position, or null when empty. */
  last(): ZNode | null {
    return this.dict.size === 0 ? null : new ZNode(this.tail, this.tail.n - 1);
  }

  /** A uniformly random member; the set must not be empty. */
  randomMember(): string {
    return this.memberAt(Math.floor(Math.random() * this.dict.size));
  }

  /**
   * Visits `count` pairs from rank `start` upwards, or downwards when `reverse` (start then counts from the
   * lowest rank visited first: the highest of the range).
   */
  walk(start: number, count: number, reverse: boolean, visit: (member: string, score: number) => void): void {
    if (count <= 0) return;
    let { leaf, pos } = this.locate(start);
    let l: Leaf | null = leaf;
    for (let k = 0; k < count && l !== null; k++) {
      visit(l.members[pos]!, l.scores[pos]!);
      if (reverse) {
        if (--pos < 0) {
          l = l.prev;
          if (l !== null) pos = l.n - 1;
        }
      } else if (++pos >= l.n) {
        l = l.next;
        pos = 0;
      }
    }
  }

  // ---- score and lex ranges: [first rank, count) ----

  /** Rank of the first pair within the score range and how many there are (count 0 when none). */
  scoreRange(r: ScoreRange): { first: number; count: number } {
    if (r.min > r.max || (r.min === r.max && (r.minex || r.maxex)) || this.dict.size === 0) return { first: 0, count: 0 };
    const min = r.min;
    const max = r.max;
    const first = this.countWhile(r.minex ? (s) => s <= min : (s) => s < min);
    const end = this.countWhile(r.maxex ? (s) => s < max : (s) => s <= max);
    return { first, count: Math.max(0, end - first) };
  }

  countInRange(r: ScoreRange): number {
    return this.scoreRange(r).count;
  }

  /**
   * Rank of the first pair within the lex range and how many there are. Meaningful when all scores are equal,
   * as Redis documents; otherwise the answer is some deterministic slice, as in Redis.
   */
  lexRange(r: LexRange): { first: number; count: number } {
    if (!lexRangeNonEmpty(r) || this.dict.size === 0) return { first: 0, count: 0 };
    const first = this.countWhile((_s, m) => !lexGteMin(m, r));
    const end = this.countWhile((_s, m) => lexLteMax(m, r));
    return { first, count: Math.max(0, end - first) };
  }

  countInLex(r: LexRange): number {
    return this.lexRange(r).count;
  }

  // ---- range deletion ----

  /** Removes `count` pairs from rank `start` on; returns how many. */
  deleteRange(start: number, count: number): number {
    let left = Math.min(count, this.dict.size - start);
    const removed = left;
    while (left > 0) {
      // One leaf at a time: descend to rank `start`, cut what that leaf holds of the range.
      let node = this.root;
      let depth = 0;
      let r = start;
      while (!node.leaf) {
        const counts = node.counts;
        let i = 0;
        while (r >= counts[i]!) r -= counts[i++]!;
        PATH[depth] = node;
        PATH_I[depth] = i;
        depth++;
        node = node.children[i]!;
      }
      const cut = Math.min(left, node.n - r);
      for (let k = r; k < r + cut; k++) {
        const m = node.members[k]!;
        this.forget(m, this.dict.get(m)!);
      }
      node.scores.splice(r, cut);
      node.members.splice(r, cut);
      node.n -= cut;
      for (let d = 0; d < depth; d++) PATH[d]!.counts[PATH_I[d]!]! -= cut;
      left -= cut;
      this.rebalance(node, depth);
    }
    return removed;
  }

  deleteRangeByRank(start: number, end: number): number {
    return this.deleteRange(start, end - start + 1);
  }

  deleteRangeByScore(r: ScoreRange): number {
    const { first, count } = this.scoreRange(r);
    return count > 0 ? this.deleteRange(first, count) : 0;
  }

  deleteRangeByLex(r: LexRange): number {
    const { first, count } = this.lexRange(r);
    return count > 0 ? this.deleteRange(first, count) : 0;
  }

  // ---- iteration, scanning, copying ----

  /** Pairs in ascending order. */
  *entries(): IterableIterator<[string, number]> {
    for (let l: Leaf | null = this.head; l !== null; l = l.next) {
      for (let k = 0; k < l.n; k++) yield [l.members[k]!, l.scores[k]!];
    }
  }

  /**
   * Visits live slots from `cursor` until `count` members were seen (or `count * 10` free slots skipped, as Redis
   * bounds the empty buckets one call visits). Returns the next cursor, 0 when the walk is complete.
   */
  scan(cursor: number, count: number, visit: (member: string, score: number) => void): number {
    const slots = this.slots;
    const len = slots.length;
    let i = cursor;
    let seen = 0;
    let budget = count * 10;
    while (i < len && seen < count && budget > 0) {
      const m = slots[i++];
      if (m === undefined) {
        budget--;
        continue;
      }
      visit(m, this.dict.get(m)!.score);
      seen++;
    }
    return i >= len ? 0 : i;
  }

  /** An independent copy with the same pairs and encoding. */
  clone(): SortedSet {
    const out = new SortedSet(this.listpack);
    for (let l: Leaf | null = this.head; l !== null; l = l.next) {
      for (let k = 0; k < l.n; k++) out.add(l.members[k]!, l.scores[k]!);
    }
    return out;
  }

  /** Checks the tree's invariants (tests). */
  verify(): void {
    let total = 0;
    const walkNode = (node: Node, lo: [number, string] | null, hi: [number, string] | null): number => {
      if (node.leaf) {
        if (node.n !== node.scores.length || node.n !== node.members.length) throw new Error('leaf length');
        for (let k = 0; k < node.n; k++) {
          const s = node.scores[k]!;
          const m = node.members[k]!;
          if (k > 0 && !before(node.scores[k - 1]!, node.members[k - 1]!, s, m)) throw new Error('leaf order');
          if (lo !== null && before(s, m, lo[0], lo[1])) throw new Error('below routing key');
          if (hi !== null && !before(s, m, hi[0], hi[1])) throw new Error('above next routing key');
          if (this.dict.get(m)?.score !== s) throw new Error('dict mismatch');
        }
        return node.n;
      }
      let sum = 0;
      for (let i = 0; i < node.n; i++) {
        const clo: [number, string] | null = i === 0 ? lo : [node.sepS[i]!, node.sepM[i]!];
        const chi: [number, string] | null = i + 1 < node.n ? [node.sepS[i + 1]!, node.sepM[i + 1]!] : hi;
        const c = walkNode(node.children[i]!, clo, chi);
        if (c !== node.counts[i]) throw new Error('count mismatch');
        sum += c;
      }
      return sum;
    };
    total = walkNode(this.root, null, null);
    if (total !== this.dict.size) throw new Error(`size ${total} != ${this.dict.size}`);
    let linked = 0;
    for (let l: Leaf | null = this.head; l !== null; l = l.next) linked += l.n;
    if (linked !== total) throw new Error('leaf chain');
  }
}

/**
 * The list value: a ring-buffer deque of latin1 strings (O(1) push and pop at both ends, O(1) access by index)
 * plus the encoding state OBJECT ENCODING reports.
 *
 * Encoding (Redis 7.2): a list starts as a `listpack` and becomes a `quicklist` when an insertion would take it
 * past `list-max-listpack-size` (a count when positive; a byte size of 4/8/16/32/64 KB for -1..-5); it goes back to
 * `listpack` when it shrinks to half that limit. Redis measures listpack bytes, so we keep the exact listpack
 * size of the elements (`bytes`, updated on every change) and replay Redis's checks with it. One approximation:
 * Redis only converts a quicklist back when it has a single node, and we do not model the node layout.
 */

/** Listpack header (total bytes + element count) and end marker. */
const LP_EMPTY = 7;
/** Byte size limits for negative list-max-listpack-size values (-1 → 4 KB … -5 → 64 KB). */
const SIZE_LEVELS = [4096, 8192, 16384, 32768, 65536];
/** With a count limit Redis still converts a listpack past this many bytes. */
const SIZE_SAFETY_LIMIT = 8192;
const MIN_CAPACITY = 8;

/**
 * The bytes one element takes in a listpack: encoding header + payload + back-length, with canonical integers
 * stored in Redis's integer encodings (1 to 9 bytes).
 */
export function lpEntrySize(s: string): number {
  const n = s.length;
  let enc: number;
  const v = n <= 20 ? lpInt(s) : null;
  if (v !== null) {
    if (v >= 0 && v <= 127) enc = 1;
    else if (v >= -4096 && v <= 4095) enc = 2;
    else if (v >= -32768 && v <= 32767) enc = 3;
    else if (v >= -8388608 && v <= 8388607) enc = 4;
    else if (v >= -2147483648 && v <= 2147483647) enc = 5;
    else enc = 9;
  } else if (n < 64) {
    enc = 1 + n;
  } else if (n < 4096) {
    enc = 2 + n;
  } else {
    enc = 5 + n;
  }
  const back = enc <= 127 ? 1 : enc < 16383 ? 2 : enc < 2097151 ? 3 : enc < 268435455 ? 4 : 5;
  return enc + back;
}

/**
 * The value of `s` when listpack would store it as an integer (canonical int64: optional '-', no leading zeros),
 * else null. Magnitudes beyond 2^53 are approximate, which is enough to pick the 9-byte encoding.
 */
function lpInt(s: string): number | null {
  const n = s.length;
  if (n === 0) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null;
  let v = 0;
  for (let j = i; j < n; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  const digits = n - i;
  if (digits > 19) return null;
  if (digits === 19) {
    // Beyond int64 is a plain string.
    const body = i === 1 ? s.slice(1) : s;
    if (body > (i === 1 ? '9223372036854775808' : '9223372036854775807')) return null;
  }
  return i === 1 ? -v : v;
}

/** Redis's quicklistNodeLimit, byte part: the listpack size limit for a list-max-listpack-size value. */
function sizeLimit(fill: number): number {
  return fill >= 0 ? Infinity : SIZE_LEVELS[Math.min(-fill - 1, SIZE_LEVELS.length - 1)]!;
}

/** Redis's quicklistNodeLimit, count part: the element limit (a positive fill; 0 still allows one element). */
function countLimit(fill: number): number {
  return fill > 0 ? fill : fill === 0 ? 1 : Infinity;
}

/** Redis's quicklistNodeExceedsLimit. */
function exceedsLimit(fill: number, bytes: number, count: number): boolean {
  if (fill < 0) return bytes > sizeLimit(fill);
  if (bytes > SIZE_SAFETY_LIMIT) return true;
  return count > countLimit(fill);
}

export class List {
  private buf: (string | undefined)[];
  private head = 0;
  private len = 0;
  private mask: number;
  /** The listpack size of the elements (what Redis's lpBytes would report for one node). */
  bytes = LP_EMPTY;
  /** Quicklist encoding (else listpack). */
  quick = false;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.buf = new Array<string | undefined>(cap);
    this.mask = cap - 1;
  }

  get length(): number {
    return this.len;
  }

  /** Slots in the ring buffer (memory accounting). */
  get capacity(): number {
    return this.buf.length;
  }

  get encoding(): 'listpack' | 'quicklist' {
    return this.quick ? 'quicklist' : 'listpack';
  }

  /** Element at `i` (0 ≤ i < length). */
  at(i: number): string {
    return this.buf[(this.head + i) & this.mask]!;
  }

  pushBack(s: string): void {
    if (this.len === this.buf.length) this.resize(this.len * 2);
    this.buf[(this.head + this.len) & this.mask] = s;
    this.len++;
    this.bytes += lpEntrySize(s);
  }

  pushFront(s: string): void {
    if (this.len === this.buf.length) this.resize(this.len * 2);
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = s;
    this.len++;
    this.bytes += lpEntrySize(s);
  }

  /** Removes and returns the first element (the list must not be empty). */
  popFront(): string {
    const h = this.head;
    const s = this.buf[h]!;
    this.buf[h] = undefined;
    this.head = (h + 1) & this.mask;
    this.len--;
    this.bytes -= lpEntrySize(s);
    this.maybeShrink();
    return s;
  }

  /** Removes and returns the last element (the list must not be empty). */
  popBack(): string {
    const i = (this.head + this.len - 1) & this.mask;
    const s = this.buf[i]!;
    this.buf[i] = undefined;
    this.len--;
    this.bytes -= lpEntrySize(s);
    this.maybeShrink();
    return s;
  }

  /** Replaces the element at `i` (0 ≤ i < length). */
  set(i: number, s: string): void {
    const k = (this.head + i) & this.mask;
    this.bytes += lpEntrySize(s) - lpEntrySize(this.buf[k]!);
    this.buf[k] = s;
  }

  /** Inserts `s` so that it ends up at index `i` (0 ≤ i ≤ length), moving the shorter side. */
  insert(i: number, s: string): void {
    if (i === 0) return this.pushFront(s);
    if (i === this.len) return this.pushBack(s);
    if (this.len === this.buf.length) this.resize(this.len * 2);
    const buf = this.buf;
    const m = this.mask;
    if (i < this.len - i) {
      // Shift elements [0, i) one slot to the left.
      const h = (this.head - 1) & m;
      for (let k = 0; k < i; k++) buf[(h + k) & m] = buf[(h + k + 1) & m];
      this.head = h;
    } else {
      // Shift elements [i, len) one slot to the right.
      for (let k = this.len; k > i; k--) buf[(this.head + k) & m] = buf[(this.head + k - 1) & m];
    }
    buf[(this.head + i) & m] = s;
    this.len++;
    this.bytes += lpEntrySize(s);
  }

  /** Index of the first element equal to `s` at or after `from`, or -1. */
  indexOf(s: string, from = 0): number {
    const buf = this.buf;
    const m = this.mask;
    const h = this.head;
    for (let k = from; k < this.len; k++) if (buf[(h + k) & m] === s) return k;
    return -1;
  }

  /**
   * Removes elements equal to `s`: up to `limit` of them (0 = all), scanning from the tail when `fromTail`.
   * Returns how many were removed. O(N): the survivors are compacted in one pass.
   */
  removeMatching(s: string, limit: number, fromTail: boolean): number {
    const buf = this.buf;
    const m = this.mask;
    const h = this.head;
    const n = this.len;
    let removed = 0;
    if (!fromTail) {
      let w = 0;
      for (let r = 0; r < n; r++) {
        const v = buf[(h + r) & m]!;
        if (v === s && (limit === 0 || removed < limit)) {
          removed++;
          continue;
        }
        if (w !== r) buf[(h + w) & m] = v;
        w++;
      }
      for (let k = w; k < n; k++) buf[(h + k) & m] = undefined;
    } else {
      let w = n - 1;
      for (let r = n - 1; r >= 0; r--) {
        const v = buf[(h + r) & m]!;
        if (v === s && (limit === 0 || removed < limit)) {
          removed++;
          continue;
        }
        if (w !== r) buf[(h + w) & m] = v;
        w--;
      }
      for (let k = 0; k <= w; k++) buf[(h + k) & m] = undefined;
      this.head = (h + w + 1) & m;
    }
    this.len = n - removed;
    if (removed > 0) this.bytes -= removed * lpEntrySize(s);
    this.maybeShrink();
    return removed;
  }

  /** Drops `front` elements from the head and `back` from the tail (their sum must not exceed the length). */
  trim(front: number, back: number): void {
    for (let k = 0; k < front; k++) {
      const i = (this.head + k) & this.mask;
      this.bytes -= lpEntrySize(this.buf[i]!);
      this.buf[i] = undefined;
    }
    this.head = (this.head + front) & this.mask;
    this.len -= front;
    for (let k = 0; k < back; k++) {
      const i = (this.head + this.len - 1 - k) & this.mask;
      this.bytes -= lpEntrySize(this.buf[i]!);
      this.buf[i] = undefined;
    }
    this.len -= back;
    this.maybeShrink();
  }

  /** A copy with the same elements and encoding (COPY). */
  clone(): List {
    const l = new List(this.len);
    for (let k = 0; k < this.len; k++) l.buf[k] = this.at(k);
    l.len = this.len;
    l.bytes = this.bytes;
    l.quick = this.quick;
    return l;
  }

  toArray(): string[] {
    const out = new Array<string>(this.len);
    for (let k = 0; k < this.len; k++) out[k] = this.at(k);
    return out;
  }

  static from(items: Iterable<string>): List {
    const l = new List();
    for (const s of items) l.pushBack(s);
    return l;
  }

  // ---- Encoding transitions (Redis's listTypeTryConversion*) ----

  /**
   * Before adding `count` elements totalling `rawBytes` bytes: a listpack that would exceed the limit becomes a
   * quicklist. Like Redis this adds the raw lengths to the current listpack size, without per-entry overhead.
   */
  growing(fill: number, rawBytes: number, count: number): void {
    if (!this.quick && exceedsLimit(fill, this.bytes + rawBytes, this.len + count)) this.quick = true;
  }

  /** After removing elements: a quicklist within half the limit goes back to a listpack. */
  shrinking(fill: number): void {
    if (!this.quick) return;
    if (this.bytes <= Math.floor(sizeLimit(fill) / 2) && this.len <= Math.floor(countLimit(fill) / 2)) this.quick = false;
  }

  /** The encoding a freshly built list of these elements gets (Redis's LIST_CONV_AUTO, e.g. after RESTORE). */
  normalize(fill: number): void {
    if (this.quick) {
      if (this.bytes <= sizeLimit(fill) && this.len <= countLimit(fill)) this.quick = false;
    } else if (exceedsLimit(fill, this.bytes, this.len)) {
      this.quick = true;
    }
  }

  // ---- Storage ----

  /** Halves the buffer when it is mostly empty, so a list that grew big and shrank gives memory back. */
  private maybeShrink(): void {
    const cap = this.buf.length;
    if (cap > MIN_CAPACITY && this.len < cap >>> 2) this.resize(this.len * 2);
  }

  private resize(capacity: number): void {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    const next = new Array<string | undefined>(cap);
    for (let k = 0; k < this.len; k++) next[k] = this.buf[(this.head + k) & this.mask];
    this.buf = next;
    this.head = 0;
    this.mask = cap - 1;
  }
}

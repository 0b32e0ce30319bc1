/**
 * A growable byte string, like Redis's SDS: in-place SETRANGE/SETBIT/APPEND without copying the whole value.
 * Capacity grows geometrically so repeated appends are amortized O(1).
 */
export class MutableString {
  buf: Buffer;
  length: number;

  constructor(initial: string | Buffer, capacity = 0) {
    const len = typeof initial === 'string' ? initial.length : initial.length;
    this.buf = Buffer.alloc(Math.max(len, capacity));
    if (typeof initial === 'string') this.buf.latin1Write(initial, 0);
    else initial.copy(this.buf, 0);
    this.length = len;
  }

  /** Grows to at least `n` bytes, zero-filling new bytes (SETBIT/SETRANGE pad with zeros). */
  ensureLength(n: number): void {
    if (n <= this.length) return;
    if (n > this.buf.length) {
      // Like SDS: double below 1 MB, then grow by 1 MB steps.
      const cap = n < 1024 * 1024 ? n * 2 : n + 1024 * 1024;
      const next = Buffer.alloc(cap);
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    } else {
      this.buf.fill(0, this.length, n);
    }
    this.length = n;
  }

  append(s: string): void {
    const start = this.length;
    this.ensureLength(start + s.length);
    this.buf.latin1Write(s, start);
  }

  /** Writes `s` at `offset`, growing with zero padding as needed. */
  writeAt(offset: number, s: string): void {
    this.ensureLength(offset + s.length);
    this.buf.latin1Write(s, offset);
  }

  toString(): string {
    return this.buf.latin1Slice(0, this.length);
  }

  slice(start: number, end: number): string {
    return this.buf.latin1Slice(start, end);
  }

  /** Bytes actually allocated (MEMORY USAGE). */
  get capacity(): number {
    return this.buf.length;
  }
}

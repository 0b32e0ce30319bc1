/**
 * RESP2/RESP3 encoder: replies accumulate in one buffer per client and leave in a single socket write per batch.
 * Large bulk replies are queued as their own chunk instead of being copied into the buffer.
 */
import type { Reply } from './reply.js';

const INITIAL = 16 * 1024;
/** Bulk payloads at least this big are queued as separate chunks rather than copied. */
const BIG_BULK = 64 * 1024;

const CRLF = '\r\n';
const OK = Buffer.from('+OK\r\n');
const NIL2 = Buffer.from('$-1\r\n');
const NILARR2 = Buffer.from('*-1\r\n');
const NULL3 = Buffer.from('_\r\n');

export interface ByteSink {
  write(chunk: Buffer): void;
}

/** Formats a double the way Redis 7 does for RESP replies (`%.17g`, `inf`, `-inf`, `nan`). */
export function formatDouble17g(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (Number.isInteger(d) && Math.abs(d) < 1e17) return Object.is(d, -0) ? '-0' : String(d);
  // %.17g: 17 significant digits, exponent form when exp < -4 or exp >= 17, trailing zeros removed.
  const exp = Math.floor(Math.log10(Math.abs(d)));
  if (exp < -4 || exp >= 17) {
    let [m, e] = d.toExponential(16).split('e') as [string, string];
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  let s = d.toPrecision(17);
  if (s.includes('e')) return formatDouble17g(Number(s)); // rounding moved the exponent
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

export class RespEncoder implements Reply {
  resp: 2 | 3 = 2;
  private buf: Buffer = Buffer.allocUnsafe(INITIAL);
  private len = 0;
  /** Chunks ready to go before `buf` (used when a large bulk reply was queued without copying). */
  private chunks: Buffer[] = [];
  /** When set, replies are dropped (CLIENT REPLY OFF/SKIP). */
  muted = false;

  /** Bytes waiting to be flushed. */
  get pending(): number {
    let n = this.len;
    for (const c of this.chunks) n += c.length;
    return n;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  private raw(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }

  /** Writes a short ASCII/latin1 string. */
  private text(s: string): void {
    this.ensure(s.length);
    this.len += this.buf.latin1Write(s, this.len);
  }

  /** Writes `<prefix><n>\r\n` without allocating a string for small non-negative n. */
  private header(prefix: number, n: number): void {
    this.ensure(24);
    const buf = this.buf;
    let p = this.len;
    buf[p++] = prefix;
    if (n >= 0 && n < 10) {
      buf[p++] = 48 + n;
    } else if (n >= 0 && n < 100000000) {
      const digits = n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 10000000 ? 7 : 8;
      let q = n;
      for (let i = digits - 1; i >= 0; i--) {
        buf[p + i] = 48 + (q % 10);
        q = Math.floor(q / 10);
      }
      p += digits;
    } else {
      p += buf.latin1Write(String(n), p);
    }
    buf[p++] = 13;
    buf[p++] = 10;
    this.len = p;
  }

  ok(): void {
    if (this.muted) return;
    this.raw(OK);
  }

  status(s: string): void {
    if (this.muted) return;
    this.text('+' + s + CRLF);
  }

  error(s: string): void {
    if (this.muted) return;
    this.text('-' + s + CRLF);
  }

  int(n: number | bigint): void {
    if (this.muted) return;
    if (typeof n === 'number') this.header(58, n);
    else this.text(':' + n.toString() + CRLF);
  }

  bulk(s: string): void {
    if (this.muted) return;
    const n = s.length;
    if (n >= BIG_BULK) {
      this.header(36, n);
      this.queue(Buffer.from(s, 'latin1'));
      this.text(CRLF);
      return;
    }
    this.header(36, n);
    this.ensure(n + 2);
    const buf = this.buf;
    let p = this.len;
    if (n < 16) {
      for (let i = 0; i < n; i++) buf[p + i] = s.charCodeAt(i);
      p += n;
    } else {
      p += buf.latin1Write(s, p);
    }
    buf[p++] = 13;
    buf[p++] = 10;
    this.len = p;
  }

  bulkBuffer(b: Buffer): void {
    if (this.muted) return;
    this.header(36, b.length);
    if (b.length >= BIG_BULK) this.queue(b);
    else this.raw(b);
    this.text(CRLF);
  }

  bulks(items: readonly string[]): void {
    if (this.muted) return;
    this.header(42, items.length);
    for (let i = 0; i < items.length; i++) this.bulk(items[i]!);
  }

  nil(): void {
    if (this.muted) return;
    this.raw(this.resp === 3 ? NULL3 : NIL2);
  }

  nilArray(): void {
    if (this.muted) return;
    this.raw(this.resp === 3 ? NULL3 : NILARR2);
  }

  array(n: number): void {
    if (this.muted) return;
    this.header(42, n);
  }

  map(n: number): void {
    if (this.muted) return;
    if (this.resp === 3) this.header(37, n);
    else this.header(42, n * 2);
  }

  set(n: number): void {
    if (this.muted) return;
    this.header(this.resp === 3 ? 126 : 42, n);
  }

  double(d: number, resp2Text?: string): void {
    if (this.muted) return;
    // A caller-supplied text is used in both protocols (Redis 7.2 prints the same d2string text in `,` doubles).
    if (this.resp === 3) this.text(',' + (resp2Text ?? formatDouble17g(d)) + CRLF);
    else this.bulk(resp2Text ?? formatDouble17g(d));
  }

  bool(b: boolean): void {
    if (this.muted) return;
    if (this.resp === 3) this.text(b ? '#t\r\n' : '#f\r\n');
    else this.text(b ? ':1\r\n' : ':0\r\n');
  }

  verbatim(s: string, format = 'txt'): void {
    if (this.muted) return;
    if (this.resp === 3) {
      this.header(61, s.length + 4);
      this.text(format + ':');
      this.text(s);
      this.text(CRLF);
    } else {
      this.bulk(s);
    }
  }

  push(n: number): void {
    if (this.muted) return;
    this.header(this.resp === 3 ? 62 : 42, n);
  }

  /** Pre-encoded bytes (used for replies whose framing is known, e.g. a cached reply). */
  rawBytes(b: Buffer): void {
    if (this.muted) return;
    this.raw(b);
  }

  private queue(b: Buffer): void {
    if (this.len > 0) {
      this.chunks.push(this.buf.subarray(0, this.len));
      this.buf = Buffer.allocUnsafe(INITIAL);
      this.len = 0;
    }
    this.chunks.push(b);
  }

  /** Hands everything written so far to `sink` in as few writes as possible. */
  flush(sink: ByteSink): void {
    if (this.chunks.length > 0) {
      for (const c of this.chunks) sink.write(c);
      this.chunks = [];
    }
    if (this.len === 0) return;
    if (this.len > INITIAL) {
      // Hand the buffer itself over; it is too big to copy cheaply.
      sink.write(this.buf.subarray(0, this.len));
      this.buf = Buffer.allocUnsafe(INITIAL);
    } else {
      // Small copies come from Node's buffer pool, so reusing `buf` is cheaper than allocating a new one.
      const out = Buffer.allocUnsafe(this.len);
      this.buf.copy(out, 0, 0, this.len);
      sink.write(out);
    }
    this.len = 0;
  }

  /** Takes the bytes written so far (tests and in-process use). */
  take(): Buffer {
    const parts: Buffer[] = [];
    this.flush({ write: (c) => parts.push(c) });
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}

/**
 * Incremental RESP request reader: multibulk frames (`*N\r\n$L\r\n…`) and inline commands, pipelined, binary-safe.
 *
 * Arguments come out as `latin1` strings (one char per byte), a lossless and fast representation of byte strings.
 * The reader keeps its place inside a partial frame, so a large bulk arriving in many chunks is copied once, and
 * a frame split at any byte boundary parses the same as a whole one.
 */

/** Raised for a request Redis would reject with `-ERR Protocol error: …`; the connection closes after the reply. */
export class ProtocolError extends Error {}

/** Redis's PROTO_INLINE_MAX_SIZE: longest inline request or count line without a newline. */
export const INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;

export interface ReaderLimits {
  /** `proto-max-bulk-len`: largest accepted bulk argument. */
  maxBulkLen: number;
  /** `client-query-buffer-limit`: most unparsed bytes held for one client. */
  maxQueryBuffer: number;
}

declare module 'node:buffer' {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    latin1Write(s: string, offset?: number, length?: number): number;
  }
}

const EMPTY = Buffer.alloc(0);

export class RespReader {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Chunks held back while a large bulk is incomplete, to concatenate once. */
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** Bytes needed (from `pos`) before parsing can make progress; 0 when unknown. */
  private need = 0;

  // State of a multibulk frame in progress.
  private argsLeft = 0;
  private args: string[] = [];
  private bulkLen = -1;
  private lastName = '';

  /** While true (a password is set and the client has not authenticated) Redis caps frames at 10 args / 16 KB. */
  authRequired = false;

  constructor(public limits: ReaderLimits) {}

  /** Bytes received but not yet consumed, as `client-query-buffer-limit` counts them. */
  get buffered(): number {
    return this.buf.length - this.pos + this.pendingLen;
  }

  feed(chunk: Buffer): void {
    if (this.pos >= this.buf.length && this.pendingLen === 0) {
      this.buf = chunk;
      this.pos = 0;
    } else if (this.need > 0 && this.buf.length - this.pos + this.pendingLen + chunk.length < this.need) {
      this.pending.push(chunk);
      this.pendingLen += chunk.length;
    } else {
      const parts = [this.buf.subarray(this.pos), ...this.pending, chunk];
      this.buf = Buffer.concat(parts);
      this.pos = 0;
      this.pending = [];
      this.pendingLen = 0;
    }
    if (this.buffered > this.limits.maxQueryBuffer) {
      throw new QueryBufferLimitError();
    }
  }

  /** The next complete command, or null when more bytes are needed. Throws {@link ProtocolError}. */
  next(): string[] | null {
    for (;;) {
      if (this.pendingLen > 0) return null;
      const buf = this.buf;
      if (this.argsLeft === 0) {
        if (this.pos >= buf.length) return null;
        if (buf[this.pos] !== 42 /* '*' */) {
          const argv = this.inline();
          if (argv === null) return null;
          if (argv.length === 0) continue;
          return argv;
        }
        const n = this.countLine(42, 'too big mbulk count string');
        if (n === null) return null;
        if (n === undefined || n > INT_MAX || (this.authRequired && n > 10)) {
          throw new ProtocolError('invalid multibulk length');
        }
        if (n <= 0) continue;
        this.argsLeft = n;
        this.args = [];
      }
      while (this.argsLeft > 0) {
        if (this.bulkLen < 0) {
          if (this.pos >= buf.length) return null;
          if (buf[this.pos] !== 36 /* '$' */) {
            throw new ProtocolError(`expected '$', got '${String.fromCharCode(buf[this.pos]!)}'`);
          }
          const len = this.countLine(36, 'too big bulk count string');
          if (len === null) return null;
          if (len === undefined || len < 0 || len > this.limits.maxBulkLen || (this.authRequired && len > 16384)) {
            throw new ProtocolError('invalid bulk length');
          }
          this.bulkLen = len;
        }
        const end = this.pos + this.bulkLen;
        if (end + 2 > buf.length) {
          this.need = this.bulkLen + 2;
          return null;
        }
        this.need = 0;
        this.args.push(this.args.length === 0 && this.bulkLen <= 32 ? this.name(buf, this.pos, end) : buf.latin1Slice(this.pos, end));
        this.pos = end + 2;
        this.bulkLen = -1;
        this.argsLeft--;
      }
      const argv = this.args;
      this.args = [];
      this.release();
      return argv;
    }
  }

  /**
   * The command name, reusing the previous string when the bytes repeat (pipelines usually send one command many
   * times): a reused string already has its hash, so the command-table lookup skips hashing and allocation.
   */
  private name(buf: Buffer, start: number, end: number): string {
    const len = end - start;
    const last = this.lastName;
    if (len === last.length) {
      let i = 0;
      while (i < len && buf[start + i] === last.charCodeAt(i)) i++;
      if (i === len) return last;
    }
    return (this.lastName = buf.latin1Slice(start, end));
  }

  /** Drops the reference to a fully consumed buffer so big chunks are not kept alive between requests. */
  private release(): void {
    if (this.pos >= this.buf.length) {
      this.buf = EMPTY;
      this.pos = 0;
    }
  }

  /**
   * Parses `<prefix><integer>\r\n` at `pos`. Returns null when the line is incomplete, undefined when the number is
   * malformed. Like Redis, only the `\r` is searched for and the byte after it is skipped unchecked.
   */
  private countLine(_prefix: number, tooBig: string): number | null | undefined {
    const buf = this.buf;
    const cr = buf.indexOf(13, this.pos + 1);
    if (cr < 0 || cr + 1 >= buf.length) {
      if (buf.length - this.pos > INLINE_MAX_SIZE) throw new ProtocolError(tooBig);
      return null;
    }
    const n = parseStrictInt(buf, this.pos + 1, cr);
    this.pos = cr + 2;
    return n;
  }

  private inline(): string[] | null {
    const buf = this.buf;
    const nl = buf.indexOf(10, this.pos);
    if (nl < 0) {
      if (buf.length - this.pos > INLINE_MAX_SIZE) throw new ProtocolError('too big inline request');
      return null;
    }
    let end = nl;
    if (end > this.pos && buf[end - 1] === 13) end--;
    const line = buf.latin1Slice(this.pos, end);
    this.pos = nl + 1;
    this.release();
    const argv = splitArgs(line);
    if (argv === null) throw new ProtocolError('unbalanced quotes in request');
    return argv;
  }
}

/** The query buffer grew past `client-query-buffer-limit`; Redis closes such a client without a reply. */
export class QueryBufferLimitError extends Error {
  constructor() {
    super('query buffer limit reached');
  }
}

/** Redis's string2ll on a byte range: optional '-', no '+', no leading zeros, no spaces, fits in int64. */
function parseStrictInt(buf: Buffer, start: number, end: number): number | undefined {
  if (start >= end || end - start > 20) return undefined;
  let i = start;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
    if (i === end) return undefined;
  }
  if (buf[i] === 48) return i + 1 === end && !neg ? 0 : undefined;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return neg ? -n : n;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Splits an inline request like Redis's sdssplitargs: whitespace-separated tokens, "double quotes" with
 * `\n \r \t \b \a \xHH` escapes, 'single quotes' with `\'`. A closing quote must be followed by whitespace.
 * Returns null on unbalanced quotes.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let cur = '';
    let inDq = false;
    let inSq = false;
    for (;;) {
      if (inDq) {
        if (i >= n) return null;
        const c = line[i]!;
        if (c === '\\' && i + 3 < n && line[i + 1] === 'x' && hexVal(line.charCodeAt(i + 2)) >= 0 && hexVal(line.charCodeAt(i + 3)) >= 0) {
          cur += String.fromCharCode(hexVal(line.charCodeAt(i + 2)) * 16 + hexVal(line.charCodeAt(i + 3)));
          i += 4;
          continue;
        }
        if (c === '\\' && i + 1 < n) {
          const e = line[i + 1]!;
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
          i += 2;
          continue;
        }
        if (c === '"') {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          i++;
          break;
        }
        cur += c;
        i++;
      } else if (inSq) {
        if (i >= n) return null;
        const c = line[i]!;
        if (c === '\\' && i + 1 < n && line[i + 1] === "'") {
          cur += "'";
          i += 2;
          continue;
        }
        if (c === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          i++;
          break;
        }
        cur += c;
        i++;
      } else {
        if (i >= n) break;
        const code = line.charCodeAt(i);
        if (isSpace(code)) break;
        if (code === 34) inDq = true;
        else if (code === 39) inSq = true;
        else cur += line[i];
        i++;
      }
    }
    out.push(cur);
  }
}

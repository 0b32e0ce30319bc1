/**
 * A raw RESP test client: sends commands as multibulk frames and returns each reply's exact bytes, so tests can
 * compare replies byte for byte (differential tests) or check framing.
 */
import net from 'node:net';

/** Length of the complete RESP reply at `buf[pos..]`, or -1 when incomplete. */
export function replyLength(buf: Buffer, pos = 0): number {
  if (pos >= buf.length) return -1;
  const nl = buf.indexOf('\r\n', pos);
  if (nl < 0) return -1;
  const type = String.fromCharCode(buf[pos]!);
  const head = buf.toString('latin1', pos + 1, nl);
  const after = nl + 2;
  switch (type) {
    case '+':
    case '-':
    case ':':
    case '_':
    case ',':
    case '#':
    case '(':
      return after - pos;
    case '$':
    case '=':
    case '!': {
      const n = Number(head);
      if (n < 0) return after - pos;
      if (buf.length < after + n + 2) return -1;
      return after + n + 2 - pos;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      let n = Number(head);
      if (n < 0) return after - pos;
      if (type === '%' || type === '|') n *= 2;
      let p = after;
      for (let i = 0; i < n; i++) {
        const l = replyLength(buf, p);
        if (l < 0) return -1;
        p += l;
      }
      return p - pos;
    }
    default:
      throw new Error(`bad reply type byte ${JSON.stringify(type)} in ${JSON.stringify(buf.toString('latin1', pos, pos + 40))}`);
  }
}

export function encodeCommand(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: { resolve: (b: Buffer) => void; reject: (e: Error) => void }[] = [];
  private closedErr: Error | null = null;
  /** Push messages (RESP3 `>`) received while waiting for replies. */
  readonly pushes: Buffer[] = [];

  private constructor(private socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : Buffer.from(d);
      this.drain();
    });
    const fail = (e: Error) => {
      this.closedErr = e;
      for (const w of this.waiters.splice(0)) w.reject(e);
    };
    socket.on('close', () => fail(new Error('connection closed')));
    socket.on('error', (e) => fail(e));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host }, () => {
        s.off('error', reject);
        resolve(new RawClient(s));
      });
      s.once('error', reject);
    });
  }

  private drain(): void {
    while (this.waiters.length > 0) {
      const n = replyLength(this.buf);
      if (n < 0) return;
      const reply = this.buf.subarray(0, n);
      this.buf = this.buf.subarray(n);
      this.waiters.shift()!.resolve(Buffer.from(reply));
    }
  }

  /** Reads the next reply (bytes). */
  read(): Promise<Buffer> {
    if (this.closedErr && replyLength(this.buf) < 0) return Promise.reject(this.closedErr);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.drain();
    });
  }

  writeRaw(data: Buffer | string): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Sends one command and returns its reply bytes. */
  async call(...args: (string | Buffer)[]): Promise<Buffer> {
    this.writeRaw(encodeCommand(args));
    return this.read();
  }

  /** Sends one command and returns its reply as a latin1 string. */
  async cmd(...args: (string | Buffer)[]): Promise<string> {
    return (await this.call(...args)).toString('latin1');
  }

  /** Resolves when the server closes the connection. */
  closed(): Promise<void> {
    if (this.socket.destroyed || this.closedErr) return Promise.resolve();
    return new Promise((r) => this.socket.once('close', () => r()));
  }

  /** Bytes received but not consumed as replies. */
  get leftover(): Buffer {
    return this.buf;
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * The semantic reply interface handlers write to. It says *what* a reply is (a map, a double, a null), never how it
 * is framed: the RESP encoder picks RESP2 or RESP3 per client, and other sinks (scripts, tests) collect values.
 *
 * Strings are latin1 (one char per byte), the same representation as keys and values.
 */
export interface Reply {
  /** Protocol version of the client, for the rare reply whose *content* differs (e.g. HELLO's map). */
  readonly resp: 2 | 3;
  ok(): void;
  status(s: string): void;
  error(s: string): void;
  int(n: number | bigint): void;
  bulk(s: string): void;
  bulkBuffer(b: Buffer): void;
  /** A null bulk string: `$-1` in RESP2, `_` in RESP3. */
  nil(): void;
  /** A null array: `*-1` in RESP2, `_` in RESP3. */
  nilArray(): void;
  array(n: number): void;
  /** n key/value pairs follow: a flat array of 2n in RESP2, `%n` in RESP3. */
  map(n: number): void;
  /** `~n` in RESP3, an array in RESP2. */
  set(n: number): void;
  /** `,d` in RESP3; in RESP2 a bulk string. `resp2Text`, when given, is the number's text in both protocols. */
  double(d: number, resp2Text?: string): void;
  /** `#t`/`#f` in RESP3, `:1`/`:0` in RESP2. */
  bool(b: boolean): void;
  /** `=len\r\ntxt:...` in RESP3, a bulk string in RESP2. */
  verbatim(s: string, format?: string): void;
  /** An out-of-band push (`>n`) in RESP3, an array in RESP2 (pub/sub messages). */
  push(n: number): void;
  /** Convenience: an array of bulk strings. */
  bulks(items: readonly string[]): void;
}

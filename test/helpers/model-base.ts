/**
 * The base of the command reference model (see type-models.ts): RESP2 reply encoding, Redis's argument parsing
 * and error texts, and the keyspace of typed values with WRONGTYPE checks and the deletion of emptied keys.
 */
import { canonicalInt64 } from './property.js';

/** The model leaves a reply unchecked (behaviour Redis leaves undefined, e.g. lex ranges over mixed scores). */
export const UNCHECKED = Symbol('unchecked');

export class ReplyError extends Error {}

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const NOT_INT = 'ERR value is not an integer or out of range';
export const NOT_FLOAT = 'ERR value is not a valid float';
export const SYNTAX = 'ERR syntax error';
export const NOT_POSITIVE = 'ERR value is out of range, must be positive';
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

// ---- RESP2 encoding ----

export const resp = {
  ok: '+OK\r\n',
  nil: '$-1\r\n',
  nilArray: '*-1\r\n',
  int: (n: number | bigint | boolean): string => `:${typeof n === 'boolean' ? (n ? 1 : 0) : n}\r\n`,
  bulk: (s: string): string => `$${s.length}\r\n${s}\r\n`,
  array: (items: readonly string[]): string => `*${items.length}\r\n${items.join('')}`,
  bulks: (items: readonly string[]): string => resp.array(items.map(resp.bulk)),
  error: (text: string): string => `-${text}\r\n`,
};

/** The flat array of bulk strings (nil as null) in a RESP2 reply, or null for any other reply. */
export function parseBulkArray(reply: string): (string | null)[] | null {
  if (!reply.startsWith('*') || reply.startsWith('*-1')) return null;
  let pos = reply.indexOf('\r\n');
  const n = Number(reply.slice(1, pos));
  pos += 2;
  const out: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    if (reply[pos] !== '$') return null;
    const nl = reply.indexOf('\r\n', pos);
    const len = Number(reply.slice(pos + 1, nl));
    if (len < 0) {
      out.push(null);
      pos = nl + 2;
    } else {
      out.push(reply.slice(nl + 2, nl + 2 + len));
      pos = nl + 2 + len + 2;
    }
  }
  return pos === reply.length ? out : null;
}

export const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A reply array of bulks, sorted (`flat`) or sorted as field/value pairs (`pairs`); other replies as they are. */
export function sortReply(reply: string, how: 'flat' | 'pairs'): string {
  const items = parseBulkArray(reply);
  if (items === null || items.some((s) => s === null)) return reply;
  const strs = items as string[];
  if (how === 'flat') return resp.bulks([...strs].sort(byBytes));
  const pairs: [string, string][] = [];
  for (let i = 0; i < strs.length; i += 2) pairs.push([strs[i]!, strs[i + 1]!]);
  pairs.sort((a, b) => byBytes(a[0], b[0]));
  return resp.bulks(pairs.flat());
}

// ---- argument parsing, in Redis's words ----

/** string2ll: a canonical int64 (no '+', no leading zeros, no "-0", no spaces). */
export function parseInt64(s: string): bigint | null {
  return canonicalInt64(s) ? BigInt(s) : null;
}

export function intArg(s: string): number {
  const v = parseInt64(s);
  if (v === null) throw new ReplyError(NOT_INT);
  return Number(v);
}

/** getPositiveLongFromObjectOrReply: an integer ≥ 0. */
export function countArg(s: string, msg = NOT_POSITIVE): number {
  const v = parseInt64(s);
  if (v === null || v < 0n) throw new ReplyError(msg);
  return Number(v);
}

/** strtod over the whole argument (no leading space, not NaN), as getDoubleFromObject. */
export function parseDouble(s: string): number | null {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return null;
  return Number(s);
}

/** A score as Redis prints it (%.17g for the small integers and halves the test uses, inf, -inf). */
export function formatScore(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  return Object.is(d, -0) ? '-0' : String(d);
}

export interface ScoreBound {
  v: number;
  ex: boolean;
}

export function scoreBound(s: string): ScoreBound {
  const ex = s.startsWith('(');
  const v = parseDouble(ex ? s.slice(1) : s);
  if (v === null) throw new ReplyError('ERR min or max is not a float');
  return { v, ex };
}

/** A lex bound: kind -1 for '-', 1 for '+', 0 for '[x' / '(x'. */
export interface LexBound {
  s: string;
  kind: number;
  ex: boolean;
}

export function lexBound(s: string): LexBound {
  if (s === '-') return { s: '', kind: -1, ex: false };
  if (s === '+') return { s: '', kind: 1, ex: false };
  if (s.startsWith('(') || s.startsWith('[')) return { s: s.slice(1), kind: 0, ex: s[0] === '(' };
  throw new ReplyError('ERR min or max not valid string range item');
}

function lexCmp(m: string, b: LexBound): number {
  return b.kind !== 0 ? -b.kind : byBytes(m, b.s);
}

export const inScore = (s: number, min: ScoreBound, max: ScoreBound) => (min.ex ? s > min.v : s >= min.v) && (max.ex ? s < max.v : s <= max.v);
export const inLex = (m: string, min: LexBound, max: LexBound) => {
  const a = lexCmp(m, min);
  const b = lexCmp(m, max);
  return (min.ex ? a > 0 : a >= 0) && (max.ex ? b < 0 : b <= 0);
};

/** LRANGE/ZRANGE rank clamping: [start, end] inclusive, or null when empty. */
export function clampRanks(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

export const lc = (s: string) => s.toLowerCase();

// ---- the keyspace ----

/**
 * A sorted set: member → score, plus whether Redis keeps it as a listpack — which stores an integral score as an
 * integer, so a -0 written there reads back as 0 while a skiplist keeps the sign.
 */
export class ZsetModel extends Map<string, number> {
  constructor(public listpack: boolean) {
    super();
  }
}

/** The sorted-set encoding thresholds (zset-max-listpack-entries / -value). */
export interface ZsetLimits {
  entries: number;
  value: number;
}

export interface Values {
  string: string;
  list: string[];
  hash: Map<string, string>;
  set: Set<string>;
  zset: ZsetModel;
}
export type Kind = keyof Values;
export type Value = { [K in Kind]: { t: K; v: Values[K] } }[Kind];
export type Of<K extends Kind> = Values[K];

export type Reply = string | typeof UNCHECKED;

/** The keyspace: typed values by key, and the dispatch of commands to `cmd_<name>` methods. */
export class ModelBase {
  readonly data = new Map<string, Value>();

  constructor(protected zsetLimits: ZsetLimits = { entries: 128, value: 64 }) {}

  /** The reply to one command (errors as `-…` replies). */
  exec(argv: readonly string[]): Reply {
    const name = lc(argv[0]!);
    const handler = (this as unknown as Record<string, (a: readonly string[]) => Reply>)[`cmd_${name}`];
    if (handler === undefined) throw new Error(`model has no ${name}`);
    try {
      return handler.call(this, argv);
    } catch (e) {
      if (e instanceof ReplyError) return resp.error(e.message);
      throw e;
    }
  }

  /** The value of `key` when it has type `t`; undefined when missing; WRONGTYPE otherwise. */
  protected get<K extends Kind>(key: string, t: K): Of<K> | undefined {
    const e = this.data.get(key);
    if (e === undefined) return undefined;
    if (e.t !== t) throw new ReplyError(WRONGTYPE);
    return e.v as Of<K>;
  }

  protected getOrCreate<K extends Kind>(key: string, t: K, make: () => Of<K>): Of<K> {
    let v = this.get(key, t);
    if (v === undefined) {
      v = make();
      this.data.set(key, { t, v } as Value);
    }
    return v;
  }

  /** Collections never stay empty: Redis deletes the key. */
  protected dropIfEmpty(key: string): void {
    const e = this.data.get(key);
    if (e === undefined || e.t === 'string') return;
    const size = e.t === 'list' ? e.v.length : e.v.size;
    if (size === 0) this.data.delete(key);
  }

  cmd_set(a: readonly string[]): Reply {
    this.data.set(a[1]!, { t: 'string', v: a[2]! });
    return resp.ok;
  }
}

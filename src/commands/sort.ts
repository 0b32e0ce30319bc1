/**
 * SORT and SORT_RO over lists, sets and sorted sets: numeric or ALPHA order, BY patterns (`*` substituted by the
 * element, `->field` reading a hash field, a pattern without `*` meaning "don't sort"), LIMIT, GET patterns (`#`
 * is the element itself) and STORE into a list. The option parsing, the comparison rules and the order of
 * elements that compare equal follow Redis's sort.c, because all of them show in the replies.
 */
import { ERR, RedisError } from '../errors.js';
import type { Database } from '../keyspace/database.js';
import { Entry, T, stringOf } from '../keyspace/entry.js';
import { N } from '../keyspace/notify.js';
import type { Client } from '../server/client.js';
import type { HashValue } from '../types/hash.js';
import { List } from '../types/list.js';
import type { SetValue } from '../types/set.js';
import type { SortedSet } from '../types/sorted-set.js';
import { cstr, intArg, is } from './args.js';
import { defineGroup } from './spec.js';

/** A BY or GET pattern, split once: `prefix*postfix` or `prefix*postfix->field`. */
interface Pattern {
  /** The pattern is exactly `#`: the element itself. */
  self: boolean;
  /** No `*`: never names a key, so it never finds a value. */
  none: boolean;
  prefix: string;
  postfix: string;
  /** The hash field after `->`, or null for a string key. */
  field: string | null;
}

function compilePattern(p: string): Pattern {
  // Redis handles the pattern as a C string here: the first NUL byte ends it.
  const c = cstr(p);
  if (c === '#') return { self: true, none: false, prefix: '', postfix: '', field: null };
  const star = c.indexOf('*');
  if (star < 0) return { self: false, none: true, prefix: '', postfix: '', field: null };
  // `->` after the `*` with something behind it reads a hash field (the field may hold bytes past a NUL).
  const arrow = c.indexOf('->', star + 1);
  if (arrow >= 0 && arrow + 2 < c.length) {
    return { self: false, none: false, prefix: p.slice(0, star), postfix: p.slice(star + 1, arrow), field: p.slice(arrow + 2) };
  }
  return { self: false, none: false, prefix: p.slice(0, star), postfix: p.slice(star + 1), field: null };
}

/** The value a pattern names for an element, or null (missing key or field, or a key of another type). */
function lookupByPattern(db: Database, p: Pattern, element: string): string | null {
  if (p.self) return element;
  if (p.none) return null;
  const e = db.read(p.prefix + element + p.postfix);
  if (e === undefined) return null;
  if (p.field !== null) {
    if (e.type !== T.Hash) return null;
    return (e.value as HashValue).get(p.field) ?? null;
  }
  return e.type === T.String ? stringOf(e.value) : null;
}

const SPACE = /^[\t\n\v\f\r ]*/;
const HEX_PREFIX = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?/;
const DEC_PREFIX = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const INF_PREFIX = /^[+-]?inf(?:inity)?/i;
const DBL_MIN = 2.2250738585072014e-308;

/**
 * A sort score as Redis computes it: strtod over the value as a C string (leading spaces allowed, nothing but the
 * end of the string after the number; an empty string is 0), refusing NaN and out-of-range values (ERANGE:
 * overflow, or underflow to zero or to a subnormal). Null when the value cannot be a score.
 */
export function sortScore(v: string): number | null {
  const s = cstr(v);
  if (s.length === 0) return 0;
  const lead = SPACE.exec(s)![0].length;
  const rest = lead > 0 ? s.slice(lead) : s;
  let m = HEX_PREFIX.exec(rest);
  const hex = m !== null;
  if (m === null) m = DEC_PREFIX.exec(rest);
  if (m === null) {
    if (INF_PREFIX.test(rest) && INF_PREFIX.exec(rest)![0].length === rest.length) return rest.charCodeAt(0) === 45 ? -Infinity : Infinity;
    // NaN (or no number at all) is refused.
    return null;
  }
  if (m[0].length !== rest.length) return null;
  const d = hex ? hexValue(m[0]) : Number(m[0]);
  if (!Number.isFinite(d)) return null;
  const nonzero = /[1-9a-fA-F]/.test(hex ? m[0].replace(/[pP].*$/, '').replace(/^[+-]?0[xX]/, '') : m[0].replace(/[eE].*$/, ''));
  if (d === 0 && nonzero) return null;
  // A decimal landing on a subnormal is inexact, which glibc reports as ERANGE.
  if (!hex && d !== 0 && Math.abs(d) < DBL_MIN) return null;
  return d;
}

/** A C99 hex float (`0x1.8p3`). */
function hexValue(s: string): number {
  let i = 0;
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  const body = s.slice(i + 2);
  const pi = body.search(/[pP]/);
  const mant = pi < 0 ? body : body.slice(0, pi);
  const exp = pi < 0 ? 0 : Number(body.slice(pi + 1));
  const dot = mant.indexOf('.');
  const ip = dot < 0 ? mant : mant.slice(0, dot);
  const fp = dot < 0 ? '' : mant.slice(dot + 1);
  let v = 0;
  for (const ch of ip + fp) v = v * 16 + parseInt(ch, 16);
  return sign * v * Math.pow(2, exp - 4 * fp.length);
}

/** Binary comparison (memcmp, then length): Redis's compareStringObjects. */
function binCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll in the C locale: byte order of the strings up to their first NUL. */
function collCompare(a: string, b: string): number {
  return binCompare(cstr(a), cstr(b));
}

interface Item {
  el: string;
  score: number;
  /** The BY value for ALPHA sorting by pattern, null when missing. */
  by: string | null;
}

/** Elements of a list from index `start`, `n` of them, towards the tail (or towards the head when `desc`). */
function listRange(l: List, start: number, n: number, desc: boolean): string[] {
  const out: string[] = [];
  const len = l.length;
  for (let k = 0; k < n; k++) out.push(l.at(desc ? len - 1 - start - k : start + k));
  return out;
}

/** Members of a sorted set by rank from `start`, `n` of them, ascending (or from the top down when `desc`). */
function zsetRange(z: SortedSet, start: number, n: number, desc: boolean): string[] {
  const out: string[] = [];
  z.walk(desc ? z.size - 1 - start : start, n, desc, (m) => out.push(m));
  return out;
}

function sort(c: Client, argv: string[], readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let by: Pattern | null = null;
  let store: string | null = null;
  const gets: Pattern[] = [];
  for (let j = 2; j < argv.length; j++) {
    const opt = cstr(argv[j]!);
    const left = argv.length - j - 1;
    if (is(opt, 'asc')) desc = false;
    else if (is(opt, 'desc')) desc = true;
    else if (is(opt, 'alpha')) alpha = true;
    else if (is(opt, 'limit') && left >= 2) {
      limitStart = intArg(argv[j + 1]!);
      limitCount = intArg(argv[j + 2]!);
      j += 2;
    } else if (!readonly && is(opt, 'store') && left >= 1) {
      store = argv[++j]!;
    } else if (is(opt, 'by') && left >= 1) {
      const p = argv[++j]!;
      // A BY pattern without `*` cannot name keys: it means "do not sort" (and a later BY does not undo it).
      if (cstr(p).indexOf('*') < 0) dontsort = true;
      by = compilePattern(p);
    } else if (is(opt, 'get') && left >= 1) {
      gets.push(compilePattern(argv[++j]!));
    } else {
      throw new RedisError(ERR.syntax);
    }
  }

  const db = c.db;
  const e: Entry | undefined = db.read(argv[1]!);
  if (e !== undefined && e.type !== T.Set && e.type !== T.List && e.type !== T.ZSet) throw new RedisError(ERR.wrongType);
  const type = e === undefined ? T.List : e.type;

  // An unsorted set would come out in hash order; a stored result must not depend on it, so Redis sorts it.
  if (dontsort && type === T.Set && store !== null) {
    dontsort = false;
    alpha = true;
    by = null;
  }
  // Redis converts a small sorted set to a skiplist for SORT, for good.
  if (type === T.ZSet) (e!.value as SortedSet).listpack = false;

  let vectorLen = e === undefined ? 0 : type === T.List ? (e.value as List).length : type === T.Set ? (e.value as SetValue).size : (e.value as SortedSet).size;
  let start = limitStart < 0 ? 0 : limitStart;
  let end = limitCount < 0 ? vectorLen - 1 : start + limitCount - 1;
  if (start >= vectorLen) {
    start = vectorLen - 1;
    end = vectorLen - 2;
  }
  if (end >= vectorLen) end = vectorLen - 1;

  let elements: string[];
  if (e === undefined) {
    elements = [];
  } else if (dontsort && (type === T.List || type === T.ZSet)) {
    // Lists and sorted sets keep their own order: only the LIMIT range is loaded (DESC walks from the end).
    const n = Math.max(0, end - start + 1);
    elements = type === T.List ? listRange(e.value as List, start, n, desc) : zsetRange(e.value as SortedSet, start, n, desc);
    if (end >= start) {
      end -= start;
      start = 0;
    }
    vectorLen = elements.length;
  } else if (type === T.List) {
    elements = (e.value as List).toArray();
  } else if (type === T.Set) {
    elements = [...(e.value as SetValue)];
  } else {
    elements = [...(e.value as SortedSet).dict.keys()];
  }

  if (!dontsort) {
    const items: Item[] = new Array(elements.length);
    let bad = false;
    for (let j = 0; j < elements.length; j++) {
      const el = elements[j]!;
      const item: Item = { el, score: 0, by: null };
      items[j] = item;
      const v = by !== null ? lookupByPattern(db, by, el) : el;
      // A missing BY value scores 0 (or sorts first with ALPHA).
      if (v === null) continue;
      if (alpha) {
        if (by !== null) item.by = v;
      } else {
        const s = sortScore(v);
        if (s === null) bad = true;
        else item.score = s;
      }
    }
    if (bad) throw new RedisError("ERR One or more scores can't be converted into double");
    const sign = desc ? -1 : 1;
    const stored = store !== null;
    let cmp: (a: Item, b: Item) => number;
    if (!alpha) {
      // Equal scores fall back to comparing the elements, so the order is deterministic.
      cmp = (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : binCompare(a.el, b.el));
    } else if (by !== null) {
      cmp = (a, b) => {
        if (a.by === null || b.by === null) return sign * (a.by === b.by ? 0 : a.by === null ? -1 : 1);
        return sign * (stored ? binCompare(a.by, b.by) : collCompare(a.by, b.by));
      };
    } else {
      cmp = stored ? (a, b) => sign * binCompare(a.el, b.el) : (a, b) => sign * collCompare(a.el, b.el);
    }
    // Array.prototype.sort is stable, like the merge sort glibc's qsort uses: equal elements keep their order.
    items.sort(cmp);
    for (let j = 0; j < items.length; j++) elements[j] = items[j]!.el;
  }

  const count = Math.max(0, end - start + 1);
  const outputLen = gets.length > 0 ? gets.length * count : count;
  if (store === null) {
    const r = c.reply;
    r.array(outputLen);
    for (let j = start; j < start + count; j++) {
      const el = elements[j]!;
      if (gets.length === 0) r.bulk(el);
      for (const g of gets) {
        const v = lookupByPattern(db, g, el);
        if (v === null) r.nil();
        else r.bulk(v);
      }
    }
    return;
  }
  const out = new List();
  for (let j = start; j < start + count; j++) {
    const el = elements[j]!;
    if (gets.length === 0) out.pushBack(el);
    // Missing GET values are stored as empty strings.
    for (const g of gets) out.pushBack(lookupByPattern(db, g, el) ?? '');
  }
  if (outputLen > 0) {
    out.normalize(c.server.limits.listMaxListpackSize);
    // Replaces whatever `store` held, dropping its TTL.
    db.insert(new Entry(store, T.List, out, db.ks.now));
    db.touched(store, N.list, 'sortstore');
  } else if (db.delete(store)) {
    db.touched(store, N.generic, 'del');
  }
  c.reply.int(outputLen);
}

/** SORT's keys: the sorted key, plus the last STORE destination (skipping the arguments of LIMIT, GET and BY). */
function sortKeys(argv: string[]): number[] {
  const keys = [1];
  let storeAt = -1;
  for (let i = 2; i < argv.length; i++) {
    const a = cstr(argv[i]!);
    if (is(a, 'limit')) i += 2;
    else if (is(a, 'get') || is(a, 'by')) i += 1;
    else if (is(a, 'store') && i + 1 < argv.length) storeAt = i + 1;
  }
  if (storeAt > 0) keys.push(storeAt);
  return keys;
}

export const sortCommands = defineGroup('generic', [
  {
    // SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination]
    name: 'sort',
    arity: -2,
    flags: ['write', 'denyoom'],
    acl: ['set', 'sortedset', 'list', 'dangerous'],
    keys: { first: 1, last: 1, step: 1 },
    keySpecFlags: ['RO', 'access'],
    getKeys: sortKeys,
    summary: 'Sorts the elements of a list, set or sorted set, optionally by external keys, and returns or stores them.',
    since: '1.0.0',
    complexity:
      'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).',
    run(c, argv) {
      sort(c, argv, false);
    },
  },
  {
    // SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]
    name: 'sort_ro',
    arity: -2,
    flags: ['readonly'],
    acl: ['set', 'sortedset', 'list', 'dangerous'],
    keys: { first: 1, last: 1, step: 1 },
    keySpecFlags: ['RO', 'access'],
    getKeys: () => [1],
    summary: 'Sorts the elements of a list, set or sorted set like SORT, without the STORE option.',
    since: '7.0.0',
    complexity: 'O(N+M*log(M)) where N is the number of elements in the list/set to sort, and M the number of returned elements.',
    run(c, argv) {
      sort(c, argv, true);
    },
  },
]);

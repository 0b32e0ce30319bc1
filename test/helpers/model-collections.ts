/**
 * The list, hash and set commands of the reference model (see type-models.ts), on plain arrays, Maps and Sets.
 */
import {
  ModelBase,
  ReplyError,
  SYNTAX,
  INT64_MAX,
  INT64_MIN,
  NOT_INT,
  byBytes,
  clampRanks,
  countArg,
  intArg,
  lc,
  parseInt64,
  resp,
  type Reply,
} from './model-base.js';

export class CollectionsModel extends ModelBase {
  // ---- lists ----

  private push(a: readonly string[], front: boolean, onlyExisting: boolean): Reply {
    if (onlyExisting && this.get(a[1]!, 'list') === undefined) return resp.int(0);
    const l = this.getOrCreate(a[1]!, 'list', () => []);
    for (const v of a.slice(2)) {
      if (front) l.unshift(v);
      else l.push(v);
    }
    return resp.int(l.length);
  }
  cmd_lpush(a: readonly string[]): Reply {
    return this.push(a, true, false);
  }
  cmd_rpush(a: readonly string[]): Reply {
    return this.push(a, false, false);
  }
  cmd_lpushx(a: readonly string[]): Reply {
    return this.push(a, true, true);
  }
  cmd_rpushx(a: readonly string[]): Reply {
    return this.push(a, false, true);
  }

  private pop(a: readonly string[], front: boolean): Reply {
    const hasCount = a.length === 3;
    const count = hasCount ? countArg(a[2]!) : 1;
    const l = this.get(a[1]!, 'list');
    if (l === undefined) return hasCount ? resp.nilArray : resp.nil;
    if (hasCount && count === 0) return resp.array([]);
    const out = front ? l.splice(0, count) : l.splice(Math.max(0, l.length - count)).reverse();
    this.dropIfEmpty(a[1]!);
    return hasCount ? resp.bulks(out) : resp.bulk(out[0]!);
  }
  cmd_lpop(a: readonly string[]): Reply {
    return this.pop(a, true);
  }
  cmd_rpop(a: readonly string[]): Reply {
    return this.pop(a, false);
  }

  cmd_llen(a: readonly string[]): Reply {
    return resp.int(this.get(a[1]!, 'list')?.length ?? 0);
  }

  cmd_lrange(a: readonly string[]): Reply {
    const start = intArg(a[2]!);
    const end = intArg(a[3]!);
    const l = this.get(a[1]!, 'list') ?? [];
    const r = clampRanks(start, end, l.length);
    return resp.bulks(r === null ? [] : l.slice(r[0], r[1] + 1));
  }

  /** An index into a list of `len` (negative from the tail), or -1 when out of range. */
  private static listIndex(i: number, len: number): number {
    const k = i < 0 ? len + i : i;
    return k >= 0 && k < len ? k : -1;
  }

  cmd_lindex(a: readonly string[]): Reply {
    const l = this.get(a[1]!, 'list');
    if (l === undefined) return resp.nil;
    const i = CollectionsModel.listIndex(intArg(a[2]!), l.length);
    return i < 0 ? resp.nil : resp.bulk(l[i]!);
  }

  cmd_lset(a: readonly string[]): Reply {
    const l = this.get(a[1]!, 'list');
    if (l === undefined) throw new ReplyError('ERR no such key');
    const i = CollectionsModel.listIndex(intArg(a[2]!), l.length);
    if (i < 0) throw new ReplyError('ERR index out of range');
    l[i] = a[3]!;
    return resp.ok;
  }

  cmd_lrem(a: readonly string[]): Reply {
    const count = intArg(a[2]!);
    const l = this.get(a[1]!, 'list');
    if (l === undefined) return resp.int(0);
    const order = [...l.keys()];
    if (count < 0) order.reverse();
    const drop = new Set<number>();
    for (const i of order) if (l[i] === a[3] && (count === 0 || drop.size < Math.abs(count))) drop.add(i);
    const kept = l.filter((_, i) => !drop.has(i));
    l.splice(0, l.length, ...kept);
    this.dropIfEmpty(a[1]!);
    return resp.int(drop.size);
  }

  cmd_ltrim(a: readonly string[]): Reply {
    const start = intArg(a[2]!);
    const end = intArg(a[3]!);
    const l = this.get(a[1]!, 'list');
    if (l === undefined) return resp.ok;
    const r = clampRanks(start, end, l.length);
    l.splice(0, l.length, ...(r === null ? [] : l.slice(r[0], r[1] + 1)));
    this.dropIfEmpty(a[1]!);
    return resp.ok;
  }

  cmd_linsert(a: readonly string[]): Reply {
    const where = lc(a[2]!);
    if (where !== 'before' && where !== 'after') throw new ReplyError(SYNTAX);
    const l = this.get(a[1]!, 'list');
    if (l === undefined) return resp.int(0);
    const at = l.indexOf(a[3]!);
    if (at < 0) return resp.int(-1);
    l.splice(where === 'after' ? at + 1 : at, 0, a[4]!);
    return resp.int(l.length);
  }

  cmd_lpos(a: readonly string[]): Reply {
    let rank = 1;
    let count: number | null = null;
    let maxlen = 0;
    for (let j = 3; j < a.length; j++) {
      const opt = lc(a[j]!);
      const more = j + 1 < a.length;
      if (opt === 'rank' && more) {
        rank = intArg(a[++j]!);
        if (rank === 0) {
          throw new ReplyError(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
          );
        }
      } else if (opt === 'count' && more) {
        count = countArg(a[++j]!, "ERR COUNT can't be negative");
      } else if (opt === 'maxlen' && more) {
        maxlen = countArg(a[++j]!, "ERR MAXLEN can't be negative");
      } else {
        throw new ReplyError(SYNTAX);
      }
    }
    const l = this.get(a[1]!, 'list');
    if (l === undefined) return count !== null ? resp.array([]) : resp.nil;
    // Scan from the head (positive rank) or the tail, at most maxlen elements; skip rank-1 matches.
    const scanned = l.map((v, i) => [v, i] as const);
    if (rank < 0) scanned.reverse();
    const window = maxlen === 0 ? scanned : scanned.slice(0, maxlen);
    const matches = window.filter(([v]) => v === a[2]).map(([, i]) => i).slice(Math.abs(rank) - 1);
    if (count === null) return matches.length > 0 ? resp.int(matches[0]!) : resp.nil;
    return resp.array((count === 0 ? matches : matches.slice(0, count)).map((i) => resp.int(i)));
  }

  // ---- hashes ----

  cmd_hset(a: readonly string[]): Reply {
    if (a.length % 2 === 1) throw new ReplyError("ERR wrong number of arguments for 'hset' command");
    const h = this.getOrCreate(a[1]!, 'hash', () => new Map());
    let added = 0;
    for (let i = 2; i < a.length; i += 2) {
      if (!h.has(a[i]!)) added++;
      h.set(a[i]!, a[i + 1]!);
    }
    return resp.int(added);
  }

  cmd_hsetnx(a: readonly string[]): Reply {
    const h = this.getOrCreate(a[1]!, 'hash', () => new Map());
    if (h.has(a[2]!)) return resp.int(0);
    h.set(a[2]!, a[3]!);
    return resp.int(1);
  }

  cmd_hdel(a: readonly string[]): Reply {
    const h = this.get(a[1]!, 'hash');
    if (h === undefined) return resp.int(0);
    let n = 0;
    for (const f of a.slice(2)) if (h.delete(f)) n++;
    this.dropIfEmpty(a[1]!);
    return resp.int(n);
  }

  cmd_hget(a: readonly string[]): Reply {
    const v = this.get(a[1]!, 'hash')?.get(a[2]!);
    return v === undefined ? resp.nil : resp.bulk(v);
  }

  cmd_hmget(a: readonly string[]): Reply {
    const h = this.get(a[1]!, 'hash');
    return resp.array(a.slice(2).map((f) => {
      const v = h?.get(f);
      return v === undefined ? resp.nil : resp.bulk(v);
    }));
  }

  cmd_hlen(a: readonly string[]): Reply {
    return resp.int(this.get(a[1]!, 'hash')?.size ?? 0);
  }

  cmd_hexists(a: readonly string[]): Reply {
    return resp.int(this.get(a[1]!, 'hash')?.has(a[2]!) ?? false);
  }

  cmd_hstrlen(a: readonly string[]): Reply {
    return resp.int(this.get(a[1]!, 'hash')?.get(a[2]!)?.length ?? 0);
  }

  cmd_hincrby(a: readonly string[]): Reply {
    const incr = parseInt64(a[3]!);
    if (incr === null) throw new ReplyError(NOT_INT);
    const h = this.getOrCreate(a[1]!, 'hash', () => new Map());
    const cur = h.get(a[2]!);
    const old = cur === undefined ? 0n : parseInt64(cur);
    if (old === null) throw new ReplyError('ERR hash value is not an integer');
    const next = old + incr;
    if (next < INT64_MIN || next > INT64_MAX) throw new ReplyError('ERR increment or decrement would overflow');
    h.set(a[2]!, String(next));
    return resp.int(next);
  }

  /** HGETALL, sorted by field (a hashtable's order is unspecified). */
  cmd_hgetall(a: readonly string[]): Reply {
    const h = this.get(a[1]!, 'hash') ?? new Map<string, string>();
    return resp.bulks([...h].sort((x, y) => byBytes(x[0], y[0])).flat());
  }

  cmd_hkeys(a: readonly string[]): Reply {
    return resp.bulks([...(this.get(a[1]!, 'hash')?.keys() ?? [])].sort(byBytes));
  }

  cmd_hvals(a: readonly string[]): Reply {
    return resp.bulks([...(this.get(a[1]!, 'hash')?.values() ?? [])].sort(byBytes));
  }

  // ---- sets ----

  cmd_sadd(a: readonly string[]): Reply {
    const s = this.getOrCreate(a[1]!, 'set', () => new Set());
    let n = 0;
    for (const m of a.slice(2)) {
      if (!s.has(m)) n++;
      s.add(m);
    }
    return resp.int(n);
  }

  cmd_srem(a: readonly string[]): Reply {
    const s = this.get(a[1]!, 'set');
    if (s === undefined) return resp.int(0);
    let n = 0;
    for (const m of a.slice(2)) if (s.delete(m)) n++;
    this.dropIfEmpty(a[1]!);
    return resp.int(n);
  }

  cmd_sismember(a: readonly string[]): Reply {
    return resp.int(this.get(a[1]!, 'set')?.has(a[2]!) ?? false);
  }

  cmd_smismember(a: readonly string[]): Reply {
    const s = this.get(a[1]!, 'set');
    return resp.array(a.slice(2).map((m) => resp.int(s?.has(m) ?? false)));
  }

  cmd_scard(a: readonly string[]): Reply {
    return resp.int(this.get(a[1]!, 'set')?.size ?? 0);
  }

  cmd_smembers(a: readonly string[]): Reply {
    return resp.bulks([...(this.get(a[1]!, 'set') ?? [])].sort(byBytes));
  }

  /** Every key is type-checked before any result is computed (a missing key is an empty set). */
  private sets(keys: readonly string[]): Set<string>[] {
    return keys.map((k) => this.get(k, 'set') ?? new Set<string>());
  }

  private static inter(sets: Set<string>[]): string[] {
    return [...sets[0]!].filter((m) => sets.every((s) => s.has(m)));
  }

  cmd_sinter(a: readonly string[]): Reply {
    return resp.bulks(CollectionsModel.inter(this.sets(a.slice(1))).sort(byBytes));
  }

  cmd_sunion(a: readonly string[]): Reply {
    const out = new Set<string>();
    for (const s of this.sets(a.slice(1))) for (const m of s) out.add(m);
    return resp.bulks([...out].sort(byBytes));
  }

  cmd_sdiff(a: readonly string[]): Reply {
    const [first, ...rest] = this.sets(a.slice(1));
    return resp.bulks([...first!].filter((m) => !rest.some((s) => s.has(m))).sort(byBytes));
  }

  /** SINTERCARD numkeys key [key ...] [LIMIT limit] (the generator sends well-formed numkeys). */
  cmd_sintercard(a: readonly string[]): Reply {
    const n = Number(a[1]);
    let limit = 0;
    for (let j = 2 + n; j < a.length; j++) {
      if (lc(a[j]!) === 'limit' && j + 1 < a.length) limit = countArg(a[++j]!, "ERR LIMIT can't be negative");
      else throw new ReplyError(SYNTAX);
    }
    const count = CollectionsModel.inter(this.sets(a.slice(2, 2 + n))).length;
    return resp.int(limit === 0 ? count : Math.min(limit, count));
  }

  cmd_smove(a: readonly string[]): Reply {
    const src = this.get(a[1]!, 'set');
    if (src === undefined) return resp.int(0);
    const dst = this.get(a[2]!, 'set');
    if (a[1] === a[2]) return resp.int(src.has(a[3]!));
    if (!src.delete(a[3]!)) return resp.int(0);
    this.dropIfEmpty(a[1]!);
    (dst ?? this.getOrCreate(a[2]!, 'set', () => new Set())).add(a[3]!);
    return resp.int(1);
  }
}

/**
 * A reference model of the list, hash, set and sorted-set commands for the command-level property test
 * (test/integration/types-model.property.test.ts): plain arrays, Maps and Sets, written from Redis's documented
 * behaviour and its argument-checking order, replying in exact RESP2 bytes (latin1 strings). Replies whose order
 * Redis leaves unspecified are produced sorted; the test sorts the servers' replies the same way.
 *
 * model-base.ts holds the keyspace and argument parsing, model-collections.ts the list, hash and set commands; the
 * sorted-set commands are here.
 */
import { CollectionsModel } from './model-collections.js';
import {
  NOT_FLOAT,
  ReplyError,
  SYNTAX,
  UNCHECKED,
  ZsetModel,
  byBytes,
  clampRanks,
  countArg,
  formatScore,
  inLex,
  inScore,
  intArg,
  lc,
  lexBound,
  parseDouble,
  resp,
  scoreBound,
  type Reply,
} from './model-base.js';

export { UNCHECKED, sortReply, type ZsetLimits } from './model-base.js';

export class KeyspaceModel extends CollectionsModel {
  // ---- sorted sets ----

  /** Pairs in order: score, then member bytes. */
  private static ordered(z: Map<string, number>): [string, number][] {
    return [...z].sort((x, y) => (x[1] !== y[1] ? (x[1] < y[1] ? -1 : 1) : byBytes(x[0], y[0])));
  }

  private static withScores(pairs: readonly (readonly [string, number])[]): string {
    return resp.bulks(pairs.flatMap(([m, s]) => [m, formatScore(s)]));
  }

  cmd_zadd(a: readonly string[]): Reply {
    const f = { nx: false, xx: false, ch: false, incr: false, gt: false, lt: false };
    let i = 2;
    for (; i < a.length; i++) {
      const o = lc(a[i]!);
      if (o in f) f[o as keyof typeof f] = true;
      else break;
    }
    const elements = a.length - i;
    if (elements === 0 || elements % 2 === 1) throw new ReplyError(SYNTAX);
    if (f.nx && f.xx) throw new ReplyError('ERR XX and NX options at the same time are not compatible');
    if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt)) {
      throw new ReplyError('ERR GT, LT, and/or NX options at the same time are not compatible');
    }
    if (f.incr && elements > 2) throw new ReplyError('ERR INCR option supports a single increment-element pair');
    const pairs: [number, string][] = [];
    for (let j = i; j < a.length; j += 2) {
      const s = parseDouble(a[j]!);
      if (s === null) throw new ReplyError(NOT_FLOAT);
      pairs.push([s, a[j + 1]!]);
    }
    let z = this.get(a[1]!, 'zset');
    let added = 0;
    let updated = 0;
    let processed = 0;
    let last = 0;
    const lim = this.zsetLimits;
    // Redis 7.2's zsetTypeCreate sizes a new set for the whole command and its first member; an existing listpack
    // about to receive more members than it may hold converts up front (zsetTypeMaybeConvert).
    const created = z === undefined;
    if (z === undefined && !f.xx) {
      z = this.getOrCreate(a[1]!, 'zset', () => new ZsetModel(pairs.length <= lim.entries && pairs[0]![1].length <= lim.value));
    }
    if (z !== undefined && !created && pairs.length > lim.entries) z.listpack = false;
    if (z !== undefined) {
      // Stores a score the way the current encoding keeps it.
      const put = (zs: ZsetModel, m: string, s: number) => zs.set(m, zs.listpack && s === 0 ? 0 : s);
      for (const [score, m] of pairs) {
        const cur = z.get(m);
        if (cur !== undefined) {
          if (f.nx) continue;
          const next = f.incr ? cur + score : score;
          if (Number.isNaN(next)) throw new ReplyError('ERR resulting score is not a number (NaN)');
          if ((f.lt && next >= cur) || (f.gt && next <= cur)) continue;
          processed++;
          last = next;
          if (next !== cur) {
            put(z, m, next);
            updated++;
          }
        } else {
          if (f.xx) continue;
          // zsetAdd converts before inserting a member that would overflow the listpack.
          if (z.listpack && (z.size + 1 > lim.entries || m.length > lim.value)) z.listpack = false;
          put(z, m, score);
          added++;
          processed++;
          last = score;
        }
      }
    }
    if (f.incr) return processed > 0 ? resp.bulk(formatScore(last)) : resp.nil;
    return resp.int(f.ch ? added + updated : added);
  }

  cmd_zincrby(a: readonly string[]): Reply {
    return this.cmd_zadd(['zadd', a[1]!, 'incr', a[2]!, a[3]!]);
  }

  cmd_zrem(a: readonly string[]): Reply {
    const z = this.get(a[1]!, 'zset');
    if (z === undefined) return resp.int(0);
    let n = 0;
    for (const m of a.slice(2)) if (z.delete(m)) n++;
    this.dropIfEmpty(a[1]!);
    return resp.int(n);
  }

  cmd_zcard(a: readonly string[]): Reply {
    return resp.int(this.get(a[1]!, 'zset')?.size ?? 0);
  }

  cmd_zscore(a: readonly string[]): Reply {
    const s = this.get(a[1]!, 'zset')?.get(a[2]!);
    return s === undefined ? resp.nil : resp.bulk(formatScore(s));
  }

  cmd_zmscore(a: readonly string[]): Reply {
    const z = this.get(a[1]!, 'zset');
    return resp.array(a.slice(2).map((m) => {
      const s = z?.get(m);
      return s === undefined ? resp.nil : resp.bulk(formatScore(s));
    }));
  }

  private rank(a: readonly string[], reverse: boolean): Reply {
    const withScore = a.length === 4;
    if (a.length > 4 || (withScore && lc(a[3]!) !== 'withscore')) throw new ReplyError(SYNTAX);
    const z = this.get(a[1]!, 'zset');
    const pairs = z === undefined ? [] : KeyspaceModel.ordered(z);
    if (reverse) pairs.reverse();
    const r = pairs.findIndex((p) => p[0] === a[2]);
    if (r < 0) return withScore ? resp.nilArray : resp.nil;
    return withScore ? resp.array([resp.int(r), resp.bulk(formatScore(pairs[r]![1]))]) : resp.int(r);
  }
  cmd_zrank(a: readonly string[]): Reply {
    return this.rank(a, false);
  }
  cmd_zrevrank(a: readonly string[]): Reply {
    return this.rank(a, true);
  }

  cmd_zcount(a: readonly string[]): Reply {
    const min = scoreBound(a[2]!);
    const max = scoreBound(a[3]!);
    const z = this.get(a[1]!, 'zset');
    return resp.int(z === undefined ? 0 : [...z.values()].filter((s) => inScore(s, min, max)).length);
  }

  /** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES], and its legacy forms. */
  private zrange(key: string, lo: string, hi: string, opts: readonly string[], preset: { by?: 'score' | 'lex'; rev?: boolean }): Reply {
    let withScores = false;
    let offset = 0;
    let limit = -1;
    let rev = preset.rev;
    let by = preset.by;
    for (let j = 0; j < opts.length; j++) {
      const o = lc(opts[j]!);
      const left = opts.length - j - 1;
      if (o === 'withscores') withScores = true;
      else if (o === 'limit' && left >= 2) {
        offset = intArg(opts[j + 1]!);
        limit = intArg(opts[j + 2]!);
        j += 2;
      } else if (rev === undefined && o === 'rev') rev = true;
      else if (by === undefined && o === 'bylex') by = 'lex';
      else if (by === undefined && o === 'byscore') by = 'score';
      else throw new ReplyError(SYNTAX);
    }
    // LIMIT's count defaults to -1, so `LIMIT x -1` on a rank range is not the error a real limit is.
    if (limit !== -1 && by === undefined) {
      throw new ReplyError('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
    }
    if (withScores && by === 'lex') throw new ReplyError('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
    // Score and lex ranges are given max first in reverse.
    if (rev && by !== undefined) [lo, hi] = [hi, lo];
    let pick: (pairs: [string, number][]) => [string, number][];
    if (by === undefined) {
      const start = intArg(lo);
      const end = intArg(hi);
      pick = (pairs) => {
        const r = clampRanks(start, end, pairs.length);
        return r === null ? [] : pairs.slice(r[0], r[1] + 1);
      };
    } else {
      let inside: (p: [string, number]) => boolean;
      if (by === 'score') {
        const min = scoreBound(lo);
        const max = scoreBound(hi);
        inside = (p) => inScore(p[1], min, max);
      } else {
        const min = lexBound(lo);
        const max = lexBound(hi);
        inside = (p) => inLex(p[0], min, max);
      }
      pick = (pairs) => {
        const hits = pairs.filter(inside);
        if (offset < 0) return [];
        return limit < 0 ? hits.slice(offset) : hits.slice(offset, offset + limit);
      };
    }
    const z = this.get(key, 'zset');
    if (z === undefined) return resp.array([]);
    // Lex ranges are only defined when all scores are equal.
    if (by === 'lex' && new Set(z.values()).size > 1) return UNCHECKED;
    const pairs = KeyspaceModel.ordered(z);
    if (rev) pairs.reverse();
    const out = pick(pairs);
    return withScores ? KeyspaceModel.withScores(out) : resp.bulks(out.map((p) => p[0]));
  }

  cmd_zrange(a: readonly string[]): Reply {
    return this.zrange(a[1]!, a[2]!, a[3]!, a.slice(4), {});
  }
  cmd_zrangebyscore(a: readonly string[]): Reply {
    return this.zrange(a[1]!, a[2]!, a[3]!, a.slice(4), { by: 'score', rev: false });
  }
  cmd_zrevrangebyscore(a: readonly string[]): Reply {
    // Max first, like ZRANGE … BYSCORE REV.
    return this.zrange(a[1]!, a[2]!, a[3]!, a.slice(4), { by: 'score', rev: true });
  }
  cmd_zrangebylex(a: readonly string[]): Reply {
    return this.zrange(a[1]!, a[2]!, a[3]!, a.slice(4), { by: 'lex', rev: false });
  }

  private zpop(a: readonly string[], max: boolean): Reply {
    if (a.length > 3) throw new ReplyError(SYNTAX);
    const count = a.length === 3 ? countArg(a[2]!) : 1;
    const z = this.get(a[1]!, 'zset');
    if (z === undefined || count === 0) return resp.array([]);
    const pairs = KeyspaceModel.ordered(z);
    if (max) pairs.reverse();
    const out = pairs.slice(0, count);
    for (const [m] of out) z.delete(m);
    this.dropIfEmpty(a[1]!);
    return KeyspaceModel.withScores(out);
  }
  cmd_zpopmin(a: readonly string[]): Reply {
    return this.zpop(a, false);
  }
  cmd_zpopmax(a: readonly string[]): Reply {
    return this.zpop(a, true);
  }

  private zremWhere(key: string, gone: (p: [string, number], rank: number) => boolean): Reply {
    const z = this.get(key, 'zset');
    if (z === undefined) return resp.int(0);
    const doomed = KeyspaceModel.ordered(z).filter(gone);
    for (const [m] of doomed) z.delete(m);
    this.dropIfEmpty(key);
    return resp.int(doomed.length);
  }

  cmd_zremrangebyscore(a: readonly string[]): Reply {
    const min = scoreBound(a[2]!);
    const max = scoreBound(a[3]!);
    return this.zremWhere(a[1]!, (p) => inScore(p[1], min, max));
  }

  cmd_zremrangebyrank(a: readonly string[]): Reply {
    const start = intArg(a[2]!);
    const end = intArg(a[3]!);
    const z = this.get(a[1]!, 'zset');
    const r = clampRanks(start, end, z?.size ?? 0);
    return this.zremWhere(a[1]!, (_p, i) => r !== null && i >= r[0] && i <= r[1]);
  }

  cmd_zremrangebylex(a: readonly string[]): Reply {
    const min = lexBound(a[2]!);
    const max = lexBound(a[3]!);
    const z = this.get(a[1]!, 'zset');
    if (z !== undefined && new Set(z.values()).size > 1) {
      // Undefined over mixed scores: the servers may remove different members, so the model cannot follow.
      throw new Error('the generator sends ZREMRANGEBYLEX only to equal-score keys');
    }
    return this.zremWhere(a[1]!, (p) => inLex(p[0], min, max));
  }
}

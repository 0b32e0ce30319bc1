/**
 * List commands that take from one list and give to another or pick among several keys: LMOVE, RPOPLPUSH, LMPOP,
 * and the blocking forms BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP (built on server/blocking.ts).
 *
 * A blocking command first does what its non-blocking form would; only when every key is empty does it block
 * (or, inside MULTI/EXEC and scripts, reply as on timeout). When one of its keys receives a list, blocking.ts
 * runs the very same handler again, which then finds the data. Effects log: a served blocking command is
 * recorded as the non-blocking command it performed (BLPOP → LPOP key, BRPOP → RPOP key, BLMOVE → LMOVE,
 * BRPOPLPUSH → RPOPLPUSH, BLMPOP → LPOP/RPOP key count), as Redis propagates it.
 */
import { ERR, RedisError } from '../errors.js';
import { T } from '../keyspace/entry.js';
import { canBlock, timeoutArg } from '../server/blocking.js';
import type { Client } from '../server/client.js';
import { List } from '../types/list.js';
import { cstr, is, kw, parseInt64 } from './args.js';
import { listChanged, listFill, listShrank, replyPopped, writeList } from './lists.js';
import { defineGroup } from './spec.js';

/** LEFT (true) or RIGHT (false), else a syntax error. */
function sideArg(s: string): boolean {
  const v = cstr(s);
  if (is(v, 'left')) return true;
  if (is(v, 'right')) return false;
  throw new RedisError(ERR.syntax);
}

/**
 * LMOVE's body: pops from `src` (which must hold a list) and pushes to `dst`, replying the element. Replies null
 * when `src` is missing.
 */
function move(c: Client, src: string, dst: string, fromLeft: boolean, toLeft: boolean): void {
  const db = c.db;
  const se = writeList(db, src);
  if (se === undefined) return c.reply.nil();
  const de = writeList(db, dst);
  const sl = se.value as List;
  const v = fromLeft ? sl.popFront() : sl.popBack();
  // With src = dst the entry is the same one: the element goes back into it before the emptiness check below.
  let dl: List;
  if (de === undefined) {
    dl = new List();
    db.add(dst, T.List, dl);
  } else {
    dl = de.value as List;
  }
  dl.growing(listFill(c), v.length, 1);
  if (toLeft) dl.pushFront(v);
  else dl.pushBack(v);
  listChanged(c, dst, toLeft ? 'lpush' : 'rpush');
  c.reply.bulk(v);
  listShrank(c, se, fromLeft ? 'lpop' : 'rpop');
}

/**
 * The first non-empty list among `keys` (WRONGTYPE stops the search at a key of another type), popped as
 * BLPOP (count -1: [key, element]) or LMPOP/BLMPOP ([key, [elements]]). False when every key is missing.
 */
function popFirst(c: Client, keys: readonly string[], left: boolean, count: number): boolean {
  for (const key of keys) {
    const e = writeList(c.db, key);
    if (e === undefined) continue;
    const l = e.value as List;
    const r = c.reply;
    r.array(2);
    r.bulk(key);
    if (count < 0) r.bulk(left ? l.popFront() : l.popBack());
    else replyPopped(c, l, Math.min(count, l.length), left);
    listShrank(c, e, left ? 'lpop' : 'rpop');
    return true;
  }
  return false;
}

/** BLPOP / BRPOP key [key ...] timeout. */
function blockingPop(c: Client, argv: string[], left: boolean): void {
  const timeoutAt = timeoutArg(argv[argv.length - 1]!, c.server.ks.now);
  const keys = argv.slice(1, -1);
  if (popFirst(c, keys, left, -1)) return;
  if (!canBlock(c)) return c.reply.nilArray();
  c.server.blocking.block(c, argv, keys, T.List, timeoutAt);
}

/** BLMOVE / BRPOPLPUSH once sides and timeout are parsed. */
function blockingMove(c: Client, argv: string[], fromLeft: boolean, toLeft: boolean, timeoutAt: number): void {
  const src = argv[1]!;
  if (writeList(c.db, src) !== undefined) return move(c, src, argv[2]!, fromLeft, toLeft);
  // Not allowed to block: the reply of the non-blocking form (a null bulk, unlike the null array on timeout).
  if (!canBlock(c)) return c.reply.nil();
  c.server.blocking.block(c, argv, [src], T.List, timeoutAt);
}

/**
 * LMPOP / BLMPOP: numkeys key [key ...] LEFT|RIGHT [COUNT count], starting at `at`. For BLMPOP the timeout (argv[1])
 * is parsed after these options, as Redis does.
 */
function mpop(c: Client, argv: string[], at: number, blocking: boolean): void {
  const numkeys = parseInt64(argv[at]!);
  if (numkeys === null || numkeys < 1) throw new RedisError('ERR numkeys should be greater than 0');
  const whereAt = at + numkeys + 1;
  if (whereAt >= argv.length) throw new RedisError(ERR.syntax);
  const left = sideArg(argv[whereAt]!);
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && kw(cstr(argv[j]!)) === 'count' && j + 1 < argv.length) {
      const v = parseInt64(argv[++j]!);
      if (v === null || v < 1) throw new RedisError('ERR count should be greater than 0');
      count = v;
    } else {
      throw new RedisError(ERR.syntax);
    }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(at + 1, whereAt);
  if (!blocking) {
    if (!popFirst(c, keys, left, count)) c.reply.nilArray();
    return;
  }
  const timeoutAt = timeoutArg(argv[1]!, c.server.ks.now);
  if (popFirst(c, keys, left, count)) return;
  if (!canBlock(c)) return c.reply.nilArray();
  c.server.blocking.block(c, argv, keys, T.List, timeoutAt);
}

/** Key positions of LMPOP (`from` = 1) and BLMPOP (`from` = 2): numkeys, then that many keys. */
function mpopKeys(from: number): (argv: string[]) => number[] {
  return (argv) => {
    const n = parseInt64(argv[from] ?? '');
    if (n === null || n < 1 || n > argv.length - from - 1) return [];
    const out: number[] = [];
    for (let i = 1; i <= n; i++) out.push(from + i);
    return out;
  };
}

const SRC_DST = { first: 1, last: 2, step: 1 };

export const listMoveCommands = defineGroup('list', [
  {
    // LMOVE source destination LEFT|RIGHT LEFT|RIGHT
    name: 'lmove',
    arity: 5,
    flags: ['write', 'denyoom'],
    acl: ['list'],
    keys: SRC_DST,
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Pops an element from one end of a list and pushes it at one end of another (or the same) list.',
    since: '6.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      const fromLeft = sideArg(argv[3]!);
      const toLeft = sideArg(argv[4]!);
      move(c, argv[1]!, argv[2]!, fromLeft, toLeft);
    },
  },
  {
    // RPOPLPUSH source destination
    name: 'rpoplpush',
    arity: 3,
    flags: ['write', 'denyoom'],
    acl: ['list'],
    keys: SRC_DST,
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Pops the last element of a list and pushes it at the head of another (or the same) list.',
    since: '1.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      move(c, argv[1]!, argv[2]!, false, true);
    },
  },
  {
    // LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
    name: 'lmpop',
    arity: -4,
    flags: ['write'],
    acl: ['list'],
    getKeys: mpopKeys(1),
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Pops one or more elements from the first non-empty list among several keys.',
    since: '7.0.0',
    complexity: 'O(N+M) where N is the number of keys given and M the number of elements returned.',
    run(c, argv) {
      mpop(c, argv, 1, false);
    },
  },
  {
    // BLPOP key [key ...] timeout
    name: 'blpop',
    arity: -3,
    flags: ['write', 'noscript', 'blocking'],
    acl: ['list'],
    keys: { first: 1, last: -2, step: 1 },
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Pops the first element of the first non-empty list, waiting for one when all are empty.',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of keys given.',
    run(c, argv) {
      blockingPop(c, argv, true);
    },
  },
  {
    // BRPOP key [key ...] timeout
    name: 'brpop',
    arity: -3,
    flags: ['write', 'noscript', 'blocking'],
    acl: ['list'],
    keys: { first: 1, last: -2, step: 1 },
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Pops the last element of the first non-empty list, waiting for one when all are empty.',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of keys given.',
    run(c, argv) {
      blockingPop(c, argv, false);
    },
  },
  {
    // BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
    name: 'blmove',
    arity: 6,
    flags: ['write', 'denyoom', 'noscript', 'blocking'],
    acl: ['list'],
    keys: SRC_DST,
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Moves an element between lists like LMOVE, waiting for the source list to have one.',
    since: '6.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      const fromLeft = sideArg(argv[3]!);
      const toLeft = sideArg(argv[4]!);
      blockingMove(c, argv, fromLeft, toLeft, timeoutArg(argv[5]!, c.server.ks.now));
    },
  },
  {
    // BRPOPLPUSH source destination timeout
    name: 'brpoplpush',
    arity: 4,
    flags: ['write', 'denyoom', 'noscript', 'blocking'],
    acl: ['list'],
    keys: SRC_DST,
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Moves the last element of a list to the head of another like RPOPLPUSH, waiting for one if needed.',
    since: '2.2.0',
    complexity: 'O(1)',
    run(c, argv) {
      blockingMove(c, argv, false, true, timeoutArg(argv[3]!, c.server.ks.now));
    },
  },
  {
    // BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
    name: 'blmpop',
    arity: -5,
    flags: ['write', 'blocking'],
    acl: ['list'],
    getKeys: mpopKeys(2),
    keySpecFlags: ['RW', 'access', 'delete'],
    summary: 'Pops elements from the first non-empty list among several keys like LMPOP, waiting when all are empty.',
    since: '7.0.0',
    complexity: 'O(N+M) where N is the number of keys given and M the number of elements returned.',
    run(c, argv) {
      mpop(c, argv, 2, true);
    },
  },
]);

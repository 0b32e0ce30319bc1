/**
 * Looking at values without changing them: OBJECT (encoding, refcount, idle time, frequency) and MEMORY (usage of
 * one key, stats, doctor). The encoding and size rules also serve DEBUG OBJECT. None of these update a key's access
 * time: they go through `db.peek`.
 */
import { ERR, RedisError } from '../errors.js';
import { T, TYPE_NAMES, type Entry } from '../keyspace/entry.js';
import type { Reply } from '../protocol/reply.js';
import type { Config } from '../server/config.js';
import type { Server } from '../server/server.js';
import { HashValue } from '../types/hash.js';
import { List } from '../types/list.js';
import { MutableString } from '../types/mutable-string.js';
import { SortedSet } from '../types/sorted-set.js';
import { SetValue } from '../types/set.js';
import { intArg, kw } from './args.js';
import { replyHelp, subcommands } from './introspection.js';
import { defineGroup } from './spec.js';
import { stringEncoding } from './strings.js';

/** OBJECT ENCODING for any entry. Each collection type adds its case here when it lands (see keyspace/clone.ts). */
export function objectEncoding(e: Entry, _config: Config): string {
  switch (e.type) {
    case T.String:
      return stringEncoding(e.value);
    case T.List:
      return (e.value as List).encoding;
    case T.ZSet:
      return (e.value as SortedSet).encoding;
    case T.Set:
      return (e.value as SetValue).encoding;
    case T.Hash:
      return (e.value as HashValue).encoding;
    default:
      throw new Error(`objectEncoding: no encoding rule for type ${TYPE_NAMES[e.type] ?? e.type}`);
  }
}

/** Redis shares the integer objects 0..9999 (refcount INT_MAX) unless an LRU/LFU maxmemory policy needs per-key data. */
export function refcount(e: Entry, config: Config): number {
  if (e.type !== T.String || typeof e.value !== 'string') return 1;
  const policy = config.get('maxmemory-policy');
  const noShared = config.get('maxmemory') !== '0' && (policy.endsWith('-lru') || policy.endsWith('-lfu'));
  if (noShared || stringEncoding(e.value) !== 'int') return 1;
  const n = Number(e.value);
  return n >= 0 && n < 10000 ? 2147483647 : 1;
}

/** Idle time as Redis computes it: the difference of two whole-second LRU clock readings. */
export function idleSeconds(e: Entry, now: number): number {
  return Math.max(0, Math.floor(now / 1000) - Math.floor(e.atime / 1000));
}

export function lfuPolicy(config: Config): boolean {
  return config.get('maxmemory-policy').endsWith('-lfu');
}

// ---- Memory estimates (V8 on 64-bit without pointer compression, as Node ships) ----

const align8 = (n: number) => (n + 7) & ~7;
/** A sequential one-byte string: map, hash and length words, then the bytes. */
export const stringBytes = (s: string) => align8(16 + s.length);
/** JSTypedArray + ArrayBuffer objects around a backing store. */
const TYPED_ARRAY_OVERHEAD = 128;
/** Entry object: header (3 words) + 7 fields, plus the boxed doubles for atime and expireAt. */
const ENTRY_BYTES = 24 + 7 * 8 + 2 * 16;
/** Per key in a database: Map entry (key, value, chain + bucket share) and its slot. */
const DB_SLOT_BYTES = 28 + 8;
/** Per volatile key: Set entry and expiry-heap item. */
const VOLATILE_BYTES = 20 + 16;

/**
 * Estimated heap bytes held by a JS value, for types without a precise rule. Collections bigger than `samples`
 * (0 = no limit) are measured on their first `samples` elements and extrapolated, like Redis's MEMORY USAGE.
 */
export function valueBytes(v: unknown, samples: number, depth = 0, seen: WeakSet<object> = new WeakSet()): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 0;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? 0 : 16;
  if (typeof v === 'string') return stringBytes(v);
  if (typeof v === 'bigint') return 16 + 8 * Math.ceil(v.toString(16).length / 16);
  if (typeof v !== 'object') return 0;
  if (seen.has(v)) return 0;
  seen.add(v);
  if (v instanceof MutableString) return 40 + TYPED_ARRAY_OVERHEAD + v.capacity;
  if (v instanceof List) {
    // The deque object and its slot array, plus the element strings (sampled from the head and extrapolated).
    const n = v.length;
    const k = samples > 0 ? Math.min(samples, n) : n;
    let bytes = 0;
    for (let i = 0; i < k; i++) bytes += stringBytes(v.at(i));
    return 64 + 16 + v.capacity * 8 + (k > 0 ? Math.round((bytes / k) * n) : 0);
  }
  if (v instanceof SortedSet) return zsetBytes(v, samples);
  if (ArrayBuffer.isView(v)) return TYPED_ARRAY_OVERHEAD + v.byteLength;
  if (depth > 6) return 24;
  const sampled = (size: number, items: Iterable<unknown>, perItem: number, fixed: number): number => {
    let n = 0;
    let bytes = 0;
    for (const x of items) {
      if (samples > 0 && n >= samples) break;
      bytes += valueBytes(x, samples, depth + 1, seen);
      n++;
    }
    const avg = n > 0 ? bytes / n : 0;
    return fixed + Math.round(size * (perItem + avg));
  };
  if (Array.isArray(v)) return sampled(v.length, v, 8, 32);
  if (v instanceof Map) {
    // Each pair is counted as its key and its value.
    let n = 0;
    let bytes = 0;
    for (const [k, x] of v) {
      if (samples > 0 && n >= samples) break;
      bytes += valueBytes(k, samples, depth + 1, seen) + valueBytes(x, samples, depth + 1, seen);
      n++;
    }
    return 40 + Math.round(v.size * (28 + (n > 0 ? bytes / n : 0)));
  }
  if (v instanceof Set) return sampled(v.size, v, 20, 40);
  // A plain object or class instance: its own properties.
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  return sampled(keys.length, (function* () {
    for (const k of keys) yield o[k];
  })(), 8, 24);
}

/**
 * Per sorted set member: its place in the B+tree leaves (member reference and unboxed score, leaves ~3/4 full),
 * its Map entry, its {score, slot} record and its slot; the member strings are measured on the first `samples`
 * members and extrapolated.
 */
const ZNODE_BYTES = Math.round((8 + 8) / 0.75) + 28 + 32 + 8;

function zsetBytes(zs: SortedSet, samples: number): number {
  let n = 0;
  let bytes = 0;
  for (const [m] of zs.entries()) {
    if (samples > 0 && n >= samples) break;
    bytes += stringBytes(m);
    n++;
  }
  return 256 + Math.round(zs.size * (ZNODE_BYTES + (n > 0 ? bytes / n : 0)));
}

/** MEMORY USAGE: the key's bytes in this process — key string, entry object, value and index overhead. */
export function entryBytes(e: Entry, samples: number): number {
  let n = DB_SLOT_BYTES + ENTRY_BYTES + stringBytes(e.key);
  if (e.expireAt !== 0) n += VOLATILE_BYTES;
  return n + valueBytes(e.value, samples);
}

/** Heap figures behind INFO memory and MEMORY STATS. */
export interface MemoryFigures {
  used: number;
  rss: number;
  peak: number;
  startup: number;
  heapTotal: number;
  clients: number;
}

export function memoryFigures(server: Server): MemoryFigures {
  const m = process.memoryUsage();
  const used = m.heapUsed + m.external;
  if (used > server.memPeak) server.memPeak = used;
  let clients = 0;
  for (const c of server.clients.values()) clients += c.memoryBytes();
  return { used, rss: m.rss, peak: server.memPeak, startup: server.memStartup, heapTotal: m.heapTotal + m.external, clients };
}

/** MEMORY DOCTOR: a short report of what looks wrong, in our own words. */
function doctorReport(server: Server): string {
  const f = memoryFigures(server);
  // Like Redis, say nothing about an instance holding almost no data: the runtime's own overhead dominates.
  if (f.used - f.startup < 5 * 1024 * 1024) {
    return "This instance stores too little data for a meaningful memory report: the runtime's own overhead dominates. Ask again once it holds more data.\n";
  }
  const issues: string[] = [];
  if (f.peak > f.used * 1.5) {
    issues.push(
      `* Peak memory: the heap once held ${human(f.peak)}, ${(f.peak / f.used).toFixed(2)} times today's ${human(f.used)}. The process keeps some of that from the system until the garbage collector shrinks the heap.`,
    );
  }
  if (f.rss > f.used * 1.4 && f.rss - f.used > 10 * 1024 * 1024) {
    issues.push(
      `* High resident overhead: the process uses ${human(f.rss)} of RAM for ${human(f.used)} of live data (${(f.rss / f.used).toFixed(2)}x), mostly free heap pages and the runtime itself.`,
    );
  }
  if (f.clients > 200 * 1024 * 1024) {
    issues.push(`* Client buffers hold ${human(f.clients)}: some clients send large pipelines or read their replies slowly.`);
  }
  if (issues.length === 0) return 'No memory problems found: the heap, its peak and the resident size look healthy.\n';
  return `Memory report:\n\n${issues.join('\n\n')}\n`;
}

/** Bytes with Redis's human units (B, K, M, G, T) and two decimals. */
export function human(n: number): string {
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n}B` : `${v.toFixed(2)}${units[u]}`;
}

/** The key argument of an OBJECT subcommand, inspected without touching its access time. */
function objectKey(c: { db: { peek(k: string): Entry | undefined } }, argv: string[]): Entry | undefined {
  return c.db.peek(argv[2]!);
}

const LFU_SELECTED =
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const LFU_NOT_SELECTED =
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Reply with the internal representation of the value at <key>.',
  'FREQ <key>',
  '    Reply with the logarithmic access-frequency counter of <key> (LFU policies only).',
  'IDLETIME <key>',
  '    Reply with the seconds since <key> was last read or written (not under LFU policies).',
  'REFCOUNT <key>',
  '    Reply with the number of references to the value at <key>.',
];

const KEY_ARG = { first: 2, last: 2, step: 1 };

export const objectCommands = defineGroup('generic', [
  {
    // OBJECT <subcommand>
    name: 'object',
    arity: -2,
    flags: [],
    acl: [],
    summary: 'Container for the commands that inspect how a value is stored.',
    since: '2.2.3',
    complexity: 'Depends on subcommand.',
    subcommands: subcommands([
      {
        // OBJECT ENCODING key
        name: 'encoding',
        arity: 3,
        flags: ['readonly'],
        acl: ['keyspace'],
        keys: KEY_ARG,
        keySpecFlags: ['RO'],
        tips: ['nondeterministic_output'],
        summary: 'Returns the internal representation of a value.',
        since: '2.2.3',
        complexity: 'O(1)',
        run(c, argv) {
          const e = objectKey(c, argv);
          if (e === undefined) c.reply.nil();
          else c.reply.bulk(objectEncoding(e, c.server.config));
        },
      },
      {
        // OBJECT FREQ key
        name: 'freq',
        arity: 3,
        flags: ['readonly'],
        acl: ['keyspace'],
        keys: KEY_ARG,
        keySpecFlags: ['RO'],
        tips: ['nondeterministic_output'],
        summary: 'Returns the logarithmic access-frequency counter of a key.',
        since: '4.0.0',
        complexity: 'O(1)',
        run(c, argv) {
          const e = objectKey(c, argv);
          if (e === undefined) return c.reply.nil();
          if (!lfuPolicy(c.server.config)) throw new RedisError(LFU_NOT_SELECTED);
          c.reply.int(e.freq);
        },
      },
      {
        // OBJECT IDLETIME key
        name: 'idletime',
        arity: 3,
        flags: ['readonly'],
        acl: ['keyspace'],
        keys: KEY_ARG,
        keySpecFlags: ['RO'],
        tips: ['nondeterministic_output'],
        summary: 'Returns the seconds since a key was last accessed.',
        since: '2.2.3',
        complexity: 'O(1)',
        run(c, argv) {
          const e = objectKey(c, argv);
          if (e === undefined) return c.reply.nil();
          if (lfuPolicy(c.server.config)) throw new RedisError(LFU_SELECTED);
          c.reply.int(idleSeconds(e, c.server.ks.now));
        },
      },
      {
        // OBJECT REFCOUNT key
        name: 'refcount',
        arity: 3,
        flags: ['readonly'],
        acl: ['keyspace'],
        keys: KEY_ARG,
        keySpecFlags: ['RO'],
        tips: ['nondeterministic_output'],
        summary: 'Returns the reference count of the value of a key.',
        since: '2.2.3',
        complexity: 'O(1)',
        run(c, argv) {
          const e = objectKey(c, argv);
          if (e === undefined) c.reply.nil();
          else c.reply.int(refcount(e, c.server.config));
        },
      },
      {
        // OBJECT HELP
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        acl: ['keyspace'],
        summary: 'Describes the OBJECT subcommands.',
        since: '6.2.0',
        complexity: 'O(1)',
        run(c) {
          replyHelp(c, 'OBJECT', OBJECT_HELP);
        },
      },
    ]),
  },
]);

const MEMORY_HELP = [
  'DOCTOR',
  '    Report memory problems, if any.',
  'MALLOC-STATS',
  '    Report allocator statistics (not available: V8 manages the heap).',
  'PURGE',
  '    Ask the garbage collector to return free memory, when the process allows it.',
  'STATS',
  '    Reply with a breakdown of the memory the server uses.',
  'USAGE <key> [SAMPLES <count>]',
  '    Reply with the estimated bytes held by <key> and its value. Collections are measured',
  '    on <count> sampled elements (default 5, 0 for all) and extrapolated.',
];

export const memoryCommands = defineGroup('server', [
  {
    // MEMORY <subcommand>
    name: 'memory',
    arity: -2,
    flags: [],
    acl: [],
    summary: 'Container for the memory diagnostics commands.',
    since: '4.0.0',
    complexity: 'Depends on subcommand.',
    subcommands: subcommands([
      {
        // MEMORY USAGE key [SAMPLES count]
        name: 'usage',
        arity: -3,
        flags: ['readonly'],
        acl: [],
        keys: KEY_ARG,
        keySpecFlags: ['RO'],
        summary: 'Estimates the bytes a key and its value use.',
        since: '4.0.0',
        complexity: 'O(N) where N is the number of samples.',
        run(c, argv) {
          let samples = 5;
          for (let k = 3; k < argv.length; k++) {
            if (kw(argv[k]!) === 'samples' && k + 1 < argv.length) {
              samples = intArg(argv[++k]!);
              if (samples < 0) throw new RedisError(ERR.syntax);
            } else {
              throw new RedisError(ERR.syntax);
            }
          }
          const e = c.db.peek(argv[2]!);
          if (e === undefined) c.reply.nil();
          else c.reply.int(entryBytes(e, samples));
        },
      },
      {
        // MEMORY STATS
        name: 'stats',
        arity: 2,
        flags: [],
        acl: [],
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        summary: 'Returns a breakdown of the server memory use.',
        since: '4.0.0',
        complexity: 'O(1)',
        run(c) {
          replyMemoryStats(c.server, c.reply);
        },
      },
      {
        // MEMORY DOCTOR
        name: 'doctor',
        arity: 2,
        flags: [],
        acl: [],
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        summary: 'Reports memory problems, if any.',
        since: '4.0.0',
        complexity: 'O(1)',
        run(c) {
          c.reply.verbatim(doctorReport(c.server));
        },
      },
      {
        // MEMORY MALLOC-STATS
        name: 'malloc-stats',
        arity: 2,
        flags: [],
        acl: [],
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        summary: 'Returns allocator statistics, when the allocator provides them.',
        since: '4.0.0',
        complexity: 'Depends on how much memory is allocated, could be slow',
        run(c) {
          // What Redis replies when built without jemalloc: V8's heap has no such report.
          c.reply.verbatim('Stats not supported for the current allocator');
        },
      },
      {
        // MEMORY PURGE
        name: 'purge',
        arity: 2,
        flags: [],
        acl: [],
        tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
        summary: 'Asks the runtime to release free memory.',
        since: '4.0.0',
        complexity: 'Depends on how much memory is allocated, could be slow',
        run(c) {
          // A full collection is only possible when node runs with --expose-gc; otherwise V8 decides alone.
          const gc = (globalThis as { gc?: () => void }).gc;
          if (typeof gc === 'function') gc();
          c.reply.ok();
        },
      },
      {
        // MEMORY HELP
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        acl: [],
        summary: 'Describes the MEMORY subcommands.',
        since: '4.0.0',
        complexity: 'O(1)',
        run(c) {
          replyHelp(c, 'MEMORY', MEMORY_HELP);
        },
      },
    ]),
  },
]);

/** MEMORY STATS: Redis's field names, filled with the V8 heap's figures. */
function replyMemoryStats(server: Server, r: Reply): void {
  const f = memoryFigures(server);
  const dbs = server.ks.dbs.filter((db) => db.size > 0);
  const keys = server.ks.totalKeys();
  let overheadDb = 0;
  for (const db of dbs) overheadDb += db.size * DB_SLOT_BYTES + db.volatile.size * VOLATILE_BYTES;
  const overhead = f.startup + f.clients + overheadDb;
  const dataset = Math.max(0, f.used - overhead);
  const net = Math.max(1, f.used - f.startup);
  const fields: [string, number][] = [
    ['peak.allocated', f.peak],
    ['total.allocated', f.used],
    ['startup.allocated', f.startup],
    ['replication.backlog', 0],
    ['clients.slaves', 0],
    ['clients.normal', f.clients],
    ['cluster.links', 0],
    ['aof.buffer', 0],
    ['lua.caches', 0],
    ['functions.caches', 0],
  ];
  const tail: [string, number, boolean][] = [
    ['overhead.total', overhead, false],
    ['keys.count', keys, false],
    ['keys.bytes-per-key', keys > 0 ? Math.floor(net / keys) : 0, false],
    ['dataset.bytes', dataset, false],
    ['dataset.percentage', (dataset * 100) / net, true],
    ['peak.percentage', (f.used * 100) / Math.max(1, f.peak), true],
    ['allocator.allocated', f.used, false],
    ['allocator.active', f.heapTotal, false],
    ['allocator.resident', f.rss, false],
    ['allocator-fragmentation.ratio', f.heapTotal / Math.max(1, f.used), true],
    ['allocator-fragmentation.bytes', f.heapTotal - f.used, false],
    ['allocator-rss.ratio', f.rss / Math.max(1, f.heapTotal), true],
    ['allocator-rss.bytes', f.rss - f.heapTotal, false],
    ['rss-overhead.ratio', 1, true],
    ['rss-overhead.bytes', 0, false],
    ['fragmentation', f.rss / Math.max(1, f.used), true],
    ['fragmentation.bytes', f.rss - f.used, false],
  ];
  r.map(fields.length + dbs.length + tail.length);
  for (const [k, v] of fields) {
    r.bulk(k);
    r.int(v);
  }
  for (const db of dbs) {
    r.bulk(`db.${db.id}`);
    r.map(3);
    r.bulk('overhead.hashtable.main');
    r.int(db.size * DB_SLOT_BYTES);
    r.bulk('overhead.hashtable.expires');
    r.int(db.volatile.size * VOLATILE_BYTES);
    // Only cluster mode keeps a slot-to-keys index.
    r.bulk('overhead.hashtable.slot-to-keys');
    r.int(0);
  }
  for (const [k, v, isDouble] of tail) {
    r.bulk(k);
    if (isDouble) r.double(v);
    else r.int(v);
  }
}

/**
 * Configuration: redis.conf directives (from a file, from `--name value` flags, from CONFIG SET), one table of
 * parameters with their type, default and mutability. CONFIG GET/SET, CONFIG REWRITE and start-up all read it.
 *
 * Types, bounds and error texts follow Redis 7's config.c so CONFIG SET fails with the same message for the same
 * input. Only parameters Strata honours, or whose reported value is true of Strata, are listed (no TLS, cluster
 * or replica-side knobs beyond the ones below).
 */
import { matchGlob } from '../util/glob.js';

type Kind = 'bool' | 'int' | 'memory' | 'string' | 'enum' | 'special';

export interface ParamDef {
  name: string;
  kind: Kind;
  default: string;
  /** `mutable`: CONFIG SET works; `immutable`: start-up only; `protected`: CONFIG SET only as enable-protected-configs allows. */
  mode: 'mutable' | 'immutable' | 'protected';
  /** Inclusive bounds of int and memory parameters. */
  min?: bigint;
  max?: bigint;
  values?: readonly string[];
  /** Other names of the same parameter (Redis 7 keeps the pre-listpack and slave-* names). */
  aliases?: readonly string[];
  /** Directive taking several words in a config file (`save 900 1`, `bind a b`), joined with spaces. */
  multi?: boolean;
  /** Memory parameter that also takes a percentage (`maxmemory-clients 10%`). */
  percent?: boolean;
  /** Unsigned 64-bit memory value (maxmemory): wraps like Redis's unsigned long long instead of failing. */
  unsigned?: boolean;
  /** Extra validation / normalization after the kind's own (`current`: the value now set); throws ConfigError. */
  check?: (v: string, current: string | undefined) => string;
  /** How CONFIG REWRITE writes the value: 'quoted' strings, 'memory' units, 'save' lines. */
  rewrite?: 'quoted' | 'memory' | 'save' | 'plain';
}

export class ConfigError extends Error {}

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const UINT_MAX = 4294967295n;
const LLONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;

type Opts = Partial<ParamDef>;
const b = (name: string, def: 'yes' | 'no', o: Opts = {}): ParamDef => ({ name, kind: 'bool', default: def, mode: 'mutable', ...o });
const i = (name: string, def: number, min: bigint, max: bigint, o: Opts = {}): ParamDef => ({
  name,
  kind: 'int',
  default: String(def),
  mode: 'mutable',
  min,
  max,
  ...o,
});
const mem = (name: string, def: string, min: bigint, max: bigint, o: Opts = {}): ParamDef => ({
  name,
  kind: 'memory',
  default: def,
  mode: 'mutable',
  min,
  max,
  rewrite: 'memory',
  ...o,
});
const s = (name: string, def: string, o: Opts = {}): ParamDef => ({ name, kind: 'string', default: def, mode: 'mutable', rewrite: 'quoted', ...o });
const e = (name: string, def: string, values: readonly string[], o: Opts = {}): ParamDef => ({
  name,
  kind: 'enum',
  default: def,
  mode: 'mutable',
  values,
  ...o,
});
const special = (name: string, def: string, check: (v: string, current: string | undefined) => string, o: Opts = {}): ParamDef => ({
  name,
  kind: 'special',
  default: def,
  mode: 'mutable',
  check,
  ...o,
});
const IMMUTABLE: Opts = { mode: 'immutable' };

/** Redis's strtoll as `save` uses it: optional leading blanks and sign, digits, nothing after. */
function strtollWhole(t: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)$/.exec(t);
  if (!m) return null;
  if (m[2] === '') return t.length === 0 ? 0 : null;
  return Number(m[1] === '-' ? -m[2]! : m[2]);
}

/** `save "<seconds> <changes> …"`: split on single spaces, seconds ≥ 1, changes ≥ 0. */
function checkSave(v: string): string {
  if (v === '') return '';
  const parts = v.split(' ');
  if (parts.length % 2 !== 0) throw new ConfigError('Invalid save parameters');
  const out: number[] = [];
  for (let k = 0; k < parts.length; k++) {
    const n = strtollWhole(parts[k]!);
    if (n === null || (k % 2 === 0 && n < 1) || (k % 2 === 1 && n < 0)) throw new ConfigError('Invalid save parameters');
    out.push(n);
  }
  return out.join(' ');
}

const OBUF_CLASSES = ['normal', 'slave', 'pubsub'] as const;

/** `client-output-buffer-limit <class> <hard> <soft> <seconds> …`: the classes given replace the current ones. */
function checkObuf(v: string, current: string | undefined): string {
  const parts = v.split(' ').filter((x) => x !== '');
  if (parts.length % 4 !== 0) throw new ConfigError('Wrong number of arguments in buffer limit configuration.');
  const limits = new Map<string, string[]>();
  const cur = (current ?? '').split(' ');
  for (let k = 0; k + 3 < cur.length; k += 4) limits.set(cur[k]!, cur.slice(k + 1, k + 4));
  for (let k = 0; k < parts.length; k += 4) {
    let cls = parts[k]!.toLowerCase();
    if (cls === 'replica') cls = 'slave';
    if (!(OBUF_CLASSES as readonly string[]).includes(cls)) {
      throw new ConfigError('Invalid client class specified in buffer limit configuration.');
    }
    const hard = parseMemoryStrict(parts[k + 1]!);
    const soft = parseMemoryStrict(parts[k + 2]!);
    const secs = strtollWhole(parts[k + 3]!);
    if (hard === null || soft === null || secs === null || secs < 0) {
      throw new ConfigError('Error in hard, soft or soft_seconds setting in buffer limit configuration.');
    }
    limits.set(cls, [String(hard), String(soft), String(secs)]);
  }
  return OBUF_CLASSES.map((c) => `${c} ${(limits.get(c) ?? ['0', '0', '0']).join(' ')}`).join(' ');
}

/** Keyspace notification classes, normalized the way Redis prints them back. */
function checkNotify(v: string): string {
  const all = 'g$lshzxetd';
  const set = new Set<string>();
  for (const ch of v) {
    if (ch === 'A') for (const x of all) set.add(x);
    else if ('g$lshzxetdnKEm'.includes(ch)) set.add(ch);
    else throw new ConfigError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  }
  let out = '';
  // Like Redis, 'A' stands for every class but 'n' and 'm', and 'n' is not printed next to it.
  if ([...all].every((x) => set.has(x))) out = 'A';
  else for (const x of 'g$lshzxetdn') if (set.has(x)) out += x;
  for (const x of 'KEm') if (set.has(x)) out += x;
  return out;
}

function checkPercentiles(v: string): string {
  if (v === '') return '';
  const parts = v.split(' ');
  const out: string[] = [];
  for (const p of parts) {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(p)) throw new ConfigError('Invalid latency-tracking-info-percentiles parameters');
    const n = Number(p);
    if (n < 0 || n > 100) throw new ConfigError('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
    out.push(String(n));
  }
  return out.join(' ');
}

/** Addresses for `bind`: one or more words; `*` and `::*` are wildcards, a leading '-' marks an optional address. */
function checkBind(v: string): string {
  const parts = v.split(' ').filter((x) => x !== '');
  if (parts.length === 0 || parts.length > 16) throw new ConfigError('Too many bind addresses specified.');
  return parts.join(' ');
}

/** A value that is only true of Strata when it is 'no' (Strata cannot daemonize or run a cluster). */
const onlyNo = (what: string) => (v: string) => {
  if (v === 'yes') throw new ConfigError(`${what} is not supported by Strata`);
  return v;
};

/** Parameters Strata understands. Each one here is honoured by the server or reported faithfully. */
export const PARAMS: ParamDef[] = [
  // Network and clients
  i('port', 6379, 0n, 65535n, IMMUTABLE),
  special('bind', '* -::*', checkBind, { mode: 'immutable', multi: true, rewrite: 'plain' }),
  b('protected-mode', 'yes'),
  i('tcp-backlog', 511, 0n, INT_MAX, IMMUTABLE),
  i('timeout', 0, 0n, INT_MAX),
  i('tcp-keepalive', 300, 0n, INT_MAX),
  i('maxclients', 10000, 1n, UINT_MAX),
  mem('client-query-buffer-limit', '1gb', 1048576n, LLONG_MAX),
  mem('proto-max-bulk-len', '512mb', 1048576n, LLONG_MAX),
  mem('maxmemory-clients', '0', 0n, LLONG_MAX, { percent: true }),
  special('client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', checkObuf, {
    multi: true,
    rewrite: 'plain',
  }),
  // General
  i('databases', 16, 1n, INT_MAX, IMMUTABLE),
  s('dir', './data', { mode: 'protected' }),
  e('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning', 'nothing']),
  s('logfile', '', IMMUTABLE),
  b('daemonize', 'no', { mode: 'immutable', check: onlyNo('daemonize') }),
  s('pidfile', '', IMMUTABLE),
  i('hz', 10, 0n, INT_MAX, { check: (v) => String(Math.min(500, Math.max(1, Number(v)))) }),
  b('dynamic-hz', 'yes'),
  b('always-show-logo', 'no', IMMUTABLE),
  b('set-proc-title', 'yes', IMMUTABLE),
  s('proc-title-template', '{title} {listen-addr} {server-mode}'),
  b('syslog-enabled', 'no', IMMUTABLE),
  s('syslog-ident', 'redis', IMMUTABLE),
  s('syslog-facility', 'local0', IMMUTABLE),
  b('crash-log-enabled', 'yes'),
  b('crash-memcheck-enabled', 'yes'),
  s('locale-collate', ''),
  // Security
  s('requirepass', ''),
  s('masterauth', ''),
  s('masteruser', ''),
  s('aclfile', '', IMMUTABLE),
  i('acllog-max-len', 128, 0n, LLONG_MAX),
  e('acl-pubsub-default', 'resetchannels', ['allchannels', 'resetchannels']),
  e('enable-debug-command', 'local', ['no', 'yes', 'local'], IMMUTABLE),
  e('enable-module-command', 'no', ['no', 'yes', 'local'], IMMUTABLE),
  e('enable-protected-configs', 'no', ['no', 'yes', 'local'], IMMUTABLE),
  // Memory
  mem('maxmemory', '0', 0n, ULLONG_MAX, { unsigned: true }),
  e('maxmemory-policy', 'noeviction', [
    'volatile-lru',
    'volatile-lfu',
    'volatile-random',
    'volatile-ttl',
    'allkeys-lru',
    'allkeys-lfu',
    'allkeys-random',
    'noeviction',
  ]),
  i('maxmemory-samples', 5, 1n, INT_MAX),
  i('maxmemory-eviction-tenacity', 10, 0n, 100n),
  i('lfu-log-factor', 10, 0n, INT_MAX),
  i('lfu-decay-time', 1, 0n, INT_MAX),
  b('lazyfree-lazy-eviction', 'no'),
  b('lazyfree-lazy-expire', 'no'),
  b('lazyfree-lazy-server-del', 'no'),
  b('lazyfree-lazy-user-del', 'no'),
  b('lazyfree-lazy-user-flush', 'no'),
  // The V8 heap is compacted by the garbage collector; there is no allocator-level defragmenter to switch on.
  b('activedefrag', 'no', {
    check: (v) => {
      if (v === 'yes') {
        throw new ConfigError(
          'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution',
        );
      }
      return v;
    },
  }),
  mem('active-defrag-ignore-bytes', '100mb', 1n, LLONG_MAX),
  i('active-defrag-threshold-lower', 10, 0n, 1000n),
  i('active-defrag-threshold-upper', 100, 0n, 1000n),
  i('active-defrag-cycle-min', 1, 1n, 99n),
  i('active-defrag-cycle-max', 25, 1n, 99n),
  i('active-defrag-max-scan-fields', 1000, 1n, LLONG_MAX),
  b('activerehashing', 'yes'),
  i('active-expire-effort', 1, 1n, 10n),
  // Persistence
  special('save', '3600 1 300 100 60 10000', checkSave, { multi: true, rewrite: 'save' }),
  s('dbfilename', 'dump.rdb', {
    mode: 'protected',
    check: (v) => {
      if (v.includes('/')) throw new ConfigError("dbfilename can't be a path, just a filename");
      return v;
    },
  }),
  b('rdbcompression', 'yes'),
  b('rdbchecksum', 'yes', IMMUTABLE),
  b('stop-writes-on-bgsave-error', 'yes'),
  b('rdb-del-sync-files', 'no'),
  b('rdb-save-incremental-fsync', 'yes'),
  e('sanitize-dump-payload', 'no', ['no', 'yes', 'clients']),
  b('appendonly', 'no'),
  s('appendfilename', 'appendonly.aof', IMMUTABLE),
  s('appenddirname', 'appendonlydir', IMMUTABLE),
  e('appendfsync', 'everysec', ['everysec', 'always', 'no']),
  b('no-appendfsync-on-rewrite', 'no'),
  i('auto-aof-rewrite-percentage', 100, 0n, INT_MAX),
  mem('auto-aof-rewrite-min-size', '64mb', 0n, LLONG_MAX),
  b('aof-load-truncated', 'yes'),
  b('aof-use-rdb-preamble', 'yes'),
  b('aof-timestamp-enabled', 'no'),
  b('aof-rewrite-incremental-fsync', 'yes'),
  b('aof-disable-auto-gc', 'no'),
  // Data structure thresholds (OBJECT ENCODING)
  i('hash-max-listpack-entries', 512, 0n, LLONG_MAX, { aliases: ['hash-max-ziplist-entries'] }),
  mem('hash-max-listpack-value', '64', 0n, LLONG_MAX, { aliases: ['hash-max-ziplist-value'] }),
  i('list-max-listpack-size', -2, INT_MIN, INT_MAX, { aliases: ['list-max-ziplist-size'] }),
  i('list-compress-depth', 0, 0n, INT_MAX),
  i('set-max-intset-entries', 512, 0n, LLONG_MAX),
  i('set-max-listpack-entries', 128, 0n, LLONG_MAX),
  mem('set-max-listpack-value', '64', 0n, LLONG_MAX),
  i('zset-max-listpack-entries', 128, 0n, LLONG_MAX, { aliases: ['zset-max-ziplist-entries'] }),
  mem('zset-max-listpack-value', '64', 0n, LLONG_MAX, { aliases: ['zset-max-ziplist-value'] }),
  mem('hll-sparse-max-bytes', '3000', 0n, LLONG_MAX),
  mem('stream-node-max-bytes', '4096', 0n, LLONG_MAX),
  i('stream-node-max-entries', 100, 0n, LLONG_MAX),
  // Scripting, events, diagnostics
  i('busy-reply-threshold', 5000, 0n, LLONG_MAX, { aliases: ['lua-time-limit'] }),
  special('notify-keyspace-events', '', checkNotify, { rewrite: 'quoted' }),
  i('slowlog-log-slower-than', 10000, -1n, LLONG_MAX),
  i('slowlog-max-len', 128, 0n, LLONG_MAX),
  i('latency-monitor-threshold', 0, 0n, LLONG_MAX),
  b('latency-tracking', 'yes'),
  special('latency-tracking-info-percentiles', '50 99 99.9', checkPercentiles, { multi: true, rewrite: 'plain' }),
  i('tracking-table-max-keys', 1000000, 0n, LLONG_MAX),
  // Replication (Strata is always a primary without replicas; these only describe how a replica would behave)
  b('replica-read-only', 'yes', { aliases: ['slave-read-only'] }),
  b('replica-serve-stale-data', 'yes', { aliases: ['slave-serve-stale-data'] }),
  b('replica-lazy-flush', 'no', { aliases: ['slave-lazy-flush'] }),
  b('replica-ignore-maxmemory', 'yes', { aliases: ['slave-ignore-maxmemory'] }),
  i('replica-priority', 100, 0n, INT_MAX, { aliases: ['slave-priority'] }),
  i('repl-timeout', 60, 1n, INT_MAX),
  i('repl-ping-replica-period', 10, 1n, INT_MAX, { aliases: ['repl-ping-slave-period'] }),
  mem('repl-backlog-size', '1mb', 1n, LLONG_MAX),
  i('repl-backlog-ttl', 3600, 0n, LLONG_MAX),
  b('repl-diskless-sync', 'yes'),
  i('repl-diskless-sync-delay', 5, 0n, INT_MAX),
  e('repl-diskless-load', 'disabled', ['disabled', 'on-empty-db', 'swapdb']),
  b('cluster-enabled', 'no', { mode: 'immutable', check: onlyNo('cluster mode') }),
  i('io-threads', 1, 1n, 128n, IMMUTABLE),
  b('io-threads-do-reads', 'no', IMMUTABLE),
  // Strata's own: object storage and persistence cadence
  s('store', ''),
  i('flush-interval', 1000, 1n, 3600000n),
  mem('flush-bytes', '8mb', 0n, LLONG_MAX),
];

/** Every name (aliases included), lower-case, to its definition. */
const BY_NAME = new Map<string, ParamDef>();
for (const p of PARAMS) {
  BY_NAME.set(p.name, p);
  for (const a of p.aliases ?? []) BY_NAME.set(a, p);
}

const UNITS: Record<string, bigint> = { '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };

/** Redis's memtoull: digits then an optional unit (k=1000, kb=1024, m, mb, g, gb, case-insensitive); no sign. */
function parseMemoryStrict(v: string): bigint | null {
  const m = /^(\d*)([a-zA-Z]*)$/.exec(v);
  if (!m || m[1]!.length >= 128) return null;
  const mul = UNITS[m[2]!.toLowerCase()];
  if (mul === undefined) return null;
  return (m[1] === '' ? 0n : BigInt(m[1]!)) * mul;
}

/** Parses Redis memory units: 1k=1000, 1kb=1024, 1m, 1mb, 1g, 1gb (case-insensitive). */
export function parseMemory(v: string): number | null {
  const n = parseMemoryStrict(v);
  return n === null ? null : Number(n);
}

/** Redis's string2ll acceptance: optional '-', no leading zeros, no '+' or spaces. */
const STRICT_INT = /^(?:0|-?[1-9]\d*)$/;

/** Memory in the form CONFIG REWRITE writes it: the largest exact unit (1gb, 64mb, 3kb) or plain bytes. */
function formatMemory(v: string): string {
  if (v.endsWith('%')) return v;
  const n = BigInt(v);
  if (n === 0n) return '0';
  for (const [unit, mul] of [
    ['gb', 1073741824n],
    ['mb', 1048576n],
    ['kb', 1024n],
  ] as const) {
    if (n % mul === 0n) return `${n / mul}${unit}`;
  }
  return String(n);
}

/** Redis's sdscatrepr: a double-quoted string with C escapes for anything not printable. */
export function quoteRepr(v: string): string {
  let out = '"';
  for (let k = 0; k < v.length; k++) {
    const c = v.charCodeAt(k);
    const ch = v[k]!;
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (c >= 32 && c < 127) out += ch;
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + '"';
}

export class Config {
  private values = new Map<string, string>();
  /** Absolute path of the config file the server started with ('' when none): CONFIG REWRITE writes it. */
  configFile = '';
  /** Called after a parameter changes (the server applies it). */
  onChange: (name: string, value: string) => void = () => {};
  /** `save` lines read at start-up so far: like Redis, each adds its pairs and `save ""` clears them. */
  private startupSave: string | null = null;

  constructor() {
    for (const p of PARAMS) this.values.set(p.name, this.normalize(p, p.default));
  }

  static has(name: string): boolean {
    return BY_NAME.has(name.toLowerCase());
  }

  /** The definition behind a name or alias (case-insensitive). */
  static def(name: string): ParamDef | undefined {
    return BY_NAME.get(name.toLowerCase());
  }

  get(name: string): string {
    const p = BY_NAME.get(name) ?? BY_NAME.get(name.toLowerCase());
    if (!p) throw new Error(`unknown config ${name}`);
    return this.values.get(p.name)!;
  }

  getInt(name: string): number {
    return Number(this.get(name));
  }

  getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** Validates and normalizes a value; throws ConfigError with Redis's reason text. */
  private normalize(p: ParamDef, raw: string): string {
    let v: string;
    switch (p.kind) {
      case 'bool': {
        v = raw.toLowerCase();
        if (v !== 'yes' && v !== 'no') throw new ConfigError("argument must be 'yes' or 'no'");
        break;
      }
      case 'int': {
        if (!STRICT_INT.test(raw) || raw.length > 20) throw new ConfigError("argument couldn't be parsed into an integer");
        const n = BigInt(raw);
        if (n > LLONG_MAX || n < -LLONG_MAX - 1n) throw new ConfigError("argument couldn't be parsed into an integer");
        if (n < p.min! || n > p.max!) throw new ConfigError(`argument must be between ${p.min} and ${p.max} inclusive`);
        v = String(n);
        break;
      }
      case 'memory': {
        if (p.percent && raw.endsWith('%')) {
          const pct = raw.slice(0, -1);
          if (!STRICT_INT.test(pct) || pct.startsWith('-')) throw new ConfigError('argument must be a memory or percent value');
          if (BigInt(pct) > 100n) throw new ConfigError('percentage argument must be less or equal to 100');
          v = `${BigInt(pct)}%`;
          break;
        }
        let n = parseMemoryStrict(raw);
        if (n === null) throw new ConfigError(p.percent ? 'argument must be a memory or percent value' : 'argument must be a memory value');
        if (p.unsigned) n %= ULLONG_MAX + 1n;
        if (n < p.min! || n > p.max!) throw new ConfigError(`argument must be between ${p.min} and ${p.max} inclusive`);
        v = String(n);
        break;
      }
      case 'enum': {
        v = raw.toLowerCase();
        if (!p.values!.includes(v)) throw new ConfigError(`argument(s) must be one of the following: ${p.values!.join(', ')}`);
        break;
      }
      default:
        v = raw;
    }
    return p.check ? p.check(v, this.values.get(p.name)) : v;
  }

  /** Sets a parameter from CONFIG SET (or start-up when `startup`); throws ConfigError. */
  set(name: string, raw: string, startup = false): void {
    const p = Config.def(name);
    if (!p) throw new ConfigError(`Unknown option or number of arguments for CONFIG SET - '${name}'`);
    if (!startup && p.mode !== 'mutable') throw new ConfigError("can't set immutable config");
    let v = this.normalize(p, raw);
    if (startup && p.name === 'save') {
      if (v !== '' && this.startupSave) v = `${this.startupSave} ${v}`;
      this.startupSave = v;
    }
    this.values.set(p.name, v);
    if (!startup) this.onChange(p.name, v);
  }

  /** Validates without storing (CONFIG SET checks every pair before applying any). */
  check(name: string, raw: string): string {
    const p = Config.def(name);
    if (!p) throw new ConfigError(`Unknown option or number of arguments for CONFIG SET - '${name}'`);
    return this.normalize(p, raw);
  }

  /** Stores an already validated value (from {@link check}) and applies it. */
  apply(name: string, value: string): void {
    const p = Config.def(name)!;
    this.values.set(p.name, value);
    this.onChange(p.name, value);
  }

  canonicalName(name: string): string | undefined {
    return Config.def(name)?.name;
  }

  /**
   * CONFIG GET: every parameter matching any of the patterns, aliases included, as Redis 7 lists them. A name
   * without glob characters is looked up directly and echoed as given; each parameter appears once.
   */
  match(patterns: string[]): [string, string][] {
    const out: [string, string][] = [];
    const seen = new Set<string>();
    for (const pat of patterns) {
      if (!/[*?[]/.test(pat)) {
        const p = Config.def(pat);
        if (p && !seen.has(pat.toLowerCase())) {
          seen.add(pat.toLowerCase());
          out.push([pat, this.values.get(p.name)!]);
        }
        continue;
      }
      for (const [name, p] of BY_NAME) {
        if (!seen.has(name) && matchGlob(pat, name, true)) {
          seen.add(name);
          out.push([name, this.values.get(p.name)!]);
        }
      }
    }
    return out;
  }

  /** Every parameter with its current and default values (CONFIG REWRITE). */
  *entries(): IterableIterator<{ def: ParamDef; value: string; isDefault: boolean }> {
    for (const p of PARAMS) {
      const value = this.values.get(p.name)!;
      yield { def: p, value, isDefault: value === this.normalize(p, p.default) };
    }
  }

  /** The redis.conf lines that set `p` to its current value (several for `save`). */
  confLines(p: ParamDef): string[] {
    const v = this.values.get(p.name)!;
    switch (p.rewrite) {
      case 'save': {
        if (v === '') return ['save ""'];
        const parts = v.split(' ');
        const lines: string[] = [];
        for (let k = 0; k < parts.length; k += 2) lines.push(`save ${parts[k]} ${parts[k + 1]}`);
        return lines;
      }
      case 'memory':
        return [`${p.name} ${formatMemory(v)}`];
      case 'quoted':
        return [`${p.name} ${quoteRepr(v)}`];
      default:
        return [`${p.name} ${v === '' ? '""' : v}`];
    }
  }

  /** The configuration as redis.conf lines: every parameter that differs from its default. */
  toConfLines(): string[] {
    const lines: string[] = [];
    for (const { def, isDefault } of this.entries()) if (!isDefault) lines.push(...this.confLines(def));
    return lines;
  }
}

/**
 * Parses redis.conf text into (name, args) directives. Throws ConfigError naming the line for unknown directives
 * or wrong argument counts, as redis-server does.
 */
export function parseConfText(text: string, splitArgs: (line: string) => string[] | null): { name: string; args: string[]; line: number }[] {
  const out: { name: string; args: string[]; line: number }[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const argv = splitArgs(line);
    if (argv === null) throw new ConfigError(configFileError(n + 1, line, 'Unbalanced quotes in configuration line'));
    if (argv.length === 0) continue;
    const name = argv[0]!.toLowerCase();
    const args = argv.slice(1);
    if (name === 'include' || name === 'rename-command' || name === 'user' || name === 'loadmodule') {
      if (name === 'include' && args.length === 1) {
        out.push({ name, args, line: n + 1 });
        continue;
      }
      throw new ConfigError(configFileError(n + 1, line, `Directive '${name}' is not supported by Strata`));
    }
    const p = BY_NAME.get(name);
    if (!p || (!p.multi && args.length !== 1)) {
      throw new ConfigError(configFileError(n + 1, line, 'Bad directive or wrong number of arguments'));
    }
    out.push({ name, args, line: n + 1 });
  }
  return out;
}

export function configFileError(line: number, text: string, reason: string): string {
  return `\n*** FATAL CONFIG FILE ERROR (Strata) ***\nReading the configuration file, at line ${line}\n>>> '${text}'\n${reason}`;
}

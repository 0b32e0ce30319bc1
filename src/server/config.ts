/**
 * Configuration: redis.conf directives (from a file, from `--name value` flags, from CONFIG SET), one table of
 * parameters with their type, default and mutability. CONFIG GET/SET, CONFIG REWRITE and start-up all read it.
 */
import { matchGlob } from '../util/glob.js';

type Kind = 'bool' | 'int' | 'memory' | 'string' | 'enum' | 'save' | 'list' | 'float';

export interface ParamDef {
  name: string;
  kind: Kind;
  default: string;
  /** Settable at runtime with CONFIG SET. */
  mutable: boolean;
  min?: number;
  max?: number;
  values?: readonly string[];
  alias?: string;
  /** Multi-arg directive (e.g. `save 900 1`, `bind a b`) joined with spaces. */
  multi?: boolean;
  /** Whether an empty value is allowed for string params. */
  sensitive?: boolean;
}

const LLMAX = Number.MAX_SAFE_INTEGER;
const b = (name: string, def: 'yes' | 'no', mutable = true): ParamDef => ({ name, kind: 'bool', default: def, mutable });
const i = (name: string, def: number, min: number, max: number, mutable = true): ParamDef => ({
  name,
  kind: 'int',
  default: String(def),
  mutable,
  min,
  max,
});
const mem = (name: string, def: string, mutable = true): ParamDef => ({ name, kind: 'memory', default: def, mutable, min: 0, max: LLMAX });
const s = (name: string, def: string, mutable = true): ParamDef => ({ name, kind: 'string', default: def, mutable });
const e = (name: string, def: string, values: readonly string[], mutable = true): ParamDef => ({
  name,
  kind: 'enum',
  default: def,
  mutable,
  values,
});

/** Parameters Strata understands. Each one here is honoured by the server or reported faithfully. */
export const PARAMS: ParamDef[] = [
  // Network and clients
  i('port', 6379, 0, 65535, true),
  { name: 'bind', kind: 'list', default: '* -::*', mutable: true, multi: true },
  b('protected-mode', 'yes'),
  i('tcp-backlog', 511, 0, 2147483647, false),
  i('timeout', 0, 0, 2147483647),
  i('tcp-keepalive', 300, 0, 2147483647),
  i('maxclients', 10000, 1, 2147483647),
  s('unixsocket', '', false),
  { name: 'unixsocketperm', kind: 'int', default: '0', mutable: false, min: 0, max: 0o777 },
  mem('client-query-buffer-limit', '1gb'),
  mem('proto-max-bulk-len', '512mb'),
  { name: 'client-output-buffer-limit', kind: 'list', default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', mutable: true, multi: true },
  // General
  i('databases', 16, 1, 1048576, false),
  s('dir', './data'),
  e('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning', 'nothing']),
  s('logfile', '', false),
  b('daemonize', 'no', false),
  s('pidfile', '', false),
  i('hz', 10, 0, 2147483647),
  b('dynamic-hz', 'yes'),
  b('always-show-logo', 'no', false),
  b('set-proc-title', 'yes', false),
  s('proc-title-template', '{title} {listen-addr} {server-mode}'),
  b('syslog-enabled', 'no', false),
  s('syslog-ident', 'redis', false),
  s('syslog-facility', 'local0', false),
  b('crash-log-enabled', 'yes'),
  b('crash-memcheck-enabled', 'yes'),
  s('locale-collate', ''),
  // Security
  { name: 'requirepass', kind: 'string', default: '', mutable: true, sensitive: true },
  s('masterauth', ''),
  s('masteruser', ''),
  s('aclfile', '', false),
  mem('acllog-max-len', '128'),
  e('acl-pubsub-default', 'resetchannels', ['allchannels', 'resetchannels']),
  e('enable-debug-command', 'local', ['no', 'yes', 'local'], false),
  e('enable-module-command', 'no', ['no', 'yes', 'local'], false),
  e('enable-protected-configs', 'no', ['no', 'yes', 'local'], false),
  // Memory
  mem('maxmemory', '0'),
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
  i('maxmemory-samples', 5, 1, 64),
  i('maxmemory-eviction-tenacity', 10, 0, 100),
  i('lfu-log-factor', 10, 0, 2147483647),
  i('lfu-decay-time', 1, 0, 2147483647),
  b('lazyfree-lazy-eviction', 'no'),
  b('lazyfree-lazy-expire', 'no'),
  b('lazyfree-lazy-server-del', 'no'),
  b('lazyfree-lazy-user-del', 'no'),
  b('lazyfree-lazy-user-flush', 'no'),
  b('replica-lazy-flush', 'no'),
  b('activedefrag', 'no'),
  b('activerehashing', 'yes'),
  i('active-expire-effort', 1, 1, 10),
  // Persistence
  { name: 'save', kind: 'save', default: '3600 1 300 100 60 10000', mutable: true, multi: true },
  s('dbfilename', 'dump.rdb'),
  b('rdbcompression', 'yes'),
  b('rdbchecksum', 'yes'),
  b('stop-writes-on-bgsave-error', 'yes'),
  b('rdb-del-sync-files', 'no'),
  b('appendonly', 'no'),
  s('appendfilename', 'appendonly.aof', false),
  s('appenddirname', 'appendonlydir', false),
  e('appendfsync', 'everysec', ['always', 'everysec', 'no']),
  b('no-appendfsync-on-rewrite', 'no'),
  i('auto-aof-rewrite-percentage', 100, 0, 2147483647),
  mem('auto-aof-rewrite-min-size', '64mb'),
  b('aof-load-truncated', 'yes'),
  b('aof-use-rdb-preamble', 'yes'),
  b('aof-timestamp-enabled', 'no'),
  // Data structure thresholds (OBJECT ENCODING)
  mem('hash-max-listpack-entries', '128'),
  mem('hash-max-listpack-value', '64'),
  { ...mem('hash-max-ziplist-entries', '128'), alias: 'hash-max-listpack-entries' },
  { ...mem('hash-max-ziplist-value', '64'), alias: 'hash-max-listpack-value' },
  i('list-max-listpack-size', -2, -5, 2147483647),
  { ...i('list-max-ziplist-size', -2, -5, 2147483647), alias: 'list-max-listpack-size' },
  i('list-compress-depth', 0, 0, 2147483647),
  mem('set-max-intset-entries', '512'),
  mem('set-max-listpack-entries', '128'),
  mem('set-max-listpack-value', '64'),
  mem('zset-max-listpack-entries', '128'),
  mem('zset-max-listpack-value', '64'),
  { ...mem('zset-max-ziplist-entries', '128'), alias: 'zset-max-listpack-entries' },
  { ...mem('zset-max-ziplist-value', '64'), alias: 'zset-max-listpack-value' },
  mem('hll-sparse-max-bytes', '3000'),
  mem('stream-node-max-bytes', '4096'),
  i('stream-node-max-entries', 100, 0, 999999999999),
  // Scripting, events, diagnostics
  { ...i('busy-reply-threshold', 5000, 0, LLMAX), alias: undefined },
  { ...i('lua-time-limit', 5000, 0, LLMAX), alias: 'busy-reply-threshold' },
  s('notify-keyspace-events', ''),
  i('slowlog-log-slower-than', 10000, -1, LLMAX),
  i('slowlog-max-len', 128, 0, 2147483647),
  i('latency-monitor-threshold', 0, 0, LLMAX),
  b('latency-tracking', 'yes'),
  { name: 'latency-tracking-info-percentiles', kind: 'list', default: '50 99 99.9', mutable: true, multi: true },
  mem('tracking-table-max-keys', '1000000'),
  b('lazyfree-lazy-user-flush', 'no'),
  // Replication and cluster (reported; Strata is a standalone primary)
  b('replica-read-only', 'yes'),
  b('replica-serve-stale-data', 'yes'),
  i('repl-timeout', 60, 1, 2147483647),
  mem('repl-backlog-size', '1mb'),
  b('cluster-enabled', 'no', false),
  b('io-threads-do-reads', 'no', false),
  i('io-threads', 1, 1, 128, false),
  // Strata's own: object storage and persistence cadence
  s('store', ''),
  i('flush-interval', 1000, 1, 3600000),
  mem('flush-bytes', '8mb'),
];

// Remove accidental duplicates by name (first wins).
const BY_NAME = new Map<string, ParamDef>();
for (const p of PARAMS) if (!BY_NAME.has(p.name)) BY_NAME.set(p.name, p);

export class ConfigError extends Error {}

/** Parses Redis memory units: 1k=1000, 1kb=1024, 1m, 1mb, 1g, 1gb (case-insensitive). */
export function parseMemory(v: string): number | null {
  const m = /^(-?\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const mul: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 * 1024, g: 1e9, gb: 1024 * 1024 * 1024 };
  return n * mul[unit]!;
}

export class Config {
  private values = new Map<string, string>();
  /** Called after a parameter changes (the server applies it). */
  onChange: (name: string, value: string) => void = () => {};

  constructor() {
    for (const p of BY_NAME.values()) if (!p.alias) this.values.set(p.name, this.normalize(p, p.default));
  }

  static has(name: string): boolean {
    return BY_NAME.has(name.toLowerCase());
  }

  private canonical(name: string): ParamDef | undefined {
    const p = BY_NAME.get(name.toLowerCase());
    if (!p) return undefined;
    return p.alias ? BY_NAME.get(p.alias) : p;
  }

  get(name: string): string {
    const p = this.canonical(name);
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
    switch (p.kind) {
      case 'bool': {
        const v = raw.toLowerCase();
        if (v !== 'yes' && v !== 'no') throw new ConfigError("argument must be 'yes' or 'no'");
        return v;
      }
      case 'int': {
        if (!/^-?\d+$/.test(raw)) throw new ConfigError('argument couldn\'t be parsed into an integer');
        const n = Number(raw);
        if (n < p.min! || n > p.max!) throw new ConfigError(`argument must be between ${p.min} and ${p.max} inclusive`);
        return String(n);
      }
      case 'memory': {
        const n = parseMemory(raw);
        if (n === null) throw new ConfigError('argument must be a memory value');
        if (n < p.min! || n > p.max!) throw new ConfigError(`argument must be between ${p.min} and ${p.max} inclusive`);
        return String(n);
      }
      case 'float': {
        const n = Number(raw);
        if (raw.trim() === '' || Number.isNaN(n)) throw new ConfigError('argument couldn\'t be parsed into a float');
        return String(n);
      }
      case 'enum': {
        const v = raw.toLowerCase();
        if (!p.values!.includes(v)) throw new ConfigError(`argument(s) must be one of the following: ${p.values!.join(', ')}`);
        return v;
      }
      case 'save': {
        const parts = raw.trim() === '' ? [] : raw.trim().split(/\s+/);
        if (parts.length % 2 !== 0 || parts.some((x) => !/^\d+$/.test(x))) throw new ConfigError('Invalid save parameters');
        return parts.join(' ');
      }
      case 'list':
        return raw.trim().split(/\s+/).join(' ');
      default:
        return raw;
    }
  }

  /** Sets a parameter from CONFIG SET (or start-up when `startup`); throws ConfigError. */
  set(name: string, raw: string, startup = false): void {
    const p = this.canonical(name);
    if (!p) throw new ConfigError(`Unknown option or number of arguments for CONFIG SET - '${name}'`);
    if (!startup && !p.mutable) throw new ConfigError("can't set immutable config");
    const v = this.normalize(p, raw);
    this.values.set(p.name, v);
    if (!startup) this.onChange(p.name, v);
  }

  /** Validates without storing (CONFIG SET checks every pair before applying any). */
  check(name: string, raw: string): string {
    const p = this.canonical(name);
    if (!p) throw new ConfigError(`Unknown option or number of arguments for CONFIG SET - '${name}'`);
    if (!p.mutable) throw new ConfigError("can't set immutable config");
    return this.normalize(p, raw);
  }

  canonicalName(name: string): string | undefined {
    return this.canonical(name)?.name;
  }

  /** CONFIG GET: every parameter (aliases included, as Redis 7 lists them) matching any of the patterns. */
  match(patterns: string[]): [string, string][] {
    const out = new Map<string, string>();
    for (const pat of patterns) {
      const lower = pat.toLowerCase();
      const exact = BY_NAME.get(lower);
      if (exact && !/[*?[\\]/.test(lower)) {
        out.set(exact.name, this.get(exact.name));
        continue;
      }
      for (const p of BY_NAME.values()) {
        if (matchGlob(lower, p.name, true)) out.set(p.name, this.get(p.name));
      }
    }
    return [...out];
  }

  /** The configuration as redis.conf lines (CONFIG REWRITE). */
  toConfLines(): string[] {
    const lines: string[] = [];
    for (const p of BY_NAME.values()) {
      if (p.alias) continue;
      const v = this.values.get(p.name)!;
      if (v === this.normalize(p, p.default)) continue;
      lines.push(`${p.name} ${p.multi || v === '' ? quoteIfNeeded(v, p.multi) : quoteIfNeeded(v, false)}`);
    }
    return lines;
  }
}

function quoteIfNeeded(v: string, multi?: boolean): string {
  if (multi) return v === '' ? '""' : v;
  if (v === '' || /[\s"'\\]/.test(v)) return JSON.stringify(v);
  return v;
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

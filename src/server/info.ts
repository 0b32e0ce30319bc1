/**
 * INFO: the report of Redis 7's sections with its field names, filled from Strata's own counters. Sections come
 * out in Redis's fixed order whatever order they were asked in; `default`, `all` and `everything` select sets.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Command } from '../commands/spec.js';
import { human, memoryFigures } from '../commands/inspect.js';
import type { Database } from '../keyspace/database.js';
import { REDIS_VERSION, VERSION } from '../version.js';
import type { Server } from './server.js';

const SECTIONS = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'modules',
  'commandstats',
  'errorstats',
  'latencystats',
  'cluster',
  'keyspace',
] as const;
type Section = (typeof SECTIONS)[number];

const DEFAULT = new Set<Section>(['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace']);
const TITLES: Record<Section, string> = {
  server: 'Server',
  clients: 'Clients',
  memory: 'Memory',
  persistence: 'Persistence',
  stats: 'Stats',
  replication: 'Replication',
  cpu: 'CPU',
  modules: 'Modules',
  commandstats: 'Commandstats',
  errorstats: 'Errorstats',
  latencystats: 'Latencystats',
  cluster: 'Cluster',
  keyspace: 'Keyspace',
};

/** Which sections INFO's arguments select: none → default; `all`/`everything`; unknown names select nothing. */
export function selectSections(args: readonly string[]): Set<Section> {
  if (args.length === 0) return DEFAULT;
  const out = new Set<Section>();
  for (const a of args) {
    const s = a.toLowerCase();
    if (s === 'all' || s === 'everything') for (const x of SECTIONS) out.add(x);
    else if (s === 'default') for (const x of DEFAULT) out.add(x);
    else if ((SECTIONS as readonly string[]).includes(s)) out.add(s as Section);
  }
  return out;
}

// ---- Latency histograms: 8 linear sub-buckets per power of two of nanoseconds (at most 12.5% wide) ----

const SUB = 8;
const BUCKETS = SUB * 48;

/**
 * Records one call's duration (µs) in the command's histogram. Called from the dispatcher for every command when
 * tracking is on, so the bucket comes from integer bit tricks rather than a logarithm.
 */
export function recordLatency(cmd: Command, us: number): void {
  let h = cmd.latency;
  if (h === null) h = cmd.latency = new Uint32Array(BUCKETS);
  h[bucketOf(us * 1000)]!++;
}

/** Bucket index of a duration in ns: below 8 ns one bucket per ns, then 8 per power of two. */
export function bucketOf(nsFloat: number): number {
  if (nsFloat >= 4294967295) return Math.min(BUCKETS - 1, Math.floor(Math.log2(nsFloat)) * SUB + SUB - 1);
  const ns = nsFloat >>> 0;
  if (ns < SUB) return ns;
  const e = 31 - Math.clz32(ns);
  return e * SUB + ((ns >>> (e - 3)) & 7);
}

/** Upper edge (ns) of a bucket. */
function bucketEdge(i: number): number {
  if (i < SUB) return i + 1;
  const e = Math.floor(i / SUB);
  return (SUB + (i % SUB) + 1) * 2 ** (e - 3);
}

/** The value (µs) below which `pct` percent of the recorded calls fall: the upper edge of that bucket. */
function percentile(h: Uint32Array, total: number, pct: number): number {
  const want = Math.max(1, Math.ceil((pct / 100) * total));
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    seen += h[i]!;
    if (seen >= want) return bucketEdge(i) / 1000;
  }
  return 0;
}

/** Percentile labels the way Redis prints them: `%f` with trailing zeros trimmed (p50, p99.9, p100). */
function percentileLabel(p: number): string {
  return p.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

// ---- Section builders ----

const replIds = new WeakMap<Server, string>();

function fmtCpu(micros: number): string {
  return (micros / 1e6).toFixed(6);
}

function avgTtl(db: Database, now: number): number {
  // Like Redis, an estimate from a sample of the keys with a TTL.
  let n = 0;
  let sum = 0;
  for (const e of db.volatile) {
    if (e.expireAt > now) {
      sum += e.expireAt - now;
      n++;
    }
    if (n >= 128) break;
  }
  return n === 0 ? 0 : Math.floor(sum / n);
}

function section(server: Server, s: Section): string[] {
  const ks = server.ks;
  const st = server.stats;
  const config = server.config;
  const now = Date.now();
  switch (s) {
    case 'server': {
      const uptime = Math.floor((now - server.startedAt) / 1000);
      const hz = Math.min(500, Math.max(1, config.getInt('hz')));
      return [
        `redis_version:${REDIS_VERSION}`,
        `strata_version:${VERSION}`,
        'redis_git_sha1:00000000',
        'redis_git_dirty:0',
        `redis_build_id:${Buffer.from(VERSION).toString('hex').padEnd(16, '0').slice(0, 16)}`,
        'redis_mode:standalone',
        `os:${os.type()} ${os.release()} ${os.machine()}`,
        'arch_bits:64',
        'monotonic_clock:POSIX clock_gettime',
        `multiplexing_api:${process.platform === 'linux' ? 'epoll' : process.platform === 'win32' ? 'iocp' : 'kqueue'}`,
        `node_version:${process.versions.node}`,
        `process_id:${process.pid}`,
        'process_supervised:no',
        `run_id:${server.runId}`,
        `tcp_port:${server.port}`,
        `server_time_usec:${Math.round((performance.timeOrigin + performance.now()) * 1000)}`,
        `uptime_in_seconds:${uptime}`,
        `uptime_in_days:${Math.floor(uptime / 86400)}`,
        `hz:${hz}`,
        `configured_hz:${hz}`,
        `lru_clock:${Math.floor(now / 1000) & 0xffffff}`,
        `executable:${process.argv[1] ? path.resolve(process.argv[1]) : process.execPath}`,
        `config_file:${config.configFile}`,
        'io_threads_active:0',
      ];
    }
    case 'clients': {
      let maxIn = 0;
      let maxOut = 0;
      let blocked = 0;
      for (const c of server.clients.values()) {
        maxIn = Math.max(maxIn, c.reader.buffered);
        maxOut = Math.max(maxOut, c.reply.pending);
        if (c.flags.includes('b')) blocked++;
      }
      return [
        `connected_clients:${server.clients.size}`,
        'cluster_connections:0',
        `maxclients:${config.get('maxclients')}`,
        `client_recent_max_input_buffer:${maxIn}`,
        `client_recent_max_output_buffer:${maxOut}`,
        `blocked_clients:${blocked}`,
        'tracking_clients:0',
        'clients_in_timeout_table:0',
      ];
    }
    case 'memory': {
      const f = memoryFigures(server);
      const total = os.totalmem();
      const maxmemory = Number(config.get('maxmemory'));
      const overhead = f.startup + f.clients;
      const dataset = Math.max(0, f.used - overhead);
      return [
        `used_memory:${f.used}`,
        `used_memory_human:${human(f.used)}`,
        `used_memory_rss:${f.rss}`,
        `used_memory_rss_human:${human(f.rss)}`,
        `used_memory_peak:${f.peak}`,
        `used_memory_peak_human:${human(f.peak)}`,
        `used_memory_peak_perc:${((f.used * 100) / Math.max(1, f.peak)).toFixed(2)}%`,
        `used_memory_overhead:${overhead}`,
        `used_memory_startup:${f.startup}`,
        `used_memory_dataset:${dataset}`,
        `used_memory_dataset_perc:${((dataset * 100) / Math.max(1, f.used - f.startup)).toFixed(2)}%`,
        `total_system_memory:${total}`,
        `total_system_memory_human:${human(total)}`,
        `maxmemory:${maxmemory}`,
        `maxmemory_human:${human(maxmemory)}`,
        `maxmemory_policy:${config.get('maxmemory-policy')}`,
        `mem_fragmentation_ratio:${(f.rss / Math.max(1, f.used)).toFixed(2)}`,
        `mem_fragmentation_bytes:${f.rss - f.used}`,
        `mem_clients_slaves:0`,
        `mem_clients_normal:${f.clients}`,
        `mem_allocator:v8-${process.versions.v8}`,
        'lazyfree_pending_objects:0',
        'lazyfreed_objects:0',
      ];
    }
    case 'persistence':
      return [
        'loading:0',
        'async_loading:0',
        `rdb_changes_since_last_save:${ks.dirty}`,
        'rdb_bgsave_in_progress:0',
        `rdb_last_save_time:${server.lastSave}`,
        'rdb_last_bgsave_status:ok',
        'rdb_last_bgsave_time_sec:-1',
        'rdb_current_bgsave_time_sec:-1',
        `aof_enabled:${config.getBool('appendonly') ? 1 : 0}`,
        'aof_rewrite_in_progress:0',
        'aof_rewrite_scheduled:0',
        'aof_last_rewrite_time_sec:-1',
        'aof_current_rewrite_time_sec:-1',
        'aof_last_bgrewrite_status:ok',
        'aof_last_write_status:ok',
      ];
    case 'stats': {
      const samples = st.opsSamples;
      const ops = samples.length === 0 ? 0 : Math.round(samples.reduce((a, b) => a + b, 0) / samples.length);
      return [
        `total_connections_received:${st.connections}`,
        `total_commands_processed:${st.commands}`,
        `instantaneous_ops_per_sec:${ops}`,
        `total_net_input_bytes:${st.netIn}`,
        `total_net_output_bytes:${st.netOut}`,
        'total_net_repl_input_bytes:0',
        'total_net_repl_output_bytes:0',
        `rejected_connections:${st.rejectedConnections}`,
        'sync_full:0',
        'sync_partial_ok:0',
        'sync_partial_err:0',
        `expired_keys:${ks.expiredKeys}`,
        `evicted_keys:${st.evictedKeys}`,
        'evicted_clients:0',
        `keyspace_hits:${ks.hits}`,
        `keyspace_misses:${ks.misses}`,
        'pubsub_channels:0',
        'pubsub_patterns:0',
        'pubsubshard_channels:0',
        'latest_fork_usec:0',
        'total_forks:0',
        'tracking_total_keys:0',
        'tracking_total_items:0',
        'tracking_total_prefixes:0',
        'unexpected_error_replies:0',
        `total_error_replies:${st.errorReplies}`,
        'io_threaded_reads_processed:0',
        'io_threaded_writes_processed:0',
      ];
    }
    case 'replication': {
      let replid = replIds.get(server);
      if (replid === undefined) replIds.set(server, (replid = randomBytes(20).toString('hex')));
      return [
        'role:master',
        'connected_slaves:0',
        'master_failover_state:no-failover',
        `master_replid:${replid}`,
        `master_replid2:${'0'.repeat(40)}`,
        'master_repl_offset:0',
        'second_repl_offset:-1',
        'repl_backlog_active:0',
        `repl_backlog_size:${config.get('repl-backlog-size')}`,
        'repl_backlog_first_byte_offset:0',
        'repl_backlog_histlen:0',
      ];
    }
    case 'cpu': {
      const u = process.cpuUsage();
      // One process, one main thread: the thread figures are the process's (worker threads do not run commands).
      return [
        `used_cpu_sys:${fmtCpu(u.system)}`,
        `used_cpu_user:${fmtCpu(u.user)}`,
        'used_cpu_sys_children:0.000000',
        'used_cpu_user_children:0.000000',
        `used_cpu_sys_main_thread:${fmtCpu(u.system)}`,
        `used_cpu_user_main_thread:${fmtCpu(u.user)}`,
      ];
    }
    case 'modules':
      return [];
    case 'commandstats': {
      const out: string[] = [];
      eachCommand(server, (cmd) => {
        if (cmd.calls === 0 && cmd.rejected === 0 && cmd.failed === 0) return;
        const usec = Math.round(cmd.usec);
        const per = cmd.calls === 0 ? 0 : usec / cmd.calls;
        out.push(
          `cmdstat_${cmd.fullName}:calls=${cmd.calls},usec=${usec},usec_per_call=${per.toFixed(2)},rejected_calls=${cmd.rejected},failed_calls=${cmd.failed}`,
        );
      });
      return out;
    }
    case 'errorstats':
      return [...st.errors.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([code, n]) => `errorstat_${code}:count=${n}`);
    case 'latencystats': {
      const pcts = config.get('latency-tracking-info-percentiles').split(' ').filter(Boolean).map(Number);
      const out: string[] = [];
      eachCommand(server, (cmd) => {
        const h = cmd.latency;
        if (h === null) return;
        let total = 0;
        for (let i = 0; i < h.length; i++) total += h[i]!;
        if (total === 0) return;
        const parts = pcts.map((p) => `p${percentileLabel(p)}=${percentile(h, total, p).toFixed(3)}`);
        out.push(`latency_percentiles_usec_${cmd.fullName}:${parts.join(',')}`);
      });
      return out;
    }
    case 'cluster':
      return ['cluster_enabled:0'];
    case 'keyspace': {
      const out: string[] = [];
      for (const db of ks.dbs) {
        if (db.size === 0) continue;
        out.push(`db${db.id}:keys=${db.size},expires=${db.volatile.size},avg_ttl=${avgTtl(db, now)}`);
      }
      return out;
    }
  }
}

/** Every command and subcommand, containers' subcommands after the container. */
function eachCommand(server: Server, fn: (cmd: Command) => void): void {
  for (const cmd of server.commands.commands) {
    if (cmd.subcommands) for (const sub of cmd.subcommands.values()) fn(sub);
    else fn(cmd);
  }
}

/** The INFO text for the given arguments: `# Title` headers, `\r\n` line ends, a blank line between sections. */
export function infoText(server: Server, args: readonly string[]): string {
  const selected = selectSections(args);
  const parts: string[] = [];
  for (const s of SECTIONS) {
    if (!selected.has(s)) continue;
    const lines = section(server, s);
    parts.push(`# ${TITLES[s]}\r\n${lines.map((l) => l + '\r\n').join('')}`);
  }
  return parts.join('\r\n');
}

/** Clears every latency histogram (CONFIG RESETSTAT). */
export function resetLatency(server: Server): void {
  eachCommand(server, (cmd) => {
    cmd.latency = null;
  });
}

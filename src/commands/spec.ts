/**
 * The declaration of a command: everything the dispatcher, COMMAND, ACL categories, key extraction and MULTI
 * queuing need to know, next to its handler. Each command group module exports an array of these.
 */
import type { Client } from '../server/client.js';

export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'protected'
  | 'no_async_loading'
  | 'no_multi'
  | 'movablekeys'
  | 'allow_busy';

/** A handler writes its reply to `c.reply` or throws a RedisError. `argv[0]` is the command name as sent. */
export type Handler = (c: Client, argv: string[]) => void;

export interface CommandSpec {
  /** Lower-case name; for a subcommand just the subcommand (`get` under `config`). */
  name: string;
  /** Exact argument count including the name, or -N for "at least N". */
  arity: number;
  flags: CommandFlag[];
  /** ACL categories beyond those implied by flags, without '@' (e.g. `string`, `keyspace`). */
  acl: string[];
  /** Key positions: first, last (negative counts from the end), step. Omit for commands without keys. */
  keys?: { first: number; last: number; step: number };
  /** Key-spec flags COMMAND INFO / GETKEYSANDFLAGS report (e.g. ['RW', 'access', 'update']); derived when omitted. */
  keySpecFlags?: string[];
  /** For commands with movable keys: the argv indexes holding keys. */
  getKeys?: (argv: string[]) => number[];
  summary: string;
  since: string;
  complexity?: string;
  /** Documentation group (`string`, `generic`, `server`, `connection`, `bitmap`, …). */
  group: string;
  tips?: string[];
  subcommands?: CommandSpec[];
  run?: Handler;
}

/** Bit flags derived from `flags`, read on the hot path. */
export const F = {
  write: 1,
  readonly: 2,
  denyoom: 4,
  admin: 8,
  pubsub: 16,
  noscript: 32,
  blocking: 64,
  fast: 128,
  noAuth: 256,
  noMulti: 512,
  loading: 1024,
  stale: 2048,
  allowBusy: 4096,
} as const;

/** Containers (CONFIG, CLIENT, …) dispatch to subcommands and have no handler of their own. */
const missingHandler: Handler = () => {
  throw new Error('container command called without a subcommand');
};

/** A command resolved for dispatch (a container's subcommands are resolved separately). */
export class Command {
  readonly fullName: string;
  readonly bits: number;
  readonly subcommands: Map<string, Command> | null;
  // Statistics for INFO commandstats.
  calls = 0;
  usec = 0;
  rejected = 0;
  failed = 0;
  /** Latency histogram for INFO latencystats, allocated on first use (see server/info.ts). */
  latency: Uint32Array | null = null;

  /**
   * Copies of the spec's hot fields: specs are object literals of many shapes, so reading `spec.run` on the
   * dispatch path would be a megamorphic property load; a Command's fields always have one shape.
   */
  readonly arity: number;
  readonly handler: Handler;

  constructor(
    readonly spec: CommandSpec,
    readonly parent: Command | null = null,
  ) {
    this.fullName = parent ? `${parent.spec.name}|${spec.name}` : spec.name;
    this.arity = spec.arity;
    this.handler = spec.run ?? missingHandler;
    let bits = 0;
    for (const f of spec.flags) {
      if (f === 'write') bits |= F.write;
      else if (f === 'readonly') bits |= F.readonly;
      else if (f === 'denyoom') bits |= F.denyoom;
      else if (f === 'admin') bits |= F.admin;
      else if (f === 'pubsub') bits |= F.pubsub;
      else if (f === 'noscript') bits |= F.noscript;
      else if (f === 'blocking') bits |= F.blocking;
      else if (f === 'fast') bits |= F.fast;
      else if (f === 'no_auth') bits |= F.noAuth;
      else if (f === 'no_multi') bits |= F.noMulti;
      else if (f === 'loading') bits |= F.loading;
      else if (f === 'stale') bits |= F.stale;
      else if (f === 'allow_busy') bits |= F.allowBusy;
    }
    this.bits = bits;
    if (spec.subcommands) {
      this.subcommands = new Map();
      for (const s of spec.subcommands) this.subcommands.set(s.name, new Command(s, this));
    } else {
      this.subcommands = null;
    }
  }

  get run(): Handler | undefined {
    return this.spec.run;
  }

  /** ACL categories as Redis reports them: implied by flags, then the declared ones. */
  aclCategories(): string[] {
    const cats: string[] = [];
    const f = this.spec.flags;
    if (f.includes('write')) cats.push('write');
    if (f.includes('readonly') && !this.spec.acl.includes('scripting')) cats.push('read');
    if (f.includes('admin')) cats.push('admin', 'dangerous');
    if (f.includes('pubsub')) cats.push('pubsub');
    if (f.includes('fast')) cats.push('fast');
    if (f.includes('blocking')) cats.push('blocking');
    if (!f.includes('fast')) cats.push('slow');
    for (const a of this.spec.acl) if (!cats.includes(a)) cats.push(a);
    return cats;
  }

  /** The argv positions of keys, from the key spec or the command's own extractor. */
  keyPositions(argv: string[]): number[] {
    if (this.spec.getKeys) return this.spec.getKeys(argv);
    const k = this.spec.keys;
    if (!k || k.first === 0) return [];
    const last = k.last < 0 ? argv.length + k.last : k.last;
    const out: number[] = [];
    for (let i = k.first; i <= last && i < argv.length; i += k.step) out.push(i);
    return out;
  }
}

/** Declares a group of commands, filling in the documentation group. */
export function defineGroup(group: string, specs: Omit<CommandSpec, 'group'>[]): CommandSpec[] {
  const out = specs.map((s) => ({ ...s, group }) as CommandSpec);
  for (const s of out) if (s.subcommands) for (const sub of s.subcommands) sub.group = group;
  return out;
}

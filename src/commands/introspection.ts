/**
 * COMMAND and its subcommands: everything is generated from the command table (src/commands/registry.ts), so what
 * COMMAND reports is exactly what the dispatcher does. Also the HELP reply format the containers share.
 */
import { RedisError, ERR } from '../errors.js';
import type { Reply } from '../protocol/reply.js';
import type { Client } from '../server/client.js';
import { matchGlob } from '../util/glob.js';
import { kw } from './args.js';
import type { CommandTable } from './registry.js';
import { defineGroup, type Command, type CommandSpec } from './spec.js';

/** A container's subcommand list; `defineGroup` fills in each one's documentation group. */
export function subcommands(list: Omit<CommandSpec, 'group'>[]): CommandSpec[] {
  return list as CommandSpec[];
}

/** Replies with Redis's help format: a header line, the entries, then HELP itself, as status strings. */
export function replyHelp(c: Client, command: string, lines: readonly string[]): void {
  const all = [`${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...lines, 'HELP', '    Print this help.'];
  c.reply.array(all.length);
  for (const l of all) c.reply.status(l);
}

/** Redis's ACL category table order, which is the order COMMAND INFO lists a command's categories in. */
const CATEGORY_ORDER = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
];

/** Command flags in the order Redis prints them; may_replicate and protected are internal and never shown. */
const FLAG_ORDER = [
  'write',
  'readonly',
  'denyoom',
  'module',
  'admin',
  'pubsub',
  'noscript',
  'blocking',
  'loading',
  'stale',
  'skip_monitor',
  'skip_slowlog',
  'asking',
  'fast',
  'no_auth',
  'no_mandatory_keys',
  'no_async_loading',
  'no_multi',
  'movablekeys',
  'allow_busy',
];

export function categoriesOf(cmd: Command): string[] {
  const cats = cmd.aclCategories();
  const rank = (x: string) => {
    const i = CATEGORY_ORDER.indexOf(x);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  return [...cats].sort((a, b) => rank(a) - rank(b));
}

function flagsOf(cmd: Command): string[] {
  const f = new Set<string>(cmd.spec.flags);
  if (cmd.spec.getKeys) f.add('movablekeys');
  return FLAG_ORDER.filter((x) => f.has(x));
}

function hasKeys(cmd: Command): boolean {
  return cmd.spec.getKeys !== undefined || (cmd.spec.keys !== undefined && cmd.spec.keys.first > 0);
}

/** Key-spec flags: declared, or derived from whether the command reads or writes. */
function keyFlagsOf(cmd: Command): string[] {
  if (cmd.spec.keySpecFlags) return cmd.spec.keySpecFlags;
  const f = cmd.spec.flags;
  if (f.includes('write')) return ['RW', 'access', 'update'];
  if (f.includes('readonly')) return ['RO', 'access'];
  return ['RW'];
}

function replyKeySpecs(r: Reply, cmd: Command): void {
  const k = cmd.spec.keys;
  if (!hasKeys(cmd)) return r.array(0);
  r.array(1);
  r.map(3);
  r.bulk('flags');
  const flags = keyFlagsOf(cmd);
  r.set(flags.length);
  for (const f of flags) r.status(f);
  if (k === undefined || k.first === 0 || cmd.spec.getKeys) {
    // Keys found by the command's own extractor: positions depend on the arguments.
    r.bulk('begin_search');
    r.map(2);
    r.bulk('type');
    r.bulk('unknown');
    r.bulk('spec');
    r.map(0);
    r.bulk('find_keys');
    r.map(2);
    r.bulk('type');
    r.bulk('unknown');
    r.bulk('spec');
    r.map(0);
    return;
  }
  r.bulk('begin_search');
  r.map(2);
  r.bulk('type');
  r.bulk('index');
  r.bulk('spec');
  r.map(1);
  r.bulk('index');
  r.int(k.first);
  r.bulk('find_keys');
  r.map(2);
  r.bulk('type');
  r.bulk('range');
  r.bulk('spec');
  r.map(3);
  r.bulk('lastkey');
  r.int(k.last < 0 ? k.last : k.last - k.first);
  r.bulk('keystep');
  r.int(k.step);
  r.bulk('limit');
  r.int(0);
}

/** One COMMAND INFO entry: Redis 7's ten fields. */
function replyInfo(r: Reply, cmd: Command): void {
  const s = cmd.spec;
  r.array(10);
  r.bulk(cmd.fullName);
  r.int(s.arity);
  const flags = flagsOf(cmd);
  r.set(flags.length);
  for (const f of flags) r.status(f);
  const k = s.keys;
  r.int(k?.first ?? 0);
  r.int(k?.last ?? 0);
  r.int(k?.step ?? 0);
  const cats = categoriesOf(cmd);
  r.set(cats.length);
  for (const c of cats) r.status('@' + c);
  // Tips are bulk strings, unlike flags and categories.
  const tips = s.tips ?? [];
  r.set(tips.length);
  for (const t of tips) r.bulk(t);
  replyKeySpecs(r, cmd);
  const subs = cmd.subcommands ? [...cmd.subcommands.values()] : [];
  r.array(subs.length);
  for (const sub of subs) replyInfo(r, sub);
}

/** One COMMAND DOCS value: a map of summary, since, group, complexity and the subcommands' docs. */
function replyDocs(r: Reply, cmd: Command): void {
  const s = cmd.spec;
  const subs = cmd.subcommands ? [...cmd.subcommands.values()] : [];
  r.map(3 + (s.complexity ? 1 : 0) + (subs.length > 0 ? 1 : 0));
  r.bulk('summary');
  r.bulk(s.summary);
  r.bulk('since');
  r.bulk(s.since);
  r.bulk('group');
  r.bulk(s.group);
  if (s.complexity) {
    r.bulk('complexity');
    r.bulk(s.complexity);
  }
  if (subs.length > 0) {
    r.bulk('subcommands');
    r.map(subs.length);
    for (const sub of subs) {
      r.bulk(sub.fullName);
      replyDocs(r, sub);
    }
  }
}

/** A command by name, or a subcommand as `container|sub` (COMMAND INFO / DOCS). */
export function lookupFullName(table: CommandTable, name: string): Command | undefined {
  const bar = name.indexOf('|');
  if (bar < 0) return table.lookup(name);
  const parent = table.lookup(name.slice(0, bar));
  return parent?.subcommands?.get(name.slice(bar + 1).toLowerCase());
}

/** Every command and subcommand, containers first. */
function allCommands(table: CommandTable): Command[] {
  const out: Command[] = [];
  for (const cmd of table.commands) {
    out.push(cmd);
    if (cmd.subcommands) out.push(...cmd.subcommands.values());
  }
  return out;
}

/** The command a GETKEYS argv names, with Redis's checks in Redis's order. */
function commandForKeys(c: Client, argv: string[]): { cmd: Command; args: string[] } {
  const args = argv.slice(2);
  let cmd = c.server.commands.lookup(args[0]!);
  if (cmd !== undefined && cmd.subcommands !== null && args.length >= 2) cmd = cmd.subcommands.get(args[1]!.toLowerCase());
  if (cmd === undefined) throw new RedisError('ERR Invalid command specified');
  if (!hasKeys(cmd)) throw new RedisError('ERR The command has no key arguments');
  const a = cmd.spec.arity;
  if ((a > 0 && a !== args.length) || args.length < -a) throw new RedisError('ERR Invalid number of arguments specified for command');
  return { cmd, args };
}

function keysOf(c: Client, argv: string[]): { cmd: Command; args: string[]; positions: number[] } {
  const { cmd, args } = commandForKeys(c, argv);
  const positions = cmd.keyPositions(args);
  if (positions.length === 0 && !cmd.spec.flags.includes('no_mandatory_keys')) {
    throw new RedisError('ERR Invalid arguments specified for command');
  }
  return { cmd, args, positions };
}

const HELP = [
  '(no subcommand)',
  '    Reply with the details of every command.',
  'COUNT',
  '    Reply with the number of commands.',
  'LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]',
  '    Reply with the names of the commands and subcommands, optionally filtered.',
  'INFO [<command-name> ...]',
  '    Reply with the details of the named commands (all commands without names).',
  'DOCS [<command-name> ...]',
  '    Reply with the documentation of the named commands (all commands without names).',
  'GETKEYS <full-command>',
  '    Reply with the keys a full command line would access.',
  'GETKEYSANDFLAGS <full-command>',
  '    Reply with those keys and how the command accesses each.',
];

const SUB_FLAGS: Command['spec']['flags'] = ['loading', 'stale'];

export const introspectionCommands = defineGroup('server', [
  {
    // COMMAND [subcommand]
    name: 'command',
    arity: -1,
    flags: SUB_FLAGS,
    acl: ['connection'],
    tips: ['nondeterministic_output_order'],
    summary: 'Returns the details of every command.',
    since: '2.8.13',
    complexity: 'O(N) where N is the total number of Redis commands',
    run(c) {
      const cmds = c.server.commands.commands;
      c.reply.array(cmds.length);
      for (const cmd of cmds) replyInfo(c.reply, cmd);
    },
    subcommands: subcommands([
      {
        // COMMAND COUNT
        name: 'count',
        arity: 2,
        flags: SUB_FLAGS,
        acl: ['connection'],
        summary: 'Returns how many commands there are.',
        since: '2.8.13',
        complexity: 'O(1)',
        run(c) {
          c.reply.int(c.server.commands.size);
        },
      },
      {
        // COMMAND INFO [command-name [command-name ...]]
        name: 'info',
        arity: -2,
        flags: SUB_FLAGS,
        acl: ['connection'],
        tips: ['nondeterministic_output_order'],
        summary: 'Returns the details of some or all commands.',
        since: '2.8.13',
        complexity: 'O(N) where N is the number of commands to look up',
        run(c, argv) {
          const table = c.server.commands;
          if (argv.length === 2) {
            c.reply.array(table.commands.length);
            for (const cmd of table.commands) replyInfo(c.reply, cmd);
            return;
          }
          c.reply.array(argv.length - 2);
          for (let k = 2; k < argv.length; k++) {
            const cmd = lookupFullName(table, argv[k]!);
            if (cmd === undefined) c.reply.nil();
            else replyInfo(c.reply, cmd);
          }
        },
      },
      {
        // COMMAND DOCS [command-name [command-name ...]]
        name: 'docs',
        arity: -2,
        flags: SUB_FLAGS,
        acl: ['connection'],
        tips: ['nondeterministic_output_order'],
        summary: 'Returns the documentation of some or all commands.',
        since: '7.0.0',
        complexity: 'O(N) where N is the number of commands to look up',
        run(c, argv) {
          const table = c.server.commands;
          const found: Command[] = [];
          if (argv.length === 2) found.push(...table.commands);
          for (let k = 2; k < argv.length; k++) {
            const cmd = lookupFullName(table, argv[k]!);
            if (cmd !== undefined) found.push(cmd);
          }
          c.reply.map(found.length);
          for (const cmd of found) {
            c.reply.bulk(cmd.fullName);
            replyDocs(c.reply, cmd);
          }
        },
      },
      {
        // COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]
        name: 'list',
        arity: -2,
        flags: SUB_FLAGS,
        acl: ['connection'],
        tips: ['nondeterministic_output_order'],
        summary: 'Returns the names of the commands and subcommands.',
        since: '7.0.0',
        complexity: 'O(N) where N is the total number of Redis commands',
        run(c, argv) {
          let keep: (cmd: Command) => boolean = () => true;
          if (argv.length === 5 && kw(argv[2]!) === 'filterby') {
            const by = kw(argv[3]!);
            const v = argv[4]!;
            if (by === 'module') keep = () => false; // Strata has no modules.
            else if (by === 'aclcat') keep = (cmd) => categoriesOf(cmd).includes(v.toLowerCase());
            else if (by === 'pattern') keep = (cmd) => matchGlob(v, cmd.fullName, true);
            else throw new RedisError(ERR.syntax);
          } else if (argv.length !== 2) {
            throw new RedisError(ERR.syntax);
          }
          c.reply.bulks(allCommands(c.server.commands).filter(keep).map((cmd) => cmd.fullName));
        },
      },
      {
        // COMMAND GETKEYS command [arg [arg ...]]
        name: 'getkeys',
        arity: -3,
        flags: SUB_FLAGS,
        acl: ['connection'],
        summary: 'Returns the keys a full command line names.',
        since: '2.8.13',
        complexity: 'O(N) where N is the number of arguments to the command',
        run(c, argv) {
          const { args, positions } = keysOf(c, argv);
          c.reply.array(positions.length);
          for (const p of positions) c.reply.bulk(args[p]!);
        },
      },
      {
        // COMMAND GETKEYSANDFLAGS command [arg [arg ...]]
        name: 'getkeysandflags',
        arity: -3,
        flags: SUB_FLAGS,
        acl: ['connection'],
        summary: 'Returns the keys a full command line names, with how each is accessed.',
        since: '7.0.0',
        complexity: 'O(N) where N is the number of arguments to the command',
        run(c, argv) {
          const { cmd, args, positions } = keysOf(c, argv);
          const flags = keyFlagsOf(cmd);
          c.reply.array(positions.length);
          for (const p of positions) {
            c.reply.array(2);
            c.reply.bulk(args[p]!);
            c.reply.set(flags.length);
            for (const f of flags) c.reply.status(f);
          }
        },
      },
      {
        // COMMAND HELP
        name: 'help',
        arity: 2,
        flags: SUB_FLAGS,
        acl: ['connection'],
        summary: 'Describes the COMMAND subcommands.',
        since: '5.0.0',
        complexity: 'O(1)',
        run(c) {
          replyHelp(c, 'COMMAND', HELP);
        },
      },
    ]),
  },
]);

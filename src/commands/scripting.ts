/**
 * Lua scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT. The work is done by the server's ScriptEngine
 * (scripting/engine.ts); these are the declarations and argument handling.
 */
import { parseInt64 } from './args.js';
import { RedisError } from '../errors.js';
import { subcommands } from './introspection.js';
import { defineGroup, type CommandSpec } from './spec.js';

/** Keys of EVAL-like commands: the numkeys arguments after argv[2], when numkeys is valid. */
function evalKeys(argv: string[]): number[] {
  const n = parseInt64(argv[2] ?? '');
  if (n === null || n < 1 || n > argv.length - 3) return [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(3 + i);
  return out;
}

const EVAL_FLAGS = ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys'] as const;

function evalSpec(name: string, bySha: boolean, ro: boolean, summary: string, since: string): Omit<CommandSpec, 'group'> {
  return {
    name,
    arity: -3,
    flags: ro ? ['readonly', ...EVAL_FLAGS] : [...EVAL_FLAGS],
    acl: ['scripting'],
    getKeys: evalKeys,
    keySpecFlags: ro ? ['RO', 'access'] : ['RW', 'access', 'update'],
    summary,
    since,
    complexity: 'Depends on the script that is executed.',
    run(c, argv) {
      c.server.scripting.eval(c, argv, bySha, ro);
    },
  };
}

const SCRIPT_HELP = [
  'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
  'HELP',
  '    Prints this help.',
];

export const scriptingCommands = defineGroup('scripting', [
  // EVAL script numkeys [key ...] [arg ...]
  evalSpec('eval', false, false, 'Runs a Lua script on the server.', '2.6.0'),
  // EVALSHA sha1 numkeys [key ...] [arg ...]
  evalSpec('evalsha', true, false, 'Runs a cached Lua script by its SHA1 digest.', '2.6.0'),
  // EVAL_RO script numkeys [key ...] [arg ...]
  evalSpec('eval_ro', false, true, 'Runs a Lua script that may only read data.', '7.0.0'),
  // EVALSHA_RO sha1 numkeys [key ...] [arg ...]
  evalSpec('evalsha_ro', true, true, 'Runs a cached read-only Lua script by its SHA1 digest.', '7.0.0'),
  {
    name: 'script',
    arity: -2,
    flags: [],
    acl: [],
    summary: 'A container for commands that manage the Lua script cache.',
    since: '2.6.0',
    complexity: 'Depends on subcommand.',
    subcommands: subcommands([
      {
        // SCRIPT LOAD script
        name: 'load',
        arity: 3,
        flags: ['noscript', 'stale'],
        acl: ['scripting'],
        summary: 'Compiles a Lua script into the cache without running it.',
        since: '2.6.0',
        complexity: 'O(N) with N being the length in bytes of the script body.',
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        run(c, argv) {
          c.reply.bulk(c.server.scripting.load(argv[2]!).sha);
        },
      },
      {
        // SCRIPT EXISTS sha1 [sha1 ...]
        name: 'exists',
        arity: -3,
        flags: ['noscript'],
        acl: ['scripting'],
        summary: 'Tells which of the given SHA1 digests are in the script cache.',
        since: '2.6.0',
        complexity: 'O(N) with N being the number of scripts to check.',
        tips: ['request_policy:all_shards', 'response_policy:agg_logical_and'],
        run(c, argv) {
          const s = c.server.scripting;
          c.reply.array(argv.length - 2);
          for (let i = 2; i < argv.length; i++) c.reply.int(s.cached(argv[i]!) ? 1 : 0);
        },
      },
      {
        // SCRIPT FLUSH [ASYNC|SYNC]
        name: 'flush',
        arity: -2,
        flags: ['noscript'],
        acl: ['scripting'],
        summary: 'Empties the script cache.',
        since: '2.6.0',
        complexity: 'O(N) with N being the number of scripts in cache',
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        run(c, argv) {
          // Both modes free the cache at once: there is nothing to reclaim in the background.
          if (argv.length > 3 || (argv.length === 3 && !['async', 'sync'].includes(argv[2]!.toLowerCase()))) {
            throw new RedisError('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
          }
          c.server.scripting.flush();
          c.reply.ok();
        },
      },
      {
        // SCRIPT KILL
        name: 'kill',
        arity: 2,
        flags: ['noscript', 'allow_busy'],
        acl: ['scripting'],
        summary: 'Stops the script running now, if it has not written anything.',
        since: '2.6.0',
        complexity: 'O(1)',
        tips: ['request_policy:all_shards', 'response_policy:one_succeeded'],
        run(c) {
          c.server.scripting.kill();
          c.reply.ok();
        },
      },
      {
        // SCRIPT HELP
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        acl: ['scripting'],
        summary: 'Lists the SCRIPT subcommands.',
        since: '5.0.0',
        complexity: 'O(1)',
        run(c) {
          c.reply.array(SCRIPT_HELP.length);
          for (const line of SCRIPT_HELP) c.reply.status(line);
        },
      },
    ]),
  },
]);

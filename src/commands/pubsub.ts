/**
 * Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH,
 * SPUBLISH, PUBSUB CHANNELS|NUMSUB|NUMPAT|SHARDCHANNELS|SHARDNUMSUB|HELP.
 *
 * Confirmations are push messages: `>3` in RESP3, plain arrays in RESP2 (where the connection then only accepts
 * the subscription commands, PING, QUIT and RESET — enforced by the dispatcher).
 */
import type { Client } from '../server/client.js';
import type { SubKind } from '../server/pubsub.js';
import { matchGlob } from '../util/glob.js';
import { replyHelp, subcommands } from './introspection.js';
import { defineGroup } from './spec.js';

/** `[kind, name, count]`, the confirmation Redis sends for each (un)subscription. */
function confirm(c: Client, what: string, name: string | null, count: number): void {
  const r = c.reply;
  r.push(3);
  r.bulk(what);
  if (name === null) r.nil();
  else r.bulk(name);
  r.int(count);
}

/** Count reported in confirmations: channels + patterns, or shard channels for the shard commands. */
function countFor(c: Client, kind: SubKind): number {
  return kind === 'shard' ? c.subscriptions('shard').size : c.subscriptions('channel').size + c.subscriptions('pattern').size;
}

function subscribe(c: Client, argv: string[], kind: SubKind, what: string): void {
  const ps = c.server.pubsub;
  for (let i = 1; i < argv.length; i++) {
    ps.subscribe(c, kind, argv[i]!);
    confirm(c, what, argv[i]!, countFor(c, kind));
  }
}

function unsubscribe(c: Client, argv: string[], kind: SubKind, what: string): void {
  const ps = c.server.pubsub;
  const names = argv.length > 1 ? argv.slice(1) : [...c.subscriptions(kind)];
  if (names.length === 0) {
    confirm(c, what, null, countFor(c, kind));
    return;
  }
  for (const name of names) {
    ps.unsubscribe(c, kind, name);
    confirm(c, what, name, countFor(c, kind));
  }
}

/** Removes every subscription (RESET, disconnect). */
export function unsubscribeAll(c: Client): void {
  c.server.pubsub.removeClient(c);
}

/** PUBSUB CHANNELS / SHARDCHANNELS [pattern]. */
function listChannels(c: Client, table: Map<string, Set<Client>>, pattern: string | undefined): void {
  const out: string[] = [];
  for (const name of table.keys()) if (pattern === undefined || matchGlob(pattern, name)) out.push(name);
  c.reply.bulks(out);
}

/** PUBSUB NUMSUB / SHARDNUMSUB [channel ...]: a map of channel → subscriber count. */
function numsub(c: Client, table: Map<string, Set<Client>>, names: string[]): void {
  c.reply.map(names.length);
  for (const n of names) {
    c.reply.bulk(n);
    c.reply.int(table.get(n)?.size ?? 0);
  }
}

const SUB_FLAGS = ['pubsub', 'noscript', 'loading', 'stale'] as const;

export const pubsubCommands = defineGroup('pubsub', [
  {
    // SUBSCRIBE channel [channel ...]
    name: 'subscribe',
    arity: -2,
    flags: [...SUB_FLAGS],
    acl: [],
    summary: 'Listens for messages published to channels.',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of channels to subscribe to.',
    run(c, argv) {
      subscribe(c, argv, 'channel', 'subscribe');
    },
  },
  {
    // UNSUBSCRIBE [channel [channel ...]]
    name: 'unsubscribe',
    arity: -1,
    flags: [...SUB_FLAGS],
    acl: [],
    summary: 'Stops listening to messages posted to channels.',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of channels to unsubscribe.',
    run(c, argv) {
      unsubscribe(c, argv, 'channel', 'unsubscribe');
    },
  },
  {
    // PSUBSCRIBE pattern [pattern ...]
    name: 'psubscribe',
    arity: -2,
    flags: [...SUB_FLAGS],
    acl: [],
    summary: 'Listens for messages published to channels that match one or more patterns.',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of patterns to subscribe to.',
    run(c, argv) {
      subscribe(c, argv, 'pattern', 'psubscribe');
    },
  },
  {
    // PUNSUBSCRIBE [pattern [pattern ...]]
    name: 'punsubscribe',
    arity: -1,
    flags: [...SUB_FLAGS],
    acl: [],
    summary: 'Stops listening to messages published to channels that match one or more patterns.',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of patterns to unsubscribe.',
    run(c, argv) {
      unsubscribe(c, argv, 'pattern', 'punsubscribe');
    },
  },
  {
    // SSUBSCRIBE shardchannel [shardchannel ...]
    name: 'ssubscribe',
    arity: -2,
    flags: [...SUB_FLAGS],
    acl: [],
    keys: { first: 1, last: -1, step: 1 },
    summary: 'Listens for messages published to shard channels.',
    since: '7.0.0',
    complexity: 'O(N) where N is the number of shard channels to subscribe to.',
    run(c, argv) {
      subscribe(c, argv, 'shard', 'ssubscribe');
    },
  },
  {
    // SUNSUBSCRIBE [shardchannel [shardchannel ...]]
    name: 'sunsubscribe',
    arity: -1,
    flags: [...SUB_FLAGS],
    acl: [],
    keys: { first: 1, last: -1, step: 1 },
    summary: 'Stops listening to messages posted to shard channels.',
    since: '7.0.0',
    complexity: 'O(N) where N is the number of shard channels to unsubscribe.',
    run(c, argv) {
      unsubscribe(c, argv, 'shard', 'sunsubscribe');
    },
  },
  {
    // PUBLISH channel message
    name: 'publish',
    arity: 3,
    flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
    acl: [],
    summary: 'Posts a message to a channel.',
    since: '2.0.0',
    complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
    run(c, argv) {
      c.reply.int(c.server.pubsub.publish(argv[1]!, argv[2]!));
    },
  },
  {
    // SPUBLISH shardchannel message
    name: 'spublish',
    arity: 3,
    flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
    acl: [],
    keys: { first: 1, last: 1, step: 1 },
    summary: 'Posts a message to a shard channel.',
    since: '7.0.0',
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
    run(c, argv) {
      c.reply.int(c.server.pubsub.publishShard(argv[1]!, argv[2]!));
    },
  },
  {
    name: 'pubsub',
    arity: -2,
    flags: [],
    acl: [],
    summary: 'A container for Pub/Sub commands.',
    since: '2.8.0',
    complexity: 'Depends on subcommand.',
    subcommands: subcommands([
      {
        // PUBSUB CHANNELS [pattern]
        name: 'channels',
        arity: -2,
        flags: ['pubsub', 'loading', 'stale'],
        acl: [],
        summary: 'Returns the active channels.',
        since: '2.8.0',
        complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
        run(c, argv) {
          listChannels(c, c.server.pubsub.channels, argv[2]);
        },
      },
      {
        // PUBSUB NUMSUB [channel [channel ...]]
        name: 'numsub',
        arity: -2,
        flags: ['pubsub', 'loading', 'stale'],
        acl: [],
        summary: 'Returns a count of subscribers to channels.',
        since: '2.8.0',
        complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
        run(c, argv) {
          numsub(c, c.server.pubsub.channels, argv.slice(2));
        },
      },
      {
        // PUBSUB NUMPAT
        name: 'numpat',
        arity: 2,
        flags: ['pubsub', 'loading', 'stale'],
        acl: [],
        summary: 'Returns a count of unique pattern subscriptions.',
        since: '2.8.0',
        complexity: 'O(1)',
        run(c) {
          c.reply.int(c.server.pubsub.patterns.size);
        },
      },
      {
        // PUBSUB SHARDCHANNELS [pattern]
        name: 'shardchannels',
        arity: -2,
        flags: ['pubsub', 'loading', 'stale'],
        acl: [],
        summary: 'Returns the active shard channels.',
        since: '7.0.0',
        complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
        run(c, argv) {
          listChannels(c, c.server.pubsub.shardChannels, argv[2]);
        },
      },
      {
        // PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
        name: 'shardnumsub',
        arity: -2,
        flags: ['pubsub', 'loading', 'stale'],
        acl: [],
        summary: 'Returns the count of subscribers of shard channels.',
        since: '7.0.0',
        complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
        run(c, argv) {
          numsub(c, c.server.pubsub.shardChannels, argv.slice(2));
        },
      },
      {
        // PUBSUB HELP
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        acl: [],
        summary: 'Returns helpful text about the different subcommands.',
        since: '6.2.0',
        complexity: 'O(1)',
        run(c) {
          replyHelp(c, 'PUBSUB', [
            'CHANNELS [<pattern>]',
            '    List the channels that have subscribers, optionally only those matching <pattern>.',
            'NUMPAT',
            '    Count the distinct patterns subscribed to.',
            'NUMSUB [<channel> ...]',
            '    Count the subscribers of each given channel (pattern subscribers are not counted).',
            'SHARDCHANNELS [<pattern>]',
            '    List the shard channels that have subscribers, optionally only those matching <pattern>.',
            'SHARDNUMSUB [<shardchannel> ...]',
            '    Count the subscribers of each given shard channel.',
          ]);
        },
      },
    ]),
  },
]);

/**
 * Pub/Sub registry: channel, pattern and shard-channel subscriptions, message delivery, and the pubsub class of
 * client-output-buffer-limit (a subscriber that cannot keep up is disconnected instead of growing memory).
 */
import { matchGlob } from '../util/glob.js';
import type { Client } from './client.js';

export type SubKind = 'channel' | 'pattern' | 'shard';

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  readonly shardChannels = new Map<string, Set<Client>>();

  private table(kind: SubKind): Map<string, Set<Client>> {
    return kind === 'channel' ? this.channels : kind === 'pattern' ? this.patterns : this.shardChannels;
  }

  /** Adds a subscription; false when the client already had it. */
  subscribe(c: Client, kind: SubKind, name: string): boolean {
    const mine = c.subscriptions(kind);
    if (mine.has(name)) return false;
    mine.add(name);
    const t = this.table(kind);
    let set = t.get(name);
    if (set === undefined) t.set(name, (set = new Set()));
    set.add(c);
    return true;
  }

  /** Removes a subscription; false when the client did not have it. */
  unsubscribe(c: Client, kind: SubKind, name: string): boolean {
    const mine = c.subscriptions(kind);
    if (!mine.delete(name)) return false;
    const t = this.table(kind);
    const set = t.get(name);
    if (set !== undefined) {
      set.delete(c);
      if (set.size === 0) t.delete(name);
    }
    return true;
  }

  /** Drops every subscription of a disconnecting client. */
  removeClient(c: Client): void {
    for (const kind of ['channel', 'pattern', 'shard'] as const) {
      for (const name of [...c.subscriptions(kind)]) this.unsubscribe(c, kind, name);
    }
  }

  /** Delivers a message; returns the number of clients that received it (Redis counts pattern matches too). */
  publish(channel: string, message: string): number {
    let n = 0;
    const subs = this.channels.get(channel);
    if (subs !== undefined) {
      for (const c of subs) {
        const r = c.reply;
        r.push(3);
        r.bulk('message');
        r.bulk(channel);
        r.bulk(message);
        this.delivered(c);
        n++;
      }
    }
    if (this.patterns.size > 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!matchGlob(pattern, channel)) continue;
        for (const c of clients) {
          const r = c.reply;
          r.push(4);
          r.bulk('pmessage');
          r.bulk(pattern);
          r.bulk(channel);
          r.bulk(message);
          this.delivered(c);
          n++;
        }
      }
    }
    return n;
  }

  /** SPUBLISH: shard channels have no patterns. */
  publishShard(channel: string, message: string): number {
    const subs = this.shardChannels.get(channel);
    if (subs === undefined) return 0;
    for (const c of subs) {
      const r = c.reply;
      r.push(3);
      r.bulk('smessage');
      r.bulk(channel);
      r.bulk(message);
      this.delivered(c);
    }
    return subs.size;
  }

  /** Schedules the write and enforces the pubsub output buffer limit. */
  private delivered(c: Client): void {
    c.flushSoon();
    c.checkOutputLimit('pubsub');
  }
}

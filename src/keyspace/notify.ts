/**
 * Keyspace notifications (`notify-keyspace-events`): event classes as bits, parsed from the config string, and
 * the channel names Redis publishes on: `__keyspace@<db>__:<key>` (message: event) and `__keyevent@<db>__:<event>`
 * (message: key).
 */
export const N = {
  keyspace: 1 << 0, // K
  keyevent: 1 << 1, // E
  generic: 1 << 2, // g
  string: 1 << 3, // $
  list: 1 << 4, // l
  set: 1 << 5, // s
  hash: 1 << 6, // h
  zset: 1 << 7, // z
  expired: 1 << 8, // x
  evicted: 1 << 9, // e
  stream: 1 << 10, // t
  keyMiss: 1 << 11, // m
  module: 1 << 12, // d
  newKey: 1 << 13, // n
} as const;

const CLASS_OF: Record<string, number> = {
  K: N.keyspace,
  E: N.keyevent,
  g: N.generic,
  $: N.string,
  l: N.list,
  s: N.set,
  h: N.hash,
  z: N.zset,
  x: N.expired,
  e: N.evicted,
  t: N.stream,
  m: N.keyMiss,
  d: N.module,
  n: N.newKey,
};

/** Bits for a (validated) `notify-keyspace-events` value; 'A' is g$lshzxetd. */
export function parseNotifyFlags(v: string): number {
  let flags = 0;
  for (const ch of v) {
    if (ch === 'A') for (const x of 'g$lshzxetd') flags |= CLASS_OF[x]!;
    else flags |= CLASS_OF[ch] ?? 0;
  }
  return flags;
}

/** Publishes one event on the keyspace and/or keyevent channel, as the flags ask. */
export function publishEvent(
  flags: number,
  publish: (channel: string, message: string) => void,
  event: string,
  dbId: number,
  key: string,
): void {
  if (flags & N.keyspace) publish(`__keyspace@${dbId}__:${key}`, event);
  if (flags & N.keyevent) publish(`__keyevent@${dbId}__:${event}`, key);
}

/**
 * A reply sink that builds values instead of bytes: the client scripts run their commands through (redis.call)
 * writes here, and the script engine converts the values to Lua.
 *
 * It mirrors the RESP encoder's choices per protocol, so a script sees exactly what a client of that protocol would
 * get: in RESP2 a map is a flat array, a set an array, a double a bulk string, a boolean an integer, a verbatim string
 * a bulk string; in RESP3 they keep their types and both nulls are one null.
 *
 * The class extends RespEncoder only so a Client can hold it where the encoder is expected (`Client.reply`); every
 * method is overridden and nothing is encoded.
 */
import type { Reply } from './reply.js';
import { RespEncoder, formatDouble17g } from './writer.js';

export type Value =
  | { t: 'status' | 'error' | 'bulk' | 'bignum'; s: string }
  | { t: 'int'; n: number | bigint }
  | { t: 'nil' | 'nilArray' | 'null' }
  | { t: 'array' | 'set' | 'push'; items: Value[] }
  /** Keys and values alternate in `items`. */
  | { t: 'map'; items: Value[] }
  | { t: 'double'; d: number }
  | { t: 'bool'; b: boolean }
  | { t: 'verbatim'; s: string; format: string };

type Aggregate = { items: Value[] };

const EMPTY = Buffer.alloc(0);

export class ValueReply extends RespEncoder implements Reply {
  /** Open aggregates, innermost last, with the number of elements each still expects. */
  private open: { agg: Aggregate; left: number }[] = [];
  private done: Value[] = [];

  /** The complete top-level values written since the last call, oldest first. */
  values(): Value[] {
    const out = this.done;
    this.done = [];
    this.open = [];
    return out;
  }

  private add(v: Value): void {
    const open = this.open;
    if (open.length === 0) {
      this.done.push(v);
      return;
    }
    const top = open[open.length - 1]!;
    top.agg.items.push(v);
    top.left--;
    this.close();
  }

  /** Pops the aggregates that received all their elements. */
  private close(): void {
    const open = this.open;
    while (open.length > 0 && open[open.length - 1]!.left === 0) open.pop();
  }

  /** Opens an aggregate that will hold `count` values. */
  private aggregate(t: 'array' | 'set' | 'push' | 'map', count: number): void {
    const v = { t, items: [] } as Value & Aggregate;
    this.add(v);
    if (count > 0) this.open.push({ agg: v, left: count });
  }

  override ok(): void {
    this.add({ t: 'status', s: 'OK' });
  }

  override status(s: string): void {
    this.add({ t: 'status', s });
  }

  override error(s: string): void {
    this.add({ t: 'error', s });
  }

  override int(n: number | bigint): void {
    this.add({ t: 'int', n });
  }

  override bulk(s: string): void {
    this.add({ t: 'bulk', s });
  }

  override bulkBuffer(b: Buffer): void {
    this.add({ t: 'bulk', s: b.toString('latin1') });
  }

  override bulks(items: readonly string[]): void {
    this.array(items.length);
    for (const s of items) this.bulk(s);
  }

  override nil(): void {
    this.add(this.resp === 3 ? { t: 'null' } : { t: 'nil' });
  }

  override nilArray(): void {
    this.add(this.resp === 3 ? { t: 'null' } : { t: 'nilArray' });
  }

  override array(n: number): void {
    this.aggregate('array', n);
  }

  override map(n: number): void {
    this.aggregate(this.resp === 3 ? 'map' : 'array', n * 2);
  }

  override set(n: number): void {
    this.aggregate(this.resp === 3 ? 'set' : 'array', n);
  }

  override push(n: number): void {
    this.aggregate(this.resp === 3 ? 'push' : 'array', n);
  }

  override double(d: number, resp2Text?: string): void {
    if (this.resp === 3) this.add({ t: 'double', d });
    else this.bulk(resp2Text ?? formatDouble17g(d));
  }

  override bool(b: boolean): void {
    if (this.resp === 3) this.add({ t: 'bool', b });
    else this.int(b ? 1 : 0);
  }

  override verbatim(s: string, format = 'txt'): void {
    if (this.resp === 3) this.add({ t: 'verbatim', s, format });
    else this.bulk(s);
  }

  /** Pre-encoded bytes have no value form; they reach a script as one bulk string. */
  override rawBytes(b: Buffer): void {
    this.bulk(b.toString('latin1'));
  }

  override get pending(): number {
    return 0;
  }

  override flush(): void {}

  override take(): Buffer {
    this.values();
    return EMPTY;
  }
}

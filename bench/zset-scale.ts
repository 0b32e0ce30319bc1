/**
 * Sorted set scaling: per-operation time of ZADD (re-scoring an existing member, which moves it in the skiplist)
 * and ZRANK on a 1,000-member and a 1,000,000-member sorted set, pipelined over one connection to an in-process
 * server. Both are O(log N): going from 10^3 to 10^6 members may cost at most about log(10^6)/log(10^3) = 2 times
 * more per operation (most of the time per operation is the fixed cost of parsing and replying). ZSCORE, an O(1)
 * hash lookup, is measured alongside as a control: its growth is what a big set's cache misses alone cost.
 *
 *   npx tsc -p . && node dist/bench/zset-scale.js [ops] [sizes, comma-separated]
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { startServer } from '../src/index.js';

const OPS = Number(process.argv[2] ?? 200_000);
const SIZES = process.argv[3] ? process.argv[3].split(',').map(Number) : [1_000, 1_000_000];
const BATCH = 2_000;

function encode(args: string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** A pipelining client: sends commands in batches and counts replies (every reply here is one line). */
class Pipe {
  private pending = 0;
  private done: (() => void) | null = null;
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      let n = 0;
      for (let i = 0; i < d.length; i++) if (d[i] === 10) n++;
      this.pending -= n;
      if (this.pending <= 0 && this.done) {
        const f = this.done;
        this.done = null;
        f();
      }
    });
  }

  static connect(port: number): Promise<Pipe> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(new Pipe(s)));
      s.once('error', reject);
    });
  }

  /** Sends `count` commands made by `make(i)`, BATCH at a time, and waits for every reply. */
  async run(count: number, make: (i: number) => string[]): Promise<void> {
    for (let start = 0; start < count; start += BATCH) {
      const end = Math.min(count, start + BATCH);
      let chunk = '';
      for (let i = start; i < end; i++) chunk += encode(make(i));
      this.pending += end - start;
      const finished = new Promise<void>((r) => (this.done = r));
      this.socket.write(chunk, 'latin1');
      await finished;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A cheap deterministic PRNG, so both sizes see the same kind of access pattern. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

async function main(): Promise<void> {
  const server = await startServer({ port: 0 });
  const pipe = await Pipe.connect(server.port);
  const rows: { n: number; zadd: number; zrank: number; zscore: number }[] = [];
  try {
    for (const n of SIZES) {
      const key = `z${n}`;
      // Populate with 1,000 members per ZADD.
      const per = 1000;
      await pipe.run(Math.ceil(n / per), (b) => {
        const args = ['ZADD', key];
        for (let i = b * per; i < Math.min(n, (b + 1) * per); i++) args.push(String(i), `member:${i}`);
        return args;
      });
      const random = rng(n);
      const members: string[] = [];
      const scores: string[] = [];
      for (let i = 0; i < OPS; i++) {
        members.push(`member:${Math.floor(random() * n)}`);
        scores.push(String(Math.floor(random() * n)));
      }
      // Warm up both paths, then measure.
      await pipe.run(Math.min(OPS, 20_000), (i) => ['ZRANK', key, members[i]!]);
      let t = performance.now();
      await pipe.run(OPS, (i) => ['ZADD', key, scores[i]!, members[i]!]);
      const zadd = ((performance.now() - t) * 1000) / OPS;
      t = performance.now();
      await pipe.run(OPS, (i) => ['ZRANK', key, members[i]!]);
      const zrank = ((performance.now() - t) * 1000) / OPS;
      t = performance.now();
      await pipe.run(OPS, (i) => ['ZSCORE', key, members[i]!]);
      const zscore = ((performance.now() - t) * 1000) / OPS;
      rows.push({ n, zadd, zrank, zscore });
      await pipe.run(1, () => ['DEL', key]);
    }
  } finally {
    pipe.close();
    await server.close();
  }
  const log = (n: number) => Math.log2(n);
  console.log(`sorted set scaling, ${OPS} pipelined operations per measurement (µs per operation)`);
  console.log('members     ZADD (µs)   ZRANK (µs)   ZSCORE (µs, O(1) control)');
  for (const r of rows) {
    console.log(`${String(r.n).padEnd(11)} ${r.zadd.toFixed(3).padStart(9)}   ${r.zrank.toFixed(3).padStart(10)}   ${r.zscore.toFixed(3).padStart(10)}`);
  }
  const [a, b] = [rows[0]!, rows[rows.length - 1]!];
  const bound = log(b.n) / log(a.n);
  console.log(
    `growth ${a.n} → ${b.n}: ZADD ×${(b.zadd / a.zadd).toFixed(2)}, ZRANK ×${(b.zrank / a.zrank).toFixed(2)} ` +
      `(log N grows ×${bound.toFixed(2)}; ZSCORE, a single hash lookup, ×${(b.zscore / a.zscore).toFixed(2)} from cache misses alone)`,
  );
}

await main();

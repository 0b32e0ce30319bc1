/**
 * List scaling benchmark: per-operation cost of LPUSH and RPOP on a 1,000-element and a 1,000,000-element list,
 * through an in-process server with pipelined raw RESP, plus the deque alone. The cost must not grow with size.
 *
 *   npx tsc -p . && node dist/bench/list-scale.js
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { startServer } from '../src/index.js';
import { List } from '../src/types/list.js';
import { encodeCommand, replyLength } from '../test/helpers/resp.js';

/** A connection that sends a pipeline and resolves once that many replies have arrived. */
class Pipe {
  private pending: Buffer = Buffer.alloc(0);
  private want = 0;
  private got = 0;
  private done: (() => void) | null = null;

  constructor(private socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, d]) : d;
      let pos = 0;
      for (;;) {
        const n = replyLength(this.pending, pos);
        if (n < 0) break;
        if (this.pending[pos] === 45) throw new Error(`error reply: ${this.pending.toString('latin1', pos, pos + n)}`);
        pos += n;
        this.got++;
      }
      this.pending = this.pending.subarray(pos);
      if (this.got >= this.want && this.done) {
        const d = this.done;
        this.done = null;
        d();
      }
    });
  }

  static connect(port: number): Promise<Pipe> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(new Pipe(s)));
      s.once('error', reject);
    });
  }

  send(payload: Buffer, replies: number): Promise<void> {
    this.want = replies;
    this.got = 0;
    return new Promise((resolve) => {
      this.done = resolve;
      this.socket.write(payload);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

const BATCH = 20_000;
const ROUNDS = 7;

/** Fills `key` with `n` elements in pipelined RPUSHes of 1,000. */
async function fill(p: Pipe, key: string, n: number): Promise<void> {
  const chunk = Array.from({ length: 1000 }, (_, i) => `element-${i}`);
  const cmds: Buffer[] = [];
  for (let i = 0; i < n; i += 1000) cmds.push(encodeCommand(['RPUSH', key, ...chunk.slice(0, Math.min(1000, n - i))]));
  for (let i = 0; i < cmds.length; i += 100) {
    const part = cmds.slice(i, i + 100);
    await p.send(Buffer.concat(part), part.length);
  }
}

/** ns per command of one pipelined batch of `cmd`, then the batch undone so the list keeps its size. */
async function measure(p: Pipe, cmd: string[]): Promise<number> {
  const payload = Buffer.concat(Array.from({ length: BATCH }, () => encodeCommand(cmd)));
  const t0 = performance.now();
  await p.send(payload, BATCH);
  const ns = ((performance.now() - t0) * 1e6) / BATCH;
  const undo = encodeCommand(cmd[0] === 'LPUSH' ? ['RPOP', cmd[1]!] : ['LPUSH', cmd[1]!, 'refill']);
  await p.send(Buffer.concat(Array.from({ length: BATCH }, () => undo)), BATCH);
  return ns;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** ns per deque operation for a push/pop pair on a list of `n` elements. */
function dequeOps(n: number): number {
  const l = new List();
  for (let i = 0; i < n; i++) l.pushBack(`element-${i % 1000}`);
  const ops = 2_000_000;
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) {
    l.pushFront('value');
    l.popBack();
  }
  return ((performance.now() - t0) * 1e6) / (ops * 2);
}

async function main(): Promise<void> {
  const srv = await startServer({ port: 0 });
  const p = await Pipe.connect(srv.port);
  const sizes = [1_000, 1_000_000];
  const samples = sizes.map(() => ({ lpush: [] as number[], rpop: [] as number[] }));
  try {
    for (const n of sizes) await fill(p, `list:${n}`, n);
    // Rounds alternate between the sizes so background load affects both alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < sizes.length; k++) {
        samples[k]!.lpush.push(await measure(p, ['LPUSH', `list:${sizes[k]}`, 'value']));
        samples[k]!.rpop.push(await measure(p, ['RPOP', `list:${sizes[k]}`]));
      }
    }
  } finally {
    p.close();
    await srv.close();
  }
  const rows = sizes.map((n, k): [string, number, number, number] => [
    n.toLocaleString('en-US'),
    median(samples[k]!.lpush),
    median(samples[k]!.rpop),
    dequeOps(n),
  ]);
  const pad = (s: string, w: number) => s.padStart(w);
  console.log(`Pipelined batches of ${BATCH} commands, median of ${ROUNDS} rounds (ns per command, through the server):`);
  console.log(`${pad('list size', 12)} ${pad('LPUSH ns/op', 12)} ${pad('RPOP ns/op', 12)} ${pad('deque ns/op', 12)}`);
  for (const [n, a, b, d] of rows) console.log(`${pad(n, 12)} ${pad(a.toFixed(0), 12)} ${pad(b.toFixed(0), 12)} ${pad(d.toFixed(1), 12)}`);
  const [small, big] = rows;
  const ratio = Math.max(big![1] / small![1], big![2] / small![2]);
  console.log(`Largest 1M/1k ratio: ${ratio.toFixed(2)} (flat when close to 1)`);
}

await main();

/**
 * Real server processes for integration tests: Strata (`bin/strata-server.js`) and, where installed, redis-server
 * as the oracle. Each binds 127.0.0.1 on a free port, uses a temp dir, and is stopped by `stop()`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const STRATA_BIN = path.join(ROOT, 'bin/strata-server.js');

export interface RunningProcess {
  port: number;
  dir: string;
  proc: ChildProcess;
  /** Everything the process printed. */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

let redisAvailable: boolean | undefined;
/** Whether `redis-server` is installed (differential tests skip with a notice when it is not). */
export function hasRedis(): boolean {
  if (redisAvailable === undefined) {
    const r = spawnSync('redis-server', ['--version']);
    redisAvailable = r.status === 0;
  }
  return redisAvailable;
}

export function hasRedisCli(): boolean {
  return spawnSync('redis-cli', ['--version']).status === 0;
}

async function launch(cmd: string, args: string[], dir: string, port: number, ready: RegExp): Promise<RunningProcess> {
  const proc = spawn(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d.toString()));
  proc.stderr!.on('data', (d) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start:\n${out}`)), 15000);
    const check = () => {
      if (ready.test(out)) {
        clearTimeout(timer);
        proc.stdout!.off('data', check);
        resolve();
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited with ${code}:\n${out}`));
    });
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    port,
    dir,
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts strata-server as a child process. Extra args are `--name value` directives. */
export async function startStrata(extra: string[] = []): Promise<RunningProcess> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'strata-test-'));
  return launch(process.execPath, [STRATA_BIN, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...extra], dir, port, /Ready to accept connections/);
}

/** Starts a throwaway redis-server (no persistence). */
export async function startRedis(extra: string[] = []): Promise<RunningProcess> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'redis-oracle-'));
  return launch(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'yes', ...extra],
    dir,
    port,
    /Ready to accept connections/,
  );
}

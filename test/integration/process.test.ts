/**
 * The strata-server process: config files and flags, start-up errors naming the line, the start line, clean
 * shutdown on signals, and the in-process embedding API.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp.js';
import { freePort, STRATA_BIN, startStrata } from '../helpers/servers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'strata-proc-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function runFailing(args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [STRATA_BIN, ...args], { encoding: 'utf8', timeout: 10000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('strata-server process', () => {
  it('reads a config file, then flags override it', async () => {
    const port = await freePort();
    const conf = path.join(tmp, 'ok.conf');
    writeFileSync(conf, `# a comment\nport 1\nbind 127.0.0.1\ndatabases 4\nloglevel notice\nsave ""\nsave 900 1 300 10\n`);
    const proc = spawn(process.execPath, [STRATA_BIN, conf, '--port', String(port), '--dir', tmp]);
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', () => /Ready to accept/.test(out) && resolve());
      proc.on('exit', () => reject(new Error(out)));
    });
    assert.match(out, new RegExp(`Strata \\S+ \\(Redis [\\d.]+ compatible\\) started, port=${port} pid=${proc.pid}`));
    const c = await RawClient.connect(port);
    assert.equal(await c.cmd('SELECT', '3'), '+OK\r\n');
    assert.equal(await c.cmd('SELECT', '4'), '-ERR DB index is out of range\r\n');
    c.close();
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    proc.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(out, /Received SIGTERM scheduling shutdown/);
  });

  it('refuses an unknown directive, naming the line', () => {
    const conf = path.join(tmp, 'bad.conf');
    writeFileSync(conf, 'port 7000\n\nno-such-directive yes\n');
    const r = runFailing([conf]);
    assert.equal(r.code, 1);
    assert.match(r.out, /at line 3/);
    assert.match(r.out, />>> 'no-such-directive yes'/);
    assert.match(r.out, /Bad directive or wrong number of arguments/);
  });

  it('refuses a malformed value and a bad flag', () => {
    const conf = path.join(tmp, 'badval.conf');
    writeFileSync(conf, 'port notanumber\n');
    const r = runFailing([conf]);
    assert.equal(r.code, 1);
    assert.match(r.out, /at line 1/);
    assert.match(r.out, /couldn't be parsed into an integer/);
    const f = runFailing(['--no-such-flag', '1']);
    assert.equal(f.code, 1);
    assert.match(f.out, /no-such-flag/);
  });

  it('stops on SHUTDOWN', async () => {
    const s = await startStrata();
    const c = await RawClient.connect(s.port);
    const exited = new Promise<number | null>((r) => s.proc.on('exit', (code) => r(code)));
    c.writeRaw('*1\r\n$8\r\nSHUTDOWN\r\n');
    assert.equal(await exited, 0);
    await s.stop();
  });
});

describe('embedding with startServer()', () => {
  it('starts on a free port, serves ioredis and closes', async () => {
    const server = await startServer({ port: 0, databases: 4 });
    assert.ok(server.port > 0);
    const redis = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true });
    await redis.connect();
    assert.equal(await redis.set('k', 'v'), 'OK');
    assert.equal(await redis.get('k'), 'v');
    await assert.rejects(redis.select(4), /DB index is out of range/);
    redis.disconnect();
    await server.close();
  });

  it('rejects unknown options', async () => {
    await assert.rejects(startServer({ port: 0, 'no-such-option': 1 }), /Unknown configuration directive/);
  });
});

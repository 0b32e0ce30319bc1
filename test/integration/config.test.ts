/**
 * CONFIG against a real strata-server: GET (RESP2 array, RESP3 map), SET taking effect (requirepass, hz, loglevel,
 * proto-max-bulk-len, maxclients, timeout), atomic failures, RESETSTAT, REWRITE of the start-up file, and
 * redis-benchmark's start-up CONFIG GET.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RawClient } from '../helpers/resp.js';
import { freePort, startStrata, STRATA_BIN, type RunningProcess } from '../helpers/servers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function infoField(info: string, name: string): string | undefined {
  const m = new RegExp(`\\r\\n${name}:([^\\r]*)\\r\\n`).exec(info);
  return m?.[1];
}

describe('CONFIG', () => {
  let strata: RunningProcess;
  let redis: Redis;

  before(async () => {
    strata = await startStrata();
    redis = new Redis({ port: strata.port, host: '127.0.0.1' });
  });
  after(async () => {
    redis?.disconnect();
    await strata?.stop();
  });

  it('GET answers save and appendonly (what redis-benchmark asks) and patterns', async () => {
    assert.deepEqual(await redis.config('GET', 'save'), ['save', '3600 1 300 100 60 10000']);
    assert.deepEqual(await redis.config('GET', 'appendonly'), ['appendonly', 'no']);
    assert.deepEqual(await redis.config('GET', 'port'), ['port', String(strata.port)]);
    const mm = (await redis.config('GET', 'maxmemory*')) as string[];
    const names = mm.filter((_, i) => i % 2 === 0);
    assert.ok(names.includes('maxmemory') && names.includes('maxmemory-policy'));
    assert.deepEqual(await redis.config('GET', 'nosuch'), []);
    const both = (await redis.call('CONFIG', 'GET', 'hz', 'databases')) as string[];
    assert.deepEqual(both, ['hz', '10', 'databases', '16']);
  });

  it('GET replies with a map in RESP3', async () => {
    const c = await RawClient.connect(strata.port);
    await c.call('HELLO', '3');
    assert.equal(await c.cmd('CONFIG', 'GET', 'hz'), '%1\r\n$2\r\nhz\r\n$2\r\n10\r\n');
    c.close();
  });

  it('redis-benchmark reads the configuration and runs', { skip: spawnSync('redis-benchmark', ['--version']).status === 0 ? false : 'redis-benchmark is not installed' }, () => {
    const r = spawnSync('redis-benchmark', ['-p', String(strata.port), '-n', '200', '-c', '2', '-t', 'set,get', '-q'], { encoding: 'utf8', timeout: 30000 });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout + r.stderr;
    assert.doesNotMatch(out, /Could not fetch server CONFIG/);
    assert.match(out, /SET: [\d.]+ requests per second/);
    assert.match(out, /GET: [\d.]+ requests per second/);
  });

  it('SET is atomic: one bad pair leaves every value as it was', async () => {
    await assert.rejects(
      redis.config('SET', 'hz', '20', 'maxmemory', 'lots' as string),
      /ERR CONFIG SET failed \(possibly related to argument 'maxmemory'\) - argument must be a memory value/,
    );
    assert.deepEqual(await redis.config('GET', 'hz'), ['hz', '10']);
    await assert.rejects(redis.config('SET', 'databases', '4'), /can't set immutable config/);
    await assert.rejects(redis.config('SET', 'nosuch', '1'), /ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'/);
    await assert.rejects(redis.config('SET', 'dir', '/tmp'), /can't set protected config/);
    assert.equal(await redis.call('CONFIG', 'SET', 'hz', '20', 'maxmemory-policy', 'allkeys-lru'), 'OK');
    assert.deepEqual(await redis.config('GET', 'maxmemory-policy'), ['maxmemory-policy', 'allkeys-lru']);
    assert.equal(infoField(await redis.info('server'), 'hz'), '20');
    assert.equal(infoField(await redis.info('memory'), 'maxmemory_policy'), 'allkeys-lru');
    await redis.call('CONFIG', 'SET', 'hz', '10', 'maxmemory-policy', 'noeviction');
  });

  it('requirepass applies to new connections only', async () => {
    assert.equal(await redis.config('SET', 'requirepass', 's3cret'), 'OK');
    try {
      const c = await RawClient.connect(strata.port);
      assert.equal(await c.cmd('GET', 'k'), '-NOAUTH Authentication required.\r\n');
      assert.equal(await c.cmd('AUTH', 'wrong'), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
      assert.equal(await c.cmd('AUTH', 's3cret'), '+OK\r\n');
      assert.equal(await c.cmd('PING'), '+PONG\r\n');
      c.close();
      // The connection that set it stays authenticated.
      assert.equal(await redis.ping(), 'PONG');
    } finally {
      await redis.config('SET', 'requirepass', '');
    }
    const c = await RawClient.connect(strata.port);
    assert.equal(await c.cmd('PING'), '+PONG\r\n');
    c.close();
  });

  it('proto-max-bulk-len limits requests at once', async () => {
    await redis.config('SET', 'proto-max-bulk-len', '1mb');
    try {
      const c = await RawClient.connect(strata.port);
      c.writeRaw(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${2 * 1024 * 1024}\r\n`);
      assert.match(await c.cmd('PING'), /^-ERR Protocol error: invalid bulk length\r\n$/);
      c.close();
    } finally {
      await redis.config('SET', 'proto-max-bulk-len', '512mb');
    }
  });

  it('maxclients refuses connections beyond the limit', async () => {
    const clients = ((await redis.client('LIST')) as string).trimEnd().split('\n').length;
    await redis.config('SET', 'maxclients', String(clients));
    try {
      const c = await RawClient.connect(strata.port);
      assert.equal((await c.read()).toString(), '-ERR max number of clients reached\r\n');
      await c.closed();
    } finally {
      await redis.config('SET', 'maxclients', '10000');
    }
  });

  it('timeout closes idle clients', async () => {
    await redis.config('SET', 'timeout', '1');
    try {
      const c = await RawClient.connect(strata.port);
      assert.equal(await c.cmd('PING'), '+PONG\r\n');
      const t0 = performance.now();
      await c.closed();
      const waited = performance.now() - t0;
      assert.ok(waited > 800 && waited < 4000, `closed after ${waited} ms`);
    } finally {
      await redis.config('SET', 'timeout', '0');
    }
  });

  it('loglevel changes what the log shows', async () => {
    await redis.config('SET', 'loglevel', 'verbose');
    try {
      const c = await RawClient.connect(strata.port);
      c.writeRaw('*1\r\n$x\r\n');
      await c.closed();
      await sleep(50);
      assert.match(strata.output(), /Protocol error \(invalid bulk length\) from client/);
    } finally {
      await redis.config('SET', 'loglevel', 'notice');
    }
    assert.deepEqual(await redis.config('GET', 'loglevel'), ['loglevel', 'notice']);
  });

  it('RESETSTAT zeroes the INFO counters', async () => {
    await redis.set('a', '1');
    await redis.get('a');
    await assert.rejects(redis.call('GET'));
    assert.equal(await redis.config('RESETSTAT'), 'OK');
    const info = await redis.info('everything');
    assert.equal(infoField(info, 'keyspace_hits'), '0');
    assert.equal(infoField(info, 'total_error_replies'), '0');
    assert.ok(Number(infoField(info, 'total_commands_processed')) <= 1);
    assert.equal(infoField(info, 'cmdstat_get'), undefined);
    assert.doesNotMatch(info, /errorstat_/);
  });

  it('REWRITE without a config file fails like Redis', async () => {
    await assert.rejects(redis.config('REWRITE'), /ERR The server is running without a config file/);
  });
});

describe('CONFIG REWRITE', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'strata-rewrite-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('rewrites the start-up file: changed values in place, comments kept, new ones appended', async () => {
    const port = await freePort();
    const conf = path.join(tmp, 'strata.conf');
    writeFileSync(conf, `# my settings\nport ${port}\nbind 127.0.0.1\n\n# memory\nmaxmemory 1mb\nhz 10\nhz 12\nsave ""\n`);
    const proc = spawn(process.execPath, [STRATA_BIN, conf, '--dir', tmp], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', () => /Ready to accept/.test(out) && resolve());
      proc.on('exit', () => reject(new Error(out)));
    });
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    const c = new Redis({ port, host: '127.0.0.1' });
    try {
      assert.deepEqual(await c.config('GET', 'hz'), ['hz', '12']);
      await c.config('SET', 'maxmemory', '2mb');
      await c.config('SET', 'maxmemory-policy', 'allkeys-lru');
      await c.config('SET', 'save', '900 1 300 10');
      await c.config('SET', 'requirepass', 'pa ss');
      assert.equal(await c.config('REWRITE'), 'OK');
      const text = readFileSync(conf, 'utf8');
      const lines = text.split('\n');
      assert.equal(lines[0], '# my settings');
      assert.ok(lines.includes(`port ${port}`));
      assert.ok(lines.includes('# memory'));
      assert.ok(lines.includes('maxmemory 2mb'));
      assert.equal(lines.filter((l) => l.startsWith('hz ')).length, 1);
      assert.ok(lines.includes('hz 12'));
      assert.ok(lines.includes('save 900 1') && lines.includes('save 300 10'));
      assert.ok(lines.includes('# Generated by CONFIG REWRITE'));
      assert.ok(lines.includes('maxmemory-policy allkeys-lru'));
      assert.ok(lines.includes('requirepass "pa ss"'));
      assert.match(out, /CONFIG REWRITE executed with success/);
      // A second rewrite changes nothing.
      assert.equal(await c.config('REWRITE'), 'OK');
      assert.equal(readFileSync(conf, 'utf8'), text);
    } finally {
      c.disconnect();
      proc.kill('SIGTERM');
      await exited;
    }
    // The rewritten file starts a server with the same settings.
    const again = spawnSync(process.execPath, [STRATA_BIN, '--version']);
    assert.equal(again.status, 0);
    const port2 = await freePort();
    const proc2 = spawn(process.execPath, [STRATA_BIN, conf, '--port', String(port2), '--dir', tmp], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out2 = '';
    proc2.stdout.on('data', (d) => (out2 += d));
    await new Promise<void>((resolve, reject) => {
      proc2.stdout.on('data', () => /Ready to accept/.test(out2) && resolve());
      proc2.on('exit', () => reject(new Error(out2)));
    });
    const exited2 = new Promise<void>((r) => proc2.once('exit', () => r()));
    const c2 = new Redis({ port: port2, host: '127.0.0.1', password: 'pa ss' });
    try {
      assert.deepEqual(await c2.config('GET', 'save'), ['save', '900 1 300 10']);
      assert.deepEqual(await c2.config('GET', 'maxmemory'), ['maxmemory', String(2 * 1024 * 1024)]);
    } finally {
      c2.disconnect();
      proc2.kill('SIGTERM');
      await exited2;
    }
  });
});

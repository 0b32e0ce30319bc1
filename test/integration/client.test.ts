/**
 * CLIENT subcommands against a real strata-server: names and ids, LIST / INFO lines, KILL, PAUSE / UNPAUSE,
 * REPLY modes (compared byte for byte with redis-server where it is installed), SETINFO, NO-EVICT, NO-TOUCH.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { encodeCommand, RawClient } from '../helpers/resp.js';
import { hasRedis, startRedis, startStrata, type RunningProcess } from '../helpers/servers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CLIENT LIST fields in Redis 7.2's order. */
const FIELDS = [
  'id',
  'addr',
  'laddr',
  'fd',
  'name',
  'age',
  'idle',
  'flags',
  'db',
  'sub',
  'psub',
  'ssub',
  'multi',
  'qbuf',
  'qbuf-free',
  'argv-mem',
  'multi-mem',
  'rbs',
  'rbp',
  'obl',
  'oll',
  'omem',
  'tot-mem',
  'events',
  'cmd',
  'user',
  'redir',
  'resp',
  'lib-name',
  'lib-ver',
];

function parseLine(line: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of line.split(' ')) {
    const i = part.indexOf('=');
    m.set(part.slice(0, i), part.slice(i + 1));
  }
  return m;
}

describe('CLIENT', () => {
  let strata: RunningProcess;
  let a: Redis;
  let b: Redis;

  before(async () => {
    strata = await startStrata();
    a = new Redis({ port: strata.port, host: '127.0.0.1' });
    b = new Redis({ port: strata.port, host: '127.0.0.1', retryStrategy: () => null });
    await Promise.all([a.ping(), b.ping()]);
  });
  after(async () => {
    a?.disconnect();
    b?.disconnect();
    await strata?.stop();
  });

  it('ID, SETNAME and GETNAME', async () => {
    const id = (await a.client('ID')) as number;
    assert.ok(id > 0);
    assert.notEqual(await b.client('ID'), id);
    assert.equal(await a.client('GETNAME'), null);
    assert.equal(await a.client('SETNAME', 'worker-1'), 'OK');
    assert.equal(await a.client('GETNAME'), 'worker-1');
    await assert.rejects(a.client('SETNAME', 'bad name'), /ERR Client names cannot contain spaces, newlines or special characters\./);
    assert.equal(await a.client('SETNAME', ''), 'OK');
    assert.equal(await a.client('GETNAME'), null);
  });

  it('INFO and LIST print Redis 7.2 fields in order, with filters', async () => {
    await a.client('SETNAME', 'conn-a');
    await a.call('SELECT', '3');
    const info = (await a.client('INFO')) as string;
    assert.ok(info.endsWith('\n'));
    const line = info.trimEnd();
    assert.deepEqual(
      line.split(' ').map((p) => p.slice(0, p.indexOf('='))),
      FIELDS,
    );
    const f = parseLine(line);
    assert.equal(f.get('id'), String(await a.client('ID')));
    assert.equal(f.get('name'), 'conn-a');
    assert.equal(f.get('db'), '3');
    assert.equal(f.get('cmd'), 'client|info');
    assert.equal(f.get('user'), 'default');
    assert.equal(f.get('resp'), '2');
    assert.match(f.get('addr')!, /^127\.0\.0\.1:\d+$/);
    assert.equal(f.get('laddr'), `127.0.0.1:${strata.port}`);
    assert.match(f.get('fd')!, /^\d+$/);
    assert.equal(f.get('flags'), 'N');
    await a.call('SELECT', '0');
    const list = ((await a.client('LIST')) as string).trimEnd().split('\n');
    assert.ok(list.length >= 2);
    const ids = list.map((l) => parseLine(l).get('id'));
    assert.ok(ids.includes(String(await b.client('ID'))));
    const bid = String(await b.client('ID'));
    const only = (await a.client('LIST', 'ID', bid, '999999')) as string;
    assert.equal(only.split('\n').length, 2);
    assert.equal(parseLine(only.trimEnd()).get('id'), bid);
    assert.equal(await a.call('CLIENT', 'LIST', 'TYPE', 'pubsub'), '');
    assert.ok(((await a.call('CLIENT', 'LIST', 'TYPE', 'normal')) as string).length > 0);
    await assert.rejects(a.call('CLIENT', 'LIST', 'TYPE', 'foo'), /ERR Unknown client type 'foo'/);
    await assert.rejects(a.client('LIST', 'ID', 'x'), /ERR Invalid client ID/);
  });

  it('CLIENT LIST / INFO are verbatim strings in RESP3', async () => {
    const c = await RawClient.connect(strata.port);
    await c.call('HELLO', '3');
    const r = await c.cmd('CLIENT', 'INFO');
    assert.match(r, /^=\d+\r\ntxt:id=\d+ addr=.* resp=3 lib-name= lib-ver=\n\r\n$/);
    c.close();
  });

  it('SETINFO records the library name and version', async () => {
    assert.equal(await a.call('CLIENT', 'SETINFO', 'LIB-NAME', 'mylib'), 'OK');
    assert.equal(await a.call('CLIENT', 'SETINFO', 'lib-ver', '1.2.3'), 'OK');
    const f = parseLine(((await a.client('INFO')) as string).trimEnd());
    assert.equal(f.get('lib-name'), 'mylib');
    assert.equal(f.get('lib-ver'), '1.2.3');
    await assert.rejects(a.call('CLIENT', 'SETINFO', 'lib-name', 'a b'), /ERR lib-name cannot contain spaces, newlines or special characters\./);
    await assert.rejects(a.call('CLIENT', 'SETINFO', 'other', 'x'), /ERR Unrecognized option 'other'/);
  });

  it('NO-EVICT and NO-TOUCH show as flags; NO-TOUCH keeps access times', async () => {
    assert.equal(await a.call('CLIENT', 'NO-EVICT', 'on'), 'OK');
    assert.equal(await a.call('CLIENT', 'NO-TOUCH', 'ON'), 'OK');
    assert.equal(parseLine(((await a.client('INFO')) as string).trimEnd()).get('flags'), 'eT');
    await assert.rejects(a.call('CLIENT', 'NO-TOUCH', 'maybe'), /ERR syntax error/);
    await b.set('touchme', 'v');
    await sleep(1100);
    await a.get('touchme');
    assert.ok(((await b.object('IDLETIME', 'touchme')) as number) >= 1, 'GET under NO-TOUCH changed the access time');
    await a.call('TOUCH', 'touchme');
    assert.equal(await b.object('IDLETIME', 'touchme'), 0);
    await a.call('CLIENT', 'NO-EVICT', 'off');
    await a.call('CLIENT', 'NO-TOUCH', 'off');
    assert.equal(parseLine(((await a.client('INFO')) as string).trimEnd()).get('flags'), 'N');
  });

  it('KILL closes the other connection (ID, ADDR, old form) and counts matches', async () => {
    const victim = new Redis({ port: strata.port, host: '127.0.0.1', retryStrategy: () => null, lazyConnect: true });
    await victim.connect();
    const vid = (await victim.client('ID')) as number;
    const closed = new Promise<void>((r) => victim.once('end', () => r()));
    assert.equal(await a.client('KILL', 'ID', String(vid)), 1);
    await closed;
    assert.equal(await a.client('KILL', 'ID', String(vid)), 0);

    const victim2 = await RawClient.connect(strata.port);
    const addr = parseLine(((await victim2.cmd('CLIENT', 'INFO')).split('\r\n')[1]!).trimEnd()).get('addr')!;
    assert.equal(await a.client('KILL', addr), 'OK');
    await victim2.closed();
    await assert.rejects(a.client('KILL', addr), /ERR No such client/);

    const victim3 = await RawClient.connect(strata.port);
    await victim3.cmd('PING');
    // SKIPME yes (the default) spares the caller; every other normal client goes.
    const killed = (await a.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes')) as number;
    assert.ok(killed >= 2, `killed ${killed}`);
    await victim3.closed();
    assert.equal(await a.ping(), 'PONG');
    await assert.rejects(a.client('KILL', 'ID', 'abc'), /ERR client-id should be greater than 0/);
    await assert.rejects(a.client('KILL', 'USER', 'nobody'), /ERR No such user 'nobody'/);
  });

  it('KILL of itself replies first, then closes', async () => {
    const c = await RawClient.connect(strata.port);
    const id = (await c.cmd('CLIENT', 'ID')).slice(1, -2);
    assert.equal(await c.cmd('CLIENT', 'KILL', 'ID', id, 'SKIPME', 'no'), ':1\r\n');
    await c.closed();
  });

  it('PAUSE WRITE holds writes, lets reads through, and UNPAUSE releases them', async () => {
    const p = new Redis({ port: strata.port, host: '127.0.0.1' });
    const w = new Redis({ port: strata.port, host: '127.0.0.1' });
    try {
      await w.set('paused', 'before');
      assert.equal(await p.client('PAUSE', '10000', 'WRITE'), 'OK');
      let done = false;
      const write = w.set('paused', 'after').then((r) => {
        done = true;
        return r;
      });
      assert.equal(await p.get('paused'), 'before');
      await sleep(100);
      assert.equal(done, false, 'a write ran during CLIENT PAUSE WRITE');
      assert.equal(await p.client('UNPAUSE'), 'OK');
      assert.equal(await write, 'OK');
      assert.equal(await p.get('paused'), 'after');
    } finally {
      p.disconnect();
      w.disconnect();
    }
  });

  it('PAUSE ALL holds every command until the timeout', async () => {
    const p = new Redis({ port: strata.port, host: '127.0.0.1' });
    try {
      const t0 = performance.now();
      assert.equal(await p.client('PAUSE', '300'), 'OK');
      assert.equal(await p.ping(), 'PONG');
      assert.ok(performance.now() - t0 >= 250, 'PING answered during CLIENT PAUSE ALL');
      await assert.rejects(p.call('CLIENT', 'PAUSE', '10', 'SOME'), /ERR CLIENT PAUSE mode must be WRITE or ALL/);
      await assert.rejects(p.client('PAUSE', '-1'), /ERR timeout is negative/);
    } finally {
      p.disconnect();
    }
  });

  it('REPLY OFF suppresses replies until REPLY ON; SKIP drops just the next one', async () => {
    const c = await RawClient.connect(strata.port);
    c.writeRaw(
      Buffer.concat([
        encodeCommand(['CLIENT', 'REPLY', 'OFF']),
        encodeCommand(['SET', 'r', '1']),
        encodeCommand(['PING']),
        encodeCommand(['NOSUCH']),
        encodeCommand(['CLIENT', 'REPLY', 'ON']),
        encodeCommand(['GET', 'r']),
        encodeCommand(['CLIENT', 'REPLY', 'SKIP']),
        encodeCommand(['GET', 'r']),
        encodeCommand(['PING', 'last']),
      ]),
    );
    assert.equal((await c.read()).toString(), '+OK\r\n');
    assert.equal((await c.read()).toString(), '$1\r\n1\r\n');
    assert.equal((await c.read()).toString(), '$4\r\nlast\r\n');
    c.close();
  });

  it('REPLY sequences give the same bytes as redis-server', { skip: hasRedis() ? false : 'redis-server is not installed' }, async () => {
    const redis = await startRedis();
    try {
      const script: string[][] = [
        ['CLIENT', 'REPLY', 'SKIP'],
        ['PING', 'a'],
        ['PING', 'b'],
        ['CLIENT', 'REPLY', 'OFF'],
        ['PING', 'c'],
        ['CLIENT', 'REPLY', 'bad'],
        ['GET'],
        ['CLIENT', 'REPLY', 'ON'],
        ['CLIENT', 'REPLY', 'SKIP'],
        ['CLIENT', 'REPLY', 'ON'],
        ['PING', 'e'],
        ['CLIENT', 'REPLY', 'SKIP'],
        ['CLIENT', 'REPLY', 'SKIP'],
        ['PING', 'f'],
        ['PING', 'g'],
        ['CLIENT', 'REPLY', 'OFF'],
        ['CLIENT', 'REPLY', 'SKIP'],
        ['PING', 'h'],
        ['CLIENT', 'REPLY', 'ON'],
        ['client', 'reply', 'skip'],
        ['NOSUCHCOMMAND'],
        ['PING', 'j'],
        ['CLIENT', 'REPLY', 'SKIP'],
        ['GET', 'too', 'many'],
        ['PING', 'k'],
        ['PING', 'end'],
      ];
      const run = async (port: number) => {
        const c = await RawClient.connect(port);
        c.writeRaw(Buffer.concat(script.map((s) => encodeCommand(s))));
        const out: string[] = [];
        for (;;) {
          const r = (await c.read()).toString('latin1');
          out.push(r);
          if (r === '$3\r\nend\r\n') break;
        }
        c.close();
        return out;
      };
      assert.deepEqual(await run(strata.port), await run(redis.port));
    } finally {
      await redis.stop();
    }
  });

  it('HELP lists the subcommands', async () => {
    const help = (await a.client('HELP')) as string[];
    assert.match(help[0]!, /^CLIENT <subcommand>/);
    for (const s of ['KILL <ip:port>', 'NO-TOUCH (ON|OFF)', 'PAUSE <timeout> [WRITE|ALL]', 'HELP']) assert.ok(help.includes(s), s);
  });
});

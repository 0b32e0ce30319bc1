/**
 * The script engine in process (a Server without sockets): replies byte for byte, the script cache, the sandbox and
 * the libraries' corner cases. Scripts run synchronously here (a client without a connection is never suspended).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Config } from '../../src/server/config.js';
import { Server } from '../../src/server/server.js';

const server = new Server(new Config());
server.log.enabled = false;
const c = server.createClient();

function run(...argv: string[]): string {
  server.execute(c, argv);
  return c.reply.take().toString('latin1');
}

const evalr = (body: string) => run('EVAL', body, '0');

describe('script engine', () => {
  after(() => server.close());

  it('caches scripts by SHA1 and runs them by digest', () => {
    assert.equal(run('SCRIPT', 'LOAD', 'return ARGV[1]'), '$40\r\n098e0f0d1448c0a81dafe820f66d460eb09263da\r\n');
    assert.equal(run('EVALSHA', '098E0F0D1448C0A81DAFE820F66D460EB09263DA', '0', 'hi'), '$2\r\nhi\r\n');
    assert.equal(run('SCRIPT', 'EXISTS', '098e0f0d1448c0a81dafe820f66d460eb09263da', 'x'), '*2\r\n:1\r\n:0\r\n');
    assert.equal(run('SCRIPT', 'FLUSH'), '+OK\r\n');
    assert.equal(run('EVALSHA', '098e0f0d1448c0a81dafe820f66d460eb09263da', '0'), '-NOSCRIPT No matching script. Please use EVAL.\r\n');
  });

  it('passes KEYS and ARGV and checks numkeys', () => {
    assert.equal(run('EVAL', 'return {KEYS[1], ARGV[1], #KEYS, #ARGV}', '1', 'k', 'a'), '*4\r\n$1\r\nk\r\n$1\r\na\r\n:1\r\n:1\r\n');
    assert.equal(run('EVAL', 'return 1', '2', 'k'), "-ERR Number of keys can't be greater than number of args\r\n");
    assert.equal(run('EVAL', 'return 1', '-1'), "-ERR Number of keys can't be negative\r\n");
  });

  it('keeps binary strings byte for byte', () => {
    const bin = '\x00\xff\x80abc\r\n';
    assert.equal(run('EVAL', "redis.call('SET', 'bin', ARGV[1]) return redis.call('GET', 'bin') .. '!'", '0', bin), `$${bin.length + 1}\r\n${bin}!\r\n`);
    assert.equal(run('EVAL', 'return #ARGV[1]', '0', bin), `:${bin.length}\r\n`);
  });

  it('uses doubles like Lua 5.1', () => {
    assert.equal(evalr('return tostring(1700000000 * 1000)'), '$13\r\n1700000000000\r\n');
    assert.equal(evalr('local x = 2147483647 return x + 1'), ':2147483648\r\n');
    assert.equal(evalr('return tostring(10 / 4) .. tostring(10 / 2)'), '$4\r\n2.55\r\n');
  });

  it('iterates array items in order', () => {
    assert.equal(evalr("local r = '' for _, v in pairs({'a', 'b', 'c'}) do r = r .. v end return r"), '$3\r\nabc\r\n');
  });

  it('decorates errors with the script and line', () => {
    assert.equal(evalr("local a = 1\nerror('bad')"), `-ERR user_script:2: bad script: ${sha1("local a = 1\nerror('bad')")}, on @user_script:2.\r\n`);
    assert.equal(evalr('return redis.call("nosuch")'), `-ERR Unknown Redis command called from script script: ${sha1('return redis.call("nosuch")')}, on @user_script:1.\r\n`);
  });

  it('refuses writes in read-only scripts', () => {
    assert.equal(run('EVAL_RO', "return redis.call('SET', 'x', 1)", '0'), `-ERR Write commands are not allowed from read-only scripts. script: ${sha1("return redis.call('SET', 'x', 1)")}, on @user_script:1.\r\n`);
    assert.equal(run('EVAL_RO', "return redis.call('EXISTS', 'x')", '0'), ':0\r\n');
  });

  it('counts script errors in the error stats', () => {
    const before = server.stats.errorReplies;
    evalr("error('x')");
    evalr("return redis.pcall('nosuch')");
    assert.ok(server.stats.errorReplies >= before + 2);
  });
});

function sha1(s: string): string {
  return createHash('sha1').update(s, 'latin1').digest('hex');
}

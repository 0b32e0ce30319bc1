/**
 * SORT and SORT_RO against a real strata-server, driven with ioredis: lists, sets and sorted sets; numeric and
 * ALPHA order; BY and GET patterns over strings and hash fields; LIMIT; STORE; errors.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startStrata, type RunningProcess } from '../helpers/servers.js';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_DOUBLE = "ERR One or more scores can't be converted into double";

async function rejects(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.message, message);
    return true;
  });
}

describe('SORT', () => {
  let server: RunningProcess;
  let r: Redis;

  before(async () => {
    server = await startStrata();
    r = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
    await r.connect();
  });
  after(async () => {
    r?.disconnect();
    await server?.stop();
  });
  beforeEach(async () => {
    await r.flushall();
  });

  it('sorts a list numerically, in reverse, alphabetically, with LIMIT', async () => {
    await r.rpush('l', '3', '1', '2', '10', '-5', '2.5');
    assert.deepEqual(await r.sort('l'), ['-5', '1', '2', '2.5', '3', '10']);
    assert.deepEqual(await r.sort('l', 'DESC'), ['10', '3', '2.5', '2', '1', '-5']);
    assert.deepEqual(await r.sort('l', 'ALPHA'), ['-5', '1', '10', '2', '2.5', '3']);
    assert.deepEqual(await r.sort('l', 'LIMIT', 1, 2), ['1', '2']);
    assert.deepEqual(await r.sort('l', 'LIMIT', -5, 2), ['-5', '1']);
    assert.deepEqual(await r.sort('l', 'LIMIT', 4, -1), ['3', '10']);
    assert.deepEqual(await r.sort('l', 'LIMIT', 6, 1), []);
    assert.deepEqual(await r.sort('l', 'LIMIT', 0, 0), []);
    assert.deepEqual(await r.call('SORT_RO', 'l', 'DESC', 'LIMIT', '0', '2'), ['10', '3']);
    // The list itself is untouched.
    assert.deepEqual(await r.lrange('l', 0, -1), ['3', '1', '2', '10', '-5', '2.5']);
  });

  it('BY a pattern without * keeps the native order (DESC reverses it, LIMIT cuts it)', async () => {
    await r.rpush('l', 'c', 'a', 'b', 'd');
    assert.deepEqual(await r.sort('l', 'BY', 'nosort'), ['c', 'a', 'b', 'd']);
    assert.deepEqual(await r.sort('l', 'BY', 'nosort', 'DESC'), ['d', 'b', 'a', 'c']);
    assert.deepEqual(await r.sort('l', 'BY', 'nosort', 'LIMIT', 1, 2), ['a', 'b']);
    assert.deepEqual(await r.sort('l', 'BY', 'nosort', 'DESC', 'LIMIT', 1, 2), ['b', 'a']);
    await r.zadd('z', 3, 'c', 1, 'a', 2, 'b');
    assert.deepEqual(await r.sort('z', 'BY', 'nosort'), ['a', 'b', 'c']);
    assert.deepEqual(await r.sort('z', 'BY', 'nosort', 'DESC', 'LIMIT', 0, 2), ['c', 'b']);
    assert.deepEqual(await r.sort('z', 'BY', 'nosort', 'LIMIT', 1, 5), ['b', 'c']);
  });

  it('sorts sets and sorted sets by their members', async () => {
    await r.sadd('s', '5', '3', '-1', '10');
    assert.deepEqual(await r.sort('s'), ['-1', '3', '5', '10']);
    assert.deepEqual(await r.sort('s', 'ALPHA', 'DESC'), ['5', '3', '10', '-1']);
    await r.sadd('w', 'pear', 'apple', 'fig');
    assert.deepEqual(await r.sort('w', 'ALPHA'), ['apple', 'fig', 'pear']);
    await rejects(r.sort('w'), NOT_DOUBLE);
    // Storing an unsorted set sorts it ALPHA, so the stored list does not depend on hash order.
    assert.equal(await r.sort('w', 'BY', 'nosort', 'STORE', 'dst'), 3);
    assert.deepEqual(await r.lrange('dst', 0, -1), ['apple', 'fig', 'pear']);
    await r.zadd('z', 1, '30', 2, '10', 3, '20');
    assert.deepEqual(await r.sort('z'), ['10', '20', '30']);
    assert.deepEqual(await r.sort('z', 'BY', 'nosort'), ['30', '10', '20']);
  });

  it('converts a listpack sorted set to a skiplist, as Redis does', async () => {
    await r.zadd('z', 1, 'a');
    assert.equal(await r.object('ENCODING', 'z'), 'listpack');
    await r.sort('z', 'BY', 'nosort');
    assert.equal(await r.object('ENCODING', 'z'), 'skiplist');
  });

  it('BY and GET patterns read string keys and hash fields', async () => {
    await r.rpush('l', '1', '2', '3', '4');
    await r.mset('w_1', '30', 'w_2', '10', 'w_3', '20', 'o_1', 'one', 'o_2', 'two', 'o_3', 'three');
    await r.hset('h_1', 'f', '3', 'name', 'A');
    await r.hset('h_2', 'f', '1', 'name', 'B');
    await r.hset('h_3', 'f', '2');
    // A missing BY value scores 0; equal scores fall back to the elements' order.
    assert.deepEqual(await r.sort('l', 'BY', 'w_*'), ['4', '2', '3', '1']);
    assert.deepEqual(await r.sort('l', 'BY', 'w_*', 'DESC'), ['1', '3', '2', '4']);
    assert.deepEqual(await r.sort('l', 'BY', 'w_*', 'GET', 'o_*', 'GET', '#'), [null, '4', 'two', '2', 'three', '3', 'one', '1']);
    assert.deepEqual(await r.sort('l', 'BY', 'h_*->f', 'GET', 'h_*->name'), [null, 'B', null, 'A']);
    assert.deepEqual(await r.sort('l', 'GET', 'nostar'), [null, null, null, null]);
    assert.deepEqual(await r.sort('l', 'BY', 'w_*', 'ALPHA', 'LIMIT', 0, 2), ['4', '2']);
    await r.set('w_4', 'notnum');
    await rejects(r.sort('l', 'BY', 'w_*'), NOT_DOUBLE);
    assert.deepEqual(await r.sort('l', 'BY', 'w_*', 'ALPHA'), ['2', '3', '1', '4']);
    // A key of another type is a missing value.
    await r.rpush('o_4', 'x');
    assert.deepEqual(await r.sort('l', 'BY', 'nosort', 'GET', 'o_*'), ['one', 'two', 'three', null]);
    assert.deepEqual(await r.call('SORT_RO', 'l', 'BY', 'h_*->f', 'GET', '#'), ['4', '2', '3', '1']);
  });

  it('STORE writes a list, replacing the destination, or deletes it when empty', async () => {
    await r.rpush('l', '3', '1', '2');
    await r.mset('o_1', 'one', 'o_3', 'three');
    assert.equal(await r.sort('l', 'STORE', 'dst'), 3);
    assert.deepEqual(await r.lrange('dst', 0, -1), ['1', '2', '3']);
    assert.equal(await r.sort('l', 'GET', 'o_*', 'GET', '#', 'STORE', 'dst'), 6);
    assert.deepEqual(await r.lrange('dst', 0, -1), ['one', '1', '', '2', 'three', '3']);
    await r.set('str', 'v', 'EX', 100);
    assert.equal(await r.sort('l', 'DESC', 'STORE', 'str'), 3);
    assert.equal(await r.type('str'), 'list');
    assert.equal(await r.ttl('str'), -1);
    assert.deepEqual(await r.lrange('str', 0, -1), ['3', '2', '1']);
    assert.equal(await r.sort('nokey', 'STORE', 'str'), 0);
    assert.equal(await r.exists('str'), 0);
    assert.equal(await r.sort('l', 'STORE', 'l'), 3);
    assert.deepEqual(await r.lrange('l', 0, -1), ['1', '2', '3']);
    assert.equal(await r.object('ENCODING', 'l'), 'listpack');
    // 200 elements of 100 bytes exceed the default 8 KB listpack.
    const big = Array.from({ length: 200 }, (_, i) => String(i).padStart(100, '0'));
    await r.rpush('big', ...big);
    await r.sort('big', 'STORE', 'bigdst');
    assert.equal(await r.object('ENCODING', 'bigdst'), 'quicklist');
    assert.equal(await r.llen('bigdst'), 200);
  });

  it('errors: option syntax, then type, then scores', async () => {
    await r.rpush('l', '1', 'x');
    await rejects(r.call('SORT', 'l', 'LIMIT', '1'), 'ERR syntax error');
    await rejects(r.call('SORT', 'l', 'LIMIT', 'x', '1'), 'ERR value is not an integer or out of range');
    await rejects(r.call('SORT', 'l', 'foo'), 'ERR syntax error');
    await rejects(r.call('SORT_RO', 'l', 'STORE', 'dst'), 'ERR syntax error');
    await r.set('str', 'v');
    await rejects(r.call('SORT', 'str'), WRONGTYPE);
    await rejects(r.call('SORT', 'str', 'foo'), 'ERR syntax error');
    await r.hset('h', 'f', 'v');
    await rejects(r.call('SORT', 'h'), WRONGTYPE);
    await rejects(r.call('SORT', 'l'), NOT_DOUBLE);
    await rejects(r.call('SORT', 'l', 'STORE', 'dst'), NOT_DOUBLE);
    assert.equal(await r.exists('dst'), 0);
    assert.deepEqual(await r.sort('nokey'), []);
  });

  it('reports movable keys: the sorted key and the STORE destination', async () => {
    assert.deepEqual(await r.call('COMMAND', 'GETKEYS', 'SORT', 'src', 'BY', 'w_*', 'LIMIT', '0', '1', 'STORE', 'dst'), ['src', 'dst']);
    assert.deepEqual(await r.call('COMMAND', 'GETKEYS', 'SORT', 'src', 'GET', 'store'), ['src']);
    assert.deepEqual(await r.call('COMMAND', 'GETKEYS', 'SORT_RO', 'src', 'GET', '#'), ['src']);
  });
});

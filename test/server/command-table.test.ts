/**
 * Coverage over the whole command table: every command and subcommand is declared completely (summary, group,
 * since, a valid arity, known flags and ACL categories, coherent key positions), so COMMAND INFO / DOCS never
 * report a half-declared command.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_SPECS, CommandTable } from '../../src/commands/registry.js';
import { categoriesOf } from '../../src/commands/introspection.js';
import type { Command } from '../../src/commands/spec.js';

const GROUPS = new Set([
  'generic',
  'string',
  'list',
  'set',
  'sorted-set',
  'hash',
  'pubsub',
  'transactions',
  'connection',
  'server',
  'scripting',
  'hyperloglog',
  'cluster',
  'sentinel',
  'geo',
  'stream',
  'bitmap',
]);

const FLAGS = new Set([
  'write',
  'readonly',
  'denyoom',
  'admin',
  'pubsub',
  'noscript',
  'blocking',
  'loading',
  'stale',
  'skip_monitor',
  'skip_slowlog',
  'fast',
  'no_auth',
  'may_replicate',
  'no_mandatory_keys',
  'protected',
  'no_async_loading',
  'no_multi',
  'movablekeys',
  'allow_busy',
]);

const CATEGORIES = new Set([
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
]);

const table = new CommandTable(ALL_SPECS);

function every(fn: (cmd: Command) => void): void {
  for (const cmd of table.commands) {
    fn(cmd);
    if (cmd.subcommands) for (const sub of cmd.subcommands.values()) fn(sub);
  }
}

describe('command table', () => {
  it('declares every command completely', () => {
    every((cmd) => {
      const s = cmd.spec;
      const name = cmd.fullName;
      assert.match(s.name, /^[a-z][a-z0-9_-]*$/, `${name}: lower-case name`);
      assert.ok(typeof s.summary === 'string' && s.summary.length > 10, `${name}: summary`);
      assert.ok(/[.!?]$/.test(s.summary), `${name}: summary is a sentence`);
      assert.ok(GROUPS.has(s.group), `${name}: group ${s.group}`);
      assert.match(s.since, /^\d+\.\d+\.\d+$/, `${name}: since`);
      assert.ok(Number.isInteger(s.arity) && s.arity !== 0, `${name}: arity ${s.arity}`);
      if (cmd.parent) {
        assert.ok(s.arity >= 2 || s.arity <= -2, `${name}: a subcommand counts itself`);
        assert.equal(s.group, cmd.parent.spec.group, `${name}: same group as its container`);
      }
      for (const f of s.flags) assert.ok(FLAGS.has(f), `${name}: flag ${f}`);
      for (const c of categoriesOf(cmd)) assert.ok(CATEGORIES.has(c), `${name}: category ${c}`);
      assert.ok(!(s.flags.includes('write') && s.flags.includes('readonly')), `${name}: write and readonly`);
      if (s.keys && s.keys.first > 0) {
        assert.ok(s.keys.step > 0, `${name}: key step`);
        assert.ok(s.keys.last < 0 || s.keys.last >= s.keys.first, `${name}: last key`);
        if (s.arity > 0) assert.ok(s.keys.first < s.arity, `${name}: first key within arity`);
      }
      if (cmd.subcommands) {
        assert.ok(cmd.subcommands.size > 0, `${name}: container without subcommands`);
        assert.ok(s.arity === -2 || s.arity === -1, `${name}: container arity`);
        assert.ok(cmd.subcommands.has('help'), `${name}: container has HELP`);
        if (s.arity === -1) assert.ok(typeof s.run === 'function', `${name}: runs without a subcommand`);
      } else {
        assert.ok(typeof s.run === 'function', `${name}: handler`);
      }
    });
  });

  it('has unique names and resolves both cases', () => {
    const names = table.commands.map((c) => c.spec.name);
    assert.equal(new Set(names).size, names.length);
    for (const n of names) {
      assert.equal(table.lookup(n)?.spec.name, n);
      assert.equal(table.lookup(n.toUpperCase())?.spec.name, n);
    }
  });

  it('declares CONFIG, CLIENT, COMMAND, OBJECT and MEMORY as containers, DEBUG as a plain command', () => {
    for (const n of ['config', 'client', 'command', 'object', 'memory']) assert.ok(table.lookup(n)?.subcommands, n);
    assert.equal(table.lookup('debug')?.subcommands, null);
    assert.deepEqual([...table.lookup('config')!.subcommands!.keys()].sort(), ['get', 'help', 'resetstat', 'rewrite', 'set']);
    assert.deepEqual([...table.lookup('object')!.subcommands!.keys()].sort(), ['encoding', 'freq', 'help', 'idletime', 'refcount']);
  });

  it('orders ACL categories as Redis does', () => {
    assert.deepEqual(categoriesOf(table.lookup('get')!), ['read', 'string', 'fast']);
    assert.deepEqual(categoriesOf(table.lookup('client')!.subcommands!.get('kill')!), ['admin', 'slow', 'dangerous', 'connection']);
    assert.deepEqual(categoriesOf(table.lookup('flushdb')!), ['keyspace', 'write', 'slow', 'dangerous']);
  });
});

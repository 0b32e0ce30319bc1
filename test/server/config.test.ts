/**
 * The parameter table: Redis's parsing rules and error texts per type, aliases, CONFIG GET matching and the
 * redis.conf lines CONFIG REWRITE writes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Config, ConfigError, parseConfText, parseMemory, PARAMS, quoteRepr } from '../../src/server/config.js';
import { splitArgs } from '../../src/protocol/reader.js';

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

describe('Config', () => {
  it('has every default valid and every name unique', () => {
    const c = new Config();
    const names = new Set<string>();
    for (const p of PARAMS) {
      for (const n of [p.name, ...(p.aliases ?? [])]) {
        assert.ok(!names.has(n), `duplicate ${n}`);
        names.add(n);
        assert.equal(n, n.toLowerCase());
      }
      assert.equal(typeof c.get(p.name), 'string');
    }
  });

  it('parses integers strictly, with Redis bounds', () => {
    const c = new Config();
    for (const bad of ['abc', '05', '+5', ' 5', '5.0', '', '99999999999999999999']) {
      assert.equal(reason(() => c.set('hz', bad)), "argument couldn't be parsed into an integer", bad);
    }
    assert.equal(reason(() => c.set('hz', '-1')), 'argument must be between 0 and 2147483647 inclusive');
    assert.equal(reason(() => c.set('maxclients', '0')), 'argument must be between 1 and 4294967295 inclusive');
    assert.equal(reason(() => c.set('slowlog-log-slower-than', '-2')), 'argument must be between -1 and 9223372036854775807 inclusive');
    c.set('slowlog-log-slower-than', '99999999999999999');
    assert.equal(c.get('slowlog-log-slower-than'), '99999999999999999');
  });

  it('clamps hz to 1..500 like Redis', () => {
    const c = new Config();
    c.set('hz', '600');
    assert.equal(c.get('hz'), '500');
    c.set('hz', '0');
    assert.equal(c.get('hz'), '1');
  });

  it('parses memory values with units and percentages', () => {
    const c = new Config();
    c.set('maxmemory', '1gb');
    assert.equal(c.get('maxmemory'), '1073741824');
    c.set('maxmemory', '1k');
    assert.equal(c.get('maxmemory'), '1000');
    c.set('maxmemory', '2KB');
    assert.equal(c.get('maxmemory'), '2048');
    c.set('maxmemory', '');
    assert.equal(c.get('maxmemory'), '0');
    for (const bad of ['1.5gb', '+5', '-1', '1x']) assert.equal(reason(() => c.set('maxmemory', bad)), 'argument must be a memory value', bad);
    assert.equal(reason(() => c.set('proto-max-bulk-len', '100')), 'argument must be between 1048576 and 9223372036854775807 inclusive');
    c.set('maxmemory-clients', '10%');
    assert.equal(c.get('maxmemory-clients'), '10%');
    assert.equal(reason(() => c.set('maxmemory-clients', '101%')), 'percentage argument must be less or equal to 100');
    assert.equal(reason(() => c.set('maxmemory-clients', '1.5%')), 'argument must be a memory or percent value');
    assert.equal(parseMemory('3mb'), 3 * 1024 * 1024);
    assert.equal(parseMemory('x'), null);
  });

  it('validates booleans and enums case-insensitively, storing lower case', () => {
    const c = new Config();
    c.set('appendonly', 'YES');
    assert.equal(c.get('appendonly'), 'yes');
    assert.equal(reason(() => c.set('appendonly', 'maybe')), "argument must be 'yes' or 'no'");
    c.set('maxmemory-policy', 'ALLKEYS-LRU');
    assert.equal(c.get('maxmemory-policy'), 'allkeys-lru');
    assert.equal(reason(() => c.set('appendfsync', 'x')), 'argument(s) must be one of the following: everysec, always, no');
  });

  it('refuses immutable parameters at runtime but not at start-up', () => {
    const c = new Config();
    assert.equal(reason(() => c.set('databases', '4')), "can't set immutable config");
    c.set('databases', '4', true);
    assert.equal(c.getInt('databases'), 4);
  });

  it('checks save pairs like Redis (seconds ≥ 1, changes ≥ 0, single spaces)', () => {
    const c = new Config();
    c.set('save', '100 10');
    assert.equal(c.get('save'), '100 10');
    c.set('save', '+5 1');
    assert.equal(c.get('save'), '5 1');
    c.set('save', '');
    assert.equal(c.get('save'), '');
    for (const bad of ['100', '0 1', '100  10', ' 100 10', 'x 1', '1 -1']) {
      assert.equal(reason(() => c.set('save', bad)), 'Invalid save parameters', bad);
    }
  });

  it('normalizes notify-keyspace-events and client-output-buffer-limit', () => {
    const c = new Config();
    c.set('notify-keyspace-events', 'KEA');
    assert.equal(c.get('notify-keyspace-events'), 'AKE');
    c.set('notify-keyspace-events', 'Kx');
    assert.equal(c.get('notify-keyspace-events'), 'xK');
    c.set('notify-keyspace-events', 'An');
    assert.equal(c.get('notify-keyspace-events'), 'A');
    assert.equal(reason(() => c.set('notify-keyspace-events', 'Q')), "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    c.set('client-output-buffer-limit', 'replica 1mb 2 3');
    assert.equal(c.get('client-output-buffer-limit'), 'normal 0 0 0 slave 1048576 2 3 pubsub 33554432 8388608 60');
    assert.equal(reason(() => c.set('client-output-buffer-limit', 'foo 1 2 3')), 'Invalid client class specified in buffer limit configuration.');
    assert.equal(reason(() => c.set('client-output-buffer-limit', 'normal 1 2')), 'Wrong number of arguments in buffer limit configuration.');
  });

  it('treats aliases as the same parameter', () => {
    const c = new Config();
    c.set('hash-max-ziplist-entries', '100');
    assert.equal(c.get('hash-max-listpack-entries'), '100');
    assert.equal(Config.def('SLAVE-READ-ONLY')?.name, 'replica-read-only');
  });

  it('matches CONFIG GET patterns: exact names echoed as given, globs over names and aliases', () => {
    const c = new Config();
    assert.deepEqual(c.match(['HZ']), [['HZ', '10']]);
    assert.deepEqual(c.match(['nosuch']), []);
    assert.deepEqual(
      c.match(['hash-max-zip*-entries']).map(([k]) => k),
      ['hash-max-ziplist-entries'],
    );
    const all = c.match(['*']);
    assert.ok(all.some(([k]) => k === 'slave-read-only') && all.some(([k]) => k === 'replica-read-only'));
    assert.equal(new Set(all.map(([k]) => k)).size, all.length);
    assert.deepEqual(c.match(['hz', 'hz']), [['hz', '10']]);
  });

  it('writes redis.conf lines: memory units, quoted strings, one save line per pair', () => {
    const c = new Config();
    c.set('maxmemory', '1gb');
    c.set('save', '900 1 300 10');
    c.set('requirepass', 'p a"ss');
    const lines = c.toConfLines();
    assert.ok(lines.includes('maxmemory 1gb'));
    assert.ok(lines.includes('save 900 1') && lines.includes('save 300 10'));
    assert.ok(lines.includes('requirepass "p a\\"ss"'));
    assert.equal(quoteRepr('a\nb\x01'), '"a\\nb\\x01"');
    // The lines read back to the same configuration.
    const back = new Config();
    for (const d of parseConfText(lines.join('\n'), splitArgs)) back.set(d.name, d.args.join(' '), true);
    assert.equal(back.get('maxmemory'), c.get('maxmemory'));
    assert.equal(back.get('requirepass'), 'p a"ss');
  });
});

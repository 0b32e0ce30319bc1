/**
 * In-process harness for unit tests of the string, counter and bit commands: a keyspace, a RESP encoder and a
 * minimal client, with the handlers called directly (no sockets, no server).
 */
import { RedisError } from '../../src/errors.js';
import { Keyspace } from '../../src/keyspace/keyspace.js';
import type { Database } from '../../src/keyspace/database.js';
import { RespEncoder } from '../../src/protocol/writer.js';
import type { Client } from '../../src/server/client.js';
import { bitfieldCommands } from '../../src/commands/bitfield.js';
import { bitCommands } from '../../src/commands/bits.js';
import { counterCommands } from '../../src/commands/counters.js';
import type { CommandSpec } from '../../src/commands/spec.js';
import { stringRangeCommands } from '../../src/commands/string-ranges.js';
import { stringCommands } from '../../src/commands/strings.js';

export interface Harness {
  db: Database;
  ks: Keyspace;
  /** Runs one command and returns its reply as RESP text. */
  run(...argv: string[]): string;
  /** Sets proto-max-bulk-len as CONFIG SET would. */
  setMaxBulkLen(n: number): void;
}

export function harness(): Harness {
  const ks = new Keyspace(1);
  let maxBulk = 512 * 1024 * 1024;
  const config = { getInt: (name: string) => (name === 'proto-max-bulk-len' ? maxBulk : 0) };
  const reply = new RespEncoder();
  const client = { db: ks.dbs[0]!, server: { config, ks }, reply } as unknown as Client;
  const specs = new Map<string, CommandSpec>();
  for (const s of [...stringCommands, ...stringRangeCommands, ...counterCommands, ...bitCommands, ...bitfieldCommands]) specs.set(s.name, s);
  return {
    db: ks.dbs[0]!,
    ks,
    run(...argv: string[]): string {
      const spec = specs.get(argv[0]!.toLowerCase());
      if (!spec) throw new Error(`no command ${argv[0]}`);
      ks.tick();
      try {
        spec.run!(client, argv);
      } catch (err) {
        if (!(err instanceof RedisError)) throw err;
        reply.error(err.message);
      }
      return reply.take().toString('latin1');
    },
    setMaxBulkLen(n: number) {
      maxBulk = n;
    },
  };
}

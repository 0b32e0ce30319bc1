/**
 * The command table: every group's declarations, indexed for dispatch. Nothing else keeps a list of commands.
 */
import { Command, type CommandSpec } from './spec.js';
import { connectionCommands } from './connection.js';
import { serverCommands } from './server.js';
import { introspectionCommands } from './introspection.js';
import { keyCommands } from './keys.js';
import { expireCommands } from './expire.js';
import { stringCommands } from './strings.js';
import { stringRangeCommands } from './string-ranges.js';
import { counterCommands } from './counters.js';
import { bitCommands } from './bits.js';
import { bitfieldCommands } from './bitfield.js';
import { clientCommands } from './client.js';
import { configCommands } from './config.js';
import { transactionCommands } from './transactions.js';
import { pubsubCommands } from './pubsub.js';
import { memoryCommands, objectCommands } from './inspect.js';
import { listCommands } from './lists.js';
import { listMoveCommands } from './lists-blocking.js';
import { sortedSetCommands } from './sorted-sets.js';
import { sortedSetRangeCommands } from './sorted-sets-ranges.js';
import { sortedSetOpCommands } from './sorted-sets-ops.js';
import { sortedSetPopCommands } from './sorted-sets-pops.js';
import { hashCommands } from './hashes.js';
import { hashOpCommands } from './hashes-ops.js';
import { setCommands } from './sets.js';
import { setAlgebraCommands } from './sets-algebra.js';
import { sortCommands } from './sort.js';
import { scriptingCommands } from './scripting.js';

export const ALL_SPECS: CommandSpec[] = [
  ...connectionCommands,
  ...serverCommands,
  ...introspectionCommands,
  ...clientCommands,
  ...configCommands,
  ...transactionCommands,
  ...pubsubCommands,
  ...objectCommands,
  ...memoryCommands,
  ...keyCommands,
  ...expireCommands,
  ...stringCommands,
  ...stringRangeCommands,
  ...counterCommands,
  ...bitCommands,
  ...bitfieldCommands,
  ...sortedSetCommands,
  ...sortedSetRangeCommands,
  ...sortedSetOpCommands,
  ...sortedSetPopCommands,
  ...hashCommands,
  ...hashOpCommands,
  ...setCommands,
  ...setAlgebraCommands,
  ...sortCommands,
  ...listCommands,
  ...listMoveCommands,
  ...scriptingCommands,
];

export class CommandTable {
  /** Indexed by lower-case name and, to skip case folding for the usual clients, upper-case name. */
  private byName = new Map<string, Command>();
  readonly commands: Command[] = [];

  constructor(specs: CommandSpec[]) {
    for (const s of specs) {
      if (this.byName.has(s.name)) throw new Error(`command ${s.name} declared twice`);
      const cmd = new Command(s);
      this.commands.push(cmd);
      this.byName.set(s.name, cmd);
      this.byName.set(s.name.toUpperCase(), cmd);
    }
  }

  lookup(name: string): Command | undefined {
    const c = this.byName.get(name);
    if (c !== undefined || name.length > 32) return c;
    return this.byName.get(name.toLowerCase());
  }

  get size(): number {
    return this.commands.length;
  }
}

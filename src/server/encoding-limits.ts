/**
 * The size thresholds that pick a collection's compact encoding (what OBJECT ENCODING reports), cached as plain
 * numbers so write commands do not parse config strings. Refreshed whenever CONFIG SET changes one of them.
 */
import type { Config } from './config.js';

export class EncodingLimits {
  hashMaxListpackEntries = 0;
  hashMaxListpackValue = 0;
  listMaxListpackSize = 0;
  setMaxIntsetEntries = 0;
  setMaxListpackEntries = 0;
  setMaxListpackValue = 0;
  zsetMaxListpackEntries = 0;
  zsetMaxListpackValue = 0;

  constructor(private config: Config) {
    this.refresh();
  }

  static readonly PARAMS = new Set([
    'hash-max-listpack-entries',
    'hash-max-listpack-value',
    'list-max-listpack-size',
    'set-max-intset-entries',
    'set-max-listpack-entries',
    'set-max-listpack-value',
    'zset-max-listpack-entries',
    'zset-max-listpack-value',
  ]);

  refresh(): void {
    const c = this.config;
    this.hashMaxListpackEntries = c.getInt('hash-max-listpack-entries');
    this.hashMaxListpackValue = c.getInt('hash-max-listpack-value');
    this.listMaxListpackSize = c.getInt('list-max-listpack-size');
    this.setMaxIntsetEntries = c.getInt('set-max-intset-entries');
    this.setMaxListpackEntries = c.getInt('set-max-listpack-entries');
    this.setMaxListpackValue = c.getInt('set-max-listpack-value');
    this.zsetMaxListpackEntries = c.getInt('zset-max-listpack-entries');
    this.zsetMaxListpackValue = c.getInt('zset-max-listpack-value');
  }
}

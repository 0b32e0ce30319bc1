/**
 * Embedding API: start a Strata server inside a Node process (for users' own tests and tools).
 *
 *   const server = await startServer({ port: 0 });
 *   // … connect any Redis client to 127.0.0.1:server.port …
 *   await server.close();
 */
import { Config, ConfigError } from './server/config.js';
import { Server } from './server/server.js';

export { Server } from './server/server.js';
export { Config, ConfigError } from './server/config.js';
export { VERSION, REDIS_VERSION } from './version.js';

export interface StartOptions {
  /** TCP port; 0 picks a free one. Default 6379. */
  port?: number;
  /** Addresses to bind. Default 127.0.0.1 for embedded servers. */
  bind?: string | string[];
  /** Print Redis-style log lines (default false for embedded servers). */
  log?: boolean;
  /** Any other redis.conf directive, by name: `{ databases: 32, 'maxmemory-policy': 'allkeys-lru' }`. */
  [directive: string]: string | number | boolean | string[] | undefined;
}

export interface RunningServer {
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/** Builds a Config from options; values are redis.conf directive values (booleans become yes/no). */
export function configFrom(options: Record<string, unknown>): Config {
  const config = new Config();
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || name === 'log') continue;
    const v = Array.isArray(value) ? value.join(' ') : typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
    if (!Config.has(name)) throw new ConfigError(`Unknown configuration directive '${name}'`);
    config.set(name, v, true);
  }
  return config;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const opts: Record<string, unknown> = { bind: '127.0.0.1', ...options };
  const config = configFrom(opts);
  const server = new Server(config);
  server.log.enabled = options.log === true;
  await server.listen();
  return {
    get port() {
      return server.port;
    },
    server,
    close: () => server.close(),
  };
}

/**
 * `strata-server [config-file] [--name value …]`: redis-server's command line. Directives from the file are applied
 * first, then the flags; an unknown or malformed directive stops start-up with a message naming it.
 */
import type { Config } from './server/config.js';
import { loadConfig } from './server/config-file.js';
import { Server } from './server/server.js';
import { REDIS_VERSION, VERSION } from './version.js';

function usage(): never {
  process.stdout.write(
    `Usage: strata-server [/path/to/redis.conf] [options]\n       strata-server -v or --version\n       strata-server -h or --help\n\nExamples:\n       strata-server (port 6379, data in ./data)\n       strata-server /etc/redis/6379.conf\n       strata-server --port 7777\n       strata-server /etc/myredis.conf --loglevel verbose\n`,
  );
  process.exit(0);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '-v' || argv[0] === '--version') {
    process.stdout.write(`Strata server v=${VERSION} redis_compat=${REDIS_VERSION} node=${process.versions.node}\n`);
    return;
  }
  if (argv[0] === '-h' || argv[0] === '--help') usage();
  let config: Config;
  try {
    config = loadConfig(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  const server = new Server(config);
  server.onShutdown = () => {
    void server.close().then(() => process.exit(0));
  };
  try {
    await server.listen();
  } catch (err) {
    server.log.warning((err as Error).message);
    process.exit(1);
  }
  server.log.notice(
    `Strata ${VERSION} (Redis ${REDIS_VERSION} compatible) started, port=${server.port} pid=${process.pid} dir=${config.get('dir')}`,
  );
  server.log.notice('Ready to accept connections tcp');
  const stop = (sig: string) => {
    server.log.warning(`Received ${sig} scheduling shutdown...`);
    server.onShutdown();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();

/**
 * `strata-server [config-file] [--name value …]`: redis-server's command line. Directives from the file are applied
 * first, then the flags; an unknown or malformed directive stops start-up with a message naming it.
 */
import { readFileSync } from 'node:fs';
import { splitArgs } from './protocol/reader.js';
import { Config, ConfigError, configFileError, parseConfText } from './server/config.js';
import { Server } from './server/server.js';
import { REDIS_VERSION, VERSION } from './version.js';

function usage(): never {
  process.stdout.write(
    `Usage: strata-server [/path/to/redis.conf] [options]\n       strata-server -v or --version\n       strata-server -h or --help\n\nExamples:\n       strata-server (port 6379, data in ./data)\n       strata-server /etc/redis/6379.conf\n       strata-server --port 7777\n       strata-server /etc/myredis.conf --loglevel verbose\n`,
  );
  process.exit(0);
}

/** Collects `--name v1 v2 …` flags into directive lines, as redis-server does. */
function flagsToDirectives(args: string[]): { name: string; args: string[] }[] {
  const out: { name: string; args: string[] }[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw new ConfigError(`Invalid argument '${a}': options start with '--'`);
    const name = a.slice(2).toLowerCase();
    const vals: string[] = [];
    while (i + 1 < args.length && !(args[i + 1]!.startsWith('--') && args[i + 1]!.length > 2)) vals.push(args[++i]!);
    out.push({ name, args: vals });
  }
  return out;
}

function apply(config: Config, name: string, args: string[], where: string): void {
  if (!Config.has(name)) throw new ConfigError(`${where}\nBad directive or wrong number of arguments: '${name}'`);
  try {
    config.set(name, args.join(' '), true);
  } catch (err) {
    throw new ConfigError(`${where}\nInvalid argument for '${name}': ${(err as Error).message}`);
  }
}

export function loadConfig(argv: string[]): Config {
  const config = new Config();
  let rest = argv;
  if (rest.length > 0 && !rest[0]!.startsWith('--')) {
    const file = rest[0]!;
    rest = rest.slice(1);
    const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
    for (const d of parseConfText(text, splitArgs)) {
      if (d.name === 'include') {
        const inc = parseConfText(readFileSync(d.args[0]!, 'utf8'), splitArgs);
        for (const x of inc) apply(config, x.name, x.args, configFileError(x.line, `${x.name} ${x.args.join(' ')}`, `in ${d.args[0]}`));
        continue;
      }
      try {
        config.set(d.name, d.args.join(' '), true);
      } catch (err) {
        throw new ConfigError(configFileError(d.line, `${d.name} ${d.args.join(' ')}`, (err as Error).message));
      }
    }
  }
  for (const d of flagsToDirectives(rest)) apply(config, d.name, d.args, `Reading the command line option --${d.name}`);
  return config;
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

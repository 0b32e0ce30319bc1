/**
 * Start-up configuration: a redis.conf file (with `include`) and then `--name value …` flags, as redis-server reads
 * them. Errors name the offending line or flag and stop start-up.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { splitArgs } from '../protocol/reader.js';
import { Config, ConfigError, configFileError, parseConfText } from './config.js';

/** Collects `--name v1 v2 …` flags into directive lines, as redis-server does. */
export function flagsToDirectives(args: string[]): { name: string; args: string[] }[] {
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
    if (file !== '-') config.configFile = path.resolve(file);
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


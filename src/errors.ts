/**
 * Redis's error replies, byte-identical to Redis 7. Handlers throw a {@link RedisError}; the dispatcher turns it
 * into an error reply. Keep every text here so tests and handlers share one spelling.
 */
export class RedisError extends Error {
  /** `message` is the whole error line without the leading '-', e.g. `ERR syntax error`. */
  constructor(message: string) {
    super(message);
  }
}

export const ERR = {
  syntax: 'ERR syntax error',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  noSuchKey: 'ERR no such key',
  overflow: 'ERR increment or decrement would overflow',
  incrNanOrInf: 'ERR increment would produce NaN or Infinity',
  dbIndexOutOfRange: 'ERR DB index is out of range',
  invalidDbIndex: 'ERR invalid DB index',
  invalidExpire: (cmd: string) => `ERR invalid expire time in '${cmd}' command`,
  stringTooLong: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  bitOffset: 'ERR bit offset is not an integer or out of range',
  bitValue: 'ERR bit is not an integer or out of range',
  noAuth: 'NOAUTH Authentication required.',
  wrongPass: 'WRONGPASS invalid username-password pair or user is disabled.',
  authNoPassword:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  sameObject: 'ERR source and destination objects are the same',
  int32Range: 'ERR value is out of range, value must between -2147483648 and 2147483647',
  invalidCursor: 'ERR invalid cursor',
  wrongArity: (name: string) => `ERR wrong number of arguments for '${name}' command`,
  unknownSubcommand: (sub: string, cmd: string) =>
    `ERR unknown subcommand '${truncate(sub, 128)}'. Try ${cmd.toUpperCase()} HELP.`,
  outOfRange: (what: string) => `ERR ${what} is out of range`,
  mustBePositive: (what: string) => `ERR ${what} must be positive`,
  protocol: (detail: string) => `ERR Protocol error: ${detail}`,
} as const;

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) : s;
}

/** Redis replaces CR and LF in error texts with spaces so a reply stays on one line. */
export function sanitizeErrorText(s: string): string {
  return /[\r\n]/.test(s) ? s.replace(/[\r\n]/g, ' ') : s;
}

/** `ERR unknown command 'x', with args beginning with: 'a' 'b' ` as Redis 7 builds it (args excerpt ≤ 128 chars). */
export function unknownCommandError(argv: readonly string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${truncate(argv[i]!, 128 - args.length)}' `;
  }
  return sanitizeErrorText(`ERR unknown command '${truncate(argv[0]!, 128)}', with args beginning with: ${args}`);
}

/** Strata's own version (INFO `strata_version`). */
export const VERSION = '0.1.0';
/**
 * The Redis release whose behaviour Strata implements, reported as `redis_version` because clients gate features
 * on it. Replies follow Redis 7 (7.0 semantics, plus the 7.2 additions: CLIENT SETINFO, CLIENT NO-TOUCH, WITHSCORE).
 */
export const REDIS_VERSION = '7.2.4';

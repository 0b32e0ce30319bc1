/**
 * Redis-style log lines: `pid:M 22 Nov 2026 04:06:40.123 * message`, filtered by `loglevel`, to stdout or `logfile`.
 */
import { appendFileSync } from 'node:fs';

const LEVELS = ['debug', 'verbose', 'notice', 'warning', 'nothing'] as const;
export type LogLevel = (typeof LEVELS)[number];
const MARKS: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#', nothing: '' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class Logger {
  level: LogLevel = 'notice';
  file = '';
  /** Set to false to silence output entirely (in-process servers in users' tests). */
  enabled = true;

  log(level: LogLevel, msg: string): void {
    if (!this.enabled || LEVELS.indexOf(level) < LEVELS.indexOf(this.level)) return;
    const d = new Date();
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const ts = `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
    const line = `${process.pid}:M ${ts} ${MARKS[level]} ${msg}\n`;
    if (this.file) appendFileSync(this.file, line);
    else process.stdout.write(line);
  }

  notice(msg: string): void {
    this.log('notice', msg);
  }

  warning(msg: string): void {
    this.log('warning', msg);
  }

  verbose(msg: string): void {
    this.log('verbose', msg);
  }
}

/**
 * Differential runner: the same command scripts against redis-server and Strata, replies compared byte for byte.
 *
 * Script files (`test/diff/*.redis`) hold commands in redis-cli syntax (double quotes with \xHH escapes, single
 * quotes). `---` starts a new case: each case gets fresh connections to both servers after FLUSHALL. Prefixes:
 *   `~CMD …`  compare only the reply's type (and array length) — for TTLs, timestamps, random picks;
 *   `!sleep N` wait N ms on both sides;  `#` comment.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { splitArgs } from '../../src/protocol/reader.js';
import { RawClient } from './resp.js';

export interface Step {
  line: number;
  args: string[];
  loose: boolean;
  sleep?: number;
}

export interface Case {
  file: string;
  line: number;
  steps: Step[];
}

export function parseScript(file: string, text: string): Case[] {
  const cases: Case[] = [];
  let cur: Case = { file, line: 1, steps: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!.trim();
    if (l === '' || l.startsWith('#')) continue;
    if (l === '---') {
      if (cur.steps.length) cases.push(cur);
      cur = { file, line: i + 2, steps: [] };
      continue;
    }
    if (l.startsWith('!sleep ')) {
      cur.steps.push({ line: i + 1, args: [], loose: false, sleep: Number(l.slice(7)) });
      continue;
    }
    let loose = false;
    if (l.startsWith('~')) {
      loose = true;
      l = l.slice(1);
    }
    const args = splitArgs(l);
    if (args === null || args.length === 0) throw new Error(`${file}:${i + 1}: cannot parse ${l}`);
    cur.steps.push({ line: i + 1, args, loose });
  }
  if (cur.steps.length) cases.push(cur);
  return cases;
}

export function loadScripts(dir: string, filter?: (name: string) => boolean): Case[] {
  const out: Case[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.redis') || (filter && !filter(f))) continue;
    out.push(...parseScript(f, readFileSync(path.join(dir, f), 'latin1')));
  }
  return out;
}

/** Shape of a reply for loose comparison: type byte, plus the element count of aggregates. */
function shape(b: Buffer): string {
  const t = String.fromCharCode(b[0]!);
  if ('*~%>$'.includes(t)) {
    const nl = b.indexOf('\r\n');
    const n = b.toString('latin1', 1, nl);
    return t === '$' ? (n === '-1' ? '$-1' : '$') : t + n;
  }
  if (t === '-') return b.toString('latin1').split(' ')[0]!;
  return t;
}

export interface Mismatch {
  where: string;
  command: string;
  redis: string;
  strata: string;
}

function show(b: Buffer): string {
  const s = b.toString('latin1');
  return JSON.stringify(s.length > 300 ? s.slice(0, 300) + '…' : s);
}

/** Runs every case on both servers; returns mismatches and the number of commands compared. */
export async function runDifferential(cases: Case[], redisPort: number, strataPort: number): Promise<{ mismatches: Mismatch[]; commands: number }> {
  const mismatches: Mismatch[] = [];
  let commands = 0;
  for (const c of cases) {
    const [r, s] = await Promise.all([RawClient.connect(redisPort), RawClient.connect(strataPort)]);
    try {
      await Promise.all([r.call('FLUSHALL'), s.call('FLUSHALL')]);
      for (const step of c.steps) {
        if (step.sleep !== undefined) {
          await new Promise((res) => setTimeout(res, step.sleep));
          continue;
        }
        const [a, b] = await Promise.all([r.call(...step.args), s.call(...step.args)]);
        commands++;
        const same = step.loose ? shape(a) === shape(b) : a.equals(b);
        if (!same) {
          mismatches.push({ where: `${c.file}:${step.line}`, command: step.args.join(' '), redis: show(a), strata: show(b) });
        }
      }
    } finally {
      r.close();
      s.close();
    }
  }
  return { mismatches, commands };
}

export function formatMismatches(ms: Mismatch[]): string {
  return ms.map((m) => `${m.where}  ${m.command}\n    redis:  ${m.redis}\n    strata: ${m.strata}`).join('\n');
}

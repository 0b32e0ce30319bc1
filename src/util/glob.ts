/**
 * Glob matching with Redis's exact rules (stringmatchlen; used by KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE):
 * `*`, `?`, `[abc]`, `[^abc]`, `[a-z]` (reversed ranges allowed), `\x` escapes (also inside brackets; a trailing
 * `\` matches itself), an unclosed `[` runs to the end of the pattern.
 *
 * Quirks kept on purpose, because replies must match Redis byte for byte:
 * - Range bounds and the tested byte are compared as C `char`, which is signed on the platforms Redis ships on:
 *   bytes 0x80–0xff sort *before* 0x00, so `[a-\xff]` means -1…97 and matches `\xff` but not `b`.
 * - The empty string matches only patterns that are empty: even `*` and `**` fail on it, because the main loop
 *   only runs while string bytes remain (KEYS and SCAN special-case the pattern `*` before matching).
 * - Escaped bytes inside brackets are compared exactly even in nocase mode.
 * - A failed `*` tells the enclosing `*`s not to retry longer matches (Redis's skipLongerMatches), which keeps
 *   patterns like `a*a*a*a*b` from going exponential; nesting deeper than 1000 stars fails the match.
 */

/** Set when a `*` found no match for the rest of the pattern anywhere in the rest of the string. */
let skipLonger = false;

export function matchGlob(pattern: string, str: string, nocase = false): boolean {
  skipLonger = false;
  return matchAt(pattern, 0, str, 0, nocase, 0);
}

/** tolower() in the C locale: ASCII only. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** A byte as a signed C char. */
function signed(c: number): number {
  return c >= 128 ? c - 256 : c;
}

function matchAt(p: string, pi: number, s: string, si: number, nocase: boolean, depth: number): boolean {
  if (depth > 1000) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const pc = p.charCodeAt(pi);
    if (pc === 42) {
      // '*': collapse runs of stars; a trailing star matches whatever is left.
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === plen) return true;
      while (si < slen) {
        if (matchAt(p, pi + 1, s, si, nocase, depth + 1)) return true;
        if (skipLonger) return false;
        si++;
      }
      // The rest of the pattern matches nowhere in the rest of the string: earlier stars cannot help either.
      skipLonger = true;
      return false;
    } else if (pc === 63) {
      // '?'
      si++;
    } else if (pc === 91) {
      // '['
      pi++;
      const not = pi < plen && p.charCodeAt(pi) === 94;
      if (not) pi++;
      let match = false;
      const sc = s.charCodeAt(si);
      for (;;) {
        if (pi >= plen) {
          // Unclosed bracket: step back so the outer loop finds the pattern exhausted.
          pi--;
          break;
        }
        const bc = p.charCodeAt(pi);
        if (bc === 92 && pi + 1 < plen) {
          pi++;
          if (p.charCodeAt(pi) === sc) match = true;
        } else if (bc === 93) {
          break;
        } else if (pi + 2 < plen && p.charCodeAt(pi + 1) === 45) {
          let start = signed(bc);
          let end = signed(p.charCodeAt(pi + 2));
          let c = signed(sc);
          if (start > end) {
            const t = start;
            start = end;
            end = t;
          }
          if (nocase) {
            start = lower(start);
            end = lower(end);
            c = lower(c);
          }
          pi += 2;
          if (c >= start && c <= end) match = true;
        } else if (nocase ? lower(bc) === lower(sc) : bc === sc) {
          match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
    } else {
      // A literal byte; '\' escapes the next pattern byte (a trailing '\' is itself a literal).
      let a = pc;
      if (pc === 92 && pi + 1 < plen) a = p.charCodeAt(++pi);
      const b = s.charCodeAt(si);
      if (nocase ? lower(a) !== lower(b) : a !== b) return false;
      si++;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}

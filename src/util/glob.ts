/**
 * Glob matching with Redis's exact rules (KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE): `*`, `?`, `[abc]`, `[^abc]`,
 * `[a-z]` (reversed ranges allowed), `\x` escapes (also inside brackets; a trailing `\` matches itself), an unclosed
 * `[` runs to the end of the pattern. Like Redis, a failed `*` stops the search from retrying longer matches for
 * earlier stars, which keeps pathological patterns linear-ish.
 */
export function matchGlob(pattern: string, str: string, nocase = false): boolean {
  const state = { skipLonger: false };
  return matchAt(pattern, 0, str, 0, nocase, state, 0);
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function matchAt(
  p: string,
  pi: number,
  s: string,
  si: number,
  nocase: boolean,
  state: { skipLonger: boolean },
  depth: number,
): boolean {
  // Redis caps recursion (nesting of '*') at 1000 levels.
  if (depth > 1000) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const pc = p.charCodeAt(pi);
    switch (pc) {
      case 42: {
        // '*'
        while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
        if (pi + 1 === plen) return true;
        while (si < slen) {
          if (matchAt(p, pi + 1, s, si, nocase, state, depth + 1)) return true;
          if (state.skipLonger) return false;
          si++;
        }
        state.skipLonger = true;
        return false;
      }
      case 63: // '?'
        si++;
        break;
      case 91: {
        // '['
        pi++;
        const not = pi < plen && p.charCodeAt(pi) === 94;
        if (not) pi++;
        let match = false;
        const c = nocase ? lower(s.charCodeAt(si)) : s.charCodeAt(si);
        for (;;) {
          if (pi >= plen) {
            // Unclosed bracket: Redis steps back so the outer loop sees the end of the pattern.
            pi--;
            break;
          }
          const bc = p.charCodeAt(pi);
          if (bc === 92 && pi + 1 < plen) {
            pi++;
            if (p.charCodeAt(pi) === s.charCodeAt(si)) match = true;
          } else if (bc === 93) {
            break;
          } else if (pi + 2 < plen && p.charCodeAt(pi + 1) === 45) {
            let start = p.charCodeAt(pi);
            let end = p.charCodeAt(pi + 2);
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lower(start);
              end = lower(end);
            }
            pi += 2;
            if (c >= start && c <= end) match = true;
          } else if (nocase ? lower(bc) === c : bc === c) {
            match = true;
          }
          pi++;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        break;
      }
      default: {
        // '\\' escapes the next pattern char (a trailing one matches itself).
        if (pc === 92 && pi + 1 < plen) pi++;
        const a = p.charCodeAt(pi);
        const b = s.charCodeAt(si);
        if (nocase ? lower(a) !== lower(b) : a !== b) return false;
        si++;
        break;
      }
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}

/**
 * The pseudo-random generator behind math.random in Redis scripts: the 48-bit linear congruential generator of
 * drand48 (x' = 0x5DEECE66D·x + 0xB mod 2^48) starting from drand48's fixed initial state, so the sequence is the
 * same after every start of the server. Redis 7.0 keeps one generator for the whole process: it is not reseeded
 * between scripts (nor by SCRIPT FLUSH), and math.randomseed in one script affects the following ones.
 */
const A = 0x5deece66dn;
const C = 0xbn;
const MASK = (1n << 48n) - 1n;
export const RAND48_MAX = 2147483647;

export class Rand48 {
  /** drand48's initial state (0x1234ABCD330E) until the first seed. */
  private x = 0x1234abcd330en;

  /** srand48: the seed's 32 bits above the fixed low word 0x330E. */
  seed(s: number): void {
    this.x = ((BigInt(s | 0) & 0xffffffffn) << 16n) | 0x330en;
  }

  /** lrand48: the next state's top 31 bits. */
  next(): number {
    this.x = (A * this.x + C) & MASK;
    return Number(this.x >> 17n);
  }

  /** A double in [0, 1) as Redis's math.random computes it. */
  fraction(): number {
    return (this.next() % RAND48_MAX) / RAND48_MAX;
  }
}

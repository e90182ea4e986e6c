/**
 * Seeded choices for the simulator, on the project's own PRNG (src/correlate/prng.ts): one seed gives
 * one incident, byte for byte. Each part of an incident draws from its own stream (`fork`), so adding
 * a choice to one part does not shift the random choices of every other part.
 */
import { mulberry32 } from '../../src/correlate/prng.js';

export class Rng {
  private readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }

  /** An independent stream for one named part of the incident. */
  fork(label: string): Rng {
    let h = this.seed >>> 0;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
    return new Rng(h ^ 0x9e3779b9);
  }

  float(): number {
    return this.next();
  }

  /** An integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** A float in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  /** Log-uniform in [lo, hi): as many 2–20 s streams as 30–300 s ones. */
  logBetween(lo: number, hi: number): number {
    return Math.exp(this.between(Math.log(lo), Math.log(hi)));
  }

  /** An exponential gap with the given mean (a Poisson process's inter-arrival time). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `n` distinct items in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }

  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(this.next() * 16)];
    return s;
  }

  /** A public-looking IPv4 address (never private, loopback or multicast). */
  publicIp(): string {
    const first = this.pick([23, 36, 45, 58, 60, 61, 77, 85, 91, 103, 112, 117, 121, 139, 141, 159, 176, 185, 193, 202, 212, 218, 222]);
    return `${first}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }
}

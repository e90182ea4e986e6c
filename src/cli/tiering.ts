/**
 * V8's optimizing compiler held back while a timeline is short (#18).
 *
 * A 15-minute window is a few thousand events: the masker, the burst keys and the row writer run a
 * few thousand times each and then the process ends. V8 still marks them hot within the first
 * thousand and compiles them with TurboFan, on a second thread whose CPU the run pays for: on the
 * bench's 5M store (8,032 events, 678 rows) the window took 0.30 s CPU with TurboFan and 0.25 s
 * with Sparkplug's baseline code alone (docs/performance.md). The compiled code would have paid off
 * only on a longer stream: it saves ~2.3 µs per event (a 6-hour window, 192,768 events, 1.95 s CPU
 * against 2.40 s without TurboFan) for a one-off ~45 ms of compiling, so it breaks even after
 * ~20,000 events. TurboFan is therefore off from the start of `corr timeline` and turned back on
 * once the stream has passed that many events: a short window never pays for compiling, and a long
 * one pays at most the ~45 ms it would have spent compiling anyway (the rent-or-buy bound: at most
 * twice the cost of the better choice made in hindsight).
 *
 * Both settings are V8 flags that V8 reads each time it considers a function for optimization, so
 * they take effect when set at run time (as src/cli/heap.ts's do). Code already optimized stays so.
 */
import { setFlagsFromString } from 'node:v8';

/** Events after which the optimizing compiler is worth its compile time (see above for the figures). */
export const OPTIMIZE_AFTER_EVENTS = 20_000;

let held = false;

/** TurboFan off until releaseOptimizingCompiler: first thing in main.ts for `corr timeline`. */
export function holdOptimizingCompiler(): void {
  if (held) return;
  setFlagsFromString('--no-turbofan');
  held = true;
}

/** TurboFan back on (a no-op unless it was held). */
export function releaseOptimizingCompiler(): void {
  if (!held) return;
  setFlagsFromString('--turbofan');
  held = false;
}

/** Whether the optimizing compiler is held back now (for tests). */
export function optimizingCompilerHeld(): boolean {
  return held;
}

/** The items, in order, turning the optimizing compiler back on as the `after`-th one passes. */
export function* releasingAfter<T>(items: Iterable<T>, after: number = OPTIMIZE_AFTER_EVENTS): Generator<T> {
  let n = 0;
  for (const item of items) {
    if (++n === after) releaseOptimizingCompiler();
    yield item;
  }
}

/**
 * V8's heap, set up per command before anything is allocated (main.ts calls this first thing).
 *
 * Streaming commands (timeline): the young generation kept at its starting size. V8 doubles its
 * young generation (up to 16 MiB per semi-space, three of them) whenever enough objects survive its
 * scavenges, and never gives it back while the process keeps allocating. A stream of a million rows
 * that holds a few hundred rows alive at any moment (collapsed bursts waiting for their stream to go
 * quiet, a chunk of output) survives every scavenge a little, so the young generation grows to its
 * maximum and drags the old generation's limit up with it: the collapsed whole-store timeline
 * peaked at 200–224 MB, of which under 20 MB were live rows. A growth factor of 1 keeps the young
 * generation at its first size (1 MiB semi-spaces): scavenges come more often and each stays small,
 * since what is live in a stream is small.
 *
 * Correlating commands (correlate, report, demo): the old generation grown by half of what is live
 * after each full collection, instead of V8's own factor of up to 4. Correlating allocates fast
 * (messages fetched, masked and mined by the million) while what it keeps is a fraction of that
 * (the event columns, the miner's templates), so V8 deferred its full collections and let the heap
 * grow to several times the live set: at 5M events the peak was 2 GB for ~400 MB live. With 1.5 the
 * peak follows the live set; the cost is more full collections (measured in docs/performance.md).
 *
 * `--max-semi-space-size` would do the same as the growth factor but is read only when the heap is
 * made, which is before any of our code runs (it would need a re-exec: another process start,
 * ~40 ms). Both flags set here are read each time V8 resizes a space, so setting them first thing
 * in main.ts, before yargs and the command are loaded, takes effect for the whole run.
 */
import { setFlagsFromString } from 'node:v8';

/** Commands whose work is one pass over a stream of rows. */
const STREAMING = new Set(['timeline']);
/**
 * Commands that load the event columns and correlate them; and ingest, whose survey of 100,000
 * tiny files allocates fast while what it keeps is ~50 MB: through the bench's pipes V8 let the
 * heap reach 190–250 MB before its first full collections (peaks of 300–380 MB RSS); grown by half,
 * the same run peaked at 236–242 MB with no more CPU (docs/reliability.md, #17).
 */
const CORRELATING = new Set(['correlate', 'report', 'demo', 'ingest']);

export function boundYoungGenerationFor(command: string | null): void {
  if (command !== null && STREAMING.has(command)) setFlagsFromString('--semi-space-growth-factor=1');
  if (command !== null && CORRELATING.has(command)) setFlagsFromString('--heap-growing-percent=50');
}

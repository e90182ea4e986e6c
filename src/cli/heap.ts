/**
 * The young generation of V8's heap, kept at its starting size for commands that stream.
 *
 * V8 doubles its young generation (up to 16 MiB per semi-space, three of them) whenever enough
 * objects survive its scavenges, and never gives it back while the process keeps allocating. A
 * stream of a million rows that holds a few hundred rows alive at any moment (collapsed bursts
 * waiting for their stream to go quiet, a chunk of output) survives every scavenge a little, so the
 * young generation grows to its maximum and drags the old generation's limit up with it: the
 * collapsed whole-store timeline peaked at 200–224 MB, of which under 20 MB were live rows.
 * A growth factor of 1 keeps the young generation at its first size (1 MiB semi-spaces): scavenges
 * come more often and each stays small, since what is live in a stream is small.
 *
 * `--max-semi-space-size` would do the same but is read only when the heap is made, which is
 * before any of our code runs (it would need a re-exec: another process start, ~40 ms). The
 * growth factor is read each time V8 grows the space, so setting it first thing in main.ts, before
 * yargs and the command are loaded, takes effect for the whole run. Measured in docs/cli.md.
 */
import { setFlagsFromString } from 'node:v8';

/** Commands whose work is one pass over a stream of rows. */
const STREAMING = new Set(['timeline']);

export function boundYoungGenerationFor(command: string | null): void {
  if (command !== null && STREAMING.has(command)) setFlagsFromString('--semi-space-growth-factor=1');
}

import { DateTime } from 'luxon';

/**
 * Time-axis ticks for the figure: a round step (1 s … 1 week) giving at most `maxTicks` ticks,
 * placed on UTC multiples of the step, and labels for one zone. Pure arithmetic on integers so the
 * same span always yields the same ticks.
 */

const STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

export function tickStepMs(spanMs: number, maxTicks: number): number {
  for (const s of STEPS_S) if (spanMs / (s * 1000) <= maxTicks) return s * 1000;
  return Math.ceil(spanMs / maxTicks / 604_800_000) * 604_800_000;
}

/** Tick instants in [startMs, endMs], on multiples of the step. */
export function ticks(startMs: number, endMs: number, maxTicks: number): { stepMs: number; at: number[] } {
  const stepMs = tickStepMs(endMs - startMs, maxTicks);
  const at: number[] = [];
  for (let t = Math.ceil(startMs / stepMs) * stepMs; t <= endMs; t += stepMs) at.push(t);
  return { stepMs, at };
}

/**
 * Labels for one zone. Seconds appear only when the step is below a minute; the date (MM-dd)
 * appears on the first tick and whenever the day changes in that zone, so a reader never has to
 * guess which evening a local time belongs to.
 */
export function tickLabels(at: readonly number[], stepMs: number, tz: string): string[] {
  const clock = stepMs < 60_000 ? 'HH:mm:ss' : 'HH:mm';
  let previousDay = '';
  return at.map((ms) => {
    const dt = DateTime.fromMillis(ms, { zone: tz, locale: 'en-US' });
    const day = dt.toFormat('yyyy-LL-dd');
    const label = day !== previousDay ? dt.toFormat('LL-dd ') + dt.toFormat(clock) : dt.toFormat(clock);
    previousDay = day;
    return label;
  });
}

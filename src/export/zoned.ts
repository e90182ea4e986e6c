import { DateTime } from 'luxon';

/**
 * A wall-clock time in a zone with its abbreviation (PDT, CEST). Intl's en-US names only American
 * zones and en-GB only European ones; whichever gives a name rather than `GMT+2` is used.
 */
export function zonedClock(ms: number, zone: string, format: string): string {
  const dt = DateTime.fromMillis(ms, { zone });
  let name = dt.setLocale('en-US').toFormat('ZZZZ');
  if (/^(GMT|UTC)[+-]/.test(name)) {
    const gb = dt.setLocale('en-GB').toFormat('ZZZZ');
    if (!/^(GMT|UTC)[+-]/.test(gb)) name = gb;
  }
  return `${dt.toFormat(format)} ${name}`;
}

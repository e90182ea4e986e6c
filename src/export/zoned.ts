import { DateTime, IANAZone } from 'luxon';

/**
 * A wall-clock time in a zone with its abbreviation (PDT, CEST), fast enough for a million rows:
 * the zone's offset at the instant comes from luxon's IANA zone (one cached Intl formatter), the
 * wall clock is the instant shifted by it, and the abbreviation — what costs (Intl names, half a
 * millisecond each) — is looked up once per zone and offset. Intl's en-US names only American zones
 * and en-GB only European ones; whichever gives a name rather than `GMT+2` is used.
 *
 * `format` takes the tokens yyyy, LL, dd, HH, mm, ss (luxon's spelling) and literal text.
 */
const names = new Map<string, string>();
const zones = new Map<string, IANAZone>();

function abbreviation(ms: number, zone: string, offset: number): string {
  const key = `${zone}\u0000${offset}`;
  let name = names.get(key);
  if (name === undefined) {
    const dt = DateTime.fromMillis(ms, { zone });
    name = dt.setLocale('en-US').toFormat('ZZZZ');
    if (/^(GMT|UTC)[+-]/.test(name)) {
      const gb = dt.setLocale('en-GB').toFormat('ZZZZ');
      if (!/^(GMT|UTC)[+-]/.test(gb)) name = gb;
    }
    names.set(key, name);
  }
  return name;
}

const TOKENS = /yyyy|LL|dd|HH|mm|ss/g;

/** `format` applied to the wall clock `offsetMinutes` east of UTC at `ms`. */
export function wallClock(ms: number, offsetMinutes: number, format: string): string {
  const iso = new Date(ms + offsetMinutes * 60_000).toISOString(); // yyyy-mm-ddTHH:MM:SS.sssZ
  return format.replace(TOKENS, (t) => {
    switch (t) {
      case 'yyyy':
        return iso.slice(0, 4);
      case 'LL':
        return iso.slice(5, 7);
      case 'dd':
        return iso.slice(8, 10);
      case 'HH':
        return iso.slice(11, 13);
      case 'mm':
        return iso.slice(14, 16);
      default:
        return iso.slice(17, 19);
    }
  });
}

export function zonedClock(ms: number, zone: string, format: string): string {
  let z = zones.get(zone);
  if (!z) zones.set(zone, (z = IANAZone.create(zone)));
  if (!z.isValid) return `${DateTime.fromMillis(ms, { zone }).toFormat(format)} ${zone}`;
  const offset = z.offset(ms);
  return `${wallClock(ms, offset, format)} ${abbreviation(ms, zone, offset)}`;
}

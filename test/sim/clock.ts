/**
 * Time for the simulator: instants are integer microseconds since the epoch (UTC), wall clocks come
 * from luxon with IANA zones (never fixed offsets), and every timestamp format the simulated programs
 * write is rendered here, as those programs print it.
 */
import { DateTime } from 'luxon';

export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/**
 * The zones incidents happen in, with the abbreviations `date` prints (tzdata's, which ICU does not
 * give for most of them). Southern-hemisphere zones with DST (Sydney, Auckland, Santiago), zones
 * without DST (Kolkata, Tokyo, São Paulo), half-hour offsets (Kolkata, St John's).
 */
export const ZONES: ReadonlyArray<{ name: string; std: string; dst?: string }> = [
  { name: 'America/Los_Angeles', std: 'PST', dst: 'PDT' },
  { name: 'America/New_York', std: 'EST', dst: 'EDT' },
  { name: 'Europe/Berlin', std: 'CET', dst: 'CEST' },
  { name: 'Europe/London', std: 'GMT', dst: 'BST' },
  { name: 'Australia/Sydney', std: 'AEST', dst: 'AEDT' },
  { name: 'Pacific/Auckland', std: 'NZST', dst: 'NZDT' },
  { name: 'America/Santiago', std: '-04', dst: '-03' },
  { name: 'America/Sao_Paulo', std: '-03' },
  { name: 'Asia/Kolkata', std: 'IST' },
  { name: 'Asia/Tokyo', std: 'JST' },
  { name: 'America/St_Johns', std: 'NST', dst: 'NDT' },
  { name: 'UTC', std: 'UTC' },
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');
const p6 = (n: number): string => String(n).padStart(6, '0');

export function local(us: number, zone: string): DateTime {
  return DateTime.fromMillis(Math.floor(us / 1000), { zone });
}

const micro = (us: number): number => ((us % SECOND) + SECOND) % SECOND;

const BUCKET_MS = 15 * 60_000;
const offsetCache = new Map<string, number>();

/**
 * The zone's UTC offset (minutes) at `ms`, from luxon, cached per zone and quarter hour: stamping
 * every line through a luxon DateTime costs more than the rest of the generator together. A quarter
 * hour whose two ends disagree holds an offset change and is not cached.
 */
function offsetAt(ms: number, zone: string): number {
  const bucket = Math.floor(ms / BUCKET_MS);
  const key = `${zone}|${bucket}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const a = DateTime.fromMillis(bucket * BUCKET_MS, { zone }).offset;
  const b = DateTime.fromMillis((bucket + 1) * BUCKET_MS - 1, { zone }).offset;
  if (a !== b) return DateTime.fromMillis(ms, { zone }).offset;
  if (offsetCache.size > 200_000) offsetCache.clear();
  offsetCache.set(key, a);
  return a;
}

/** Wall-clock fields of `us` in `zone` (month 1-based). */
function wall(us: number, zone: string): { month: number; day: number; hour: number; minute: number; second: number } {
  const ms = Math.floor(us / 1000);
  const d = new Date(ms + offsetAt(ms, zone) * 60_000);
  return { month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** The offset changes (DST) of a zone in [fromUs, toUs): the first second of each new offset. */
export function offsetChanges(zone: string, fromUs: number, toUs: number): number[] {
  const out: number[] = [];
  const start = Math.floor(fromUs / SECOND) * SECOND;
  let prev = local(start, zone).offset;
  // Offsets change at most twice a year: a step of 6 hours cannot step over two changes.
  const step = 6 * HOUR;
  for (let t = start + step; t < toUs + step; t += step) {
    const off = local(t, zone).offset;
    if (off === prev) continue;
    let lo = t - step; // still the old offset
    let hi = t; // already the new one
    while (hi - lo > SECOND) {
      const mid = lo + Math.floor((hi - lo) / 2 / SECOND) * SECOND;
      if (local(mid, zone).offset === prev) lo = mid;
      else hi = mid;
    }
    if (hi >= fromUs && hi < toUs) out.push(hi);
    prev = off;
  }
  return out;
}

export function abbreviation(us: number, zone: string): string {
  const z = ZONES.find((x) => x.name === zone);
  if (!z) throw new Error(`no abbreviation for ${zone}`);
  return local(us, zone).isInDST && z.dst ? z.dst : z.std;
}

/** `May  6 17:02:11`: BSD syslog and `journalctl -o short`, day padded with a space. */
export function syslogStamp(us: number, zone: string): string {
  const d = wall(us, zone);
  return `${MONTHS[d.month - 1]} ${String(d.day).padStart(2, ' ')} ${p2(d.hour)}:${p2(d.minute)}:${p2(d.second)}`;
}

/** klog header `E0526 17:57:40.412233    1187 writers.go:118] ` in local time, no year. */
export function klogPrefix(level: string, us: number, zone: string, pid: number, fileLine: string): string {
  const d = wall(us, zone);
  return `${level}${p2(d.month)}${p2(d.day)} ${p2(d.hour)}:${p2(d.minute)}:${p2(d.second)}.${p6(micro(us))} ${String(pid).padStart(7, ' ')} ${fileLine}] `;
}

/** Raw dmesg `[551000.102298]`, seconds right-aligned in 5 like printk. */
export function dmesgStamp(us: number, bootUs: number): string {
  const since = us - bootUs;
  if (since < 0) throw new Error('kernel line before boot');
  return `[${String(Math.floor(since / SECOND)).padStart(5, ' ')}.${p6(since % SECOND)}]`;
}

/** `2026-05-27T03:02:10Z`, whole seconds. */
export function isoSeconds(us: number): string {
  return new Date(Math.floor(us / SECOND) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `2026-05-27T03:02:10.123Z`. */
export function isoMillis(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}

/** `date`: `Tue May 26 19:53:09 PDT 2026`. */
export function dateCommand(us: number, zone: string): string {
  const d = local(us, zone);
  return `${d.setLocale('en-US').toFormat('ccc LLL')} ${String(d.day).padStart(2, ' ')} ${d.toFormat('HH:mm:ss')} ${abbreviation(us, zone)} ${d.year}`;
}

/** `uptime -s`: the boot instant in local time, no zone. */
export function uptimeSince(us: number, zone: string): string {
  return local(us, zone).toFormat('yyyy-MM-dd HH:mm:ss');
}

/** `timedatectl` (systemd 249). */
export function timedatectl(us: number, zone: string): string[] {
  const l = local(us, zone).setLocale('en-US');
  const u = local(us, 'UTC').setLocale('en-US');
  const day = (d: DateTime): string => d.toFormat('ccc yyyy-MM-dd HH:mm:ss');
  const off = l.toFormat('ZZZ');
  return [
    `               Local time: ${day(l)} ${abbreviation(us, zone)}`,
    `           Universal time: ${day(u)} UTC`,
    `                 RTC time: ${day(u)}`,
    `                Time zone: ${zone} (${abbreviation(us, zone)}, ${off})`,
    'System clock synchronized: yes',
    '              NTP service: active',
    '          RTC in local TZ: no',
  ];
}

/** `recover-043550` style stamp of a capture file's name, in local time. */
export function fileStamp(us: number, zone: string): string {
  return local(us, zone).toFormat('HHmmss');
}

/**
 * One line of the Common / Combined Log Format, as nginx, apache and traefik write their access logs:
 * `192.0.2.1 - - [26/May/2026:17:18:04 -0700] "GET / HTTP/1.1" 200 612 "-" "curl/8.0"`, optionally
 * with a virtual host in front (apache's `vhost_combined`) and more after (traefik: request count,
 * router, backend URL, duration). Read by hand, left to right, one pass: the request and the quoted
 * fields are hostile text (scanners send binary and quotes), and nothing here backtracks.
 */
import { calendarProblem, offsetMinutesOf, utcMs } from './iso-calendar.js';

export interface AccessRecord {
  /** Virtual host (apache `%v`), when the line starts with one. */
  vhost?: string;
  /** The client address (`%h`): an IP, or a name when the server resolves them. */
  client: string;
  /** `%u`, `-` when none. */
  user: string;
  utcUs: number;
  /** The stamp as written, `26/May/2026:17:18:04 -0700`. */
  timeText: string;
  /** The request line as written (`GET / HTTP/1.1`, `-`, or whatever a scanner sent). */
  request: string;
  method?: string;
  path?: string;
  protocol?: string;
  status: number;
  bytes?: number;
  referer?: string;
  agent?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Where ` [` may be: three or four short tokens before it. */
const MAX_PREFIX = 600;
const CLIENT = /^[\w.:%-]{1,253}$/;
const STAMP = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\]$/;
const STAMP_LENGTH = 27;
const STATUS_BYTES = /^ (\d{3}) (\d{1,15}|-)(?= |$)/;
const METHOD = /^[A-Z][A-Z_-]{0,19}$/;

/** The text of a quoted field starting at `text[at] === '"'` and the index after its closing quote; null when it never closes. */
function quoted(text: string, at: number): { value: string; end: number } | null {
  if (text.charCodeAt(at) !== 0x22) return null;
  let i = at + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2; // `\"` (apache) and `\x22` (nginx) escapes
    else if (c === 0x22) return { value: text.slice(at + 1, i), end: i + 1 };
    else i++;
  }
  return null;
}

function splitRequest(request: string): Pick<AccessRecord, 'method' | 'path' | 'protocol'> {
  const first = request.indexOf(' ');
  if (first < 0) return {};
  const method = request.slice(0, first);
  if (!METHOD.test(method)) return {};
  const last = request.lastIndexOf(' ');
  const protocol = last > first ? request.slice(last + 1) : '';
  if (last > first && protocol.startsWith('HTTP/')) return { method, path: request.slice(first + 1, last), protocol };
  return { method, path: request.slice(first + 1) };
}

/** Why the stamp of a line shaped like an access line is not a real instant, or null. */
export function accessStampProblem(line: string): string | null {
  const open = line.indexOf(' [');
  if (open < 0 || open > MAX_PREFIX) return null;
  const stamp = STAMP.exec(line.slice(open + 2, open + 2 + STAMP_LENGTH));
  if (!stamp) return null;
  const month = MONTHS.indexOf(stamp[2]!) + 1;
  if (month === 0) return `impossible timestamp "${stamp[0].slice(0, -1)}": month "${stamp[2]}" is not an English month`;
  const [day, year, hour, minute, second] = [stamp[1], stamp[3], stamp[4], stamp[5], stamp[6]].map(Number) as [number, number, number, number, number];
  const offset = offsetMinutesOf(stamp[7]!);
  const problem = offset === null ? 'the offset is unreadable' : calendarProblem(year, month, day, hour, minute, second, offset);
  return problem === null ? null : `impossible timestamp "${stamp[0].slice(0, -1)}": ${problem}`;
}

export function parseAccessRecord(line: string): AccessRecord | null {
  const open = line.indexOf(' [');
  if (open < 5 || open > MAX_PREFIX) return null;
  const tokens = line.slice(0, open).split(' ').filter((t) => t !== '');
  if (tokens.length !== 3 && tokens.length !== 4) return null;
  const vhost = tokens.length === 4 ? tokens[0] : undefined;
  const [client, , user] = tokens.slice(tokens.length - 3) as [string, string, string];
  if (!CLIENT.test(client)) return null;
  const stampAt = open + 2;
  const stamp = STAMP.exec(line.slice(stampAt, stampAt + STAMP_LENGTH));
  if (!stamp) return null;
  const month = MONTHS.indexOf(stamp[2]!) + 1;
  const [day, year, hour, minute, second] = [stamp[1], stamp[3], stamp[4], stamp[5], stamp[6]].map(Number) as [number, number, number, number, number];
  const offset = offsetMinutesOf(stamp[7]!);
  if (month === 0 || offset === null || calendarProblem(year, month, day, hour, minute, second, offset) !== null) return null;
  let at = stampAt + STAMP_LENGTH;
  if (line.charCodeAt(at) !== 0x20) return null;
  const request = quoted(line, at + 1);
  if (!request) return null;
  at = request.end;
  const sb = STATUS_BYTES.exec(line.slice(at, at + 20));
  if (!sb) return null;
  const status = Number(sb[1]);
  if (status < 100 || status > 599) return null;
  at += sb[0].length;
  const record: AccessRecord = {
    client,
    user,
    utcUs: (utcMs(year, month, day, hour, minute, second) - offset * 60_000) * 1000,
    timeText: stamp[0].slice(0, -1),
    request: request.value,
    ...splitRequest(request.value),
    status,
  };
  if (vhost !== undefined) record.vhost = vhost;
  if (sb[2] !== '-') record.bytes = Number(sb[2]);
  // Combined: ` "referer" "agent"`.
  if (line.charCodeAt(at) === 0x20 && line.charCodeAt(at + 1) === 0x22) {
    const referer = quoted(line, at + 1);
    if (referer && line.charCodeAt(referer.end) === 0x20) {
      const agent = quoted(line, referer.end + 1);
      if (agent) {
        if (referer.value !== '-' && referer.value !== '') record.referer = referer.value;
        if (agent.value !== '-' && agent.value !== '') record.agent = agent.value;
      }
    }
  }
  return record;
}

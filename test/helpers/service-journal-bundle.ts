/**
 * A generated bundle (the simulator's seed 1397): a service's journal captured `--since "-1h"` beside
 * four hours of auth.log (cron's session lines). Both are syslog, but auth.log holds no line of the
 * service. Four outages, each of the two in the journal's hour led by a burst of the service's
 * `upstream … timeout` complaint 90 s before its onset. Used by the correlator's CLI test and by the
 * engines' parity test (the syslog sections' kinds are read by both stores).
 */
import { mulberry32 } from '../../src/correlate/prng.js';
import { hexDigits, polls, syslogStamp, writePlainProbe, writeUtcCapture } from './capture-bundle.js';

const HOST = 'web-01';
export const MIN = 60_000;
const BOOT = Date.UTC(2026, 10, 1, 0, 0, 0);
export const T0 = Date.UTC(2026, 10, 8, 6, 0, 0);
const CAPTURE = T0 + 240 * MIN;
const JOURNAL_FROM = CAPTURE - 60 * MIN;

export function serviceJournalBundle(dir: string): { onsets: number[] } {
  const next = mulberry32(1397);
  const onsets = [T0 + 50 * MIN, T0 + 120 * MIN, T0 + 195 * MIN, T0 + 225 * MIN];
  const outages = onsets.map((o) => [o, o + 8 * MIN] as const);
  const down = (t: number): boolean => outages.some(([a, b]) => t >= a && t < b);
  const ip = (): string => `10.${Math.floor(next() * 255)}.${Math.floor(next() * 255)}.${1 + Math.floor(next() * 253)}`;

  // The service: a routine line every ~50 s, and before each of the last two onsets a burst of its
  // complaint (the earlier two bursts happened too, before the journal's hour: nobody captured them).
  const service: [number, string][] = [];
  for (let t = JOURNAL_FROM + 20_000; t < CAPTURE - MIN; t += Math.round(-Math.log(1 - next()) * 50_000)) {
    if (!down(t)) service.push([t, `request served in ${Math.floor(next() * 900)}ms status=200 path=/v1/items`]);
  }
  for (const onset of onsets.filter((o) => o > JOURNAL_FROM)) {
    for (let k = 0; k < 8; k++) {
      service.push([onset - 90_000 + k * 4000, `upstream ${ip()}:${1024 + Math.floor(next() * 60000)} timeout after ${100 + Math.floor(next() * 9000)}ms, request id ${hexDigits(next, 16)}`]);
    }
  }
  service.sort((a, b) => a[0] - b[0]);
  const journal = service.map(([t, m]) => `${syslogStamp(t)} ${HOST} tileserver[4242]: ${m}`);

  // auth.log: cron every 5 minutes through the whole span.
  const auth: string[] = [];
  for (let t = T0 + 60_000; t < CAPTURE; t += 5 * MIN) {
    auth.push(`${syslogStamp(t)} ${HOST} CRON[${1000 + (t / MIN) % 9000}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`);
    auth.push(`${syslogStamp(t + 1000)} ${HOST} CRON[${1000 + (t / MIN) % 9000}]: pam_unix(cron:session): session closed for user root`);
  }
  writeUtcCapture(dir, {
    host: HOST,
    captureMs: CAPTURE,
    bootMs: BOOT,
    kernel: [[T0 + 30_000, 'audit: type=1400 audit(0.0:1): apparmor="DENIED" operation="ptrace" profile="cri-containerd.apparmor.d" comm="pidof"']],
    sections: [
      ['journalctl -u tileserver --no-pager --since "-1h"', journal],
      [`tail -n ${auth.length} /var/log/auth.log`, auth],
    ],
  });
  writePlainProbe(dir, HOST, polls(T0, CAPTURE, 10_000), down);
  return { onsets };
}


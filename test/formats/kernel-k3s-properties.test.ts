import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KERNEL_K3S_FORMATS } from '../../src/ingest/formats/kernel-k3s-family.js';
import { parseIsoInstantUs } from '../../src/ingest/formats/go-log-records.js';
import { classifyKernel } from '../../src/ingest/classify/kernel.js';
import { classifyK3s } from '../../src/ingest/classify/k3s.js';

/** Pieces of real headers, so that random lines get past the first checks of each pattern. */
const fragment = fc.constantFrom(
  '[ 12.5] ', '<6>', 'E0526 17:57:40.412233 ', '1187 ', 'x.go:1] ', 'time="2026-05-26T17:57:40Z" ', 'level=info ',
  'msg="', '\\"', 'INFO[', ']', '{"level":"warn","ts":', '6,1,2,-;', 'br-1: port 1(', 'veth1) entered ', ' state',
  'Trace[1]: ', 'dial tcp ', ':6443: connect: connection refused', 'Killed process ', '(', ')', ' ', '\t', '"', '=',
);
const hostileLine = fc.oneof(fc.string(), fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join('')));

describe('kernel/k3s formats never throw', () => {
  it('on arbitrary and header-like lines, with and without a previous event', () => {
    fc.assert(
      fc.property(hostileLine, (line) => {
        for (const format of KERNEL_K3S_FORMATS) {
          const first = format.parse(line, null);
          const prev = first?.type === 'event' ? first.event : null;
          format.parse(line, prev);
          const score = format.detect([line]);
          expect(score >= 0 && score <= 1).toBe(true);
        }
        classifyKernel(line);
        classifyK3s(line);
      }),
      { numRuns: 400 },
    );
  });
});

describe('parseIsoInstantUs', () => {
  it('reads back any instant written with any offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: -14 * 4, max: 14 * 4 }).map((quarters) => quarters * 15),
        fc.constantFrom(':', ''),
        (ms, extraMicros, offsetMin, colon) => {
          const local = new Date(ms + offsetMin * 60_000);
          const sign = offsetMin < 0 ? '-' : '+';
          const abs = Math.abs(offsetMin);
          const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${colon}${String(abs % 60).padStart(2, '0')}`;
          const micros = String(local.getUTCMilliseconds() * 1000 + extraMicros).padStart(6, '0');
          const text = `${local.toISOString().slice(0, 19)}.${micros}${zone}`;
          expect(parseIsoInstantUs(text)).toBe(ms * 1000 + extraMicros);
        },
      ),
    );
  });
});

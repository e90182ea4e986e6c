import { describe, expect, it } from 'vitest';
import type { ParsedEvent, RawTime } from '../../src/ingest/types.js';
import { KERNEL_K3S_FORMATS } from '../../src/ingest/formats/kernel-k3s-family.js';

/** The sample `time` convention of src/ingest/types.ts (SampleExpect.time). */
function timeText(time: RawTime): string {
  const two = (n: number) => String(n).padStart(2, '0');
  switch (time.kind) {
    case 'exact':
      return new Date(Math.floor(time.utcUs / 1000)).toISOString();
    case 'uptime':
      return `${Math.floor(time.us / 1e6)}.${String(time.us % 1e6).padStart(6, '0')}`;
    case 'local': {
      const clock = `${two(time.month)}-${two(time.day)} ${two(time.hour)}:${two(time.minute)}:${two(time.second)}`;
      return time.year === null ? clock : `${time.year}-${clock}`;
    }
    case 'none':
      return 'none';
  }
}

describe('every sample of the kernel/k3s formats produces what it says', () => {
  for (const format of KERNEL_K3S_FORMATS) {
    describe(format.name, () => {
      let prev: ParsedEvent | null = null;
      for (const sample of format.samples) {
        it(sample.line.slice(0, 90), () => {
          const result = format.parse(sample.line, prev);
          if (sample.expect.continuation) {
            expect(result).toEqual({ type: 'continuation' });
            return;
          }
          expect(result?.type).toBe('event');
          if (result?.type !== 'event') return;
          const event = result.event;
          prev = event;
          const e = sample.expect;
          if (e.kind !== undefined) expect(event.kind).toBe(e.kind);
          if (e.source !== undefined) expect(event.source).toBe(e.source);
          if (e.severity !== undefined) expect(event.severity).toBe(e.severity);
          if (e.host !== undefined) expect(event.host).toBe(e.host);
          if (e.time !== undefined) expect(timeText(event.time)).toBe(e.time);
          if (e.fields !== undefined) expect(event.fields).toMatchObject(e.fields);
        });
      }
    });
  }

  it('each format detects its own samples above every other kernel/k3s format', () => {
    for (const format of KERNEL_K3S_FORMATS) {
      const head = format.samples.filter((s) => !s.expect.continuation).map((s) => s.line);
      const own = format.detect(head);
      expect(own, format.name).toBe(1);
      for (const other of KERNEL_K3S_FORMATS) {
        if (other !== format) expect(other.detect(head), `${other.name} on ${format.name}`).toBeLessThan(own);
      }
    }
  });
});

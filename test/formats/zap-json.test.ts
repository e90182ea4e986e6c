import { describe, expect, it } from 'vitest';
import type { LineResult, ParsedEvent } from '../../src/ingest/types.js';
import { zapJson } from '../../src/ingest/formats/zap-json.js';

function event(result: LineResult | null): ParsedEvent {
  if (result?.type !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

describe('zap JSON', () => {
  it('reads an offset without a colon and the caller', () => {
    const e = event(
      zapJson.parse('{"level":"warn","ts":"2023-11-27T11:44:06.069-0800","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"2.5s"}', null),
    );
    expect(e.time).toEqual({ kind: 'exact', utcUs: Date.UTC(2023, 10, 27, 19, 44, 6, 69) * 1000 });
    expect(e.kind).toBe('k3s.slow_request');
    expect(e.fields).toMatchObject({ level: 'warning', file_line: 'etcdserver/util.go:170', took_ms: 2500 });
    expect(e.message).toBe('apply request took too long');
  });

  it('keeps only scalar keys as fields', () => {
    const e = event(zapJson.parse('{"level":"info","ts":1779843460.25,"msg":"m","n":3,"ok":true,"obj":{"a":1},"list":[1]}', null));
    expect(e.time).toEqual({ kind: 'exact', utcUs: 1_779_843_460_250_000 });
    expect(e.fields).toEqual({ level: 'info', n: 3, ok: true });
  });

  it('does not claim broken JSON, unknown levels or journal JSON', () => {
    const journal = '{"__REALTIME_TIMESTAMP":"1779843460000000","MESSAGE":"x","_HOSTNAME":"kai-server"}';
    expect(zapJson.parse('{"level":"warn","ts":"2023-11-27T11:44:06.069-0800","msg":', null)?.type).toBe('skip');
    expect(zapJson.parse('{"level":"loud","ts":1,"msg":"x"}', null)?.type).toBe('skip');
    expect(zapJson.detect([journal])).toBe(0);
    expect(zapJson.detect(['{"level":"warn","ts":"2023-11-27T11:44:06.069-0800","msg":"m"}'])).toBe(1);
  });

  it('parses a 100k-character hostile line in linear time', () => {
    // A backtracking pattern takes seconds on 100k characters; 250 ms leaves room for a loaded machine.
    const line = '{"level":"warn","ts":"' + '"'.repeat(100_000);
    const started = performance.now();
    zapJson.parse(line, null);
    zapJson.detect([line]);
    expect(performance.now() - started).toBeLessThan(250);
  });
});

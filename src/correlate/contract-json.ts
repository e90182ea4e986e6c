/**
 * The one place where the correlator's typed result (src/model/, instants in microseconds) becomes
 * the contract's JSON (ISO-8601 UTC strings with `Z`, snake_case keys). Key order is fixed here, so
 * the same result always prints the same bytes.
 */
import type { BurstSpan, CorrelationResult, EvidenceLine, Finding, JudgedFigures, WindowHit } from '../model/finding.js';
import type { OutageSpan } from '../model/outage.js';
import type { Burst, CorrelateJson, Evidence, FindingCommon, FindingJson, HitJson, JudgedJson, OutageJson } from './types.js';

import { iso as isoOf } from './stats.js';

export function outageJson(o: OutageSpan): OutageJson {
  return {
    host: o.host,
    start: isoOf(o.startUs),
    end: isoOf(o.endUs),
    status: o.status,
    sources: [...o.sources],
    // Only when the evidence places the onset within a spread (a poll interval, a silence's edges).
    ...(o.onsetEarliestUs !== o.startUs || o.onsetLatestUs !== o.startUs
      ? { onset_earliest: isoOf(o.onsetEarliestUs), onset_latest: isoOf(o.onsetLatestUs) }
      : {}),
  };
}

function burstJson(b: BurstSpan): Burst {
  return { start: isoOf(b.startUs), end: isoOf(b.endUs), count: b.count };
}

function evidenceJson(e: EvidenceLine): Evidence {
  return { ts: isoOf(e.tsUs), file: e.file, line: e.line, text: e.text, ...(e.host !== undefined ? { host: e.host } : {}) };
}

function hitJson(h: WindowHit): HitJson {
  return { outage: h.outage, first: isoOf(h.firstUs), lead_s: h.leadS, led: h.led };
}

function commonJson(f: Finding): FindingCommon {
  return {
    id: f.id,
    host: f.host,
    kind: f.kind,
    verdict: f.verdict,
    start: isoOf(f.startUs),
    end: isoOf(f.endUs),
    bursts: f.bursts.map(burstJson),
    outages_hit: f.outagesHit,
    outages_total: f.outagesTotal,
    chance: f.chance,
    summary: f.summary,
    evidence: f.evidence.map(evidenceJson),
    hits: f.hits.map(hitJson),
    reason: f.reason,
  };
}

function figuresJson(g: JudgedFigures, verdict: Finding['verdict']): JudgedJson {
  return {
    events_total: g.eventsTotal,
    events_inside: g.eventsInside,
    events_lead: g.eventsLead,
    events_outside: g.eventsOutside,
    lead_s: g.leadS,
    onsets_led: g.onsetsLed,
    bursts_total: g.burstsTotal,
    bursts_outside: g.burstsOutside,
    // Falling silent inside outages is what makes a steady stream evidence for them.
    ...(verdict === 'background' ? { outages_silent: g.outagesSilent } : {}),
    likelihood_ratio: g.likelihoodRatio,
    likelihood_low: g.likelihoodLow,
    likelihood_high: g.likelihoodHigh,
    rules: g.rules.map((r) => ({ rule: r.rule, met: r.met, detail: r.detail })),
  };
}

export function findingJson(f: Finding): FindingJson {
  const common = commonJson(f);
  switch (f.kind) {
    case 'ssh-bruteforce':
      return {
        ...common,
        kind: f.kind,
        source_ip: f.sourceIp,
        attempts: f.attempts,
        usernames: f.usernames,
        rate_per_min: f.ratePerMin,
        peak_per_10min: f.peakPer10min,
        accepted_logins: f.acceptedLogins,
        ...figuresJson(f.figures, f.verdict),
      };
    case 'template-burst':
      return { ...common, kind: f.kind, template: f.template, event_kind: f.eventKind, ...figuresJson(f.figures, f.verdict) };
    case 'probe-artifact':
      return {
        ...common,
        kind: f.kind,
        ...(f.periodS !== null ? { period_s: f.periodS } : {}),
        reasons: [...f.reasons],
        windows: f.windows,
        trusted_windows: f.trustedWindows,
      };
    case 'cross-host':
      return {
        ...common,
        kind: f.kind,
        signal_kind: f.signalKind,
        ...(f.sourceIp !== undefined ? { source_ip: f.sourceIp } : {}),
        ...(f.template !== undefined ? { template: f.template, event_kind: f.eventKind ?? '' } : {}),
        windows_host: f.windowsHost,
        cluster: [...f.cluster],
        cluster_rule: f.clusterRule,
        pairs_tested: f.pairsTested,
        chance_needed: f.chanceNeeded,
        ...figuresJson(f.figures, f.verdict),
      };
    case 'probe-clock':
      return { ...common, kind: f.kind, offset_s: f.offsetS, offset_uncertainty_s: f.offsetUncertaintyS, realigned: f.realigned, reasons: [...f.reasons] };
    default:
      return { ...common, kind: f.kind, ...figuresJson(f.figures, f.verdict) };
  }
}

/** The contract's JSON for a correlation result: `outages`, `findings`, and `stories`. */
export function toContractJson(result: CorrelationResult): CorrelateJson {
  return {
    outages: result.outages.map(outageJson),
    findings: result.findings.map(findingJson),
    stories: result.stories.map((s) => ({ id: s.id, findings: [...s.findings], summary: s.summary })),
  };
}

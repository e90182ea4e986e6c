import { describe, expect, it } from 'vitest';
import { findCampaigns, MIN_CAMPAIGN_ATTEMPTS } from '../../src/correlate/bruteforce.js';
import { correlate } from '../../src/correlate/engine.js';
import { EventBuilder, MINUTE, SECOND, at } from './builder.js';

const T0 = at('2026-05-26T21:00:00Z');
const IP = '203.0.113.9';

function failed(b: EventBuilder, t: number, user: string, port: number, count = 1): void {
  b.add({ tsUs: t, kind: 'sshd.failed_password', message: `Failed password for ${user} from ${IP} port ${port} ssh2`, fields: { ip: IP, user, port }, count });
}

function campaignsOf(b: EventBuilder) {
  const events = b.build();
  const sshd = events.map((_, i) => i).filter((i) => events[i]!.source === 'sshd');
  return findCampaigns(events, 'kai-server', sshd);
}

describe('counting attempts', () => {
  it('counts one attempt once however many lines sshd wrote for it', () => {
    const b = new EventBuilder();
    for (let k = 0; k < 20; k++) {
      const t = T0 + k * 10 * SECOND;
      const port = 50000 + k;
      // Invalid user + PAM failure + Failed password: one attempt.
      b.add({ tsUs: t, kind: 'sshd.invalid_user', message: `Invalid user u${k} from ${IP} port ${port}`, fields: { ip: IP, user: `u${k}`, port } });
      b.add({ tsUs: t + SECOND, kind: 'sshd.pam_auth_failure', message: `pam_unix(sshd:auth): authentication failure; rhost=${IP} user=u${k}`, fields: { ip: IP, user: `u${k}` } });
      b.add({ tsUs: t + 2 * SECOND, kind: 'sshd.failed_password', message: `Failed password for invalid user u${k} from ${IP} port ${port} ssh2`, fields: { ip: IP, user: `u${k}`, port, invalid_user: true } });
      b.add({ tsUs: t + 3 * SECOND, kind: 'sshd.connection_closed', message: `Connection closed by invalid user u${k} ${IP} port ${port} [preauth]`, fields: { ip: IP, user: `u${k}`, port } });
    }
    // A scanner that gives up after the user name is refused: still one attempt.
    b.add({ tsUs: T0 + 300 * SECOND, kind: 'sshd.invalid_user', message: `Invalid user solo from ${IP} port 60000`, fields: { ip: IP, user: 'solo', port: 60000 } });
    // `message repeated 3 times: [ Failed password for root ... ]`: three attempts.
    failed(b, T0 + 310 * SECOND, 'root', 60001, 3);
    const { campaigns } = campaignsOf(b);
    expect(campaigns).toHaveLength(1);
    const c = campaigns[0]!;
    expect(c.attempts).toBe(20 + 1 + 3);
    expect(c.usernames).toBe(20 + 2);
    expect(c.ip).toBe(IP);
  });

  it('without ports, ties an invalid_user line to a failure for the same user within a minute', () => {
    const b = new EventBuilder();
    for (let k = 0; k < 25; k++) {
      const t = T0 + k * 20 * SECOND;
      b.add({ tsUs: t, kind: 'sshd.invalid_user', message: `Invalid user a${k} from ${IP}`, fields: { ip: IP, user: `a${k}` } });
      if (k % 5 !== 0) b.add({ tsUs: t + SECOND, kind: 'sshd.failed_password', message: `Failed password for invalid user a${k} from ${IP}`, fields: { ip: IP, user: `a${k}` } });
    }
    // 20 failures + 5 invalid users that never sent a password.
    expect(campaignsOf(b).campaigns[0]!.attempts).toBe(25);
  });
});

describe('campaign thresholds', () => {
  it('needs 20 attempts: 19 quick failures are stray, 20 are a campaign', () => {
    for (const n of [MIN_CAMPAIGN_ATTEMPTS - 1, MIN_CAMPAIGN_ATTEMPTS]) {
      const b = new EventBuilder();
      for (let k = 0; k < n; k++) failed(b, T0 + k * 15 * SECOND, 'root', 40000 + k);
      const { campaigns, stray } = campaignsOf(b);
      expect(campaigns.length).toBe(n >= MIN_CAMPAIGN_ATTEMPTS ? 1 : 0);
      expect(stray.length).toBe(n >= MIN_CAMPAIGN_ATTEMPTS ? 0 : 1);
    }
  });

  it('needs 5 within 10 minutes: 30 failures one per 15 minutes are not a campaign', () => {
    const b = new EventBuilder();
    for (let k = 0; k < 30; k++) failed(b, T0 + k * 15 * MINUTE, 'root', 40000 + k);
    const { campaigns, stray } = campaignsOf(b);
    expect(campaigns).toEqual([]);
    expect(stray).toEqual([{ ip: IP, attempts: 30 }]);
  });

  it('reports no campaign for a handful of stray failures', () => {
    const b = new EventBuilder();
    for (let k = 0; k < 4; k++) failed(b, T0 + k * 40 * SECOND, 'kai', 40000 + k);
    b.add({ tsUs: T0 + 5 * MINUTE, kind: 'sshd.accepted', message: `Accepted password for kai from ${IP} port 40010 ssh2`, fields: { ip: IP, user: 'kai', port: 40010 } });
    const result = correlate(b.build(), {});
    expect(result.findings.filter((f) => f.kind === 'ssh-bruteforce')).toEqual([]);
  });

  it('counts logins accepted from a campaign address', () => {
    const b = new EventBuilder();
    for (let k = 0; k < 30; k++) failed(b, T0 + k * 5 * SECOND, 'root', 40000 + k);
    b.add({ tsUs: T0 + 200 * SECOND, kind: 'sshd.accepted', message: `Accepted password for root from ${IP} port 41000 ssh2`, fields: { ip: IP, user: 'root', port: 41000 } });
    const [c] = campaignsOf(b).campaigns;
    expect(c!.accepted).toHaveLength(1);
    expect(c!.peakPerFindtime).toBe(30);
    expect(c!.ratePerMin).toBe(Math.round((30 / ((29 * 5) / 60)) * 100) / 100);
  });
});

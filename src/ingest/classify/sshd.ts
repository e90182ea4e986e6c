/**
 * sshd / sshd-session messages → kinds with `ip`, `user`, `port`, `method`.
 *
 * User names are attacker-controlled: they may contain spaces, `from 1.2.3.4`, `port 22 ssh2`,
 * markup. So nothing here uses an unanchored regex over the message: the message is cut into
 * whitespace-separated words (with their offsets, so user names are kept verbatim) and each rule
 * reads words by position, which is linear in the line length whatever it contains.
 */
import type { Fields, Severity } from '../types.js';
import type { Classification } from './classification.js';
import { unwrapRepeated } from './generic.js';

/**
 * sshd's program names: `sshd`, OpenSSH ≥ 9.8's per-connection `sshd-session`, and old Linux-PAM's
 * `sshd(pam_unix)` (Red Hat 9, Fedora Core: `sshd(pam_unix)[2469]: authentication failure; …`).
 */
export function isSshdProgram(program: string): boolean {
  return program === 'sshd' || program === 'sshd-session' || program === 'sshd(pam_unix)';
}

interface Word {
  w: string;
  at: number;
}

interface Hit {
  kind: string;
  fields: Fields;
}

/** Failures an attacker produces: these make up brute-force evidence. */
const WARNING_KINDS = new Set([
  'sshd.failed_password',
  'sshd.failed_publickey',
  'sshd.failed_other',
  'sshd.invalid_user',
  'sshd.max_auth_attempts',
  'sshd.pam_auth_failure',
  'sshd.user_not_allowed',
  'sshd.refused_connect',
  'sshd.penalty_drop',
  'sshd.reverse_mapping',
]);

/**
 * OpenSSH formats every log message into a 1024-byte buffer (MSGBUFSIZ), so a longer "sshd" message
 * is not sshd's own: it is kept, but not taken apart.
 */
const MAX_SSHD_MESSAGE = 4096;

/** Whitespace-separated words with their offsets; a plain scan (a /\S+/g loop is far slower in V8). */
function words(text: string): Word[] {
  const out: Word[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) <= 32) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && text.charCodeAt(i) > 32) i++;
    out.push({ w: text.slice(start, i), at: start });
  }
  return out;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^[0-9A-Fa-f:]{2,45}(?:\.\d{1,3}){0,3}(?:%[\w.-]{1,32})?$/;
const HOSTNAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_-]{1,63}){0,30}\.?$/;

/**
 * An address as sshd prints it: IPv4, IPv6 (zone ids like `%ens36` kept), or a host name when
 * UseDNS is on. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes the IPv4 address so one attacker is
 * one address. Returns null for anything else.
 */
export function normalizeAddress(token: string, allowHostname = true): string | null {
  let t = token;
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  if (IPV4.test(t)) return t;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(t);
  if (mapped) return mapped[1]!;
  if (t.indexOf(':') !== t.lastIndexOf(':') && IPV6.test(t)) return t;
  // A host name must hold a letter; a bare number or `port` must not pass as an address.
  if (allowHostname && t.length <= 253 && /[A-Za-z]/.test(t) && t.includes('.') && HOSTNAME.test(t)) return t;
  return null;
}

/** `54937` or `63234:11:` (port glued to the disconnect code) → 54937. */
function portOf(token: string | undefined): number | null {
  if (token === undefined) return null;
  const m = /^(\d{1,5})(?::|$)/.exec(token);
  return m ? Number(m[1]) : null;
}

function setAddress(fields: Fields, token: string | undefined, allowHostname = true): boolean {
  if (token === undefined) return false;
  const ip = normalizeAddress(token, allowHostname);
  if (ip === null) return false;
  fields.ip = ip;
  return true;
}

/**
 * The tail `<addr>[ port <n>]` ending at word index `end` (exclusive). Returns the index of the
 * address word, or -1 when the tail is not an address.
 */
function tailAddress(ws: Word[], end: number, fields: Fields): number {
  let addrIdx = end - 1;
  if (end >= 3 && ws[end - 2]!.w === 'port' && portOf(ws[end - 1]!.w) !== null) {
    fields.port = portOf(ws[end - 1]!.w)!;
    addrIdx = end - 3;
  }
  if (addrIdx < 0) return -1;
  const token = ws[addrIdx]!.w;
  // `from 127.0.0.1: 14: ...`: the address may carry the separator colon.
  if (!setAddress(fields, token) && !(token.endsWith(':') && setAddress(fields, token.slice(0, -1)))) return -1;
  return addrIdx;
}

/**
 * `[invalid user|authenticating user|user] <user> <addr> [port <n>]` from word `start` to `end`:
 * the form of `Connection closed by`, `Disconnected from`, `Connection reset by`. The user is
 * everything between the qualifier and the address, verbatim (it may be empty or hold spaces).
 */
function qualifiedUserThenAddress(text: string, ws: Word[], start: number, end: number, fields: Fields): boolean {
  const addrIdx = tailAddress(ws, end, fields);
  if (addrIdx < start) return false;
  let q = start;
  if (ws[q]?.w === 'invalid' && ws[q + 1]?.w === 'user') {
    fields.invalid_user = true;
    q += 2;
  } else if (ws[q]?.w === 'authenticating' && ws[q + 1]?.w === 'user') {
    q += 2;
  } else if (ws[q]?.w === 'user') {
    q += 1;
  } else {
    return addrIdx === start;
  }
  if (q > addrIdx) return false;
  const userStart = ws[q - 1]!.at + ws[q - 1]!.w.length + 1;
  fields.user = text.slice(userStart, Math.max(userStart, ws[addrIdx]!.at - 1));
  return true;
}

/**
 * `Failed|Accepted <method> for [invalid user ]<user> from <addr>[ port <n>][ sshN][: info]`.
 * The user can itself contain `from X port N ssh2`, and the auth info after `ssh2:` can too, so the
 * real `from` is the first one whose tail reaches the end of the line or a `:` (start of the info).
 * Returns the word index where that auth info starts (`RSA SHA256:...`), or -1.
 */
function authAttempt(text: string, ws: Word[], forIdx: number, fields: Fields): number {
  let userIdx = forIdx + 1;
  if (ws[userIdx]?.w === 'invalid' && ws[userIdx + 1]?.w === 'user' && ws.length > userIdx + 3) {
    fields.invalid_user = true;
    userIdx += 2;
  }
  let chosen = -1;
  let infoAt = -1;
  let lastCandidate = -1;
  for (let i = userIdx; i < ws.length - 1; i++) {
    if (ws[i]!.w !== 'from' || normalizeAddress(ws[i + 1]!.w) === null) continue;
    lastCandidate = i;
    let j = i + 2;
    let closedByColon = false;
    if (ws[j]?.w === 'port' && portOf(ws[j + 1]?.w) !== null) {
      closedByColon = ws[j + 1]!.w.endsWith(':');
      j += 2;
    }
    if (!closedByColon && ws[j] && /^ssh\d?:?$/.test(ws[j]!.w)) {
      closedByColon = ws[j]!.w.endsWith(':');
      j += 1;
    }
    if (j >= ws.length || closedByColon) {
      chosen = i;
      infoAt = closedByColon ? j : -1;
      break;
    }
  }
  if (chosen < 0) chosen = lastCandidate;
  if (chosen < 0) return -1;
  setAddress(fields, ws[chosen + 1]!.w);
  if (ws[chosen + 2]?.w === 'port') {
    const port = portOf(ws[chosen + 3]?.w);
    if (port !== null) fields.port = port;
  }
  const userStart = ws[userIdx - 1]!.at + ws[userIdx - 1]!.w.length + 1;
  fields.user = text.slice(userStart, Math.max(userStart, ws[chosen]!.at - 1));
  return infoAt;
}

/** The last `from <addr>[ port <n>]` that ends the text (or is followed by `via`): PAM, Invalid user. */
function lastFromAtEnd(ws: Word[], start: number, fields: Fields): number {
  for (let i = ws.length - 2; i >= start; i--) {
    if (ws[i]!.w !== 'from') continue;
    const rest = ws.length - (i + 2);
    const portTail = rest === 2 && ws[i + 2]!.w === 'port' && portOf(ws[i + 3]!.w) !== null;
    const viaTail = rest === 2 && ws[i + 2]!.w === 'via';
    if (rest !== 0 && !portTail && !viaTail) continue;
    const probe: Fields = {};
    if (!setAddress(probe, ws[i + 1]!.w)) continue;
    fields.ip = probe.ip!;
    if (portTail) fields.port = portOf(ws[i + 3]!.w)!;
    return i;
  }
  return -1;
}

function textBetween(text: string, ws: Word[], afterIdx: number, beforeIdx: number): string {
  const start = ws[afterIdx]!.at + ws[afterIdx]!.w.length + 1;
  return text.slice(start, Math.max(start, ws[beforeIdx]!.at - 1));
}

/** `key=value` words after `;` in pam_unix lines (`rhost=1.2.3.4  user=root`). */
function pamPairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const semi = text.indexOf(';');
  for (const { w } of words(semi >= 0 ? text.slice(semi + 1) : text)) {
    const eq = w.indexOf('=');
    if (eq > 0) out[w.slice(0, eq)] = w.slice(eq + 1);
  }
  return out;
}

/** Position of the first `port <n>:` pair (the end of `<addr> port <n>:` before a reason). */
function portColonIndex(ws: Word[], from: number): number {
  for (let i = from; i < ws.length - 1; i++) {
    if (ws[i]!.w === 'port' && /^\d{1,5}:/.test(ws[i + 1]!.w)) return i + 1;
  }
  return -1;
}

function reasonAfter(text: string, ws: Word[], idx: number): string | undefined {
  const w = ws[idx];
  if (!w) return undefined;
  const rest = text.slice(w.at + w.w.length).trim();
  return rest === '' ? undefined : rest;
}

function classifyText(text: string, ws: Word[]): Hit {
  const f: Fields = {};
  const w0 = ws[0]?.w ?? '';
  const w1 = ws[1]?.w ?? '';

  if ((w0 === 'Failed' || w0 === 'Accepted') && ws[2]?.w === 'for') {
    f.method = w1;
    const infoAt = authAttempt(text, ws, 2, f);
    if (w0 === 'Accepted') {
      if (w1 === 'publickey' && infoAt > 0 && ws[infoAt]) f.key = text.slice(ws[infoAt]!.at).slice(0, 200);
      return { kind: 'sshd.accepted', fields: f };
    }
    const kind = w1 === 'password' ? 'sshd.failed_password' : w1 === 'publickey' ? 'sshd.failed_publickey' : 'sshd.failed_other';
    return { kind, fields: f };
  }

  if (w0 === 'Invalid' && w1 === 'user') {
    const at = lastFromAtEnd(ws, 2, f);
    if (at >= 0) f.user = textBetween(text, ws, 1, at);
    else f.user = text.slice(ws[1]!.at + 5);
    return { kind: 'sshd.invalid_user', fields: f };
  }
  if (w0 === 'input_userauth_request:' && w1 === 'invalid' && ws[2]?.w === 'user') {
    f.user = reasonAfter(text, ws, 2) ?? '';
    return { kind: 'sshd.invalid_user', fields: f };
  }

  if (w0 === 'Connection' && w1 === 'closed' && ws[2]?.w === 'by') {
    qualifiedUserThenAddress(text, ws, 3, ws.length, f);
    return { kind: 'sshd.connection_closed', fields: f };
  }
  if (w0 === 'Connection' && w1 === 'reset' && ws[2]?.w === 'by') {
    qualifiedUserThenAddress(text, ws, 3, ws.length, f);
    return { kind: 'sshd.connection_reset', fields: f };
  }
  if (w0 === 'Read' && w1 === 'error' && text.includes('Connection reset by peer')) {
    const pc = portColonIndex(ws, 0);
    if (pc > 0) tailAddress(ws, pc + 1, f);
    return { kind: 'sshd.connection_reset', fields: f };
  }
  if (text.includes('Connection reset by peer')) return { kind: 'sshd.connection_reset', fields: f };

  if (w0 === 'Connection' && w1 === 'from') {
    setAddress(f, ws[2]?.w);
    if (ws[3]?.w === 'port' && portOf(ws[4]?.w) !== null) f.port = portOf(ws[4]!.w)!;
    if (ws[5]?.w === 'on') {
      const local = normalizeAddress(ws[6]?.w ?? '');
      if (local !== null) f.local_ip = local;
      if (ws[7]?.w === 'port' && portOf(ws[8]?.w) !== null) f.local_port = portOf(ws[8]!.w)!;
    }
    return { kind: 'sshd.connection_from', fields: f };
  }

  if (w0 === 'Received' && w1 === 'disconnect' && ws[2]?.w === 'from') {
    let codeIdx: number;
    if (ws[4]?.w === 'port') {
      const port = portOf(ws[5]?.w);
      if (port !== null) f.port = port;
      codeIdx = /^\d+:\d+:$/.test(ws[5]?.w ?? '') ? 5 : 6;
      setAddress(f, ws[3]?.w);
    } else {
      const a = ws[3]?.w ?? '';
      setAddress(f, a.endsWith(':') ? a.slice(0, -1) : a);
      codeIdx = 4;
    }
    const code = /(\d+):$/.exec(ws[codeIdx]?.w ?? '');
    if (code) f.code = Number(code[1]);
    const reason = reasonAfter(text, ws, codeIdx);
    if (reason !== undefined) f.reason = reason;
    return { kind: 'sshd.disconnect', fields: f };
  }
  if (w0 === 'Disconnected' && w1 === 'from') {
    qualifiedUserThenAddress(text, ws, 2, ws.length, f);
    return { kind: 'sshd.disconnect', fields: f };
  }
  if (w0 === 'Disconnecting:' || w0 === 'Disconnecting') {
    const tooMany = text.includes('Too many authentication failures');
    if (w0 === 'Disconnecting:') {
      const forIdx = ws.findIndex((w) => w.w === 'for');
      if (forIdx > 0 && forIdx < ws.length - 1) f.user = text.slice(ws[forIdx]!.at + 4);
    } else {
      const pc = portColonIndex(ws, 1);
      if (pc > 0) {
        qualifiedUserThenAddress(text, ws, 1, pc + 1, f);
        const reason = reasonAfter(text, ws, pc);
        if (reason !== undefined) f.reason = reason;
      }
    }
    return { kind: tooMany ? 'sshd.max_auth_attempts' : 'sshd.disconnect', fields: f };
  }
  if (w0 === 'maximum' && w1 === 'authentication' && text.startsWith('maximum authentication attempts exceeded for ')) {
    authAttempt(text, ws, 4, f);
    return { kind: 'sshd.max_auth_attempts', fields: f };
  }

  if (w0.startsWith('pam_unix(') && w0.endsWith(':auth):') && text.includes('authentication failure')) {
    const pairs = pamPairs(text);
    if (pairs.rhost) setAddress(f, pairs.rhost);
    const user = pairs.user || pairs.ruser;
    if (user) f.user = user;
    return { kind: 'sshd.pam_auth_failure', fields: f };
  }
  // Old Linux-PAM under `sshd(pam_unix)[pid]:` (the LogHub/loghub Linux log, Red Hat 9):
  // `authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.2.22.12  user=root`.
  if (w0 === 'authentication' && w1 === 'failure;') {
    const pairs = pamPairs(text);
    if (pairs.rhost) setAddress(f, pairs.rhost);
    const user = pairs.user || pairs.ruser;
    if (user) f.user = user;
    return { kind: 'sshd.pam_auth_failure', fields: f };
  }
  // UseDNS: `reverse mapping checking getaddrinfo for X [IP] failed - POSSIBLE BREAK-IN ATTEMPT!`
  // (and `Address IP maps to X, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!`).
  if (w0 === 'reverse' && w1 === 'mapping' && text.includes('POSSIBLE BREAK-IN ATTEMPT')) {
    const forIdx = ws.findIndex((w) => w.w === 'for');
    const bracketed = ws.slice(forIdx + 1).find((w) => w.w.startsWith('[') && w.w.endsWith(']'));
    if (bracketed) setAddress(f, bracketed.w, false);
    if (forIdx > 0 && ws[forIdx + 1] && ws[forIdx + 1] !== bracketed) f.rdns = ws[forIdx + 1]!.w.slice(0, 253);
    return { kind: 'sshd.reverse_mapping', fields: f };
  }
  if (w0 === 'Address' && text.includes('POSSIBLE BREAK-IN ATTEMPT')) {
    setAddress(f, w1, false);
    return { kind: 'sshd.reverse_mapping', fields: f };
  }
  if (w0.startsWith('pam_unix(') && w0.endsWith(':session):') && w1 === 'session') {
    const forIdx = ws.findIndex((w) => w.w === 'for');
    if (ws[forIdx + 1]?.w === 'user' && ws[forIdx + 2]) f.user = ws[forIdx + 2]!.w;
    if (ws[2]?.w === 'opened') return { kind: 'sshd.session_opened', fields: f };
    if (ws[2]?.w === 'closed') return { kind: 'sshd.session_closed', fields: f };
  }
  // Old and OS X sshd: `error: PAM: Authentication failure for X from Y [via Z]`.
  if (w0 === 'PAM:') {
    const at = lastFromAtEnd(ws, 2, f);
    const forIdx = ws.findIndex((w) => w.w === 'for');
    if (at > 0 && forIdx > 0 && forIdx < at) {
      let userAfter = forIdx;
      if ((ws[forIdx + 1]?.w === 'illegal' || ws[forIdx + 1]?.w === 'invalid') && ws[forIdx + 2]?.w === 'user' && forIdx + 3 < at) {
        f.invalid_user = true;
        userAfter = forIdx + 2;
      }
      f.user = textBetween(text, ws, userAfter, at);
    }
    return { kind: 'sshd.pam_auth_failure', fields: f };
  }

  if (w0 === 'User' && text.includes(' not allowed because ')) {
    const notIdx = ws.findIndex((w, i) => w.w === 'not' && ws[i + 1]?.w === 'allowed' && ws[i + 2]?.w === 'because');
    let userEnd = notIdx;
    if (notIdx >= 3 && ws[notIdx - 2]!.w === 'from' && setAddress(f, ws[notIdx - 1]!.w)) userEnd = notIdx - 2;
    if (userEnd > 1) f.user = textBetween(text, ws, 0, userEnd);
    f.reason = text.slice(ws[notIdx]!.at);
    return { kind: 'sshd.user_not_allowed', fields: f };
  }
  if (text.startsWith('ROOT LOGIN REFUSED FROM ')) {
    f.user = 'root';
    tailAddress(ws, ws.length, f);
    return { kind: 'sshd.user_not_allowed', fields: f };
  }
  if (w0 === 'refused' && w1 === 'connect' && ws[2]?.w === 'from') {
    // tcp wrappers: `refused connect from user@host (addr)`; the parenthesised address is the peer.
    const last = ws[ws.length - 1]!.w;
    if (!(last.startsWith('(') && last.endsWith(')') && setAddress(f, last.slice(1, -1)))) {
      const who = ws[3]?.w ?? '';
      setAddress(f, who.slice(who.lastIndexOf('@') + 1));
    }
    return { kind: 'sshd.refused_connect', fields: f };
  }

  if (w0 === 'Did' && text.startsWith('Did not receive identification string from ')) {
    tailAddress(ws, ws.length, f);
    return { kind: 'sshd.no_identification', fields: f };
  }
  if (w0 === 'Bad' && text.startsWith('Bad protocol version identification ')) {
    lastFromAtEnd(ws, 4, f);
    return { kind: 'sshd.bad_protocol', fields: f };
  }
  if ((w0 === 'banner' || w0 === 'ssh_dispatch_run_fatal:') && text.includes('Connection from ')) {
    const fromIdx = ws.findIndex((w, i) => w.w === 'from' && ws[i - 1]?.w === 'Connection');
    const pc = portColonIndex(ws, fromIdx);
    if (fromIdx > 0 && pc === fromIdx + 3) tailAddress(ws, pc + 1, f);
    const reason = reasonAfter(text, ws, pc);
    if (reason !== undefined) f.reason = reason;
    return { kind: 'sshd.bad_protocol', fields: f };
  }
  if (w0 === 'kex_exchange_identification:') {
    f.reason = text.slice(w0.length).trim();
    return { kind: 'sshd.bad_protocol', fields: f };
  }
  if (w0 === 'Unable' && w1 === 'to' && ws[2]?.w === 'negotiate') {
    if (ws[3]?.w === 'with') {
      setAddress(f, ws[4]?.w?.replace(/:$/, ''));
      const port = ws[5]?.w === 'port' ? portOf(ws[6]?.w) : null;
      if (port !== null) f.port = port;
      const reason = reasonAfter(text, ws, ws[5]?.w === 'port' ? 6 : 4);
      if (reason !== undefined) f.reason = reason;
    }
    return { kind: 'sshd.unable_to_negotiate', fields: f };
  }
  if (w0 === 'no' && w1 === 'matching' && text.includes(' found')) {
    return { kind: 'sshd.unable_to_negotiate', fields: f };
  }
  if (w0 === 'Timeout' && w1 === 'before' && ws[2]?.w === 'authentication') {
    // `... for 192.0.2.14 port 55555` or `... for connection from 192.0.2.17 to 127.0.0.1, pid = 29098`
    const i = ws[4]?.w === 'connection' && ws[5]?.w === 'from' ? 6 : 4;
    setAddress(f, ws[i]?.w);
    if (ws[i + 1]?.w === 'port' && portOf(ws[i + 2]?.w) !== null) f.port = portOf(ws[i + 2]!.w)!;
    return { kind: 'sshd.auth_timeout', fields: f };
  }
  if (w0 === 'Timeout,' && w1 === 'client') {
    const fromIdx = ws.findIndex((w) => w.w === 'from');
    if (fromIdx > 0) qualifiedUserThenAddress(text, ws, fromIdx + 1, ws.length, f);
    return { kind: 'sshd.client_timeout', fields: f };
  }
  if (w0 === 'Server' && w1 === 'listening' && ws[2]?.w === 'on') {
    setAddress(f, ws[3]?.w);
    const port = ws[4]?.w === 'port' ? portOf(ws[5]?.w?.replace(/\.$/, '')) : null;
    if (port !== null) f.port = port;
    return { kind: 'sshd.listening', fields: f };
  }

  // OpenSSH 9.8+ PerSourcePenalties: `drop connection #0 from [1.2.3.4]:5 on [10.0.0.2]:22 penalty: ...`
  if (w0 === 'drop' && w1 === 'connection' && ws[3]?.w === 'from') {
    const peer = /^\[([^\]]{1,64})\]:(\d{1,5})$/.exec(ws[4]?.w ?? '');
    if (peer && setAddress(f, peer[1])) f.port = Number(peer[2]);
    const penalty = text.indexOf(' penalty: ');
    if (penalty >= 0) f.reason = text.slice(penalty + 10);
    return { kind: 'sshd.penalty_drop', fields: f };
  }

  // Anything else: keep a peer IP when one is plainly named (`from <ip>`), never a host name,
  // because unknown free text is too loose to trust a word as a host.
  for (let i = 0; i < ws.length - 1; i++) {
    if (ws[i]!.w === 'from' && setAddress(f, ws[i + 1]!.w.replace(/[:,]$/, ''), false)) break;
  }
  return { kind: 'sshd.other', fields: f };
}

function severityOf(kind: string): Severity {
  if (WARNING_KINDS.has(kind)) return 'warning';
  if (kind === 'sshd.accepted') return 'notice';
  return 'info';
}

/**
 * Classify one sshd message. Wrappers are peeled first: rsyslog's `message repeated N times: [..]`,
 * Solaris's `[ID 800047 auth.info]`, the `error:`/`fatal:` level prefix and the `[preauth]` suffix
 * (kept as fields.preauth).
 */
export function classifySshd(message: string): Classification {
  const repeated = unwrapRepeated(message);
  let text = (repeated ? repeated.inner : message).trim();
  const solaris = /^\[ID \d{1,12} [\w.]{1,40}\] /.exec(text);
  if (solaris) text = text.slice(solaris[0].length);
  const level = /^(error|fatal): /.exec(text);
  if (level) text = text.slice(level[0].length);
  let preauth = false;
  if (text.endsWith('[preauth]')) {
    preauth = true;
    text = text.slice(0, -'[preauth]'.length).trimEnd();
  }
  const hit: Hit = text.length > MAX_SSHD_MESSAGE ? { kind: 'sshd.other', fields: { oversized: true } } : classifyText(text, words(text));
  if (preauth) hit.fields.preauth = true;
  const result: Classification = { source: 'sshd', kind: hit.kind, severity: severityOf(hit.kind), fields: hit.fields };
  if (repeated) {
    result.repeated = repeated.count;
    result.fields.repeated = repeated.count;
    result.message = repeated.inner;
  }
  return result;
}

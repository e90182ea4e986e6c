/**
 * The message masker: replaces the variable parts of a log message by placeholders so that messages
 * of one shape become one string. The timeline collapses bursts of equal masked messages into one
 * row; the template miner (templates.ts) masks before clustering.
 *
 * Placeholders: `<n>` numbers, `<hex>` hex ids (≥ 6 characters with a digit, or 0x…), `br-<hex>` docker
 * user bridges, `<veth>` veth interfaces, `<uuid>`, `<ip>` (IPv4 and IPv6, with `:<n>` port or `/<n>`
 * prefix), `<mac>`, `<dur>` durations (5.2s, 12ms, 1m30s), `<ts>` embedded dates and clock times,
 * `<id>` long random tokens, `<user>` the user name in sshd lines, and `entered <state> state` for the
 * kernel bridge port states. Words without digits are kept: probe states (alive/dead, up/down) and
 * verbs stay apart, because masking them would merge opposite events.
 *
 * Masking is deterministic, idempotent (masking a masked message changes nothing) and linear: the
 * message is cut into tokens in one pass and every regex is anchored on one token with no nested
 * quantifier that could backtrack.
 */

// ---------------------------------------------------------------------------------------------
// sshd user names. They are attacker-controlled and may contain spaces, `from`, `port`, anything,
// so they are cut out by position (what introduces them, what provably follows them), not by shape.
// ---------------------------------------------------------------------------------------------

/**
 * What follows the user name, which decides where it ends:
 * - `peer`: sshd's peer trailer, `X from HOST port N …`, `X HOST port N …`, `X from HOST`;
 * - `preauth`: the name runs to a final ` [preauth]` (or the end);
 * - `by`: the name runs to the last ` by ` (PAM session lines);
 * - `end`: the name runs to the end of the message.
 */
type UserEnd = 'peer' | 'preauth' | 'by' | 'end';

/** Phrases that directly precede a user name in OpenSSH and PAM messages. */
const USER_INTRODUCERS: ReadonlyArray<readonly [string, UserEnd]> = [
  ['input_userauth_request: invalid user ', 'preauth'],
  ['Too many authentication failures for ', 'preauth'],
  ['session opened for user ', 'by'],
  ['session closed for user ', 'end'],
  ['invalid user ', 'peer'],
  ['Invalid user ', 'peer'],
  ['illegal user ', 'peer'],
  ['Illegal user ', 'peer'],
  ['authenticating user ', 'peer'],
  ['Disconnected from user ', 'peer'],
  ['maximum authentication attempts exceeded for ', 'peer'],
  ['authentication failure for ', 'peer'],
  ['Authentication failure for ', 'peer'],
  ['authentication error for ', 'peer'],
  ['Authentication error for ', 'peer'],
];

/** `Failed password for X`, `Accepted publickey for X`, `Postponed keyboard-interactive/pam for X`. */
const AUTH_RESULT_FOR =
  /(?:Failed|Accepted|Postponed) (?:password|publickey|keyboard-interactive(?:\/pam)?|hostbased|none|gssapi-with-mic|gssapi-keyex|unknown) for /;

/** `User X from H not allowed because …` and `User X not allowed because …`. */
const USER_NOT_ALLOWED = 'User ';

interface UserSpan {
  start: number;
  end: number;
}

/** Where the user name starts (just after the first introducer the message carries) and what ends it. */
function userStart(message: string): { start: number; end: UserEnd } | null {
  // Text before the introducer is sshd's own (log prefixes such as `error: ` or `[ID 800047 auth.info] `),
  // so the first occurrence is the genuine one: anything attacker-written comes after it. On a tie
  // the longer, more specific phrase (listed first) wins.
  let best: { at: number; start: number; end: UserEnd } | null = null;
  for (const [phrase, end] of USER_INTRODUCERS) {
    const at = message.indexOf(phrase);
    if (at >= 0 && (best === null || at < best.at)) best = { at, start: at + phrase.length, end };
  }
  const auth = AUTH_RESULT_FOR.exec(message);
  // `Failed password for invalid user X`: the introducer right after `for ` is the more specific one.
  if (auth && (best === null || auth.index + auth[0].length < best.at)) return { start: auth.index + auth[0].length, end: 'peer' };
  if (best !== null) return best;
  // Only at the start: "User root from 10.0.0.40 not allowed because …".
  if (message.startsWith(USER_NOT_ALLOWED) && message.includes(' not allowed')) {
    return { start: USER_NOT_ALLOWED.length, end: 'peer' };
  }
  return null;
}

/**
 * Where a user name followed by sshd's peer ends. The last ` port ` of the line is sshd's (the trailer
 * after it is `ssh2`, `[preauth]` or a key fingerprint), so the host token before it, and an optional
 * ` from` before that, bound the name.
 */
function peerUserEnd(message: string, start: number): number {
  const port = message.lastIndexOf(' port ');
  if (port > start) {
    const hostStart = message.lastIndexOf(' ', port - 1);
    if (hostStart >= start) {
      const from = hostStart - ' from'.length;
      return from >= start && message.startsWith(' from', from) ? from : hostStart;
    }
  }
  const from = message.lastIndexOf(' from ');
  if (from >= start && isPeerTrailer(message.slice(from + ' from '.length))) return from;
  const notAllowed = message.lastIndexOf(' not allowed');
  if (notAllowed >= start) return notAllowed;
  return preauthUserEnd(message, start);
}

function preauthUserEnd(message: string, start: number): number {
  const preauth = message.length - ' [preauth]'.length;
  return preauth >= start && message.endsWith(' [preauth]') ? preauth : message.length;
}

function userEnd(message: string, start: number, end: UserEnd): number {
  switch (end) {
    case 'peer':
      return peerUserEnd(message, start);
    case 'preauth':
      return preauthUserEnd(message, start);
    case 'by': {
      const by = message.lastIndexOf(' by ');
      return by >= start ? by : message.length;
    }
    case 'end':
      return message.length;
  }
}

/**
 * Whether text after ` from ` is sshd's peer trailer (`HOST`, `HOST [preauth]`, `HOST not allowed …`)
 * rather than part of a user name that happens to hold the word "from".
 */
function isPeerTrailer(afterFrom: string): boolean {
  const space = afterFrom.indexOf(' ');
  if (space < 0) return afterFrom !== '';
  const rest = afterFrom.slice(space);
  return space > 0 && (rest === ' [preauth]' || rest.startsWith(' not allowed'));
}

function findUser(message: string): UserSpan | null {
  // Every introducer holds "user" or " for " (and "User " for the not-allowed lines): most messages
  // are ruled out by these scans alone.
  if (!message.includes('user') && !message.includes(' for ') && !message.includes('User ')) return null;
  const found = userStart(message);
  if (found === null) {
    // PAM: "authentication failure; logname= uid=0 … rhost=1.2.3.4  user=root" — the user is last.
    const pam = message.lastIndexOf(' user=');
    // An empty `user=` names nobody: nothing to mask (and masking it would not be idempotent).
    if (pam < 0 || pam + ' user='.length >= message.length || message.charCodeAt(pam + ' user='.length) === 0x20) return null;
    return { start: pam + ' user='.length, end: message.length };
  }
  return { start: found.start, end: userEnd(message, found.start, found.end) };
}

// ---------------------------------------------------------------------------------------------
// Tokens.
// ---------------------------------------------------------------------------------------------

/** ASCII characters that end a token: whitespace, brackets, quotes and list/assignment punctuation. */
const SEPARATORS = ' \t\n\r\f\v()[]{}<>"\'`,;=|&?!*\\^';

/**
 * A token is a run of anything but a separator, a control character (below U+0020) or DEL: the
 * characters that end one, as the inside of a regular-expression class (NOTABLE_TOKEN's).
 */
const NOT_IN_TOKEN = `\\u0000-\\u001f\\u007f${[...SEPARATORS].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}`;

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) return true;
  }
  return false;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ISO_DATE_TIME =
  /^\d{4}(?:-\d{2}-\d{2}|\/\d{2}\/\d{2})(?:[T_]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const CLOCK_TIME = /^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?$/;
const MAC = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5,}$|^[0-9a-fA-F]{2}(?:-[0-9a-fA-F]{2}){5}$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}(?:(:)\d{1,5}|(\/)\d{1,2})?$/;
const IPV6 = /^[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?:%[\w.-]{1,32})?$/;
const IPV6_MAPPED_V4 = /^[0-9a-fA-F:]{2,30}:\d{1,3}(?:\.\d{1,3}){3}$/;
const DOCKER_BRIDGE = /^br-[0-9a-f]{6,}$/;
/** Host ends of pod veth pairs: docker `veth2cbbca2`, calico `cali317e2eeb40`, cilium `lxc1a2b3c4d5e6f`. */
const VETH = /^(?:veth[0-9a-fA-F]{1,16}|cali[0-9a-f]{6,12}|lxc[0-9a-f]{12})$/;
/** Go-style durations: each unit ends the number before it, so the repetition cannot backtrack. */
const DURATION = /^(?:\d{1,9}(?:\.\d{1,9})?(?:ns|us|µs|ms|s|m|h|d))+$/;
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const HEX_PREFIXED = /^0x[0-9a-fA-F]+$/;
const HEX_ID = /^[0-9a-fA-F]{6,}$/;
/** Constant words that happen to be spelled in hex digits (ssh key types). */
const CONSTANT_HEX_WORDS = new Set(['ED25519', 'ed25519']);
/** Their lengths: a hex token of another length is none of them, without cutting it out to ask. */
const CONSTANT_HEX_LENGTHS = new Set([...CONSTANT_HEX_WORDS].map((w) => w.length));
const NUMBER_WITH_UNIT = /^(\d+(?:\.\d+)?)([A-Za-z%]{1,4})$/;
const RANDOM_ID = /^[A-Za-z0-9_+=]{16,}$/;

function looksRandom(s: string): boolean {
  return /[0-9]/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s);
}

function isHexLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** The placeholder for a token that is one value as a whole (an address, a time, an id), or null. */
function maskValue(token: string): string | null {
  if (token === '') return null;
  const first = token.charCodeAt(0);
  if (!hasDigit(token)) {
    // Docker bridges and veths are named by hex that may by chance have no digit.
    if (first === 0x62 /* b */ && DOCKER_BRIDGE.test(token)) return 'br-<hex>';
    if (VETH.test(token)) return '<veth>';
    return null;
  }
  // Dispatch on the first character so a token is tried only against the shapes it can have.
  if (first >= 0x30 && first <= 0x39) return maskDigitFirst(token);
  if (first === 0x2b || first === 0x2d) return NUMBER.test(token) ? '<n>' : null; // + -
  if (first === 0x3a) return isIpv6(token) ? '<ip>' : null; // :
  if (isHexLetter(first)) {
    if (UUID.test(token)) return '<uuid>';
    if (MAC.test(token)) return '<mac>';
    if (isIpv6(token)) return '<ip>';
    if (HEX_ID.test(token) && !CONSTANT_HEX_WORDS.has(token)) return '<hex>';
  }
  if (first === 0x62 /* b */ && DOCKER_BRIDGE.test(token)) return 'br-<hex>';
  const vethInitial = first === 0x76 || first === 0x63 || first === 0x6c; // v (veth), c (cali), l (lxc)
  if (vethInitial && VETH.test(token)) return '<veth>';
  return RANDOM_ID.test(token) && looksRandom(token) ? '<id>' : null;
}

function maskDigitFirst(token: string): string | null {
  if (NUMBER.test(token)) return '<n>';
  if (UUID.test(token)) return '<uuid>';
  if (ISO_DATE_TIME.test(token) || CLOCK_TIME.test(token)) return '<ts>';
  if (MAC.test(token)) return '<mac>';
  const v4 = IPV4.exec(token);
  if (v4) return v4[1] ? '<ip>:<n>' : v4[2] ? '<ip>/<n>' : '<ip>';
  if (isIpv6(token)) return '<ip>';
  if (DURATION.test(token)) return '<dur>';
  if (HEX_PREFIXED.test(token) || HEX_ID.test(token)) return '<hex>';
  const withUnit = NUMBER_WITH_UNIT.exec(token);
  if (withUnit) return '<n>' + withUnit[2];
  return RANDOM_ID.test(token) && looksRandom(token) ? '<id>' : null;
}

/** IPv6 (with `::` or all eight groups, optional `%zone`) or an IPv4-mapped IPv6 address. */
function isIpv6(token: string): boolean {
  return (IPV6.test(token) && (token.includes('::') || countColons(token) === 7)) || IPV6_MAPPED_V4.test(token);
}

function countColons(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 0x3a) n++;
  return n;
}

/** maskValue, also trying the token without trailing `:` or `.` (`br-33693122cf09:`, `port 22.`). */
function maskValueOrPunctuated(token: string): string | null {
  const whole = maskValue(token);
  if (whole !== null) return whole;
  let end = token.length;
  while (end > 0 && (token.charCodeAt(end - 1) === 0x3a || token.charCodeAt(end - 1) === 0x2e)) end--;
  if (end === token.length || end === 0) return null;
  const inner = maskValue(token.slice(0, end));
  return inner === null ? null : inner + token.slice(end);
}

/** Characters that join the parts of a compound word: `usb 1-1.2:`, `flannel.1`, `pid#12`. */
const PART_DELIMITERS = /([.:\-@%+#~$])/;

/**
 * Masks one token: as a whole, else each `/`-separated segment as a whole (paths, URLs), else each
 * part of a segment (`1234.example.com` → `<n>.example.com`).
 */
export function maskToken(token: string): string {
  const whole = maskValueOrPunctuated(token);
  if (whole !== null) return whole;
  if (!hasDigit(token)) return token;
  return token
    .split('/')
    .map((segment) => {
      const value = maskValueOrPunctuated(segment);
      if (value !== null) return value;
      if (!hasDigit(segment)) return segment;
      return segment
        .split(PART_DELIMITERS)
        .map((part) => maskValue(part) ?? part)
        .join('');
    })
    .join('/');
}

/**
 * maskToken, remembered per distinct token. Lines repeat their words (`Failed`, `port`, `ssh2`, a
 * bridge's name) far more than they vary, and each token tried against the value shapes cost most of
 * the masker's time, cold (a timeline's few thousand lines) as well as warm (the miner's millions).
 * maskToken depends on the token alone (its expressions have no `g` flag, so no state), so the
 * remembered text is the text. Bounded: it starts over when full.
 */
const maskedTokens = new Map<string, string>();
const MASKED_TOKEN_CACHE = 20_000;

/**
 * maskToken for the shapes that are settled by one look at the characters, or null. Most tokens of a
 * mined message are either words without a digit (kept, unless named like a bridge or a veth) or
 * values seen once (a number, a 64-digit container id): asking the cache for those cost a hash, a
 * miss and an entry that pushed the repeated words out, the masker's main cost at 5M events. The
 * answers are maskToken's own, by the reasoning beside each case; test/text/mask-quick.test.ts holds
 * them to maskToken on generated tokens of every shape these cases touch.
 */
export function quickMaskedToken(token: string): string | null {
  const n = token.length;
  if (n === 0) return null;
  let digits = 0;
  // Hex letters other than `d` (the one hex letter that is also a duration unit), and any other character.
  let hexLetters = 0;
  let other = 0;
  for (let i = 0; i < n; i++) {
    const c = token.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if ((c >= 0x61 && c <= 0x66 && c !== 0x64) || (c >= 0x41 && c <= 0x46)) hexLetters++;
    else if (c !== 0x64) other++;
  }
  if (digits === 0) {
    // No digit: maskValue tries DOCKER_BRIDGE and VETH alone (on the token and on it less a trailing
    // `:`/`.`), both anchored on these prefixes; failing them, maskToken keeps the token.
    const first = token.charCodeAt(0);
    if (first === 0x62 /* b */ && token.startsWith('br-')) return null;
    if (first === 0x76 /* v */ && token.startsWith('veth')) return null;
    if (first === 0x63 /* c */ && token.startsWith('cali')) return null;
    if (first === 0x6c /* l */ && token.startsWith('lxc')) return null;
    return token;
  }
  // Digits alone: NUMBER, the first shape a digit-first token is tried against.
  if (digits === n) return '<n>';
  // Hex digits alone, six or more, with a letter no duration has: every shape maskDigitFirst and the
  // hex-letter branch of maskValue try before HEX_ID needs a character outside [0-9a-fA-F] (`-`, `:`,
  // `.`, `/`, `x`) or only duration letters, so HEX_ID decides (less the constant hex words).
  if (other === 0 && hexLetters > 0 && n >= 6 && !CONSTANT_HEX_WORDS.has(token)) return '<hex>';
  return null;
}

function maskedToken(token: string): string {
  const quick = quickMaskedToken(token);
  if (quick !== null) return quick;
  let masked = maskedTokens.get(token);
  if (masked === undefined) {
    masked = maskToken(token);
    if (maskedTokens.size >= MASKED_TOKEN_CACHE) maskedTokens.clear();
    maskedTokens.set(token, masked);
  }
  return masked;
}

/**
 * The tokens maskToken can change, whole: those with an ASCII digit, and those without one that start
 * like a bridge or a veth (`br-`, `veth`, `cali`, `lxc`; quickMaskedToken's first case). Any other
 * token is kept as it is, so it need not be visited at all: in a timeline window four tokens in five
 * are words without a digit, and a JavaScript call for each was most of the masking of code that has
 * not warmed up (the expression runs as irregexp's native code from its first use).
 *
 * Matched whole: `(?<![^…])` starts a match only where a token starts (after a separator or at the
 * start of the text), and the greedy `[^…]*` ends it only where the token ends. Linear: at a position
 * inside a token the look-behind fails on one character; at a token's start the first branch reads
 * the token once forward and once back (its two classes are disjoint, so each step back fails at
 * once), the second at most four characters.
 */
const NOTABLE_TOKEN = new RegExp(`(?<![^${NOT_IN_TOKEN}])(?:[^${NOT_IN_TOKEN}0-9]*[0-9][^${NOT_IN_TOKEN}]*|(?:br-|veth|cali|lxc)[^${NOT_IN_TOKEN}]*)`, 'g');

/** Masks every token of text, keeping separators and whitespace exactly. */
function maskTokens(text: string): string {
  // A function replacer's text is taken literally (no `$` patterns); maskedToken reads its first argument only.
  return text.replace(NOTABLE_TOKEN, maskedToken);
}

/** Code units below 0x80 that end a token (NOT_IN_TOKEN): 1, else 0. Every other unit is a token's. */
const ENDS_TOKEN = (() => {
  const t = new Uint8Array(0x80);
  for (let c = 0; c <= 0x1f; c++) t[c] = 1;
  t[0x7f] = 1;
  for (const ch of SEPARATORS) t[ch.charCodeAt(0)] = 1;
  return t;
})();

/**
 * maskTokens by a scan over the code units instead of NOTABLE_TOKEN: the same tokens (NOT_IN_TOKEN, as a
 * table), the same masked text. A token settled by its characters alone (quickMaskedToken's cases)
 * is answered from the range without cutting it out of the text. For warm code (the miner's
 * millions of messages); the timeline's few thousand lines, cold, keep the expression.
 */
function maskTokensScanned(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c < 0x80 && ENDS_TOKEN[c] === 1) {
      i++;
      continue;
    }
    const start = i;
    let digits = 0;
    let hexLetters = 0;
    let other = 0;
    for (;;) {
      if (c >= 0x30 && c <= 0x39) digits++;
      else if ((c >= 0x61 && c <= 0x66 && c !== 0x64) || (c >= 0x41 && c <= 0x46)) hexLetters++;
      else if (c !== 0x64) other++;
      if (++i >= n) break;
      c = text.charCodeAt(i);
      if (c < 0x80 && ENDS_TOKEN[c] === 1) break;
    }
    const len = i - start;
    let masked: string | null;
    if (digits === 0) {
      // quickMaskedToken's first case, on the range: kept unless it starts like a bridge or a veth.
      const first = text.charCodeAt(start);
      const named =
        (first === 0x62 && text.startsWith('br-', start)) ||
        (first === 0x76 && text.startsWith('veth', start)) ||
        (first === 0x63 && text.startsWith('cali', start)) ||
        (first === 0x6c && text.startsWith('lxc', start));
      if (!named) continue;
      masked = maskedToken(text.slice(start, i));
      if (masked.length === len && text.startsWith(masked, start)) continue;
    } else if (digits === len) masked = '<n>';
    else if (other === 0 && hexLetters > 0 && len >= 6 && !CONSTANT_HEX_LENGTHS.has(len)) masked = '<hex>';
    else {
      const token = text.slice(start, i);
      masked = maskedToken(token);
      if (masked === token) continue;
    }
    out += text.slice(copiedUpTo, start) + masked;
    copiedUpTo = i;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

// ---------------------------------------------------------------------------------------------
// Phrases: closed word sets worth merging, and adjacent placeholders that are one value.
// ---------------------------------------------------------------------------------------------

/** The kernel bridge port states (net/bridge/br_stp.c); one template for every transition. */
const BRIDGE_STATE = /entered (?:blocking|forwarding|disabled|learning|listening) state/g;
/** A date token followed by a time token is one timestamp (`2026-05-26 17:15:03`). */
const SPLIT_TIMESTAMP = /<ts>(?:[ T]<ts>)+/g;

function maskPhrases(masked: string): string {
  let out = masked;
  if (out.includes('entered ')) out = out.replace(BRIDGE_STATE, 'entered <state> state');
  if (out.includes('<ts>')) out = out.replace(SPLIT_TIMESTAMP, '<ts>');
  return out;
}

/**
 * Replaces the variable parts of a log message by placeholders, e.g.
 * `br-33693122cf09: port 8(veth2cbbca2) entered blocking state` → `br-<hex>: port <n>(<veth>) entered <state> state`.
 */
export function maskMessage(message: string): string {
  return maskMessageWith(message, maskTokens);
}

/**
 * maskMessage for the template miner: the same text, its tokens found by a scan (maskTokensScanned)
 * rather than an expression, faster once warm. test/text/mask-quick.test.ts holds the two equal.
 */
export function maskMessageWarm(message: string): string {
  return maskMessageWith(message, maskTokensScanned);
}

function maskMessageWith(message: string, tokens: (text: string) => string): string {
  const user = findUser(message);
  const masked =
    user === null ? tokens(message) : tokens(message.slice(0, user.start)) + '<user>' + tokens(message.slice(user.end));
  return maskPhrases(masked);
}

/** The whitespace-separated words of the masked message (the tokens the template miner compares). */
export function maskedParts(message: string): string[] {
  return maskMessage(message)
    .split(/[ \t\n\r\f\v]+/)
    .filter((part) => part !== '');
}

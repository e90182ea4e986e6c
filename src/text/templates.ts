/**
 * A Drain-style template miner (He, Zhu, Zheng, Lyu: "Drain: An Online Log Parsing Approach with Fixed
 * Depth Tree", ICWS 2017). The correlator feeds it every message so that it can find signals nobody
 * wrote a classifier for ("discovered signals"): each template is one message shape.
 *
 * Messages are masked first (maskMessage) so known variable parts never split templates; Drain then
 * generalises whatever else varies. The fixed-depth tree keeps each message's comparison to a small
 * leaf: level one by token count, then one level per leading token (tokens with digits and overflow
 * beyond maxChildren share a `<*>` branch), then the leaf's clusters, compared by the share of
 * positions where the template's token equals the message's or is already `<*>`.
 *
 * Deterministic: the same messages in the same order give the same ids and templates.
 */
import { maskMessage, maskMessageWarm } from './mask.js';

/**
 * Masks for mining, kept as data and applied per whitespace token after maskMessage (which the
 * timeline also uses and so stays as it is). Each names a kind of value that varies between lines of
 * one shape and that maskMessage leaves alone: the template miner must not split a template by it,
 * and a varying value must never stand in for the template (a register dump's bytes).
 */
export interface MiningMask {
  name: string;
  /** Matches one whole whitespace-separated token. */
  token: RegExp;
  placeholder: string;
  /** Applies only when at least this many tokens of the message match (a dump, not one stray word). */
  minCount?: number;
  /**
   * Applies to the raw message, before maskMessage: the value is one maskMessage would cut into
   * pieces (`0000:3a:0f.3` becomes `<n>:<n>a:<n>f.<n>`, a different text for every device, so every
   * line of one driver's complaint would start a template of its own).
   */
  raw?: boolean;
}

export const MINING_MASKS: readonly MiningMask[] = [
  // PCI and similar bus addresses: 0000:3a:0f.3 (raw: maskMessage would cut it into numbers and hex bits).
  { name: 'bus address', token: /^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]:?$/, placeholder: '<pci>', raw: true },
  // Kernel threads: kworker/3:1, ksoftirqd/0, migration/12 (the suffix is the CPU and pool).
  { name: 'kernel thread', token: /^\[?(?:kworker|ksoftirqd|migration|rcu_\w+|kswapd|irq)\/[^\s\]]*\]?:?$/, placeholder: '<kthread>' },
  // Network interfaces other than container ones (those are <veth>/br-<hex> already): eth0, ens3, enp0s31f6, wlan0, bond0.
  { name: 'interface', token: /^(?:eth|ens|enp|eno|enx|wlan|wlp|bond|vlan|tap|tun|wg|ib)[0-9][0-9a-z.]*:?$/, placeholder: '<iface>' },
  // A process name and pid joined: java:1234 / [java:1234] / nginx[812]: masked to <proc>:<n> when maskMessage left `name:<n>`.
  { name: 'process and pid', token: /^\[?[A-Za-z_][\w.\-/]{0,31}(?::|\[)<n>\]?\]?[:,]?$/, placeholder: '<proc>:<n>' },
  // Code: and stack dumps: runs of two-digit hex bytes (`48 89 e5 <41> 57`).
  { name: 'hex bytes', token: /^<?[0-9a-fA-F]{2}>?$/, placeholder: '<hex>', minCount: 6 },
];

/** maskMessage, then the mining masks: the text the template miner clusters. */
export function maskForMining(message: string): string {
  // Most messages are plain text that no mask touches: split, masked and joined they come back as
  // they were, so the split and the join (most of mining's garbage) are skipped when a scan shows it.
  let input = message;
  if (!plainWithoutMasks(message, true)) {
    const raw = splitTokens(message);
    applyMasks(raw, true);
    input = raw.join(' ');
  }
  const masked = maskMessageWarm(input);
  if (plainWithoutMasks(masked, false)) return masked;
  const tokens = splitTokens(masked);
  applyMasks(tokens, false);
  return tokens.join(' ');
}

/** maskForMining as it was written first (split, mask, join each time): what tests hold it to. */
export function maskForMiningPlain(message: string): string {
  const raw = splitTokens(message);
  applyMasks(raw, true);
  const tokens = splitTokens(maskMessage(raw.join(' ')));
  applyMasks(tokens, false);
  return tokens.join(' ');
}

/**
 * Which mining masks match a token, as bits (mask m is bit m), remembered per distinct token: the
 * same words (`Failed`, `port`, `<n>`) come back in every line, and testing each against every mask
 * was a third of the miner's time. The masks are plain anchored regular expressions without the `g`
 * or `y` flag (no state between tests), so a remembered answer is the answer. Bounded: it starts over
 * when full.
 */
const tokenMatches = new Map<string, number>();
const TOKEN_CACHE_SIZE = 50_000;
const CACHEABLE = MINING_MASKS.length <= 31 && MINING_MASKS.every((m) => !m.token.global && !m.token.sticky);

/** The expressions cannotMatchMask and rawMatchesOf's shortcut were written for, in their order. */
const QUICK_MASK_SOURCES = [
  '^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]:?$',
  '^\\[?(?:kworker|ksoftirqd|migration|rcu_\\w+|kswapd|irq)\\/[^\\s\\]]*\\]?:?$',
  '^(?:eth|ens|enp|eno|enx|wlan|wlp|bond|vlan|tap|tun|wg|ib)[0-9][0-9a-z.]*:?$',
  '^\\[?[A-Za-z_][\\w.\\-/]{0,31}(?::|\\[)<n>\\]?\\]?[:,]?$',
  '^<?[0-9a-fA-F]{2}>?$',
];
const QUICK_KNOWS_MASKS =
  MINING_MASKS.length === QUICK_MASK_SOURCES.length &&
  MINING_MASKS.every((m, i) => m.token.source === QUICK_MASK_SOURCES[i] && m.token.flags === '' && Boolean(m.raw) === (i === 0));

/**
 * Whether no mask of MINING_MASKS can match the token, by what each expression needs: the bus address
 * 12 or 13 characters with `:` fifth, the kernel thread one of its initials (after an optional `[`)
 * and a `/`, the interface one of its initials and a
 * digit, the process `:<n>` or `[<n>`, the hex byte two hex digits with an optional `<` before and `>`
 * after. Most tokens have none of these, and are answered without a cache lookup. Only sound for the
 * masks as listed (QUICK_KNOWS_MASKS): test/text/mask-quick.test.ts holds it to the expressions.
 */
export function cannotMatchMask(token: string): boolean {
  return cannotMatchMaskIn(token, 0, token.length);
}

function isHexCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** cannotMatchMask of text.slice(start, end), without cutting it out. */
function cannotMatchMaskIn(text: string, start: number, end: number): boolean {
  if (!QUICK_KNOWS_MASKS) return false;
  const n = end - start;
  if (n >= 2 && n <= 4) {
    let s = start;
    let e = end;
    if (text.charCodeAt(s) === 0x3c /* < */) s++;
    if (text.charCodeAt(e - 1) === 0x3e /* > */) e--;
    if (e - s === 2 && isHexCode(text.charCodeAt(s)) && isHexCode(text.charCodeAt(s + 1))) return false;
  }
  if ((n === 12 || n === 13) && text.charCodeAt(start + 4) === 0x3a) return false;
  const first = text.charCodeAt(start);
  // e(th, ns, np, no, nx), w(lan, lp, g), b(ond), v(lan), t(ap, un), i(b)
  const ifaceInitial = first === 0x65 || first === 0x77 || first === 0x62 || first === 0x76 || first === 0x74 || first === 0x69;
  // k(worker, softirqd, swapd), m(igration), r(cu_), i(rq), after an optional `[`
  const threadFirst = first === 0x5b /* [ */ && n > 1 ? text.charCodeAt(start + 1) : first;
  const threadInitial = threadFirst === 0x6b || threadFirst === 0x6d || threadFirst === 0x72 || threadFirst === 0x69;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2f /* / */ && threadInitial) return false;
    if (c === 0x3c /* < */ && i > start && text.startsWith('<n>', i)) {
      const before = text.charCodeAt(i - 1);
      if (before === 0x3a /* : */ || before === 0x5b /* [ */) return false;
    }
    if (ifaceInitial && c >= 0x30 && c <= 0x39) return false;
  }
  return true;
}

/**
 * Whether text is its own splitTokens joined by one space (no whitespace but single spaces between
 * tokens) and, when `raw`, no token could be a raw mask's (the bus address: 12 or 13 characters with
 * `:` fifth), else no token could match any mask (cannotMatchMaskIn). Then a pass of applyMasks would
 * change nothing and maskForMining may skip the split and the join.
 */
function plainWithoutMasks(text: string, raw: boolean): boolean {
  if (!QUICK_KNOWS_MASKS) return false;
  const n = text.length;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0x20;
    if (c === 0x20) {
      if (i === start) return n === 0; // leading, trailing or doubled space (the empty text is plain)
      const len = i - start;
      if (raw) {
        if ((len === 12 || len === 13) && text.charCodeAt(start + 4) === 0x3a) return false;
      } else if (!cannotMatchMaskIn(text, start, i)) return false;
      start = i + 1;
    } else if (c >= 0x09 && c <= 0x0d) return false;
  }
  return true;
}

export function matchesOf(token: string): number {
  if (cannotMatchMask(token)) return 0;
  let bits = CACHEABLE ? tokenMatches.get(token) : undefined;
  if (bits === undefined) {
    bits = 0;
    for (let m = 0; m < MINING_MASKS.length; m++) if (MINING_MASKS[m]!.token.test(token)) bits |= 1 << m;
    if (CACHEABLE) {
      if (tokenMatches.size >= TOKEN_CACHE_SIZE) tokenMatches.clear();
      tokenMatches.set(token, bits);
    }
  }
  return bits;
}

/** The raw masks' bits of a token (matchesOf less the masks a raw pass does not read). */
const RAW_MASKS = MINING_MASKS.flatMap((m, i) => (m.raw ? [i] : []));

export function rawMatchesOf(token: string): number {
  // What every raw mask (the bus address) needs: 12 or 13 characters, the fifth `:`.
  const n = token.length;
  if (QUICK_KNOWS_MASKS && !((n === 12 || n === 13) && token.charCodeAt(4) === 0x3a)) return 0;
  let bits = 0;
  for (const m of RAW_MASKS) if (MINING_MASKS[m]!.token.test(token)) bits |= 1 << m;
  return bits;
}

/**
 * Applies the masks of one pass (`raw`: before maskMessage, else after), in their order, in place: a
 * mask replaces the tokens it matches when enough of them do, and the next mask sees the result.
 */
function applyMasks(tokens: string[], raw: boolean): void {
  let bits: number[] | null = null;
  for (let m = 0; m < MINING_MASKS.length; m++) {
    const mask = MINING_MASKS[m]!;
    if (Boolean(mask.raw) !== raw) continue;
    // The raw pass reads only the raw masks' bits, so only those are tested, and not remembered: raw
    // tokens are mostly distinct (numbers, addresses), so the cache missed and was refilled for every
    // one, testing every mask, while one expression is cheaper than a cache entry (a fifth of mining).
    bits ??= raw ? tokens.map(rawMatchesOf) : tokens.map(matchesOf);
    const bit = 1 << m;
    let matching = 0;
    for (let i = 0; i < bits.length; i++) if (bits[i]! & bit) matching++;
    if (matching === 0 || matching < (mask.minCount ?? 1)) continue;
    for (let i = 0; i < tokens.length; i++) {
      if (!(bits[i]! & bit)) continue;
      tokens[i] = mask.placeholder;
      bits[i] = raw ? rawMatchesOf(mask.placeholder) : matchesOf(mask.placeholder);
    }
  }
}

export interface MinedTemplate {
  id: number;
  template: string;
  count: number;
}

export interface TemplateMinerOptions {
  /** Share of equal tokens (0–1) a message needs to join a cluster. Default 0.5. */
  similarity?: number;
  /** Children per tree node before further distinct tokens share the `<*>` branch. Default 100. */
  maxChildren?: number;
  /** How many leading tokens route a message through the tree. Default 2. */
  depth?: number;
  /** How a message is masked before mining. Default maskMessage. */
  mask?: (message: string) => string;
}

export const WILDCARD = '<*>';

interface Cluster {
  id: number;
  tokens: string[];
  count: number;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  /** Cluster ids, in creation order; only leaves hold any. */
  clusters: number[];
}

function newNode(): TreeNode {
  return { children: new Map(), clusters: [] };
}

/**
 * Drain's tokens: the text split on ASCII whitespace (space, \t, \n, \v, \f, \r), empty pieces
 * dropped — what `split(/[ \t\n\r\f\v]+/)` and a filter gave, in one pass without the regex.
 */
function splitTokens(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
      if (start >= 0) {
        out.push(text.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

function hasDigit(token: string): boolean {
  return /[0-9]/.test(token);
}

/** Bounds the cache of masked text → cluster id so memory stays flat on endless input. */
const MAX_CACHED_MESSAGES = 200_000;

export class TemplateMiner {
  private readonly similarity: number;
  private readonly maxChildren: number;
  private readonly depth: number;
  private readonly mask: (message: string) => string;
  private readonly byLength = new Map<number, TreeNode>();
  /** Cluster id n lives at index n - 1. */
  private readonly clusters: Cluster[] = [];
  /**
   * Masked messages seen before and the cluster they joined. Logs repeat whole lines a lot; a repeat
   * joins the same cluster again (its template already covers it), so the tree walk can be skipped.
   */
  private readonly seen = new Map<string, number>();

  constructor(opts?: TemplateMinerOptions) {
    this.similarity = opts?.similarity ?? 0.5;
    this.maxChildren = opts?.maxChildren ?? 100;
    this.depth = opts?.depth ?? 2;
    this.mask = opts?.mask ?? maskMessage;
    if (!(this.similarity >= 0 && this.similarity <= 1)) throw new RangeError('similarity must be between 0 and 1');
    if (!Number.isInteger(this.maxChildren) || this.maxChildren < 1) throw new RangeError('maxChildren must be a positive integer');
    if (!Number.isInteger(this.depth) || this.depth < 0) throw new RangeError('depth must be a non-negative integer');
  }

  /** Adds one message (masked here with the miner's mask) and returns the id of the template it joined. */
  add(message: string): number {
    const masked = this.mask(message);
    const known = this.seen.get(masked);
    if (known !== undefined) {
      // The cluster's template already covers this exact text, so joining changes only the count.
      this.clusters[known - 1]!.count++;
      return known;
    }
    const tokens = splitTokens(masked);
    const leaf = this.leafFor(tokens, true)!;
    const best = this.bestCluster(leaf, tokens);
    let id: number;
    if (best !== null) {
      this.join(best, tokens);
      id = best.id;
    } else {
      id = this.clusters.length + 1;
      this.clusters.push({ id, tokens, count: 1 });
      leaf.clusters.push(id);
    }
    if (this.seen.size >= MAX_CACHED_MESSAGES) this.seen.clear();
    this.seen.set(masked, id);
    return id;
  }

  /** The id of the template a message would join, without adding it; null when it would start a new one. */
  match(message: string): number | null {
    const masked = this.mask(message);
    const known = this.seen.get(masked);
    if (known !== undefined) return known;
    const tokens = splitTokens(masked);
    const leaf = this.leafFor(tokens, false);
    return leaf === null ? null : (this.bestCluster(leaf, tokens)?.id ?? null);
  }

  /** The template of a cluster: its tokens joined by one space, `<*>` where members differ. */
  template(id: number): string {
    const cluster = this.clusters[id - 1];
    if (cluster === undefined || cluster.id !== id) throw new RangeError(`no template with id ${id}`);
    return cluster.tokens.join(' ');
  }

  /** Every template with its member count, by id. */
  templates(): MinedTemplate[] {
    return this.clusters.map((c) => ({ id: c.id, template: c.tokens.join(' '), count: c.count }));
  }

  private join(cluster: Cluster, tokens: string[]): void {
    cluster.count++;
    const template = cluster.tokens;
    for (let i = 0; i < template.length; i++) {
      if (template[i] !== tokens[i]) template[i] = WILDCARD;
    }
  }

  /** Walks (and when create is set, grows) the tree to the leaf for these tokens. */
  private leafFor(tokens: string[], create: boolean): TreeNode | null {
    let node: TreeNode | undefined = this.byLength.get(tokens.length);
    if (node === undefined) {
      if (!create) return null;
      node = newNode();
      this.byLength.set(tokens.length, node);
    }
    const levels = Math.min(this.depth, tokens.length);
    for (let i = 0; i < levels; i++) {
      const token = tokens[i]!;
      let key = hasDigit(token) ? WILDCARD : token;
      let child: TreeNode | undefined = node.children.get(key);
      if (child === undefined && key !== WILDCARD) {
        // A full node sends further distinct tokens down the shared wildcard branch, so a token that
        // is really a value (a name, a word-like id) cannot blow the tree up.
        const distinct = node.children.size - (node.children.has(WILDCARD) ? 1 : 0);
        if (distinct >= this.maxChildren) {
          key = WILDCARD;
          child = node.children.get(key);
        }
      }
      if (child === undefined) {
        if (!create) return null;
        child = newNode();
        node.children.set(key, child);
      }
      node = child;
    }
    return node;
  }

  /**
   * The leaf cluster most similar to the tokens, if similar enough. Similarity is the share of
   * positions where the template holds the same token or `<*>`; ties go to the template with more
   * literally equal tokens (the more specific one), then to the older cluster.
   */
  private bestCluster(leaf: TreeNode, tokens: string[]): Cluster | null {
    let best: Cluster | null = null;
    let bestMatched = -1;
    let bestEqual = -1;
    for (const id of leaf.clusters) {
      const cluster = this.clusters[id - 1]!;
      let equal = 0;
      let wild = 0;
      const template = cluster.tokens;
      for (let i = 0; i < template.length; i++) {
        if (template[i] === tokens[i]) equal++;
        else if (template[i] === WILDCARD) wild++;
      }
      const matched = equal + wild;
      if (matched > bestMatched || (matched === bestMatched && equal > bestEqual)) {
        best = cluster;
        bestMatched = matched;
        bestEqual = equal;
      }
    }
    if (best === null) return null;
    const share = tokens.length === 0 ? 1 : bestMatched / tokens.length;
    return share >= this.similarity ? best : null;
  }
}

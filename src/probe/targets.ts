/**
 * What `corr probe` is told to check. A target names its check by its scheme, so the log says how
 * each verdict was reached: `tcp://host:port` (a connect), `ssh://host[:port]` (the server's
 * `SSH-2.0-…` banner must arrive), `http://…`/`https://…` (status and, with --expect, the body) and
 * `cmd:COMMAND` (a command's output against --expect).
 */
import { UsageError } from '../errors.js';

export type CheckKind = 'tcp' | 'ssh' | 'http' | 'cmd';

export interface ProbeTarget {
  /** The target exactly as typed: the key of every record, so a reader can grep for it. */
  text: string;
  check: CheckKind;
  /** Host name or address for network checks; the program name for `cmd:` (for its version). */
  host: string;
  port: number;
  /** The URL for http(s) checks. */
  url?: URL;
  /** The shell command of a `cmd:` target. */
  command?: string;
}

function hostPort(rest: string, text: string, defaultPort: number | null): { host: string; port: number } {
  // [v6]:port, host:port, or host alone; a user@ part (ssh://kai@host) names nobody we connect as.
  const withoutUser = rest.slice(rest.lastIndexOf('@') + 1).replace(/\/+$/, '');
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:/\s[\]]+))(?::(\d{1,5}))?$/.exec(withoutUser);
  if (!m) throw new UsageError(`probe target ${JSON.stringify(text)}: expected host or host:port`);
  const host = (m[1] ?? m[2])!;
  const port = m[3] !== undefined ? Number(m[3]) : defaultPort;
  if (port === null) throw new UsageError(`probe target ${JSON.stringify(text)}: a tcp:// target needs a port (tcp://host:22)`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`probe target ${JSON.stringify(text)}: port ${port} is out of range 1-65535`);
  return { host, port };
}

/** The program a shell command runs first, skipping `VAR=value` assignments: whose --version to record. */
export function commandProgram(command: string): string {
  for (const word of command.trim().split(/\s+/)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) return word;
  }
  return command.trim();
}

export function parseTarget(text: string): ProbeTarget {
  const t = text.trim();
  if (t.startsWith('cmd:')) {
    const command = t.slice(4).trim();
    if (!command) throw new UsageError(`probe target ${JSON.stringify(text)}: cmd: needs a command (cmd:"ssh host echo alive")`);
    return { text: t, check: 'cmd', host: commandProgram(command), port: 0, command };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(t);
  if (!scheme) {
    throw new UsageError(`probe target ${JSON.stringify(text)}: name its check: tcp://host:port, ssh://host[:22], http(s)://…, or cmd:COMMAND`);
  }
  const kind = scheme[1]!.toLowerCase();
  if (kind === 'tcp') return { text: t, check: 'tcp', ...hostPort(scheme[2]!, text, null) };
  if (kind === 'ssh') return { text: t, check: 'ssh', ...hostPort(scheme[2]!, text, 22) };
  if (kind === 'http' || kind === 'https') {
    let url: URL;
    try {
      url = new URL(t);
    } catch {
      throw new UsageError(`probe target ${JSON.stringify(text)}: not a valid URL`);
    }
    const port = url.port ? Number(url.port) : kind === 'https' ? 443 : 80;
    return { text: t, check: 'http', host: url.hostname.replace(/^\[|\]$/g, ''), port, url };
  }
  throw new UsageError(`probe target ${JSON.stringify(text)}: unknown check kind "${kind}" (tcp, ssh, http, https, cmd)`);
}

/** `20s`, `1m`, `1m30s`, `500ms`, `2h`, or a bare number of seconds; at least `min` ms. */
export function parseDuration(value: string, option: string, minMs: number): number {
  const s = String(value).trim();
  let total = 0;
  let matched = '';
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)?/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null && m[0] !== '') {
    const n = Number(m[1]);
    const unit = m[2] ?? 's';
    total += n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
    matched += m[0];
    if (m[2] === undefined) break; // a bare number ends the expression
  }
  if (!s || matched !== s || !Number.isFinite(total)) {
    throw new UsageError(`${option}: expected a duration such as 20s, 1m30s or 500ms, got ${JSON.stringify(s)}`);
  }
  if (total < minMs) throw new UsageError(`${option}: ${JSON.stringify(s)} is shorter than the least allowed, ${minMs} ms`);
  return Math.round(total);
}

/**
 * Capture files hold several command outputs, each under a header line. This module recognises
 * header lines and names the facts a section's command carries.
 *
 * Header rule (docs/formats.md): a line that starts with three or more of one of `=`, `-` or `#`,
 * then a space and a title, optionally followed by a space and the same run again:
 * `===== dmesg =====`, `--- journalctl -u k3s ---`, `### auth.log`. Not headers: journalctl's own
 * `-- Boot ... --` / `-- No entries --` (two dashes), syslog's `--- last message repeated 5 times ---`,
 * and lines that start with a timestamp (they cannot start with a run of these characters anyway).
 */

const HEADER = /^(={3,}|-{3,}|#{3,}) +(\S(?:.{0,300}?\S)?)(?: +\1)?\s*$/;
const SYSLOG_REPEAT = /^last message repeated \d+ times?$/i;

/** The title of a header line, or null when the line is not a header. */
export function headerTitle(line: string): string | null {
  if (line.length > 400) return null;
  const c = line.charCodeAt(0);
  if (c !== 0x3d && c !== 0x2d && c !== 0x23) return null; // = - #
  const m = HEADER.exec(line);
  if (!m) return null;
  let title = m[2]!;
  // `--- foo ---` written with a different closing run length: drop a trailing run of the same char.
  const ch = m[1]![0]!;
  const trail = new RegExp(`\\s+\\${ch}{3,}$`);
  title = title.replace(trail, '').trim();
  if (!title || SYSLOG_REPEAT.test(title)) return null;
  return title;
}

export type FactCommand = 'date' | 'uptime-s' | 'hostname' | 'timedatectl' | 'who-b' | 'proc-stat' | 'proc-uptime' | 'uname' | 'hostnamectl' | 'list-boots';

/** Which fact a section holds, from the command its header names. */
export function factCommand(title: string): FactCommand | null {
  const t = title.replace(/^\$\s*/, '').replace(/:$/, '').trim().toLowerCase();
  if (/^date(\s+(-u|--utc|-r\b.*|-r|-\w+))*$/.test(t) || t === 'date -u') return 'date';
  if (/^uptime\s+(-s|--since)$/.test(t)) return 'uptime-s';
  if (/^(hostname(\s+-f)?|uname\s+-n|cat\s+\/etc\/hostname)$/.test(t)) return 'hostname';
  if (/^timedatectl(\s+status)?$/.test(t)) return 'timedatectl';
  if (/^who\s+-b$/.test(t)) return 'who-b';
  if (/^(cat\s+)?\/proc\/stat$/.test(t)) return 'proc-stat';
  if (/^(cat\s+)?\/proc\/uptime$/.test(t)) return 'proc-uptime';
  if (/^uname\s+(-a|--all)$/.test(t)) return 'uname';
  if (/^hostnamectl(\s+status)?$/.test(t)) return 'hostnamectl';
  if (/^journalctl\s+(--no-pager\s+)?--list-boots(\s+--no-pager)?$/.test(t)) return 'list-boots';
  return null;
}

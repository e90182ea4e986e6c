/**
 * What the user says about time (--tz, --tz-for, --host, --year, --ref, --boot-time) and the glob
 * rule of --tz-for. The per-file decisions (zone, host, year reference, in the orders docs/time.md
 * gives) are the bundle context's: src/ingest/context/decide.ts.
 */
import { basename } from 'node:path';
import { iso } from '../time/boot-anchor.js';

export interface UserTimeOptions {
  tz?: string;
  tzFor: { glob: string; zone: string }[];
  host?: string;
  year?: number;
  refUs?: number;
  refText?: string;
  bootUs?: number;
  bootText?: string;
}

/** Glob match for --tz-for: `*` within a path segment, `**` across, `?` one character. */
export function globMatches(glob: string, path: string): boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const rx = new RegExp(`^${re}$`);
  const norm = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return rx.test(norm) || rx.test(basename(norm)) || rx.test(path);
}

export { iso };


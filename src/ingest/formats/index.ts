/**
 * The explicit, ordered registry of formats (no side-effect imports). Detection scores every format
 * on a section's first lines; on a tie the earlier entry wins, so specific formats come before
 * generic ones.
 */
import type { FormatDescriptor } from '../types.js';
import { KERNEL_K3S_FORMATS } from './kernel-k3s-family.js';
import { SYSLOG_FAMILY_FORMATS } from './syslog-family.js';
import { DECLARED_FORMATS } from './untimed.js';

// Kernel and k3s forms first: their lines are more specific than a syslog header (a klog line
// would otherwise be tried as something else first), and the syslog family stays the generic fallback.
// Last, the formats only a section header names (their detect() is 0).
export const ALL_FORMATS: readonly FormatDescriptor[] = [...KERNEL_K3S_FORMATS, ...SYSLOG_FAMILY_FORMATS, ...DECLARED_FORMATS];

/** The format a section header declares (`journalctl -o cat`, `dmesg -t`), or null. */
export function declaredFormat(title: string | null): FormatDescriptor | null {
  if (title === null) return null;
  for (const f of ALL_FORMATS) {
    const d = f.declared?.(title);
    if (d) return d;
  }
  return null;
}

export function formatByName(name: string): FormatDescriptor | undefined {
  return ALL_FORMATS.find((f) => f.name === name);
}

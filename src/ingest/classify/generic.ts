import type { Classification } from './index.js';

/** Any other syslog program: kept as a generic event so nothing is dropped. */
export function classifyGeneric(program: string, message: string): Classification {
  void message;
  const name = program.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'message';
  return { source: 'syslog', kind: `syslog.${name}`, severity: 'info', fields: {} };
}

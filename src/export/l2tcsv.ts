/**
 * plaso's l2tcsv (log2timeline CSV): the 17 columns date,time,timezone,MACB,source,sourcetype,type,
 * user,host,short,desc,version,filename,inode,notes,format,extra, with date as MM/DD/YYYY and time as
 * HH:MM:SS in the stated zone (always UTC here: corr stores UTC). Log lines have no MAC times, so MACB
 * is `....`; `type` says which time it is; `filename` is `file:line`, the way back to the evidence.
 */
import { DateTime } from 'luxon';
import type { TimelineRow } from '../timeline/types.js';
import { csvRecord, NO_VALUE } from './csv.js';
import type { RowWriter } from './records.js';

export const L2TCSV_COLUMNS = ['date', 'time', 'timezone', 'MACB', 'source', 'sourcetype', 'type', 'user', 'host', 'short', 'desc', 'version', 'filename', 'inode', 'notes', 'format', 'extra'] as const;

const SOURCE_TYPES: Record<string, string> = { kernel: 'Kernel log', k3s: 'k3s journal', sshd: 'sshd log', probe: 'Probe log', syslog: 'Syslog' };

function extra(r: TimelineRow): string {
  const parts = [`kind: ${r.kind}`, `severity: ${r.severity}`];
  if (r.count > 1) parts.push(`count: ${r.count}`, `last: ${new Date(Math.floor(r.lastUs / 1000)).toISOString()}`);
  for (const [k, v] of Object.entries(r.fields ?? {})) parts.push(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.join('; ');
}

export function l2tcsvWriter(): RowWriter {
  return {
    head: () => csvRecord([...L2TCSV_COLUMNS]),
    row: (r) => {
      const t = DateTime.fromMillis(Math.floor(r.firstUs / 1000), { zone: 'UTC' });
      const user = typeof r.fields?.user === 'string' ? (r.fields.user as string) : NO_VALUE;
      return csvRecord([
        t.toFormat('LL/dd/yyyy'), t.toFormat('HH:mm:ss'), 'UTC', '....', 'LOG', SOURCE_TYPES[r.source] ?? `${r.source} log`, 'Content Modification Time',
        user, r.host, r.message.slice(0, 80), r.message, 2, `${r.file}:${r.line}`, NO_VALUE, NO_VALUE, `corr/${r.source}`, extra(r),
      ]);
    },
    tail: () => '',
  };
}

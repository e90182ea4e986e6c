/**
 * The syslog-family descriptors, in the order detection should prefer them when two score alike
 * (the more specific shapes first: JSON journal and RFC 5424 cannot be mistaken for anything else).
 */
import type { FormatDescriptor } from '../types.js';
import { journalJsonFormat } from './journal-json.js';
import { journalExport } from './journal-export.js';
import { probeFormat } from './probe.js';
import { auditFormat } from './audit.js';
import { pingFormat } from './ping.js';
import { nagiosFormat } from './nagios.js';
import { syslogBsdFormat, syslogRfc3339Format, syslogRfc5424Format } from './syslog.js';
import { journalShortFull, journalShortMonotonic } from './journal-text.js';

export const SYSLOG_FAMILY_FORMATS: FormatDescriptor[] = [
  journalJsonFormat,
  journalExport,
  auditFormat,
  journalShortFull,
  journalShortMonotonic,
  syslogRfc5424Format,
  probeFormat,
  pingFormat,
  nagiosFormat,
  syslogRfc3339Format,
  syslogBsdFormat,
];

/**
 * Classifiers turn a message (already framed by a format) into a kind, a severity and fields.
 * Framing and classification are separate so that one sshd classifier serves syslog, RFC 3339
 * syslog, journalctl text and journal JSON alike.
 */
import type { Classification } from './classification.js';
import { classifySshd, isSshdProgram } from './sshd.js';
import { classifyKernel } from './kernel.js';
import { classifyK3s, goHeaderOf, isK3sProgram } from './k3s.js';
import { classifyGeneric } from './generic.js';
import { classifyAudit } from './audit.js';

export type { Classification } from './classification.js';


/**
 * The classifiers, in order: the first whose program test accepts the message's program classifies
 * it. A new classifier is one entry here (and its file); nothing else names the list.
 */
export const CLASSIFIERS: readonly { name: string; accepts(program: string): boolean; classify(message: string, program: string): Classification }[] = [
  { name: 'sshd', accepts: isSshdProgram, classify: (m) => classifySshd(m) },
  { name: 'kernel', accepts: (p) => p === 'kernel', classify: (m) => classifyKernel(m) },
  { name: 'k3s', accepts: isK3sProgram, classify: (m) => classifyK3s(m) },
  // journald's own copy of audit records: `audit[1277]: USER_AUTH pid=1277 … msg='…'`.
  { name: 'audit', accepts: (p) => p === 'audit', classify: classifyAuditMessage },
  { name: 'go-header', accepts: () => true, classify: classifyGoHeader },
];

/** Classify one message by the program that wrote it (`sshd`, `kernel`, `k3s` ...). */
export function classify(program: string | undefined, message: string): Classification {
  const prog = (program ?? '').toLowerCase();
  for (const c of CLASSIFIERS) if (c.accepts(prog)) return c.classify(message, prog);
  return classifyGeneric(prog, message);
}

/**
 * Any other program whose message opens with a klog, logrus or zap header: the header's level,
 * pid, `file_line` and clock become fields and the level the severity; the kind stays the
 * program's own (`syslog.coredns`). Without such a header, the generic classifier.
 */
function classifyGoHeader(message: string, program: string): Classification {
  const header = message.length > 2 ? goHeaderOf(message) : null;
  const generic = classifyGeneric(program, header ? header.body : message);
  if (!header) return generic;
  return { ...generic, severity: header.severity, fields: { ...header.fields, ...generic.fields }, message: header.body };
}

/** `USER_AUTH pid=1277 uid=0 … msg='…'`: the record's type, then its body. */
function classifyAuditMessage(message: string, program: string): Classification {
  const m = /^([A-Z][A-Z0-9_]{1,31}) /.exec(message);
  return m ? classifyAudit(m[1]!, message.slice(m[0].length)) : classifyGeneric(program, message);
}

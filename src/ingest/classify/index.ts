/**
 * Classifiers turn a message (already framed by a format) into a kind, a severity and fields.
 * Framing and classification are separate so that one sshd classifier serves syslog, RFC 3339
 * syslog, journalctl text and journal JSON alike.
 */
import type { Fields, Severity } from '../types.js';
import { classifySshd, isSshdProgram } from './sshd.js';
import { classifyKernel } from './kernel.js';
import { classifyK3s, isK3sProgram } from './k3s.js';
import { classifyGeneric } from './generic.js';

export interface Classification {
  source: string;
  kind: string;
  severity: Severity;
  fields: Fields;
  /** Set for `message repeated N times: [ ... ]`. */
  repeated?: number;
  /** The message with any wrapper removed (e.g. the inside of `message repeated N times: [ ... ]`). */
  message?: string;
}

/** Classify one message by the program that wrote it (`sshd`, `kernel`, `k3s` ...). */
export function classify(program: string | undefined, message: string): Classification {
  const prog = (program ?? '').toLowerCase();
  if (isSshdProgram(prog)) return classifySshd(message);
  if (prog === 'kernel') return classifyKernel(message);
  if (isK3sProgram(prog)) return classifyK3s(message);
  return classifyGeneric(prog, message);
}

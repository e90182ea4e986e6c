import type { Classification } from './index.js';

export function isSshdProgram(program: string): boolean {
  return program === 'sshd' || program === 'sshd-session';
}

/** Placeholder until the sshd classifier lands: every sshd line is a generic sshd event. */
export function classifySshd(message: string): Classification {
  void message;
  return { source: 'sshd', kind: 'sshd.other', severity: 'info', fields: {} };
}

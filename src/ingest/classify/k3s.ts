import type { Classification } from './index.js';

export function isK3sProgram(program: string): boolean {
  return program === 'k3s' || program === 'k3s-server' || program === 'k3s-agent' || program === 'kube-apiserver';
}

/** Placeholder until the k3s classifier lands. */
export function classifyK3s(message: string): Classification {
  void message;
  return { source: 'k3s', kind: 'k3s.other', severity: 'info', fields: {} };
}

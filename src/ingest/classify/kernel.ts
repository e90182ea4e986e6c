import type { Classification } from './index.js';

/** Placeholder until the kernel classifier lands. */
export function classifyKernel(message: string): Classification {
  void message;
  return { source: 'kernel', kind: 'kernel.other', severity: 'info', fields: {} };
}

/**
 * The usual detect() rule for line formats: the share of non-blank head lines that are this
 * format's. A `companion` line (a continuation, a dump header) counts as the format's, but only
 * when at least one line is a real record: a head made only of indented lines proves nothing.
 */
export type LineVerdict = 'record' | 'companion' | 'foreign';

export function shareOfLines(head: string[], judge: (line: string) => LineVerdict): number {
  let records = 0;
  let ours = 0;
  let nonBlank = 0;
  for (const raw of head) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    nonBlank += 1;
    const verdict = judge(line);
    if (verdict === 'record') records += 1;
    if (verdict !== 'foreign') ours += 1;
  }
  return records === 0 ? 0 : ours / nonBlank;
}

/** Lines end without `\n`; a CRLF file leaves a `\r` that no pattern should see. */
export function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** RFC 4180 reading for tests (quoted fields, doubled quotes, CRLF), independent of the writer under test. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else if (c === '\n') {
      throw new Error(`bare LF in CSV at ${i}`);
    } else cell += c;
  }
  if (cell !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

/** Rows as objects keyed by the header line. */
export function parse(text: string, _opts?: { columns: true }): Record<string, string>[] {
  const [head, ...rows] = parseCsvRows(text);
  return rows.map((r) => {
    if (r.length !== head!.length) throw new Error(`row of ${r.length} cells under a header of ${head!.length}`);
    return Object.fromEntries(head!.map((h, i) => [h, r[i]!]));
  });
}

/**
 * Warnings that come once per file, said once per kind (#17). 100,000 tiny files that name no host
 * gave 100,000 lines "no host is named for the records of FILE …" on stderr (45 MB, queued in
 * memory when stderr is a pipe) and as many strings held for the whole run. Nothing is lost by
 * saying them once: every file's own warning stays in its stored notes, shown by `corr sources`
 * and in `corr ingest --json`'s per-file entries.
 *
 * A kind is the warning's text with the file's path taken out (every occurrence: a host of its own
 * is named after its file). The first warning of a kind is said whole, as before; the others are
 * counted, a few of their files kept as examples, and said as one line at the end (`summary`). A
 * text that does not name its file is said once, as the run always did with identical warnings.
 */

/** Example files named in a summary line. */
const EXAMPLES = 3;
/**
 * Kinds remembered. Warnings that name something other than their path (a line number, a count)
 * are kinds of their own; past this many the rest are said whole and not counted, so the memory
 * stays bounded whatever the bundle holds.
 */
const MAX_KINDS = 10_000;
/** What stands for the file in a kind. */
const FILE = '\u0000';

interface Kind {
  /** Files after the first with this warning, and the first few of them. */
  more: number;
  examples: string[];
  /** The file last counted (one file's warning said twice is not two files). */
  lastPath: string;
  /** The first file's path, to tell a repeat of it. */
  firstPath: string;
}

export class RepeatedWarnings {
  private readonly kinds = new Map<string, Kind>();

  /** `say` gets each line said whole, as it comes. */
  constructor(private readonly say: (line: string) => void) {}

  /** A warning about the file at `path` (empty when it is about the run): said, or counted. */
  add(path: string, text: string): void {
    const named = path !== '' && text.includes(path);
    const kind = named ? text.split(path).join(FILE) : text;
    const k = this.kinds.get(kind);
    if (k === undefined) {
      if (this.kinds.size < MAX_KINDS) this.kinds.set(kind, { more: 0, examples: [], lastPath: path, firstPath: path });
      this.say(text);
      return;
    }
    // The same text again (it names no file, or the same one): said already.
    if (!named || path === k.lastPath || path === k.firstPath) return;
    k.lastPath = path;
    k.more++;
    if (k.examples.length < EXAMPLES) k.examples.push(path);
  }

  /** One line per kind more than one file had: how many more, a few of them, and the warning with `<file>` for each. */
  summary(): string[] {
    const out: string[] = [];
    for (const [kind, k] of this.kinds) {
      if (k.more === 0) continue;
      const files = k.more === 1 ? '1 more file' : `${k.more.toLocaleString('en-US')} more files`;
      const e = k.examples.join(', ') + (k.more > k.examples.length ? ', …' : '');
      out.push(
        `the same warning for ${files} (${e}), each for its own file (its report, in corr sources and ingest --json, says it whole): ` +
          kind.split(FILE).join('<file>'),
      );
    }
    return out;
  }
}

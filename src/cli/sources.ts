/** `corr sources`: what the store holds, per file and section, with the assumptions made. */
import type { CommandModule } from 'yargs';
import { sectionSummaries } from '../store/queries.js';
import { openForRead, type GlobalArgs } from './options.js';
import { printJson } from './output.js';
import { publicEntry, renderSections } from './ingest.js';

export const sourcesCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'sources',
  describe: 'list ingested files and sections: format, host, zone, assumptions, counts, first/last',
  builder: (y) => y,
  handler: (args) => {
    const db = openForRead(args);
    try {
      const sections = sectionSummaries(db);
      const boots = db
        .prepare(`SELECT b.host, f.path, s.title, b.segment, b.min_uptime_us, b.max_uptime_us, b.anchor_us, b.anchor_why,
                  (SELECT count(*) FROM events e WHERE e.boot_id = b.id) AS events
                  FROM boots b JOIN sections s ON s.id = b.section_id JOIN files f ON f.id = s.file_id ORDER BY f.path, s.ordinal, b.segment`)
        .all() as { host: string; path: string; title: string | null; segment: number; min_uptime_us: number; max_uptime_us: number; anchor_us: number | null; anchor_why: string | null; events: number }[];
      const bootList = boots.map((b) => ({
        host: b.host, path: b.path, section: b.title, segment: b.segment, events: b.events,
        boot: b.anchor_us === null ? null : new Date(Math.floor(b.anchor_us / 1000)).toISOString(),
        why: b.anchor_why ?? 'unanchored: no boot instant found (give --boot-time, or ingest a capture with uptime -s)',
      }));
      if (args.json) {
        printJson({ sources: sections.map((s) => publicEntry(s)), boots: bootList });
        return;
      }
      if (sections.length === 0) {
        process.stdout.write('The store is empty: run `corr ingest PATH` first.\n');
        return;
      }
      process.stdout.write(renderSections(sections) + '\n');
      const unanchored = bootList.filter((b) => b.boot === null);
      if (bootList.length) {
        process.stdout.write(`${bootList.length} boot segment(s) of uptime-stamped kernel lines; ${unanchored.length} unanchored.\n`);
      }
    } finally {
      db.close();
    }
  },
};

/** `corr sources`: what the store holds, per file and section, with the assumptions made. */
import type { CommandModule } from 'yargs';
import { SqliteReader } from '../store/queries.js';
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
      const reader = new SqliteReader(db);
      const sections = reader.sections();
      const boots = reader.boots();
      const bootList = boots.map((b) => ({
        host: b.host, path: b.path, section: b.title, segment: b.segment, events: b.events,
        boot: b.anchorUs === null ? null : new Date(Math.floor(b.anchorUs / 1000)).toISOString(),
        why: b.anchorWhy ?? 'unanchored: no boot instant found (give --boot-time, or ingest a capture with uptime -s)',
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

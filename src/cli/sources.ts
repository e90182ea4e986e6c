/** `corr sources`: what the store holds, per file and section, with the assumptions made. */
import type { CommandModule } from 'yargs';
import { openForRead, type GlobalArgs } from './options.js';
import { dim, printJson, safe } from './output.js';
import { renderTable } from './tables.js';
import { publicEntry, renderSections } from './ingest.js';

export const sourcesCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'sources',
  describe: 'list ingested files and sections: format, host, zone, assumptions, counts, first/last',
  builder: (y) => y,
  handler: (args) => {
    const store = openForRead(args);
    try {
      const reader = store.reader;
      const sections = reader.sections();
      const boots = reader.boots();
      const bootList = boots.map((b) => ({
        host: b.host, path: b.path, section: b.title, segment: b.segment, events: b.events,
        boot: b.anchorUs === null ? null : new Date(Math.floor(b.anchorUs / 1000)).toISOString(),
        precision_s: b.precisionUs === null ? null : b.precisionUs / 1e6,
        why: b.anchorWhy ?? 'unanchored: no boot instant found (give --boot-time, or ingest a capture with uptime -s)',
        evidence: b.evidence?.used ?? [],
        rejected: b.evidence?.rejected ?? [],
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
        process.stdout.write(`${bootList.length} boot segment(s) of uptime-stamped kernel lines; ${unanchored.length} unanchored:\n`);
        process.stdout.write(renderBoots(bootList) + '\n');
      }
    } catch (e) {
      throw store.explain(e);
    } finally {
      store.close();
    }
  },
};

/** Boot segments: where each was placed, how precisely, and by what (the bundle's boot placement). */
function renderBoots(boots: { host: string; path: string; section: string | null; segment: number; events: number; boot: string | null; precision_s: number | null; why: string; rejected: string[] }[]): string {
  return renderTable(
    [
      { title: 'host', width: 14 },
      { title: 'file [section] boot', flex: true },
      { title: 'events', width: 8, align: 'right' },
      { title: 'boot UTC', width: 22 },
      { title: 'evidence', flex: true },
    ],
    boots.map((b) => [
      safe(b.host),
      `${safe(b.path)}${b.section ? ` [${safe(b.section)}]` : ''} #${b.segment}`,
      String(b.events),
      b.boot ? `${b.boot.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}${b.precision_s !== null ? `\n±${b.precision_s} s` : ''}` : dim('unplaced'),
      safe(b.why) + b.rejected.map((r) => `\n${dim('rejected: ' + safe(r))}`).join(''),
    ]),
  );
}

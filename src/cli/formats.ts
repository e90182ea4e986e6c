/** `corr formats`: the log formats corr detects, each with a sample line it parses. */
import type { CommandModule } from 'yargs';
import { ALL_FORMATS } from '../ingest/formats/index.js';
import type { GlobalArgs } from './options.js';
import { printJson, safe } from './output.js';
import { renderTable } from './tables.js';

export const formatsCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'formats',
  describe: 'list the log formats corr detects, with a sample line each',
  builder: (y) => y,
  handler: (args) => {
    const list = ALL_FORMATS.map((f) => ({ name: f.name, title: f.title, sample: f.samples[0]?.line ?? '' }));
    if (args.json) {
      printJson({ formats: list });
      return;
    }
    process.stdout.write(
      renderTable(
        [{ title: 'format', width: 16 }, { title: 'what', width: 40 }, { title: 'sample line', flex: true }],
        list.map((f) => [f.name, safe(f.title), safe(f.sample)]),
      ) + '\n',
    );
  },
};

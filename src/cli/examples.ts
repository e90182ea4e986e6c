/**
 * Examples shown in each command's --help. Kept apart from the command modules (several are other
 * areas' files) and added to their builders by main.ts; timeline carries its own.
 */
export const EXAMPLES: Record<string, [command: string, what: string][]> = {
  ingest: [
    ['corr ingest ./diag', 'load a bundle: directories recursively, .gz too'],
    ['corr ingest auth.log --tz America/Los_Angeles --year 2026', 'a year-less syslog file written in Pacific time'],
    ['journalctl -u k3s --no-pager | corr ingest - --host kai-server', 'read a capture from stdin'],
  ],
  sources: [['corr sources', 'what was loaded, and every zone, year and boot time assumed']],
  correlate: [
    ['corr correlate', 'outage windows and a verdict for every signal'],
    ['corr correlate --window "2026-05-26 17:18..17:27 PT" --tz America/Los_Angeles', 'with the window users reported'],
  ],
  report: [
    ['corr report --out postmortem.md --tz America/Los_Angeles', 'the postmortem draft, with an SVG figure beside it'],
    ['corr report --format html --out postmortem.html', 'one self-contained HTML file'],
  ],
  sql: [
    ['corr sql "SELECT source, count(*) FROM events GROUP BY source"', 'events per source'],
    ['corr sql "SELECT * FROM events WHERE kind LIKE \'sshd.%\' LIMIT 5" --json', 'as JSON'],
  ],
  formats: [['corr formats', 'every log format corr reads, with a sample line']],
  demo: [['corr demo', 'ingest the bundled incident, correlate it and write its postmortem into ./corr-demo']],
  completion: [
    ['corr completion >> ~/.bashrc', 'bash: complete commands and options'],
    ['corr completion zsh > "${fpath[1]}/_corr"', 'zsh'],
  ],
};

/**
 * Schema migrations, applied in order; PRAGMA user_version holds how many have run. Never edit a
 * released step: add a new one. docs/schema.md describes the tables for `corr sql` users.
 */
export const MIGRATIONS: string[] = [
  `
  -- One row per input file as given at ingest.
  CREATE TABLE files (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,      -- the path as given at ingest (what file:line evidence names)
    sha256      TEXT NOT NULL,             -- content hash of the bytes on disk
    size        INTEGER NOT NULL,
    mtime_ms    INTEGER,
    gzip        INTEGER NOT NULL DEFAULT 0,
    complete    INTEGER NOT NULL DEFAULT 0 -- 1 once every section is stored; a crash leaves 0 and the next run resumes
  );

  -- A file, or one command's output inside a capture file.
  CREATE TABLE sections (
    id            INTEGER PRIMARY KEY,
    file_id       INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    ordinal       INTEGER NOT NULL,        -- 0-based position in the file
    title         TEXT,                    -- the header's title (the command), NULL for a whole file
    start_line    INTEGER NOT NULL,        -- 1-based, in the whole file (the header line, if any)
    end_line      INTEGER NOT NULL,
    format        TEXT,                    -- NULL: not a log (a table, help text, a fact section)
    looked_like   TEXT,                    -- for non-logs: what it looked like
    host          TEXT,
    tz            TEXT,                    -- the zone applied to times without an offset
    assumptions   TEXT NOT NULL DEFAULT '[]', -- JSON array of sentences: zone, year, boot anchor and why
    warnings      TEXT NOT NULL DEFAULT '[]', -- JSON array of sentences
    lines         INTEGER NOT NULL,
    events        INTEGER NOT NULL,        -- lines that became events (duplicates of stored events included)
    continuations INTEGER NOT NULL,
    skipped       INTEGER NOT NULL,
    duplicates    INTEGER NOT NULL DEFAULT 0, -- events already stored from another file (kept once)
    unanchored    INTEGER NOT NULL DEFAULT 0, -- events with no instant (uptime stamps with no boot anchor)
    first_us      INTEGER,
    last_us       INTEGER,
    UNIQUE (file_id, ordinal)
  );

  -- Boot segments of uptime-stamped kernel lines, and the anchor that places them in UTC.
  CREATE TABLE boots (
    id            INTEGER PRIMARY KEY,
    section_id    INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    segment       INTEGER NOT NULL,        -- 0-based: a reset of the uptime clock starts the next
    host          TEXT NOT NULL,
    last_segment  INTEGER NOT NULL,        -- 1 when it is the section's last (the boot running at capture time)
    min_uptime_us INTEGER,
    max_uptime_us INTEGER,
    anchor_us     INTEGER,                 -- boot instant (UTC µs); NULL while unanchored
    anchor_why    TEXT
  );

  -- Normalized events, as stored. Readers (and \`corr sql\` users) use the \`events\` view below, which
  -- shows \`message\` whole; the table keeps it only when it is not simply the end of \`raw\`.
  CREATE TABLE event_rows (
    id          INTEGER PRIMARY KEY,
    ts_us       INTEGER,                   -- UTC instant, µs since the epoch; NULL = unanchored (never in time queries)
    section_id  INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    line        INTEGER NOT NULL,          -- 1-based line number in the whole file
    host        TEXT NOT NULL,
    source      TEXT NOT NULL,             -- kernel, k3s, sshd, probe, syslog
    kind        TEXT NOT NULL,             -- <source>.<name>
    severity    INTEGER NOT NULL,          -- 0 debug, 1 info, 2 notice, 3 warning, 4 error, 5 critical
    message     TEXT,                      -- the message; NULL when it is the end of raw from msg_at on
    msg_at      INTEGER,                   -- with message NULL: the message is substr(raw, msg_at + 1)
    raw         TEXT NOT NULL,             -- the original line(s), as read
    fields      TEXT,                      -- JSON object of extracted fields, NULL when none
    count       INTEGER NOT NULL DEFAULT 1, -- a 'message repeated N times' line stands for N
    uptime_us   INTEGER,                   -- the line's seconds-since-boot stamp, when it has one
    boot_id     INTEGER REFERENCES boots(id) ON DELETE SET NULL,
    time_note   TEXT,                      -- assumption specific to this line: 'gap', 'ambiguous', 'year:<why>'
    tkey        INTEGER NOT NULL,          -- dedup key part: the instant, or the uptime for boot-relative lines
    dhash       INTEGER NOT NULL,          -- dedup key part: hash of host, source and message
    occ         INTEGER NOT NULL           -- k-th identical (tkey, dhash) in its section: genuine repeats are kept
  );
  CREATE UNIQUE INDEX events_dedup ON event_rows (tkey, dhash, occ);
  CREATE INDEX events_ts ON event_rows (ts_us) WHERE ts_us IS NOT NULL;
  CREATE INDEX events_section ON event_rows (section_id);
  CREATE INDEX events_boot ON event_rows (boot_id) WHERE boot_id IS NOT NULL;

  -- What every reader queries: the stored rows with the message whole. A plain view, so SQLite
  -- flattens it into each query and the indexes above still serve \`WHERE ts_us ...\`.
  CREATE VIEW events AS
    SELECT id, ts_us, section_id, line, host, source, kind, severity,
           coalesce(message, substr(raw, msg_at + 1)) AS message,
           raw, fields, count, uptime_us, boot_id, time_note, tkey, dhash, occ
    FROM event_rows;
  `,
  `
  -- Notes (assumptions and warnings) as rows with a code from a closed set (src/model/notes.ts):
  -- code reads the code, people read the text. They replace the JSON arrays of sentences that
  -- sections held; those are carried over once here (code 'legacy', except the one note that code
  -- had to find by its wording: the unanchored-boot warning, dropped when its boot is anchored).
  CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    section_id  INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    level       TEXT NOT NULL CHECK (level IN ('assumption', 'warning')),
    code        TEXT NOT NULL,
    text        TEXT NOT NULL,
    count       INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX notes_section ON notes (section_id);
  INSERT INTO notes (section_id, level, code, text)
    SELECT s.id, 'assumption', 'legacy', j.value FROM sections s, json_each(s.assumptions) j ORDER BY s.id, j.key;
  INSERT INTO notes (section_id, level, code, text)
    SELECT s.id, 'warning', CASE WHEN j.value LIKE '%have only an uptime stamp and no boot anchor yet%' THEN 'boot-unanchored' ELSE 'legacy' END, j.value
    FROM sections s, json_each(s.warnings) j ORDER BY s.id, j.key;
  ALTER TABLE sections DROP COLUMN assumptions;
  ALTER TABLE sections DROP COLUMN warnings;
  -- What a non-log section looked like, as a code (src/model/notes.ts LOOKED_LIKE_CODES).
  ALTER TABLE sections ADD COLUMN looked_like_code TEXT;
  UPDATE sections SET looked_like_code = 'help-text' WHERE looked_like = 'CLI usage or help text';
  UPDATE sections SET looked_like_code = 'facts' WHERE format IS NULL AND looked_like LIKE 'facts (%';
  `,
  `
  -- File identity by place and content (#17): a file is known by its resolved real path and its
  -- hash, never by the path string alone (two hosts' diag/output.txt are two files). A changed
  -- file is a new version beside the old one, until --replace. Rebuilt without UNIQUE (path);
  -- stores written before keep their path as their place. Foreign keys are off while a migration
  -- runs (db.ts), so dropping the old table does not cascade.
  CREATE TABLE files_v3 (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL,             -- the path as given at ingest (what file:line evidence names)
    real_path   TEXT NOT NULL,             -- the resolved real path: where the bytes were
    host        TEXT,                      -- the host the capture names itself (hostname fact), if any
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    mtime_ms    INTEGER,
    gzip        INTEGER NOT NULL DEFAULT 0,
    complete    INTEGER NOT NULL DEFAULT 0
  );
  INSERT INTO files_v3 (id, path, real_path, host, sha256, size, mtime_ms, gzip, complete)
    SELECT id, path, path, NULL, sha256, size, mtime_ms, gzip, complete FROM files;
  DROP TABLE files;
  ALTER TABLE files_v3 RENAME TO files;
  CREATE INDEX files_place ON files (real_path);

  -- Every further section that holds an event stored once (the same line in two files): removing
  -- one file moves the event to another owner instead of deleting it.
  CREATE TABLE event_owners (
    event_id    INTEGER NOT NULL REFERENCES event_rows(id) ON DELETE CASCADE,
    section_id  INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    line        INTEGER NOT NULL,
    PRIMARY KEY (event_id, section_id)
  ) WITHOUT ROWID;
  CREATE INDEX owners_section ON event_owners (section_id);
  `,
  `
  -- The bundle issue (#12). Boots: how precise the anchor is and what placed it; coverage: the spans
  -- of time each section can speak for (silence inside one is evidence, outside it is not covered).
  ALTER TABLE boots ADD COLUMN precision_us INTEGER;  -- half the width of the placement interval; NULL when unplaced or unknown
  ALTER TABLE boots ADD COLUMN evidence TEXT;         -- JSON {"used": [sentence], "rejected": [sentence]}
  -- One row per span and per host and source the section holds events of (duplicates of events
  -- stored from another section included: the section still saw them).
  CREATE TABLE coverage (
    section_id  INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    host        TEXT NOT NULL,
    source      TEXT NOT NULL,
    start_us    INTEGER NOT NULL,
    end_us      INTEGER NOT NULL
  );
  CREATE INDEX coverage_section ON coverage (section_id);
  `,
  `
  -- #12: raw dmesg is matched by message to the same kernel lines of its host stored with a wall
  -- clock and no uptime stamp (journalctl -k, syslog), in whichever run each came: those lines by host.
  CREATE INDEX events_kernel_wall ON event_rows (host, ts_us) WHERE source = 'kernel' AND uptime_us IS NULL AND ts_us IS NOT NULL;
  `,
  `
  -- #17: boot-aware dedup keys. A kernel line keyed by its uptime stamp also carries the key of its
  -- boot (the boots.id of the first stored segment of that boot; src/ingest/boot-keys.ts), so a
  -- second boot's identical "[0.000000] ..." line is no longer taken for the first one's; 0 for every
  -- other row. Stores written before: each boot keyed by its own segment, and the occurrence counter
  -- of those lines renumbered per boot (it counted per section, across the section's boots).
  ALTER TABLE event_rows ADD COLUMN boot_key INTEGER NOT NULL DEFAULT 0;
  DROP INDEX events_dedup;
  UPDATE event_rows SET boot_key = boot_id
    WHERE boot_id IS NOT NULL AND source = 'kernel' AND uptime_us IS NOT NULL AND tkey = uptime_us;
  UPDATE event_rows SET occ = r.k
    FROM (SELECT id, row_number() OVER (PARTITION BY section_id, boot_key, tkey, dhash ORDER BY occ, id) - 1 AS k
          FROM event_rows WHERE boot_key != 0) AS r
    WHERE event_rows.id = r.id AND event_rows.occ != r.k;
  CREATE UNIQUE INDEX events_dedup ON event_rows (tkey, dhash, occ, boot_key);
  `,
  `
  -- #12: the same kernel line stored twice, from raw dmesg and from a journal or syslog (two rows:
  -- evidence is never dropped), is one happening. The less precise copy names the other here and
  -- every reader that counts or correlates leaves it out (src/ingest/context/kernel-twins.ts). When
  -- the kept copy goes (its file removed by --replace), the twin counts again.
  ALTER TABLE event_rows ADD COLUMN twin_of INTEGER REFERENCES event_rows(id) ON DELETE SET NULL;
  CREATE INDEX events_twin_of ON event_rows (twin_of) WHERE twin_of IS NOT NULL;
  DROP VIEW events;
  CREATE VIEW events AS
    SELECT id, ts_us, section_id, line, host, source, kind, severity,
           coalesce(message, substr(raw, msg_at + 1)) AS message,
           raw, fields, count, uptime_us, boot_id, time_note, tkey, dhash, occ, twin_of
    FROM event_rows;
  `,
  `
  -- #18: each section's twins (\`corr sources\`, and every read of the sections: the timeline's
  -- display zone asks for them) were counted by walking events_section over every row, the
  -- planner preferring an index in GROUP BY order to events_twin_of: 1.2 s at 1M rows for a store
  -- with no twin at all. This index holds the twin rows only, by section.
  CREATE INDEX events_twins_section ON event_rows (section_id) WHERE twin_of IS NOT NULL;
  `,
  `
  -- #18, ninth round: a narrower event row. host, source and kind were TEXT in every row (~35 bytes
  -- of ~400, and three strings made per row by every reader); they are now codes into \`names\`,
  -- which the writer (src/store/writer.ts) fills and never deletes from, so a code once committed
  -- names the same text for good. The \`events\` view shows the same columns with the same values
  -- as before, each name a subquery on the primary key: a query that reads none of the three runs
  -- none of them, so counts still read an index alone (LEFT JOINs were tried: SQLite 3.53 keeps
  -- them in an aggregate such as count(*), and every count read the whole table and joined it
  -- three times). 'kernel' is code 1 in every store: the partial index
  -- events_kernel_wall names it in its WHERE, which must be a constant.
  -- The table is rebuilt (columns in an index cannot be dropped), ids and every value kept; the
  -- small columns come first and raw last. Foreign keys are off while a migration runs (db.ts).
  CREATE TABLE names (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
  );
  INSERT INTO names (id, name) VALUES (1, 'kernel');
  INSERT OR IGNORE INTO names (name) SELECT DISTINCT source FROM event_rows ORDER BY 1;
  INSERT OR IGNORE INTO names (name) SELECT DISTINCT host FROM event_rows ORDER BY 1;
  INSERT OR IGNORE INTO names (name) SELECT DISTINCT kind FROM event_rows ORDER BY 1;
  DROP VIEW events;
  CREATE TABLE event_rows_v9 (
    id          INTEGER PRIMARY KEY,
    ts_us       INTEGER,
    section_id  INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    line        INTEGER NOT NULL,
    host_code   INTEGER NOT NULL,          -- names.id of the host
    source_code INTEGER NOT NULL,          -- names.id of the source (1: kernel)
    kind_code   INTEGER NOT NULL,          -- names.id of the kind
    severity    INTEGER NOT NULL,
    count       INTEGER NOT NULL DEFAULT 1,
    uptime_us   INTEGER,
    boot_id     INTEGER REFERENCES boots(id) ON DELETE SET NULL,
    tkey        INTEGER NOT NULL,
    dhash       INTEGER NOT NULL,
    occ         INTEGER NOT NULL,
    boot_key    INTEGER NOT NULL DEFAULT 0,
    twin_of     INTEGER REFERENCES event_rows(id) ON DELETE SET NULL,
    time_note   TEXT,
    msg_at      INTEGER,
    fields      TEXT,
    message     TEXT,
    raw         TEXT NOT NULL
  );
  INSERT INTO event_rows_v9 (id, ts_us, section_id, line, host_code, source_code, kind_code, severity, count, uptime_us, boot_id,
                             tkey, dhash, occ, boot_key, twin_of, time_note, msg_at, fields, message, raw)
    SELECT e.id, e.ts_us, e.section_id, e.line, h.id, s.id, k.id, e.severity, e.count, e.uptime_us, e.boot_id,
           e.tkey, e.dhash, e.occ, e.boot_key, e.twin_of, e.time_note, e.msg_at, e.fields, e.message, e.raw
    FROM event_rows e JOIN names h ON h.name = e.host JOIN names s ON s.name = e.source JOIN names k ON k.name = e.kind
    ORDER BY e.id;
  DROP TABLE event_rows;
  ALTER TABLE event_rows_v9 RENAME TO event_rows;
  CREATE UNIQUE INDEX events_dedup ON event_rows (tkey, dhash, occ, boot_key);
  CREATE INDEX events_ts ON event_rows (ts_us) WHERE ts_us IS NOT NULL;
  CREATE INDEX events_section ON event_rows (section_id);
  CREATE INDEX events_boot ON event_rows (boot_id) WHERE boot_id IS NOT NULL;
  CREATE INDEX events_kernel_wall ON event_rows (host_code, ts_us) WHERE source_code = 1 AND uptime_us IS NULL AND ts_us IS NOT NULL;
  CREATE INDEX events_twin_of ON event_rows (twin_of) WHERE twin_of IS NOT NULL;
  CREATE INDEX events_twins_section ON event_rows (section_id) WHERE twin_of IS NOT NULL;
  CREATE VIEW events AS
    SELECT e.id, e.ts_us, e.section_id, e.line,
           (SELECT n.name FROM names n WHERE n.id = e.host_code) AS host,
           (SELECT n.name FROM names n WHERE n.id = e.source_code) AS source,
           (SELECT n.name FROM names n WHERE n.id = e.kind_code) AS kind,
           e.severity, coalesce(e.message, substr(e.raw, e.msg_at + 1)) AS message,
           e.raw, e.fields, e.count, e.uptime_us, e.boot_id, e.time_note, e.tkey, e.dhash, e.occ, e.twin_of
    FROM event_rows e;
  `,
];

/**
 * The oldest schema a read-only command can read. Migrations after it only add indexes (the same
 * answers, slower without them); the first write (\`corr ingest\`) adds them. A step that changes
 * a table or a column the readers use moves this up to its own version: 9 rebuilt event_rows.
 */
export const READABLE_FROM = 9;

/**
 * The ClickHouse store's tables (docs/fleet.md explains the choices). Each migration is a list of
 * statements that are safe to run twice (IF NOT EXISTS), because several ingesters may open a new
 * database at the same moment and ClickHouse has no transaction to serialize them; the version
 * reached is kept in `corr_meta` as SQLite keeps it in PRAGMA user_version.
 *
 * Types that work on Debian's 18.16 server and on current ClickHouse: instants are Int64
 * microseconds (no DateTime64), fields and evidence are JSON strings (no Map, no JSON type),
 * optional values are Nullable, and every id is a 52-bit number so JavaScript holds it exactly.
 *
 * Metadata tables (files, sections, boots, notes) are ReplacingMergeTree keyed by deterministic ids
 * with a `ver` column: a change is a new row with a higher version, and two ingesters writing the
 * same row collapse into one; readers use FINAL. Events are ReplacingMergeTree ordered by host and
 * time (tkey is the instant for every clock-stamped line): a retried insert collapses, and the
 * same event stored by two files or two ingesters is resolved when read (the first file's row).
 * A section's rows count only when its row in `sections` names their attempt (the completion mark).
 */
export const CH_MIGRATIONS: string[][] = [
  [
    `CREATE TABLE IF NOT EXISTS corr_meta (key String, value String, ver UInt64) ENGINE = ReplacingMergeTree(ver) ORDER BY key`,
    `CREATE TABLE IF NOT EXISTS files (
      id UInt64, path String, real_path String, host Nullable(String), sha256 String, size UInt64, mtime_ms Int64,
      gzip UInt8, complete UInt8, removed UInt8, created_us Int64, ver UInt64
    ) ENGINE = ReplacingMergeTree(ver) ORDER BY id`,
    `CREATE TABLE IF NOT EXISTS sections (
      id UInt64, attempt UInt64, file_id UInt64, ordinal UInt32, title Nullable(String), start_line UInt64, end_line UInt64,
      format Nullable(String), looked_like Nullable(String), looked_like_code Nullable(String), host Nullable(String), tz Nullable(String),
      lines UInt64, events UInt64, continuations UInt64, skipped UInt64, duplicates UInt64, unanchored UInt64,
      first_us Nullable(Int64), last_us Nullable(Int64), ver UInt64
    ) ENGINE = ReplacingMergeTree(ver) ORDER BY id`,
    `CREATE TABLE IF NOT EXISTS boots (
      id UInt64, section_id UInt64, attempt UInt64, segment UInt32, host String, last_segment UInt8,
      min_uptime_us Nullable(Int64), max_uptime_us Nullable(Int64), anchor_us Nullable(Int64), anchor_why Nullable(String),
      precision_us Nullable(Int64), evidence Nullable(String), ver UInt64
    ) ENGINE = ReplacingMergeTree(ver) ORDER BY id`,
    `CREATE TABLE IF NOT EXISTS notes (
      section_id UInt64, attempt UInt64, seq UInt64, level String, code String, text String, count UInt64, dropped UInt8, ver UInt64
    ) ENGINE = ReplacingMergeTree(ver) ORDER BY (section_id, seq)`,
    `CREATE TABLE IF NOT EXISTS coverage (
      section_id UInt64, attempt UInt64, host String, source String, start_us Int64, end_us Int64
    ) ENGINE = ReplacingMergeTree ORDER BY (section_id, attempt, host, source, start_us, end_us)`,
    `CREATE TABLE IF NOT EXISTS events (
      id UInt64, ts_us Nullable(Int64), section_id UInt64, attempt UInt64, file_seq Int64, seq UInt64, line UInt64,
      host String, source String, kind String, severity UInt8, message String, raw String, fields String, count UInt64,
      uptime_us Nullable(Int64), boot_id Nullable(UInt64), time_note Nullable(String), tkey Int64, dhash Int64, occ UInt32
    ) ENGINE = ReplacingMergeTree ORDER BY (host, tkey, dhash, occ, id)`,
    // For \`corr sql\` users: the events readers see (completed sections, each event once).
    `CREATE VIEW IF NOT EXISTS visible_events AS
      SELECT * FROM events
      WHERE (section_id, attempt) IN (SELECT id, attempt FROM sections FINAL WHERE file_id IN (SELECT id FROM files FINAL WHERE removed = 0))
      ORDER BY tkey, dhash, occ, file_seq, seq LIMIT 1 BY tkey, dhash, occ`,
  ],
  [
    // #12: twins (src/ingest/context/kernel-twins.ts), the same kernel line stored from raw dmesg and
    // from a journal; the event under the twin key is left out of counts. Insert-only, as the rest:
    // a link counts when its section's attempt does (attempt 0: written after the section committed).
    `CREATE TABLE IF NOT EXISTS twins (
      twin_tkey Int64, twin_dhash Int64, twin_occ UInt32, of_tkey Int64, of_dhash Int64, of_occ UInt32, section_id UInt64, attempt UInt64
    ) ENGINE = ReplacingMergeTree ORDER BY (twin_tkey, twin_dhash, twin_occ, section_id, attempt)`,
  ],
  // 3: boot-aware dedup keys (src/ingest/boot-keys.ts, as SQLite's migration of the same name): an
  // uptime-keyed kernel line is the same event as a stored one only under the same boot key.
  // 18.16 has no ADD COLUMN IF NOT EXISTS and no DROP VIEW: a column already added by a racing
  // ingester is tolerated (connection.ts), the view is dropped as a table and made again.
  [
    `ALTER TABLE events ADD COLUMN boot_key UInt64 DEFAULT 0`,
    `DROP TABLE IF EXISTS visible_events`,
    `CREATE VIEW IF NOT EXISTS visible_events AS
      SELECT * FROM events
      WHERE (section_id, attempt) IN (SELECT id, attempt FROM sections FINAL WHERE file_id IN (SELECT id FROM files FINAL WHERE removed = 0))
      ORDER BY tkey, dhash, occ, boot_key, file_seq, seq LIMIT 1 BY tkey, dhash, occ, boot_key`,
  ],
  // 4: a lease per section attempt (lease.ts): who is storing a section until when (server
  // seconds), so a second ingester of the same file waits instead of writing it again, and the rows
  // of an attempt whose lease was given up or ran out can be deleted. `place` and `pid` let an
  // ingester on the same machine see that the holder is gone (killed) before its lease ends.
  [
    `CREATE TABLE IF NOT EXISTS leases (
      section_id UInt64, attempt UInt64, holder String, place String, pid UInt32, state UInt8, expires UInt32, ver UInt64
    ) ENGINE = ReplacingMergeTree(ver) ORDER BY (section_id, attempt)`,
  ],
];

/** The tables whose rows belong to a section attempt (what reaping an abandoned attempt deletes). */
export const ATTEMPT_TABLES = ['events', 'boots', 'notes', 'coverage', 'twins'];

export const CH_SCHEMA_VERSION = CH_MIGRATIONS.length;

/**
 * Every table the migrations create, in creation order: what a database of `Distributed` tables over
 * shards must cover (docs/fleet.md), read from the statements so a new table cannot be forgotten.
 */
export const CH_TABLES: string[] = CH_MIGRATIONS.flat()
  .map((sql) => /^CREATE TABLE IF NOT EXISTS (\w+)/.exec(sql)?.[1])
  .filter((t): t is string => t !== undefined);

/** The oldest server corr has been run against (Debian's package); older ones lack what corr uses. */
export const MIN_SERVER: [number, number] = [18, 16];

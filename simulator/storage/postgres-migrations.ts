/**
 * The PostgreSQL store's schema (D105): the tables the replicas share, with the SQLite schema's
 * names and columns so rows move between the two unchanged. Each entry moves the schema one
 * version forward; never edit a shipped entry, append one.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE store_revision (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL);
   INSERT INTO store_revision (id, value) VALUES (1, 0);
   CREATE TABLE holdings (symbol TEXT NOT NULL, ocn TEXT NOT NULL, file_id BIGINT, PRIMARY KEY (symbol, ocn));
   CREATE TABLE lbd (symbol TEXT NOT NULL, lsn TEXT NOT NULL, ocn TEXT NOT NULL, PRIMARY KEY (symbol, lsn));
   CREATE TABLE lhrs (
     symbol TEXT NOT NULL, lsn TEXT NOT NULL, ocn TEXT NOT NULL, holding_library TEXT NOT NULL,
     location TEXT NOT NULL, call_number TEXT NOT NULL, barcodes TEXT NOT NULL, file_id BIGINT NOT NULL,
     PRIMARY KEY (symbol, lsn));
   CREATE TABLE worldcat_keys (key TEXT PRIMARY KEY, ocn TEXT NOT NULL);
   CREATE TABLE worldcat_created (ocn TEXT PRIMARY KEY, symbol TEXT NOT NULL, lsn TEXT, file_id BIGINT);
   CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
   CREATE TABLE record_outcomes (
     file_id BIGINT NOT NULL, seq BIGINT NOT NULL, "offset" BIGINT NOT NULL, locator TEXT NOT NULL,
     lsn TEXT NOT NULL, incoming_ocn TEXT NOT NULL, worldcat_ocn TEXT NOT NULL, action TEXT NOT NULL,
     errors TEXT, PRIMARY KEY (file_id, seq));
   CREATE TABLE worldcat_records (ocn TEXT PRIMARY KEY, marc BYTEA NOT NULL, updated_at BIGINT);
   CREATE TABLE worldcat_merges (old TEXT PRIMARY KEY, current TEXT NOT NULL, at BIGINT NOT NULL);
   CREATE TABLE worldcat_changes (
     seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, kind TEXT NOT NULL, symbol TEXT, ocn TEXT NOT NULL,
     lsn TEXT, collection_id TEXT, from_ocn TEXT);
   CREATE TABLE worldcat_history (
     seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, symbol TEXT NOT NULL, holdings BIGINT NOT NULL,
     lhrs BIGINT NOT NULL, file_id BIGINT);`,
  `CREATE TABLE uploads (
     id BIGINT PRIMARY KEY, replica TEXT NOT NULL, account TEXT NOT NULL, sender_symbol TEXT NOT NULL,
     target_symbol TEXT NOT NULL, folder TEXT NOT NULL, name TEXT NOT NULL, temp_name TEXT,
     kind TEXT NOT NULL, collection_id TEXT, routed_to_default BIGINT NOT NULL, state TEXT NOT NULL,
     size BIGINT, sha256 TEXT, started_at BIGINT NOT NULL, received_at BIGINT, queued_at BIGINT,
     violations TEXT, reason TEXT, stored_path TEXT, processed_at BIGINT, summary TEXT);
   CREATE INDEX uploads_state ON uploads (state);
   CREATE SEQUENCE upload_ids START 1;`,
  `ALTER TABLE lhrs ALTER COLUMN file_id DROP NOT NULL;
   ALTER TABLE lhrs ADD COLUMN marc BYTEA;
   ALTER TABLE lbd ADD COLUMN marc BYTEA;`,
  // The shared work queue (D151): a file due for processing, claimed by one replica at a time.
  `CREATE TABLE work_queue (
     upload_id BIGINT PRIMARY KEY, target_symbol TEXT NOT NULL, offered_by TEXT NOT NULL,
     claimed_by TEXT, lease_until TIMESTAMPTZ, claims INTEGER NOT NULL DEFAULT 0);`,
];

/**
 * @module store/postgres/history-schema
 * The migration that adds the history table (src/store/postgres/history.ts): the columns and indexes of
 * SQLite's (src/store/history.ts), shared by every replica; ids from one sequence.
 */
export const HISTORY_MIGRATION = {
  name: 'history: one row per recorded event, from every replica',
  sql: `
CREATE TABLE history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time bigint NOT NULL,
  kind text NOT NULL,
  fingerprint text,
  group_key text,
  receiver text,
  silence_id text,
  alertname text,
  labels text,
  data text
);
CREATE INDEX history_time ON history (time, id);
CREATE INDEX history_fingerprint ON history (fingerprint, time, id) WHERE fingerprint IS NOT NULL;
CREATE INDEX history_receiver ON history (receiver, time, id) WHERE receiver IS NOT NULL;
CREATE INDEX history_kind ON history (kind, time, id);
CREATE INDEX history_alertname ON history (alertname, time, id) WHERE alertname IS NOT NULL;
`,
} as const;

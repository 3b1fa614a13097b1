/**
 * @module store/postgres/silence-schedules-schema
 * The migration that adds recurring silences (src/store/postgres/silence-schedules.ts) and the silence audit
 * trail (src/store/postgres/silences.ts writes it with the silences) to PostgreSQL, as SQLite has them.
 */
export const SILENCE_SCHEDULES_MIGRATION = {
  name: 'silence schedules and the silence audit trail',
  sql: `
CREATE TABLE silence_schedules (
  id text PRIMARY KEY,
  body text NOT NULL,
  created_at bigint NOT NULL
);
CREATE TABLE silence_audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  silence_id text NOT NULL,
  time bigint NOT NULL,
  body text NOT NULL
);
CREATE INDEX silence_audit_silence ON silence_audit (silence_id, id);
`,
};

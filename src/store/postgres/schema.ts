/**
 * @module store/postgres/schema
 * The versioned schema of Tocsin's PostgreSQL database: migration N is MIGRATIONS[N - 1]. Append only:
 * an applied migration is never edited, a change is a new entry. Migrations must stay compatible with the
 * previous release (add, then stop using, then drop one release later), because during a rolling upgrade
 * older replicas keep running on the migrated schema. docs/ha-design.md describes each table.
 *
 * Times are epoch milliseconds (bigint), as in the SQLite schema; time decisions shared by replicas
 * (leases, flush claims) use the database clock, tocsin_now_ms(), so replica clock skew cannot matter.
 */

import { HISTORY_FIRING_MIGRATION } from './history-firing-schema';
import { HISTORY_MIGRATION } from './history-schema';
import { SILENCE_SCHEDULES_MIGRATION } from './silence-schedules-schema';

export interface Migration {
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'initial schema: alerts, silences, nflog, replicas, group leases, flush claims',
    sql: `
CREATE FUNCTION tocsin_now_ms() RETURNS bigint LANGUAGE sql VOLATILE
  AS $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint $$;

-- One row per fingerprint. xid: the transaction that last wrote the row (a change feed for other replicas).
CREATE TABLE alerts (
  fingerprint text PRIMARY KEY,
  labels text NOT NULL,
  annotations text NOT NULL,
  starts_at bigint NOT NULL,
  ends_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  generator_url text NOT NULL,
  timeout boolean NOT NULL,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX alerts_xid ON alerts (xid);

-- Upstream's merge of a stored alert (o_*) with an incoming one (n_*) (provider/mem Put + alert.Merge;
-- src/provider/mem-alerts.ts overlaps() and mergeAlerts()). take_new: the incoming alert's labels,
-- annotations, updated_at, generator_url and timeout win; starts_at/ends_at are the merged range.
CREATE FUNCTION tocsin_merge_alert(
  o_starts bigint, o_ends bigint, o_updated bigint, o_timeout boolean,
  n_starts bigint, n_ends bigint, n_updated bigint, n_timeout boolean, now_ms bigint,
  OUT take_new boolean, OUT starts_at bigint, OUT ends_at bigint)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  x_starts bigint; x_ends bigint; x_timeout boolean; -- the older one
  y_starts bigint; y_ends bigint;                     -- the younger one (larger updated_at), the base
BEGIN
  IF NOT ((n_ends > o_starts AND n_ends < o_ends) OR (n_starts > o_starts AND n_starts < o_ends)) THEN
    take_new := true; starts_at := n_starts; ends_at := n_ends;
    RETURN;
  END IF;
  take_new := NOT (n_updated < o_updated);
  IF take_new THEN
    x_starts := o_starts; x_ends := o_ends; x_timeout := o_timeout; y_starts := n_starts; y_ends := n_ends;
  ELSE
    x_starts := n_starts; x_ends := n_ends; x_timeout := n_timeout; y_starts := o_starts; y_ends := o_ends;
  END IF;
  starts_at := LEAST(x_starts, y_starts);
  ends_at := y_ends;
  IF y_ends <> 0 AND y_ends <= now_ms THEN
    IF x_ends <> 0 AND x_ends <= now_ms AND x_ends > y_ends THEN ends_at := x_ends; END IF;
  ELSIF x_ends > y_ends AND NOT x_timeout THEN
    ends_at := x_ends;
  END IF;
END $$;

CREATE TABLE silences (
  id text PRIMARY KEY,
  body text NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX silences_expires_at ON silences (expires_at);

-- One row per (group key, receiver, integration, index), as SQLite's nflog table, plus a version that
-- every write bumps (flush claims compare it).
CREATE TABLE nflog (
  key text PRIMARY KEY,
  group_key text NOT NULL,
  receiver text NOT NULL,
  integration text NOT NULL,
  idx integer NOT NULL,
  timestamp bigint NOT NULL,
  firing text NOT NULL,
  resolved text NOT NULL,
  receiver_data text,
  expires_at bigint NOT NULL,
  version bigint NOT NULL DEFAULT 1
);
CREATE INDEX nflog_expires_at ON nflog (expires_at);

-- Which replica flushes an aggregation group: owner until expires_at (database clock), renewed by
-- heartbeat. epoch grows by one each time the owner changes (a fencing token).
CREATE TABLE group_leases (
  group_key text PRIMARY KEY,
  owner text NOT NULL,
  epoch bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX group_leases_owner ON group_leases (owner);

-- The replicas that run on this database: name (unique), address (host:port for status peers), heartbeat.
CREATE TABLE replicas (
  name text PRIMARY KEY,
  address text NOT NULL,
  started_at bigint NOT NULL,
  last_seen bigint NOT NULL
);

-- A notification being sent: owner holds the nflog key until claimed_until (or until it logs the result).
CREATE TABLE flush_claims (
  key text PRIMARY KEY,
  owner text,
  claimed_until bigint NOT NULL
);

-- Claims the flush of one nflog key for one replica, atomically, in one round trip. Outcomes:
-- 'won'; 'lease' (a lease epoch was given and the replica does not hold that lease, live);
-- 'busy' (another replica holds an unexpired claim on the key); 'stale' (the stored nflog entry's version
-- is not the one the caller's decision was based on; the caller reloads it and decides again).
CREATE FUNCTION tocsin_claim_flush(p_key text, p_group_key text, p_owner text, p_epoch bigint,
  p_expected_version bigint, p_ttl_ms bigint, OUT outcome text, OUT version bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  now_ms bigint := tocsin_now_ms();
BEGIN
  IF p_epoch IS NOT NULL THEN
    -- FOR SHARE: a takeover of the lease waits until this claim is committed
    PERFORM 1 FROM group_leases l WHERE l.group_key = p_group_key AND l.owner = p_owner
      AND l.epoch = p_epoch AND l.expires_at > now_ms FOR SHARE;
    IF NOT FOUND THEN outcome := 'lease'; RETURN; END IF;
  END IF;
  BEGIN -- a subtransaction: a stale claim is rolled back
    INSERT INTO flush_claims AS c (key, owner, claimed_until) VALUES (p_key, p_owner, now_ms + p_ttl_ms)
      ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, claimed_until = excluded.claimed_until
      WHERE c.owner IS NULL OR c.owner = excluded.owner OR c.claimed_until <= now_ms;
    IF NOT FOUND THEN outcome := 'busy'; RETURN; END IF;
    -- the claim row is locked by this transaction now, and every commit of this key locks it too:
    -- this read (a new snapshot) sees every result logged before
    SELECT n.version INTO version FROM nflog n WHERE n.key = p_key;
    version := coalesce(version, 0);
    IF version <> p_expected_version THEN RAISE EXCEPTION USING ERRCODE = 'T0C01'; END IF;
    outcome := 'won';
  EXCEPTION WHEN SQLSTATE 'T0C01' THEN
    outcome := 'stale';
  END;
END $$;

-- tocsin_claim_flush for many keys in one round trip (each claim is decided on its own, in array order).
CREATE FUNCTION tocsin_claim_flushes(p_keys text[], p_group_keys text[], p_owner text, p_epochs bigint[],
  p_expected_versions bigint[], p_ttl_ms bigint)
RETURNS TABLE (key text, outcome text, version bigint)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
    key := p_keys[i];
    SELECT c.outcome, c.version INTO outcome, version
      FROM tocsin_claim_flush(p_keys[i], p_group_keys[i], p_owner, p_epochs[i], p_expected_versions[i], p_ttl_ms) AS c;
    RETURN NEXT;
  END LOOP;
END $$;
`,
  },
  // 2
  HISTORY_MIGRATION,
  // 3
  {
    name: 'acks and escalations (issue 16)',
    sql: `
-- One row per ack (JSON body as in SQLite), kept after it ends: the audit of who acknowledged what.
CREATE TABLE acks (
  id text PRIMARY KEY,
  group_key text NOT NULL,
  receiver text NOT NULL,
  created_at bigint NOT NULL,
  ended_at bigint,
  body text NOT NULL
);
CREATE INDEX acks_ended_at ON acks (ended_at) WHERE ended_at IS NOT NULL;
-- One row per group escalating on a receiver.
CREATE TABLE escalations (
  group_key text NOT NULL,
  receiver text NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (group_key, receiver)
);
`,
  },
  // 4
  {
    name: 'alerts.origin (the change feed skips a replica\'s own writes); nflog by group key',
    sql: `
-- The replica that last wrote the row (PgAlertStore.sync sets it): its change feed skips the rows it wrote
-- itself (its memory holds them). '' for rows written before this migration, or by a replica of the previous
-- version, which leaves the column as it was: such a write is missed by the feed of the replica named there
-- (only during a rolling upgrade, for alerts sent to the old replica alone; the next write corrects it).
ALTER TABLE alerts ADD COLUMN origin text NOT NULL DEFAULT '';

-- PgNflogStore.byGroups (the history of groups a replica takes over)
CREATE INDEX nflog_group_key ON nflog (group_key);

-- tocsin_claim_flushes, set-based: a few statements for the whole batch instead of a loop with a
-- subtransaction per key (1000 keys: ~90 ms -> a few ms). Same outcomes (keys must be distinct). A 'stale' claim is released
-- (owner NULL) instead of rolled back: to every claimant that is the same as the state before (free, expired,
-- or this replica's own earlier claim, which it gives up as it does not send).
CREATE FUNCTION tocsin_claim_flush_batch(p_keys text[], p_group_keys text[], p_owner text, p_epochs bigint[],
  p_expected_versions bigint[], p_ttl_ms bigint)
RETURNS TABLE (key text, outcome text, version bigint)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  now_ms bigint := tocsin_now_ms();
  ok text[];
  won text[];
  stale text[];
  rk text[];
  ro text[];
  rv bigint[];
BEGIN
  -- the leases this replica holds with the given epochs, FOR SHARE: a takeover waits until this commits
  ok := ARRAY(
    SELECT r.k FROM unnest(p_keys, p_group_keys, p_epochs) AS r(k, g, e)
    LEFT JOIN (
      SELECT l.group_key, l.epoch FROM group_leases l
      WHERE l.owner = p_owner AND l.expires_at > now_ms AND l.group_key = ANY(p_group_keys)
      ORDER BY l.group_key FOR SHARE
    ) AS held ON held.group_key = r.g AND held.epoch = r.e
    WHERE r.e IS NULL OR held.group_key IS NOT NULL);
  WITH c AS (
    INSERT INTO flush_claims AS c (key, owner, claimed_until)
    SELECT k, p_owner, now_ms + p_ttl_ms FROM unnest(ok) AS k ORDER BY k
    ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, claimed_until = excluded.claimed_until
    WHERE c.owner IS NULL OR c.owner = excluded.owner OR c.claimed_until <= now_ms
    RETURNING c.key)
  SELECT coalesce(array_agg(c.key), '{}') INTO won FROM c;
  -- a new statement, a new snapshot: the claim rows are locked by this transaction now, and every commit of
  -- these keys locks them too, so this read sees every result logged before
  SELECT coalesce(array_agg(x.k), '{}'), coalesce(array_agg(x.o), '{}'), coalesce(array_agg(x.v), '{}') INTO rk, ro, rv FROM (
    SELECT r.k,
      CASE WHEN o.k IS NULL THEN 'lease' WHEN w.k IS NULL THEN 'busy'
        WHEN coalesce(n.version, 0) <> r.ev THEN 'stale' ELSE 'won' END AS o,
      CASE WHEN w.k IS NULL THEN NULL ELSE coalesce(n.version, 0) END AS v
    FROM unnest(p_keys, p_expected_versions) AS r(k, ev)
    LEFT JOIN unnest(ok) AS o(k) ON o.k = r.k
    LEFT JOIN unnest(won) AS w(k) ON w.k = r.k
    LEFT JOIN nflog n ON n.key = w.k) AS x;
  stale := ARRAY(SELECT s.k FROM unnest(rk, ro) AS s(k, o) WHERE s.o = 'stale');
  IF cardinality(stale) > 0 THEN
    UPDATE flush_claims c SET owner = NULL, claimed_until = 0 WHERE c.key = ANY(stale) AND c.owner = p_owner;
  END IF;
  RETURN QUERY SELECT * FROM unnest(rk, ro, rv);
END $$;
`,
  },
  // 5
  SILENCE_SCHEDULES_MIGRATION,
  // 6
  HISTORY_FIRING_MIGRATION,
  // 7
  {
    name: 'nflog intents (resolved_after_mute across a replica killed mid-send)',
    sql: `
-- The alerts a notification had firing, written before it is sent and trimmed once a logged entry lists them
-- (src/nflog/nflog.ts, intend()): one row per nflog key. A replica that takes a group over reads them with
-- the group's entries, so that a notification in flight when its owner died still counts as told.
CREATE TABLE nflog_intent (
  key text PRIMARY KEY,
  group_key text NOT NULL,
  receiver text NOT NULL,
  integration text NOT NULL,
  idx integer NOT NULL,
  firing text[] NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX nflog_intent_group_key ON nflog_intent (group_key);
CREATE INDEX nflog_intent_expires_at ON nflog_intent (expires_at);
`,
  },
];

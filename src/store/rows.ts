/**
 * @module store/rows
 * Row decoders shared by the SQLite and PostgreSQL stores: both keep the same columns, so one function reads them.
 */
import type { NflogEntry } from '../nflog/types';

/** One stored notification log row (the columns of the nflog table in SQLite and PostgreSQL). */
export interface NflogRow {
  group_key: string;
  receiver: string;
  integration: string;
  idx: number;
  timestamp: number;
  firing: string;
  resolved: string;
  receiver_data: string | null;
  expires_at: number;
}

/** The notification log entry a stored row holds. */
export function nflogEntryFromRow(r: NflogRow): NflogEntry {
  return {
    groupKey: r.group_key,
    receiver: { groupName: r.receiver, integration: r.integration, idx: r.idx },
    timestamp: r.timestamp,
    firingAlerts: JSON.parse(r.firing) as string[],
    resolvedAlerts: JSON.parse(r.resolved) as string[],
    ...(r.receiver_data ? { receiverData: JSON.parse(r.receiver_data) as Record<string, string | number> } : {}),
    expiresAt: r.expires_at,
  };
}

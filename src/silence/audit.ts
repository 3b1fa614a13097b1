/**
 * @module silence/audit
 * The silence audit trail: one entry per create, update and expire, with who (the silence's createdBy, and the
 * basic-auth user when auth is on) and what changed (matchers, startsAt, endsAt, comment, createdBy against the
 * version before). Written in the same transaction as the silence itself (src/store/silences.ts), so an
 * acknowledged change always has its entry, and kept whether or not the history is recorded.
 */
import { renderedMatcherSets } from './rendered-matchers';
import type { Silence } from './types';

export type SilenceAuditAction = 'create' | 'update' | 'expire';

/** The audited fields of a silence, as the API shows them (matchers rendered, one string per matcher set). */
export interface SilenceAuditSnapshot {
  matchers: string[];
  startsAt: number;
  endsAt: number;
  comment: string;
  createdBy: string;
}

export interface SilenceAuditEntry {
  silenceId: string;
  /** epoch ms */
  time: number;
  action: SilenceAuditAction;
  /** the basic-auth user who made the change (absent without auth, and for Tocsin's own changes) */
  user?: string;
  /** fields that differ from the version before (for a create that replaces a silence: from the replaced one) */
  changes: Partial<Record<keyof SilenceAuditSnapshot, { from: unknown; to: unknown }>>;
  /** the silence after the change */
  silence: SilenceAuditSnapshot;
  /** a create that replaced a silence (its matchers or start changed): the replaced silence's id */
  replaces?: string;
  /** the expire of a silence replaced by an edit: the new silence's id */
  replacedBy?: string;
  /** why Tocsin itself made the change (e.g. silences.expire_unmatched_after) */
  reason?: string;
}

export function auditSnapshot(s: Silence): SilenceAuditSnapshot {
  return {
    matchers: [...renderedMatcherSets(s.matcherSets)],
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    comment: s.comment,
    createdBy: s.createdBy,
  };
}

/** The entry for `next`, diffed against `prev` (the version before, or the silence it replaces). */
export function auditEntry(
  action: SilenceAuditAction,
  next: Silence,
  prev: Silence | undefined,
  time: number,
  extra: { user?: string | undefined; replaces?: string; replacedBy?: string; reason?: string } = {},
): SilenceAuditEntry {
  const silence = auditSnapshot(next);
  const changes: SilenceAuditEntry['changes'] = {};
  if (prev) {
    const before = auditSnapshot(prev);
    for (const k of Object.keys(silence) as (keyof SilenceAuditSnapshot)[]) {
      if (JSON.stringify(before[k]) !== JSON.stringify(silence[k])) changes[k] = { from: before[k], to: silence[k] };
    }
  }
  return {
    silenceId: next.id,
    time,
    action,
    ...(extra.user ? { user: extra.user } : {}),
    changes,
    silence,
    ...(extra.replaces ? { replaces: extra.replaces } : {}),
    ...(extra.replacedBy ? { replacedBy: extra.replacedBy } : {}),
    ...(extra.reason ? { reason: extra.reason } : {}),
  };
}

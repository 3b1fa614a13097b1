/**
 * @module store/alertmanager/snapshot
 * Decodes Alertmanager's snapshot files (`<storage.path>/silences`: MeshSilence messages, `<storage.path>/nflog`:
 * MeshEntry messages; upstream silence/silencepb and nflog/nflogpb, the same field numbers from 0.25 to 0.34,
 * where 0.27+ adds annotations, matcher_sets and receiver_data). Every message is checked: a file that is not
 * such a stream is refused with the reason, nothing is guessed.
 */
import type { MatchType } from '../../matchers/types';
import type { StoredSilence } from '../../silence/store';
import { FIXED64, type Field, LEN, VARINT, WireError, expectWire, readDelimitedStream, readMessage, str, timestampMs, varints } from './protobuf';

/** silencepb.Matcher.Type, by enum number */
const MATCH_TYPES: readonly MatchType[] = ['=', '=~', '!=', '!~'];

export type AmMatcher = StoredSilence['matcherSets'][number][number];

/** A silence as Alertmanager stores it (the fields Tocsin stores, and the mesh wrapper's expiry). */
export interface AmSilence extends StoredSilence {
  /** MeshSilence.expires_at: when Alertmanager would garbage-collect it (endsAt + retention) */
  expiresAt: number;
  /** receiver_matcher_sets (Alertmanager 0.32+), which Tocsin does not have */
  receiverMatcherSets: number;
}

export interface AmNflogEntry {
  groupKey: string;
  receiver: { groupName: string; integration: string; idx: number };
  timestamp: number;
  /** Alertmanager's alert hashes (notify.hashAlert) */
  firingAlerts: bigint[];
  resolvedAlerts: bigint[];
  receiverData: Record<string, string | number>;
  expiresAt: number;
}

function matcher(buf: Uint8Array): AmMatcher {
  let type = 0;
  let name = '';
  let value = '';
  readMessage(buf, (f) => {
    if (f.num === 1) {
      expectWire(f, VARINT, 'matcher.type');
      type = Number(f.int);
    } else if (f.num === 2) name = str(f, 'matcher.name');
    else if (f.num === 3) value = str(f, 'matcher.pattern');
  });
  const t = MATCH_TYPES[type];
  if (t === undefined) throw new WireError(`matcher ${name}: unknown type ${type}`);
  if (name === '') throw new WireError('a matcher has no label name');
  return { type: t, name, value };
}

function matcherSet(buf: Uint8Array): AmMatcher[] {
  const out: AmMatcher[] = [];
  readMessage(buf, (f) => {
    if (f.num === 1) {
      expectWire(f, LEN, 'matcher_set.matchers');
      out.push(matcher(f.bytes));
    }
  });
  return out;
}

/** A map<string, V> entry: key = field 1, value = field 2. */
function mapEntry(buf: Uint8Array, what: string): { key: string; value: Field | undefined } {
  let key = '';
  let value: Field | undefined;
  readMessage(buf, (f) => {
    if (f.num === 1) key = str(f, `${what} key`);
    else if (f.num === 2) value = f;
  });
  return { key, value };
}

function silence(buf: Uint8Array, expiresAt: number): AmSilence {
  const s: AmSilence = {
    id: '',
    matcherSets: [],
    startsAt: 0,
    endsAt: 0,
    updatedAt: 0,
    createdBy: '',
    comment: '',
    annotations: {},
    expiresAt,
    receiverMatcherSets: 0,
  };
  const matchers: AmMatcher[] = [];
  readMessage(buf, (f) => {
    switch (f.num) {
      case 1:
        s.id = str(f, 'silence.id');
        break;
      case 2:
        expectWire(f, LEN, 'silence.matchers');
        matchers.push(matcher(f.bytes));
        break;
      case 3:
        s.startsAt = timestampMs(f, 'silence.starts_at');
        break;
      case 4:
        s.endsAt = timestampMs(f, 'silence.ends_at');
        break;
      case 5:
        s.updatedAt = timestampMs(f, 'silence.updated_at');
        break;
      case 8:
        s.createdBy = str(f, 'silence.created_by');
        break;
      case 9:
        s.comment = str(f, 'silence.comment');
        break;
      case 10: {
        expectWire(f, LEN, 'silence.annotations');
        const { key, value } = mapEntry(f.bytes, 'silence.annotations');
        s.annotations[key] = value ? str(value, `silence.annotations[${key}]`) : '';
        break;
      }
      case 11:
        expectWire(f, LEN, 'silence.matcher_sets');
        s.matcherSets.push(matcherSet(f.bytes));
        break;
      case 12:
        s.receiverMatcherSets++;
        break;
    }
  });
  if (s.id === '') throw new WireError('a silence has no id');
  // matcher_sets (0.27+) when present; `matchers` (0.25: the only set; later: a copy of the first set) otherwise
  if (s.matcherSets.length === 0) s.matcherSets.push(matchers);
  if (s.matcherSets.some((set) => set.length === 0)) throw new WireError(`silence ${s.id} has an empty matcher set`);
  return s;
}

function receiverDataValue(f: Field, key: string): string | number {
  expectWire(f, LEN, `receiver_data[${key}]`);
  let v: string | number = '';
  readMessage(f.bytes, (x) => {
    if (x.num === 1) v = str(x, `receiver_data[${key}]`);
    else if (x.num === 2) {
      expectWire(x, VARINT, `receiver_data[${key}]`);
      v = Number(BigInt.asIntN(64, x.int));
    } else if (x.num === 3) {
      expectWire(x, FIXED64, `receiver_data[${key}]`);
      const b = new DataView(new ArrayBuffer(8));
      b.setBigUint64(0, x.int, true);
      v = b.getFloat64(0, true);
    }
  });
  return v;
}

function entry(buf: Uint8Array, expiresAt: number): AmNflogEntry {
  const e: AmNflogEntry = {
    groupKey: '',
    receiver: { groupName: '', integration: '', idx: 0 },
    timestamp: 0,
    firingAlerts: [],
    resolvedAlerts: [],
    receiverData: {},
    expiresAt,
  };
  let hasReceiver = false;
  readMessage(buf, (f) => {
    switch (f.num) {
      case 1:
        e.groupKey = str(f, 'entry.group_key');
        break;
      case 2:
        expectWire(f, LEN, 'entry.receiver');
        hasReceiver = true;
        readMessage(f.bytes, (r) => {
          if (r.num === 1) e.receiver.groupName = str(r, 'receiver.group_name');
          else if (r.num === 2) e.receiver.integration = str(r, 'receiver.integration');
          else if (r.num === 3) {
            expectWire(r, VARINT, 'receiver.idx');
            e.receiver.idx = Number(BigInt.asUintN(32, r.int));
          }
        });
        break;
      case 5:
        e.timestamp = timestampMs(f, 'entry.timestamp');
        break;
      case 6:
        e.firingAlerts.push(...varints(f, 'entry.firing_alerts'));
        break;
      case 7:
        e.resolvedAlerts.push(...varints(f, 'entry.resolved_alerts'));
        break;
      case 8: {
        expectWire(f, LEN, 'entry.receiver_data');
        const { key, value } = mapEntry(f.bytes, 'entry.receiver_data');
        if (value) e.receiverData[key] = receiverDataValue(value, key);
        break;
      }
    }
  });
  // upstream's own load refuses these too (nflog.ErrInvalidState)
  if (!hasReceiver) throw new WireError('an entry has no receiver');
  if (e.groupKey === '') throw new WireError('an entry has no group key');
  return e;
}

/** Reads the messages of a mesh stream: field 1 the payload, field 2 expires_at. */
function meshStream<T>(buf: Uint8Array, what: string, decode: (payload: Uint8Array, expiresAt: number) => T): T[] {
  return readDelimitedStream(buf).map((msg, i) => {
    let payload: Uint8Array | undefined;
    let expiresAt = 0;
    try {
      readMessage(msg, (f) => {
        if (f.num === 1) {
          expectWire(f, LEN, what);
          payload = f.bytes;
        } else if (f.num === 2) expiresAt = timestampMs(f, `${what}.expires_at`);
      });
      if (!payload) throw new WireError(`no ${what}`);
      return decode(payload, expiresAt);
    } catch (e) {
      if (e instanceof WireError) throw new WireError(`record ${i + 1}: ${e.message}`);
      throw e;
    }
  });
}

/** The `silences` snapshot (MeshSilence stream). Throws WireError when it is not one. */
export function decodeSilences(buf: Uint8Array): AmSilence[] {
  return meshStream(buf, 'silence', silence);
}

/** The `nflog` snapshot (MeshEntry stream). Throws WireError when it is not one. */
export function decodeNflog(buf: Uint8Array): AmNflogEntry[] {
  return meshStream(buf, 'entry', entry);
}

/**
 * @module nflog/alert-hash
 * Alertmanager's id of an alert in its notification log (upstream notify.hashAlert): xxHash64 over the label
 * names and values sorted by name, each followed by a 0xff byte. Tocsin logs fingerprints instead; this hash
 * is only needed to compare the current alerts with entries imported from an Alertmanager's nflog
 * (`tocsinctl import alertmanager-storage`), whose alert ids are these hashes, written as IMPORTED_ID_PREFIX +
 * 16 hex digits.
 */
import xxhash from 'xxhash-wasm';
import type { LabelSet } from '../types/alert';
import { sortedLabelNames } from '../types/labels';

/** Marks an alert id in the nflog that is Alertmanager's hash (from an import), not a fingerprint. */
export const IMPORTED_ID_PREFIX = 'am:';

type Hasher = Awaited<ReturnType<typeof xxhash>>;
let hasher: Promise<Hasher> | undefined;

/** xxhash-wasm compiles its WebAssembly once, asynchronously. */
function getHasher(): Promise<Hasher> {
  hasher ??= xxhash();
  return hasher;
}

/** The nflog id of an imported hash (a uint64). */
export function importedAlertId(hash: bigint): string {
  return IMPORTED_ID_PREFIX + hash.toString(16).padStart(16, '0');
}

/** True when an nflog entry's alert ids are Alertmanager's hashes (the entry came from an import). */
export function hasImportedIds(ids: readonly string[]): boolean {
  return ids.length > 0 && ids[0]!.startsWith(IMPORTED_ID_PREFIX);
}

/** Alertmanager's hash of a label set (upstream notify.hashAlert), once the hasher is compiled. */
export async function alertmanagerHasher(): Promise<(labels: LabelSet) => bigint> {
  const h = await getHasher();
  const sep = Buffer.from([0xff]);
  return (labels) => {
    const parts: Buffer[] = [];
    for (const name of sortedLabelNames(labels)) {
      parts.push(Buffer.from(name, 'utf8'), sep, Buffer.from(labels[name]!, 'utf8'), sep);
    }
    return h.h64Raw(new Uint8Array(Buffer.concat(parts)));
  };
}

/** Alertmanager's hash of each label set, as importedAlertId strings. */
export async function alertmanagerAlertIds(labelSets: readonly LabelSet[]): Promise<string[]> {
  const hash = await alertmanagerHasher();
  return labelSets.map((labels) => importedAlertId(hash(labels)));
}

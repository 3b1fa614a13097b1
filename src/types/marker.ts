/**
 * Per-alert status (upstream types.Marker / AlertMarker): what the API reports as status.state,
 * silencedBy and inhibitedBy. Written by the silence and inhibit mute stages, read by the API.
 */
export type AlertState = 'unprocessed' | 'active' | 'suppressed';

export interface AlertStatus {
  state: AlertState;
  silencedBy: string[];
  inhibitedBy: string[];
  mutedBy: string[];
}

export class AlertMarker {
  readonly #statuses = new Map<string, AlertStatus>();

  status(fp: string): AlertStatus {
    const s = this.#statuses.get(fp);
    return s ? { ...s } : { state: 'unprocessed', silencedBy: [], inhibitedBy: [], mutedBy: [] };
  }

  /** The alert's state alone (no copy): 'unprocessed' until the pipeline has recorded it. */
  state(fp: string): AlertState {
    return this.#statuses.get(fp)?.state ?? 'unprocessed';
  }

  /** Record silences (empty = not silenced). Keeps inhibitedBy/mutedBy. */
  setSilenced(fp: string, silenceIds: readonly string[]): void {
    const s = this.#get(fp);
    s.silencedBy = [...silenceIds];
    this.#derive(s);
  }

  setInhibited(fp: string, inhibitorFps: readonly string[]): void {
    const s = this.#get(fp);
    s.inhibitedBy = [...inhibitorFps];
    this.#derive(s);
  }

  /** Names of the time intervals that mute the alert (upstream mutedBy). */
  setMuted(fp: string, intervalNames: readonly string[]): void {
    const s = this.#get(fp);
    s.mutedBy = [...intervalNames];
    this.#derive(s);
  }

  /** Number of alerts with a recorded status. */
  get size(): number {
    return this.#statuses.size;
  }

  delete(fp: string): void {
    this.#statuses.delete(fp);
  }

  #get(fp: string): AlertStatus {
    let s = this.#statuses.get(fp);
    if (!s) {
      s = { state: 'active', silencedBy: [], inhibitedBy: [], mutedBy: [] };
      this.#statuses.set(fp, s);
    }
    return s;
  }

  #derive(s: AlertStatus): void {
    s.state = s.silencedBy.length > 0 || s.inhibitedBy.length > 0 || s.mutedBy.length > 0 ? 'suppressed' : 'active';
  }
}

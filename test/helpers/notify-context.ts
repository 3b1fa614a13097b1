import type { NotifyContext } from '../../src/pipeline/types';
import { silentLogger } from '../../src/types/logger';

/** A flush context of receiver `r`, group `g` at Date.now(), 10m repeat interval, no time intervals; `o` overrides. */
export function notifyContext(o: Partial<NotifyContext> = {}): NotifyContext {
  return {
    receiver: 'r',
    groupKey: 'g',
    groupLabels: {},
    routeId: '{}',
    routeLabels: {},
    now: Date.now(),
    repeatInterval: 10 * 60_000,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    signal: new AbortController().signal,
    logger: silentLogger(),
    ...o,
  };
}

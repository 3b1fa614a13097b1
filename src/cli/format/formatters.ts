import { goEncode } from '../../go/json';
import { formatGoTimeIn } from '../../go/time';
import type { AlertmanagerStatus, ClusterStatus, GettableAlert, GettableSilence } from '../models';
import { goAlert, goCluster, goSilence, goStatus } from '../models';
import { formatLabelPairs, formatMatcher } from './strings';
import { formatHistory, type HistoryEventWire } from './history';
import { alignColumns } from './tabwriter';
import type { AckWire } from '../../wire/ack';
import { oneLine } from '../../wire/history';

export type OutputFormat = 'simple' | 'extended' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['simple', 'extended', 'json'];
export const DEFAULT_DATE_FORMAT = '2006-01-02 15:04:05 MST';

export interface FormatOptions {
  output: OutputFormat;
  dateFormat: string;
  /** IANA zone for dates; default: the zone each timestamp carries (UTC for `...Z`), as amtool prints */
  timeZone?: string;
}

/**
 * amtool's three formatters (upstream cli/format/format_{simple,extended,json}.go). Each returns the
 * text to print, newline-terminated. Lists are sorted as amtool sorts them (stable, unlike Go's sort).
 */
export class Formatter {
  constructor(private readonly opts: FormatOptions) {}

  private date(iso: string | undefined): string {
    if (iso === undefined) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    // amtool formats the parsed time without converting it to local time, so a `Z` timestamp prints in UTC
    // whatever TZ says (observed with amtool 0.25; upstream cli/format/format.go FormatDate).
    const own = /(Z|[+-]\d{2}:\d{2})$/i.exec(iso)?.[1]?.toUpperCase();
    return formatGoTimeIn(d, this.opts.dateFormat, this.opts.timeZone ?? (own === 'Z' || own === undefined ? 'UTC' : own));
  }

  silences(list: GettableSilence[]): string {
    if (this.opts.output === 'json') return goEncode(list.map(goSilence));
    const sorted = [...list].sort((a, b) => Date.parse(a.endsAt) - Date.parse(b.endsAt));
    const rows: string[] = [];
    if (this.opts.output === 'extended') {
      rows.push('ID\tMatchers\tStarts At\tEnds At\tUpdated At\tCreated By\tComment\t');
      for (const s of sorted) {
        const ms = `{${(s.matchers ?? []).map(formatMatcher).join(',')}}`;
        rows.push(
          `${s.id}\t${ms}\t${this.date(s.startsAt)}\t${this.date(s.endsAt)}\t${this.date(s.updatedAt)}\t${s.createdBy}\t${s.comment}\t`,
        );
      }
    } else {
      rows.push('ID\tMatchers\tEnds At\tCreated By\tComment\t');
      for (const s of sorted) {
        const ms = (s.matchers ?? []).map(formatMatcher).join(' ');
        rows.push(`${s.id}\t${ms}\t${this.date(s.endsAt)}\t${s.createdBy}\t${s.comment}\t`);
      }
    }
    return `${alignColumns(rows.join('\n'))}\n`;
  }

  /** `history`: events as the API lists them (newest first); json prints them as they are */
  history(list: readonly HistoryEventWire[]): string {
    if (this.opts.output === 'json') return `${JSON.stringify(list)}\n`;
    return formatHistory(list, this.opts.output, (iso) => this.date(iso));
  }

  /** `ack list` (Tocsin only): simple and extended as amtool's silence tables; json as the API answers */
  acks(list: readonly AckWire[]): string {
    if (this.opts.output === 'json') return `${JSON.stringify(list)}\n`;
    const rows: string[] = [];
    if (this.opts.output === 'extended') {
      rows.push('ID\tGroup Key\tReceiver\tCreated At\tEnds At\tEnded At\tEnd Reason\tAlerts\tCreated By\tComment\t');
      for (const a of list) {
        rows.push(
          `${a.ackID}\t${a.groupKey}\t${a.receiver}\t${this.date(a.createdAt)}\t${this.date(a.endsAt)}\t${this.date(a.endedAt)}\t${a.endReason ?? ''}\t${a.alerts.length}\t${a.createdBy}\t${oneLine(a.comment)}\t`,
        );
      }
    } else {
      rows.push('ID\tGroup Key\tReceiver\tEnds At\tCreated By\tComment\t');
      for (const a of list) rows.push(`${a.ackID}\t${a.groupKey}\t${a.receiver}\t${this.date(a.endsAt)}\t${a.createdBy}\t${oneLine(a.comment)}\t`);
    }
    return `${alignColumns(rows.join('\n'))}\n`;
  }

  alerts(list: GettableAlert[]): string {
    if (this.opts.output === 'json') return goEncode(list.map(goAlert));
    const sorted = [...list].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    const rows: string[] = [];
    if (this.opts.output === 'extended') {
      rows.push('Labels\tAnnotations\tStarts At\tEnds At\tGenerator URL\tState\t');
      for (const a of sorted) {
        rows.push(
          `${formatLabelPairs(a.labels)}\t${formatLabelPairs(a.annotations)}\t${this.date(a.startsAt)}\t${this.date(a.endsAt)}\t${a.generatorURL ?? ''}\t${a.status?.state ?? ''}\t`,
        );
      }
    } else {
      rows.push('Alertname\tStarts At\tSummary\tState\t');
      for (const a of sorted) {
        rows.push(
          `${a.labels?.alertname ?? ''}\t${this.date(a.startsAt)}\t${a.annotations?.summary ?? ''}\t${a.status?.state ?? ''}\t`,
        );
      }
    }
    return `${alignColumns(rows.join('\n'))}\n`;
  }

  /** `config show`. Extended prints the version fields by value (amtool 0.25 prints Go pointers there). */
  config(status: AlertmanagerStatus): string {
    if (this.opts.output === 'json') return goEncode(goStatus(status));
    const text = `${status.config?.original ?? ''}\n`;
    if (this.opts.output === 'simple') return text;
    const v = status.versionInfo ?? ({} as AlertmanagerStatus['versionInfo']);
    return (
      `${text}buildUser ${v.buildUser}\ngoVersion ${v.goVersion}\nrevision ${v.revision}\n` +
      `version ${v.version}\nbranch ${v.branch}\nbuildDate ${v.buildDate}\nuptime ${status.uptime}\n`
    );
  }

  cluster(c: ClusterStatus): string {
    if (this.opts.output === 'json') return goEncode(goCluster(c));
    const head = `Cluster Status:\t${c.status}\nNode Name:\t${c.name ?? ''}\n`;
    if (this.opts.output === 'simple') return alignColumns(head);
    const peers = [...(c.peers ?? [])].sort(compareAddress);
    const rows = peers.map((p) => `${p.address}\t${p.name}\t\n`).join('');
    return alignColumns(`${head}\nAddress\tName\n${rows}`);
  }
}

/** Peers by IP then numeric port (upstream cli/format/sort.go ByAddress). */
function compareAddress(a: { address: string }, b: { address: string }): number {
  const split = (addr: string): [string, number] => {
    const i = addr.lastIndexOf(':');
    const host = i < 0 ? addr : addr.slice(0, i).replace(/^\[|\]$/g, '');
    return [host, i < 0 ? 0 : Number(addr.slice(i + 1))];
  };
  const [h1, p1] = split(a.address);
  const [h2, p2] = split(b.address);
  if (h1 === h2) return p1 - p2;
  const key = (h: string): string =>
    /^\d+\.\d+\.\d+\.\d+$/.test(h)
      ? h
          .split('.')
          .map((x) => Number(x).toString(16).padStart(2, '0'))
          .join('')
      : h;
  return key(h1) < key(h2) ? -1 : 1;
}

import { fixedZone, formatGoTime, type GoZone } from '../../types/go-time';

/**
 * Formats a time with a Go reference layout ("2006-01-02 15:04:05 MST"), as amtool's --date.format does
 * (Go time.Time.Format; the layout elements are those of src/types/go-time.ts). The zone is an IANA name, or a
 * fixed offset `+hh:mm`, printed as Go prints an unnamed zone (`+0100`). Default: the process's local zone.
 */
export function formatGoDate(date: Date, layout: string, timeZone?: string): string {
  return formatGoTime(date.getTime(), 0, zoneOf(timeZone), layout);
}

function zoneOf(timeZone: string | undefined): GoZone {
  const fixed = timeZone === undefined ? null : /^([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  if (fixed) return fixedZone('', (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 3600 + Number(fixed[3]) * 60));
  return { name: timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone };
}

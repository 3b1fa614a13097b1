/** A parsed <time_interval_spec> (upstream timeinterval/timeinterval.go). Omitted fields match everything. */
export interface TimeRange {
  /** minute of day, inclusive, 0..1439 */
  startMinute: number;
  /** minute of day, exclusive, 1..1440 */
  endMinute: number;
}

/** Inclusive numeric range. Weekdays: Sunday=0..Saturday=6. Months 1..12. Days of month may be negative (-1 = last). */
export interface InclusiveRange {
  begin: number;
  end: number;
}

export interface TimeIntervalSpec {
  times?: TimeRange[];
  weekdays?: InclusiveRange[];
  days_of_month?: InclusiveRange[];
  months?: InclusiveRange[];
  years?: InclusiveRange[];
  /** IANA zone name, 'UTC' or 'Local'; undefined = UTC */
  location?: string;
}

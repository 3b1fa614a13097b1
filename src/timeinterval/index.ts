export type { InclusiveRange, TimeIntervalSpec, TimeRange } from './types';
export { activeIntervalNames, containsTime, daysInMonth, isActive, type WallClock, wallClock } from './evaluate';
export {
  goAtoi,
  parseClockTime,
  parseDayOfMonthRange,
  parseDaysOfMonth,
  parseMonthRange,
  parseMonths,
  parseTimeIntervalSpec,
  parseTimeRange,
  parseTimes,
  parseWeekdayRange,
  parseWeekdays,
  parseYearRange,
  parseYears,
  validateLocation,
} from './parse';

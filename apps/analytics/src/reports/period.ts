import { ValidationError } from '@app/common';
import {
  STATISTICS_PERIODS,
  STATISTICS_SECTIONS,
  StatisticsPeriod,
  StatisticsSection,
} from '@app/contracts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const PERIOD_MS: Record<Exclude<StatisticsPeriod, 'all'>, number> = {
  '1h': HOUR,
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
};

/** The open end of an unbounded range (events may carry clocks slightly ahead of ours). */
export const END_OF_TIME = new Date('9999-12-31T00:00:00Z');

export interface TimeRange {
  /** Inclusive; null = since the beginning. */
  from: Date | null;
  /** Exclusive. */
  to: Date;
}

const fail = (field: string, message: string): never => {
  throw new ValidationError(message, [{ field, message }]);
};

/**
 * A statistics period ending now. Rollups are hourly, so the start is rounded down to the hour:
 * `1h` at 10:20 covers 09:00 to now. Short periods get an hourly timeline, longer ones daily.
 */
export function parsePeriod(
  raw: string | undefined,
  now = new Date(),
): TimeRange & { period: StatisticsPeriod; bucket: 'hour' | 'day' } {
  const period = (raw ?? 'all') as StatisticsPeriod;
  if (!STATISTICS_PERIODS.includes(period))
    fail('period', `period must be one of ${STATISTICS_PERIODS.join(', ')}`);
  if (period === 'all') return { period, from: null, to: END_OF_TIME, bucket: 'day' };
  const to = new Date(now.getTime() + HOUR);
  const from = new Date(Math.floor((now.getTime() - PERIOD_MS[period]) / HOUR) * HOUR);
  return { period, from, to, bucket: PERIOD_MS[period] <= DAY ? 'hour' : 'day' };
}

export function parseSections(raw: string | undefined): Set<StatisticsSection> {
  if (!raw) return new Set(STATISTICS_SECTIONS);
  const names = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(STATISTICS_SECTIONS as readonly string[]).includes(n));
  if (unknown.length || !names.length)
    fail(
      'metrics',
      `metrics must list sections among ${STATISTICS_SECTIONS.join(', ')}; unknown: ${unknown.join(', ') || '(none)'}`,
    );
  return new Set(names as StatisticsSection[]);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseBound(field: string, raw: string, end: boolean): Date {
  const t = Date.parse(DATE_ONLY.test(raw) ? `${raw}T00:00:00Z` : raw);
  if (!Number.isFinite(t)) fail(field, `${field} must be an ISO 8601 date (YYYY-MM-DD)`);
  // A date-only end means the whole day.
  return new Date(end && DATE_ONLY.test(raw) ? t + DAY : t);
}

/**
 * startDate/endDate (both inclusive; date-only means whole UTC days). With `defaultDays`, the
 * defaults are the last `defaultDays` days up to now; without, the range is unbounded.
 */
export function parseRange(
  startDate: string | undefined,
  endDate: string | undefined,
  defaultDays: number | null,
  now = new Date(),
): TimeRange {
  const to = endDate
    ? parseBound('endDate', endDate, true)
    : defaultDays === null
      ? END_OF_TIME
      : new Date(now.getTime() + HOUR);
  const from = startDate
    ? parseBound('startDate', startDate, false)
    : defaultDays === null
      ? null
      : new Date(Math.floor((to.getTime() - defaultDays * DAY) / DAY) * DAY);
  if (from && from >= to) fail('startDate', 'startDate must be before endDate');
  return { from, to };
}

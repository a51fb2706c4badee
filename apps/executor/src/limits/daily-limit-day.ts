import { isValidTimezone, zonedTimeToUtc } from './send-window';

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A value per zone and key, worked out once. A zone's entries are dropped together once there
 * are more than `max` of them, so a long-running process keeps a bounded cache.
 */
function perZone<K, V>(
  cache: Map<string, Map<K, V>>,
  tz: string,
  key: K,
  max: number,
  compute: () => V,
): V {
  let entries = cache.get(tz);
  if (!entries || entries.size > max) cache.set(tz, (entries = new Map()));
  let value = entries.get(key);
  if (value === undefined) entries.set(key, (value = compute()));
  return value;
}

/**
 * The zone a campaign's `dailyLimit` counts days in: its `schedule.timezone` when that is a
 * valid IANA zone, else UTC. Frozen with the run at launch.
 */
export function quotaZone(timezone: string | null | undefined): string {
  return isValidTimezone(timezone) ? timezone : 'UTC';
}

/**
 * Zone offsets, DST jumps included, are whole multiples of 15 minutes, so every local midnight
 * falls on a quarter-hour boundary in UTC and the local day is the same throughout each
 * quarter hour: one Intl call per zone and quarter hour instead of one per send.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const dayCache = new Map<string, Map<number, string>>();

/** The calendar day (YYYY-MM-DD) of an instant in a zone: the key of the day's quota. */
export function dayIn(at: Date, tz: string): string {
  if (tz === 'UTC') return at.toISOString().slice(0, 10);
  const quarter = Math.floor(at.getTime() / QUARTER_HOUR_MS);
  return perZone(dayCache, tz, quarter, 50_000, () => formatDay(at, tz));
}

function formatDay(at: Date, tz: string): string {
  let f = formatters.get(tz);
  if (!f) {
    // en-CA writes dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f.format(at);
}

const midnightCache = new Map<string, Map<string, number>>();

/**
 * When the next quota day starts: the next local midnight in the zone (DST-safe: a midnight
 * skipped by a DST jump is the first instant of that day). Depends only on the zone and the
 * local day, so it is worked out once per zone and day: a plan that holds a day's overflow
 * asks this once per held step.
 */
export function nextMidnightIn(at: Date, tz: string): Date {
  const today = dayIn(at, tz);
  const midnight = perZone(midnightCache, tz, today, 10_000, () => {
    const [y, m, d] = today.split('-').map(Number);
    const next = new Date(Date.UTC(y, m - 1, d + 1));
    return zonedTimeToUtc(
      next.getUTCFullYear(),
      next.getUTCMonth() + 1,
      next.getUTCDate(),
      0,
      tz,
    ).getTime();
  });
  return new Date(midnight);
}

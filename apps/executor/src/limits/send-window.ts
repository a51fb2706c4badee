/** A daily sending window in the contact's local time, e.g. 09:00-17:00 on weekdays. */
export interface SendWindow {
  start: string;
  end: string;
  days?: string[];
  fallbackTimezone?: string;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimezone(tz: string | null | undefined): tz is string {
  if (!tz) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false; // RangeError: not an IANA zone; the caller falls back
  }
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  minutes: number;
  weekday: string;
}

function localTime(at: Date, tz: string): LocalTime {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: parts.weekday.slice(0, 3).toLowerCase(),
  };
}

/**
 * UTC instant of a local wall-clock time. Tries the zone's offsets on either side of that
 * day: in a DST overlap the first occurrence wins; in a DST gap, the instant after the jump.
 */
export function zonedTimeToUtc(y: number, m: number, d: number, minutes: number, tz: string): Date {
  const guess = Date.UTC(y, m - 1, d, 0, minutes);
  const offsetAt = (t: number) => {
    const l = localTime(new Date(t), tz);
    return Date.UTC(l.year, l.month - 1, l.day, 0, l.minutes) - Math.floor(t / 60000) * 60000;
  };
  const day = 86400000;
  const candidates = [...new Set([offsetAt(guess - day), offsetAt(guess + day)])]
    .map((offset) => guess - offset)
    .sort((a, b) => a - b);
  const exact = candidates.find((t) => {
    const l = localTime(new Date(t), tz);
    return l.day === d && l.minutes === minutes;
  });
  return new Date(exact ?? candidates[candidates.length - 1]);
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Null when `now` is inside the window in `tz`; otherwise the next moment the window opens.
 * A window whose end is before its start runs overnight (22:00-06:00).
 */
export function nextWindowOpening(window: SendWindow, tz: string, now: Date): Date | null {
  const start = toMinutes(window.start);
  const end = toMinutes(window.end);
  const days = window.days?.length ? window.days : WEEKDAYS;
  const local = localTime(now, tz);
  const inHours =
    start <= end
      ? local.minutes >= start && local.minutes < end
      : local.minutes >= start || local.minutes < end;
  if (inHours && days.includes(local.weekday)) return null;
  for (let offset = 0; offset <= 7; offset++) {
    const date = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
    const weekday = WEEKDAYS[date.getUTCDay()];
    if (!days.includes(weekday)) continue;
    if (offset === 0 && local.minutes >= start) continue;
    return zonedTimeToUtc(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      start,
      tz,
    );
  }
  return null;
}

/** The contact's zone, else the window's fallback, else UTC. */
export function zoneFor(contactTz: string | null, window: SendWindow): string {
  if (isValidTimezone(contactTz)) return contactTz;
  if (isValidTimezone(window.fallbackTimezone)) return window.fallbackTimezone;
  return 'UTC';
}

import { dayIn, nextMidnightIn, quotaZone } from './daily-limit-day';

describe('dailyLimit days in the campaign’s time zone', () => {
  it('uses schedule.timezone when valid, UTC otherwise', () => {
    expect(quotaZone('America/New_York')).toBe('America/New_York');
    expect(quotaZone('Mars/Olympus')).toBe('UTC');
    expect(quotaZone(null)).toBe('UTC');
  });

  it('keys the quota by the local calendar day', () => {
    const at = new Date('2026-03-31T23:30:00Z');
    expect(dayIn(at, 'UTC')).toBe('2026-03-31');
    expect(dayIn(at, 'Asia/Tokyo')).toBe('2026-04-01');
    expect(dayIn(at, 'America/Los_Angeles')).toBe('2026-03-31');
  });

  it('rolls over at the next local midnight', () => {
    expect(nextMidnightIn(new Date('2026-03-31T23:59:59Z'), 'UTC')).toEqual(
      new Date('2026-04-01T00:00:00Z'),
    );
    expect(nextMidnightIn(new Date('2026-12-31T00:00:00Z'), 'UTC')).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
    // 20:00 in New York (EDT, UTC-4) → local midnight is 04:00 UTC.
    expect(nextMidnightIn(new Date('2026-06-15T00:00:00Z'), 'America/New_York')).toEqual(
      new Date('2026-06-15T04:00:00Z'),
    );
    expect(nextMidnightIn(new Date('2026-06-15T10:00:00Z'), 'Asia/Kolkata')).toEqual(
      new Date('2026-06-15T18:30:00Z'),
    );
  });

  it('survives DST: the short and the long day, and a midnight that does not exist', () => {
    // New York springs forward on 2026-03-08 (23 h day), falls back on 2026-11-01 (25 h day).
    expect(nextMidnightIn(new Date('2026-03-08T12:00:00Z'), 'America/New_York')).toEqual(
      new Date('2026-03-09T04:00:00Z'),
    );
    expect(nextMidnightIn(new Date('2026-11-01T12:00:00Z'), 'America/New_York')).toEqual(
      new Date('2026-11-02T05:00:00Z'),
    );
    // Santiago skips 00:00 on 2026-09-06 (clocks go to 01:00): the day starts at the jump.
    const start = nextMidnightIn(new Date('2026-09-05T12:00:00Z'), 'America/Santiago');
    expect(dayIn(start, 'America/Santiago')).toBe('2026-09-06');
    expect(dayIn(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2026-09-05');
  });

  it('gives every instant of a local day the same next midnight, from its cache or not', () => {
    for (const tz of ['America/New_York', 'Australia/Lord_Howe', 'UTC']) {
      for (let h = 0; h < 24 * 400; h += 7) {
        const at = new Date(Date.UTC(2026, 0, 1) + h * 3_600_000);
        const first = nextMidnightIn(at, tz);
        first.setTime(0); // callers get their own Date: changing it must not reach the cache
        const midnight = nextMidnightIn(at, tz);
        expect(midnight.getTime()).toBeGreaterThan(at.getTime());
        expect(dayIn(midnight, tz)).not.toBe(dayIn(at, tz));
        expect(dayIn(new Date(midnight.getTime() - 1), tz)).toBe(dayIn(at, tz));
      }
    }
  });

  it('answers from its quarter-hour cache exactly what Intl says, minute by minute across DST and odd offsets', () => {
    const zones = ['America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    for (const tz of zones) {
      const intl = new Intl.DateTimeFormat('en-CA', {
        timeZone: tz,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      // Two days around each zone's spring jump of 2026, every minute.
      for (const from of [Date.parse('2026-03-07T00:00:00Z'), Date.parse('2026-10-03T00:00:00Z')]) {
        for (let t = from; t < from + 2 * 86_400_000; t += 60_000) {
          expect(dayIn(new Date(t), tz)).toBe(intl.format(new Date(t)));
        }
      }
    }
  });
});

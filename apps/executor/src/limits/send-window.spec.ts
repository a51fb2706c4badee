import { nextWindowOpening, zonedTimeToUtc, zoneFor } from './send-window';

const weekdays = { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };

describe('send window', () => {
  it('is open inside the hours on an allowed day, in the contact’s zone', () => {
    // Wednesday 2026-03-04 15:00 UTC = 10:00 in New York (EST, UTC-5).
    expect(
      nextWindowOpening(weekdays, 'America/New_York', new Date('2026-03-04T15:00:00Z')),
    ).toBeNull();
    // Same instant is 00:00 Thursday in Tokyo: closed until 09:00 Tokyo = 00:00 UTC.
    expect(nextWindowOpening(weekdays, 'Asia/Tokyo', new Date('2026-03-04T15:00:00Z'))).toEqual(
      new Date('2026-03-05T00:00:00Z'),
    );
  });

  it('skips the weekend: Friday evening waits for Monday morning', () => {
    // Friday 2026-03-06 18:00 in Berlin (CET, UTC+1).
    expect(nextWindowOpening(weekdays, 'Europe/Berlin', new Date('2026-03-06T17:00:00Z'))).toEqual(
      new Date('2026-03-09T08:00:00Z'),
    );
  });

  it('follows DST: the opening after the spring change uses the new offset', () => {
    // US DST starts Sunday 2026-03-08. Saturday evening -> Monday 09:00 EDT = 13:00 UTC.
    expect(
      nextWindowOpening(weekdays, 'America/New_York', new Date('2026-03-07T23:00:00Z')),
    ).toEqual(new Date('2026-03-09T13:00:00Z'));
    // Europe/London on the autumn change day (2026-10-25), window every day at 09:00 GMT.
    expect(
      nextWindowOpening(
        { start: '09:00', end: '10:00' },
        'Europe/London',
        new Date('2026-10-25T00:30:00Z'),
      ),
    ).toEqual(new Date('2026-10-25T09:00:00Z'));
  });

  it('handles a local time that does not exist (DST gap) and overnight windows', () => {
    // 02:30 on 2026-03-08 does not exist in New York; it lands after the jump (03:30 EDT).
    expect(zonedTimeToUtc(2026, 3, 8, 150, 'America/New_York')).toEqual(
      new Date('2026-03-08T07:30:00Z'),
    );
    const night = { start: '22:00', end: '06:00' };
    expect(nextWindowOpening(night, 'UTC', new Date('2026-03-04T23:00:00Z'))).toBeNull();
    expect(nextWindowOpening(night, 'UTC', new Date('2026-03-04T03:00:00Z'))).toBeNull();
    expect(nextWindowOpening(night, 'UTC', new Date('2026-03-04T12:00:00Z'))).toEqual(
      new Date('2026-03-04T22:00:00Z'),
    );
  });

  it('falls back to the window’s zone, then UTC, for unknown zones', () => {
    expect(zoneFor('Mars/Olympus', { ...weekdays, fallbackTimezone: 'Europe/Paris' })).toBe(
      'Europe/Paris',
    );
    expect(zoneFor(null, weekdays)).toBe('UTC');
    expect(zoneFor('Asia/Tokyo', weekdays)).toBe('Asia/Tokyo');
  });
});

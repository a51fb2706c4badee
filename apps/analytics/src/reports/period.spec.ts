import { ValidationError } from '@app/common';
import { END_OF_TIME, parsePeriod, parseRange, parseSections } from './period';

const now = new Date('2025-01-15T10:20:00Z');

describe('statistics period', () => {
  it('rounds the start down to the hour and picks the timeline bucket', () => {
    expect(parsePeriod('1h', now)).toMatchObject({
      from: new Date('2025-01-15T09:00:00Z'),
      bucket: 'hour',
    });
    expect(parsePeriod('24h', now)).toMatchObject({
      from: new Date('2025-01-14T10:00:00Z'),
      bucket: 'hour',
    });
    expect(parsePeriod('7d', now)).toMatchObject({
      from: new Date('2025-01-08T10:00:00Z'),
      bucket: 'day',
    });
    expect(parsePeriod('30d', now).bucket).toBe('day');
  });

  it('defaults to all time', () => {
    expect(parsePeriod(undefined, now)).toMatchObject({
      period: 'all',
      from: null,
      to: END_OF_TIME,
    });
  });

  it('names the parameter it refuses', () => {
    expect(() => parsePeriod('2h', now)).toThrow(ValidationError);
    expect(() => parsePeriod('2h', now)).toThrow(/period must be one of 1h, 24h, 7d, 30d, all/);
    expect(() => parseSections('overview,bogus')).toThrow(/metrics.*unknown: bogus/);
  });

  it('reads sections', () => {
    expect([...parseSections('Overview, timeline')]).toEqual(['overview', 'timeline']);
    expect(parseSections(undefined).size).toBe(4);
  });
});

describe('date range', () => {
  it('treats date-only bounds as whole UTC days, both inclusive', () => {
    expect(parseRange('2025-01-01', '2025-01-31', null)).toEqual({
      from: new Date('2025-01-01T00:00:00Z'),
      to: new Date('2025-02-01T00:00:00Z'),
    });
  });

  it('defaults to the last N days, or unbounded', () => {
    const r = parseRange(undefined, undefined, 30, now);
    expect(r.from).toEqual(new Date('2024-12-16T00:00:00Z'));
    expect(parseRange(undefined, undefined, null, now)).toEqual({ from: null, to: END_OF_TIME });
  });

  it('refuses an inverted range, naming startDate', () => {
    try {
      parseRange('2025-02-01', '2025-01-01', null);
      throw new Error('accepted');
    } catch (err) {
      expect((err as ValidationError).details).toEqual([
        { field: 'startDate', message: 'startDate must be before endDate' },
      ]);
    }
  });
});

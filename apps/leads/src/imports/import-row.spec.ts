import { customValue, parseRow } from './import-row';

describe('import rows', () => {
  const targets = ['email', 'firstName', 'leadScore', 'country', 'customFields.age', 'consent'];

  it('parses typed columns and custom values', () => {
    const r = parseRow([' Ann@Example.com ', 'Ann', '85', 'us', '34', 'yes'], targets, 2);
    expect(r).toEqual({
      ok: true,
      row: {
        line: 2,
        email: 'Ann@Example.com',
        normalized: 'ann@example.com',
        fields: { firstName: 'Ann', leadScore: 85, country: 'US', consent: true },
        customFields: { age: 34 },
      },
    });
    expect(customValue('tech|finance')).toEqual(['tech', 'finance']);
    expect(customValue('true')).toBe(true);
    expect(customValue('007a')).toBe('007a');
  });

  it.each([
    [['', 'x'], 'email is missing'],
    [['not-an-email'], 'email "not-an-email" is not a valid address'],
    [['a@b.co', '', '101'], 'leadScore "101" must be a whole number from 0 to 100'],
    [['a@b.co', '', '', 'USA'], 'country "USA" must be a 2-letter country code'],
    [['a@b.co', '', '', '', '', 'maybe'], 'consent "maybe" must be true or false'],
    [['a@b.co', '', '', '', '', '', 'extra'], 'has 7 fields, the header has 6'],
  ])('rejects %j: %s', (record, reason) => {
    expect(parseRow(record, targets, 3)).toEqual({ ok: false, reason });
  });
});

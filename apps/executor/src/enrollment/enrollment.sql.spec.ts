import { AudienceContact, bareContact } from '@app/contracts';
import { contactsAsCopy, stageCopyPage, stagePage } from './enrollment.sql';

const contact = (id: string, fields: Partial<AudienceContact> = {}): AudienceContact =>
  bareContact(id, `${id}@example.com`, fields);

const lines = (contacts: AudienceContact[]) =>
  stagePage(contacts).payload.toString('utf8').split('\n').slice(0, -1);

describe('stagePage (the COPY text of an audience page)', () => {
  it('writes one line of twelve cells per contact, nulls as \\N and empty custom fields as {}', () => {
    const [line] = lines([contact('a', { firstName: 'Ann', segmentId: 's' })]);
    const cells = line.split('\t');
    expect(cells).toHaveLength(12);
    expect(cells.slice(1)).toEqual([
      'a',
      'a@example.com',
      'Ann',
      '\\N',
      '\\N',
      '\\N',
      '\\N',
      '\\N',
      '\\N',
      's',
      '{}',
    ]);
  });

  it('escapes what COPY gives meaning to, so a field cannot add a column or a row', () => {
    const [line, ...rest] = lines([
      contact('a', {
        firstName: 'tab\there',
        lastName: 'new\nline\r',
        company: 'back\\slash',
        customFields: { note: 'a\tb', quote: 'say "hi"' },
      }),
    ]);
    expect(rest).toEqual([]);
    const cells = line.split('\t');
    expect(cells).toHaveLength(12);
    expect(cells[3]).toBe('tab\\there');
    expect(cells[4]).toBe('new\\nline\\r');
    expect(cells[5]).toBe('back\\\\slash');
    // COPY unescapes the cell back to the JSON text, which parses to the original object.
    const json = cells[11].replace(
      /\\(.)/g,
      (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c,
    );
    expect(JSON.parse(json)).toEqual({ note: 'a\tb', quote: 'say "hi"' });
  });

  it('gives every contact a distinct, ascending UUIDv7 enrollment id of the current time', () => {
    const before = Date.now();
    const ids = lines(Array.from({ length: 300 }, (_, i) => contact(`c${i}`))).map(
      (l) => l.split('\t')[0],
    );
    const after = Date.now();
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(300);
    expect([...ids].sort()).toEqual(ids);
    const ms = parseInt(ids[0].replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
    // Another page draws other random bits.
    const other = lines([contact('x')])[0].split('\t')[0];
    expect(other.slice(14, 28)).not.toBe(ids[0].slice(14, 28));
  });

  it('takes a page in the copy format as it is, each line after its enrollment id', () => {
    const copy = contactsAsCopy([contact('a', { firstName: 'Ann' }), contact('b')]);
    expect(copy.text).toBe(
      'a\ta@example.com\tAnn\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t{}\n' +
        'b\tb@example.com\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t{}\n',
    );
    const staged = stageCopyPage(copy).payload.toString('utf8').split('\n');
    expect(staged.pop()).toBe('');
    expect(staged.map((l) => l.slice(37))).toEqual(copy.text.split('\n').slice(0, 2));
    expect(staged.map((l) => l[36])).toEqual(['\t', '\t']);
  });

  it('refuses a page whose lines do not match its announced row count', () => {
    const copy = contactsAsCopy([contact('a'), contact('b')]);
    expect(() => stageCopyPage({ rows: 3, text: copy.text })).toThrow(
      'audience page: 3 rows announced, 2 received',
    );
    expect(() => stageCopyPage({ rows: 1, text: copy.text })).toThrow(
      'audience page: more than 1 rows received',
    );
  });
});

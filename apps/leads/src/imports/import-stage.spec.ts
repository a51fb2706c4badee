import { createHash } from 'node:crypto';
import { emailHash } from '../leads/email';
import { parseRow } from './import-row';
import { COLUMNS, StageBuffer } from './import-stage';

const WS = '2a3ebff2-5624-4adc-9fc2-e8a1277dd1a2';

/** Decodes one line of COPY text format the way Postgres does (\N is null). */
function copyCells(line: string): (string | null)[] {
  const unescape: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };
  return line
    .split('\t')
    .map((c) => (c === '\\N' ? null : c.replace(/\\(.)/g, (_, ch: string) => unescape[ch])));
}

function stage(record: string[], targets: string[]): (string | null)[] {
  const parsed = parseRow(record, targets, 7);
  if (!parsed.ok) throw new Error(parsed.reason);
  const buffer = new StageBuffer(WS);
  buffer.add(parsed.row);
  const text = Buffer.concat(buffer.finish()).toString();
  expect(text.endsWith('\n')).toBe(true);
  // One line per row: a line break inside a cell must have been escaped.
  expect(text.slice(0, -1)).not.toContain('\n');
  return copyCells(text.slice(0, -1));
}

describe('StageBuffer (COPY text of a batch)', () => {
  const targets = [
    'email',
    'firstName',
    'notes',
    'leadScore',
    'consent',
    'customFields.note',
    'company',
  ];

  it('writes the staging columns in order: absent is null, numbers and booleans as is', () => {
    const cells = stage(['Ann@Example.com', 'Ann', '', '85', 'no', '', ''], targets);
    // id, line, email, norm, hash, status, notes, consent, source, custom, plain columns…, cells
    expect(cells).toHaveLength(10 + COLUMNS.length + 1);
    expect(cells[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(cells.slice(1, 10)).toEqual([
      '7',
      'Ann@Example.com',
      'ann@example.com',
      emailHash(WS, 'ann@example.com'),
      null,
      null,
      'false',
      null,
      '{}',
    ]);
    const plain = Object.fromEntries(COLUMNS.map(([f], i) => [f, cells[10 + i]]));
    expect(plain.firstName).toBe('Ann');
    expect(plain.leadScore).toBe('85');
    expect(plain.company).toBeNull();
    expect(JSON.parse(cells[cells.length - 1]!)).toEqual([
      'Ann@Example.com',
      'Ann',
      '',
      '85',
      'no',
      '',
      '',
    ]);
  });

  it('escapes backslash, tab, CR and LF wherever they occur, and only there', () => {
    const record = [
      'a\\b@example.com',
      'Tab\there',
      'line one\r\nline two\\',
      '1',
      'yes',
      'x\ty',
      'Back\\slash Ltd',
    ];
    const cells = stage(record, targets);
    expect(cells[2]).toBe('a\\b@example.com');
    expect(cells[3]).toBe('a\\b@example.com');
    expect(cells[6]).toBe('line one\r\nline two\\');
    expect(JSON.parse(cells[9]!)).toEqual({ note: 'x\ty' });
    const plain = Object.fromEntries(COLUMNS.map(([f], i) => [f, cells[10 + i]]));
    expect(plain.firstName).toBe('Tab\there');
    expect(plain.company).toBe('Back\\slash Ltd');
    expect(JSON.parse(cells[cells.length - 1]!)).toEqual(record);
  });
});

describe('emailHash', () => {
  it('is sha256 of workspace id and normalised email, in hex', () => {
    expect(emailHash(WS, ' Ann@Example.com ')).toBe(
      createHash('sha256').update(`${WS}:ann@example.com`).digest('hex'),
    );
  });
});

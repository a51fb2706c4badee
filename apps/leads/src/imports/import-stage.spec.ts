import { createHash } from 'node:crypto';
import { emailHash } from '../leads/email';
import { csvCells } from './csv-reader';
import { parseRow } from './import-row';
import { COLUMNS, LEAD_COLUMN_LIST, StageBuffer } from './import-stage';

const WS = '2a3ebff2-5624-4adc-9fc2-e8a1277dd1a2';
const JOB = {
  id: '0b7e9a52-3f41-4d0c-9a7e-5d3c2b1a0f99',
  tenant_id: '7f0c1d2e-3a4b-4c5d-8e6f-708192a3b4c5',
  workspace_id: WS,
  campaign_id: null,
  source: 'import',
};
/** Leads columns before the plain ones: id, the job's four, line, email … custom_fields. */
const FIXED = 16;

/** Decodes one line of COPY text format the way Postgres does (\N is null). */
function copyCells(line: string): (string | null)[] {
  const unescape: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };
  return line
    .split('\t')
    .map((c) => (c === '\\N' ? null : c.replace(/\\(.)/g, (_, ch: string) => unescape[ch])));
}

/** A record as a CSV line, quoted where it must be. */
const asCsv = (record: string[]) =>
  record.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

function stage(record: string[], targets: string[]): (string | null)[] {
  const parsed = parseRow(record, targets, 7);
  if (!parsed.ok) throw new Error(parsed.reason);
  const buffer = new StageBuffer(JOB);
  buffer.add(parsed.row, asCsv(record));
  const direct = Buffer.concat(buffer.finish()).toString();
  const staged = Buffer.concat(buffer.finishStaged()).toString();
  for (const text of [direct, staged]) {
    expect(text.endsWith('\n')).toBe(true);
    // One line per row: a line break inside a cell must have been escaped.
    expect(text.slice(0, -1)).not.toContain('\n');
  }
  // The staged line is the direct one plus the cells as read.
  const cells = copyCells(staged.slice(0, -1));
  expect(cells.slice(0, -1)).toEqual(copyCells(direct.slice(0, -1)));
  return cells;
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

  it('writes the leads columns in order: absent is null, numbers and booleans as is', () => {
    const cells = stage(['Ann@Example.com', 'Ann', '', '85', 'no', '', ''], targets);
    expect(LEAD_COLUMN_LIST.split(', ')).toHaveLength(FIXED + COLUMNS.length);
    expect(cells).toHaveLength(FIXED + COLUMNS.length + 1);
    expect(cells[0]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const [consentAt] = cells.splice(13, 1);
    expect(Date.now() - Date.parse(consentAt!)).toBeLessThan(60_000);
    expect(cells.slice(1, FIXED - 1)).toEqual([
      JOB.tenant_id,
      WS,
      null,
      JOB.id,
      '7',
      'Ann@Example.com',
      'ann@example.com',
      emailHash(WS, 'ann@example.com'),
      'new',
      null,
      'false',
      'import',
      'import',
      '{}',
    ]);
    cells.splice(13, 0, consentAt);
    const plain = Object.fromEntries(COLUMNS.map(([f], i) => [f, cells[FIXED + i]]));
    expect(plain.firstName).toBe('Ann');
    expect(plain.leadScore).toBe('85');
    expect(plain.company).toBeNull();
    expect(cells[cells.length - 1]).toBe('Ann@Example.com,Ann,,85,no,,');
    expect(csvCells(cells[cells.length - 1]!)).toEqual([
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
    expect(cells[6]).toBe('a\\b@example.com');
    expect(cells[7]).toBe('a\\b@example.com');
    expect(cells[10]).toBe('line one\r\nline two\\');
    expect(JSON.parse(cells[15]!)).toEqual({ note: 'x\ty' });
    const plain = Object.fromEntries(COLUMNS.map(([f], i) => [f, cells[FIXED + i]]));
    expect(plain.firstName).toBe('Tab\there');
    expect(plain.company).toBe('Back\\slash Ltd');
    expect(csvCells(cells[cells.length - 1]!)).toEqual(record);
  });
  it('notices an address repeated within the batch', () => {
    const buffer = new StageBuffer(JOB);
    for (const [i, email] of ['a@x.test', 'b@x.test'].entries()) {
      const parsed = parseRow([email], ['email'], i + 2);
      if (parsed.ok) buffer.add(parsed.row, email);
    }
    expect(buffer.repeatsAnEmail).toBe(false);
    const again = parseRow(['A@X.test'], ['email'], 4);
    if (again.ok) buffer.add(again.row, 'A@X.test');
    expect(buffer.repeatsAnEmail).toBe(true);
    expect(buffer.rows).toBe(3);
  });
});

describe('emailHash', () => {
  it('is sha256 of workspace id and normalised email, in hex', () => {
    expect(emailHash(WS, ' Ann@Example.com ')).toBe(
      createHash('sha256').update(`${WS}:ann@example.com`).digest('hex'),
    );
  });
});

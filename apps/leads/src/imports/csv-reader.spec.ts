import { parse } from 'csv-parse/sync';
import { CsvReader, CsvRecord, csvCells } from './csv-reader';

/** Reads `text` fed as UTF-8 bytes cut at the given byte offsets; records without `raw`. */
function readAll(text: string, cuts: number[] = [], max?: number): CsvRecord[] {
  return readWithText(text, cuts, max).map(({ raw: _raw, ...record }) => record);
}

function readWithText(text: string, cuts: number[] = [], max?: number): CsvRecord[] {
  const bytes = Buffer.from(text, 'utf8');
  const reader = new CsvReader(max);
  const out: CsvRecord[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out.push(...reader.push(bytes.subarray(from, cut)));
    from = cut;
  }
  out.push(...reader.push(bytes.subarray(from)));
  out.push(...reader.end());
  return out;
}

/** A small deterministic generator, so a failure can be replayed from its seed. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const PIECES = ['a', 'Zoë', 'x y', '1', '€', '😀', ',', '"', '\n', '\r\n', '\r', ' ', ''];
const ENDINGS = ['\n', '\r\n', '\r'];

/** A well-formed CSV: cells quoted when they must be (and sometimes when they need not). */
function wellFormed(rnd: (n: number) => number): string {
  const rows: string[] = [];
  const ending = ENDINGS[rnd(3)];
  for (let r = 0, n = 1 + rnd(12); r < n; r++) {
    if (rnd(8) === 0) {
      rows.push('');
      continue;
    }
    const cells: string[] = [];
    for (let c = 0, m = 1 + rnd(5); c < m; c++) {
      let cell = '';
      for (let k = 0, l = rnd(4); k < l; k++) cell += PIECES[rnd(PIECES.length)];
      const must = /[",\r\n]/.test(cell);
      cells.push(must || rnd(4) === 0 ? `"${cell.replace(/"/g, '""')}"` : cell);
    }
    rows.push(cells.join(','));
  }
  // A record of one empty cell at the very end would be the file's trailing line break.
  if (rows[rows.length - 1] === '') rows.push('z');
  return (rnd(3) === 0 ? '\uFEFF' : '') + rows.join(ending) + (rnd(2) ? ending : '');
}

/** Line numbers as an editor shows them, worked out from csv-parse's records. */
function editorLines(records: string[][]): number[] {
  let next = 1;
  return records.map((cells) => {
    const start = next;
    next += 1 + cells.reduce((n, c) => n + (c.match(/\r\n|\r|\n/g) ?? []).length, 0);
    return start;
  });
}

describe('CsvReader', () => {
  it('reads what csv-parse reads, at the same lines, however the bytes are cut', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const rnd = random(seed);
      const text = wellFormed(rnd);
      const expected = parse(text, {
        bom: true,
        relax_column_count: true,
        record_delimiter: ['\r\n', '\n', '\r'],
      }) as string[][];
      const size = Buffer.byteLength(text);
      const cuts = Array.from({ length: rnd(6) }, () => rnd(size + 1));
      const got = readWithText(text, cuts);
      expect({ seed, records: got.map((r) => r.cells) }).toEqual({ seed, records: expected });
      expect({ seed, lines: got.map((r) => r.line) }).toEqual({
        seed,
        lines: editorLines(expected),
      });
      expect(got.every((r) => r.error === undefined)).toBe(true);
      // Each record's text as in the file reads back to its cells.
      expect({ seed, again: got.map((r) => csvCells(r.raw!)) }).toEqual({ seed, again: expected });
    }
  });

  it('gives each record its text as in the file, without the line end', () => {
    const text = 'a,"b\r\nc"\r\n"x ""y""",z\rlast';
    expect(readWithText(text, [3, 9]).map((r) => r.raw)).toEqual([
      'a,"b\r\nc"',
      '"x ""y""",z',
      'last',
    ]);
  });

  it('counts lines like an editor: quoted line breaks, CRLF once, empty lines', () => {
    for (const nl of ENDINGS) {
      const text = [
        'a,b',
        '1,"x' + nl + 'y"',
        '',
        '  ',
        '2,3',
        '4,"p' + nl + nl + 'q"',
        '5,6',
      ].join(nl);
      const got = readAll(text);
      expect(got.map((r) => [r.line, r.cells])).toEqual([
        [1, ['a', 'b']],
        [2, ['1', `x${nl}y`]],
        [4, ['']],
        [5, ['  ']],
        [6, ['2', '3']],
        [7, ['4', `p${nl}${nl}q`]],
        [10, ['5', '6']],
      ]);
    }
  });

  it('drops a byte-order mark, keeps empty and trailing cells, splits a character across chunks', () => {
    const text = '\uFEFFemail,name,\r\n"a@x.io",,Zoë\r\n';
    const cutInsideË = Buffer.byteLength('\uFEFFemail,name,\r\n"a@x.io",,Zo') + 1;
    for (const cuts of [[], [1], [2], [cutInsideË], [14, 15]]) {
      expect(readAll(text, cuts).map((r) => r.cells)).toEqual([
        ['email', 'name', ''],
        ['a@x.io', '', 'Zoë'],
      ]);
    }
    expect(readAll('a,b,').map((r) => r.cells)).toEqual([['a', 'b', '']]);
    expect(readAll('x\ufeffy').map((r) => r.cells)).toEqual([['x\ufeffy']]);
  });

  it('reports a malformed record at the line it starts and reads on from the next line', () => {
    const text = [
      'email,name',
      'a@x.io,ab"c',
      '"b@x.io","multi',
      'line" tail,x',
      'c@x.io,ok',
      '"d@x.io""",fine',
    ].join('\n');
    for (const cuts of [[], [5], [20], [30], [40]]) {
      expect(readAll(text, cuts)).toEqual([
        { line: 1, cells: ['email', 'name'] },
        { line: 2, error: 'a quote inside the unquoted column 2' },
        { line: 3, error: 'text after the closing quote of column 2' },
        { line: 5, cells: ['c@x.io', 'ok'] },
        { line: 6, cells: ['d@x.io"', 'fine'] },
      ]);
    }
  });

  it('reports a quote never closed as one record to the end of the file', () => {
    expect(readAll('a,b\n"c,d\ne,f\ng,h', [3, 9])).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, error: 'a quoted cell is not closed before the end of the file' },
    ]);
  });

  it('refuses a record longer than its limit and reads on after that line', () => {
    const long = `x,"${'y'.repeat(50)}\n`;
    const text = `a,b\n${long}c,d\ne,f\n`;
    for (const cuts of [[], [10], [10, 30, 60]]) {
      expect(readAll(text, cuts, 40)).toEqual([
        { line: 1, cells: ['a', 'b'] },
        { line: 2, error: 'a record longer than 40 characters (is a quote not closed?)' },
        { line: 3, cells: ['c', 'd'] },
        { line: 4, cells: ['e', 'f'] },
      ]);
    }
    // One physical line over the limit, cut into chunks smaller than it.
    const wide = `a\n${'z'.repeat(100)}\nb\n`;
    expect(readAll(wide, [20, 50, 80], 30)).toEqual([
      { line: 1, cells: ['a'] },
      { line: 2, error: 'a record longer than 30 characters (is a quote not closed?)' },
      { line: 3, cells: ['b'] },
    ]);
  });
});

import { arrayLiteral } from './array-literal';

// node-postgres' own encoder: the literal must be the very text it would send.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (v: unknown) => unknown };

describe('arrayLiteral', () => {
  it.each([
    ['uuids', ['3f0c1e0a-5b6d-4c7e-8f90-a1b2c3d4e5f6', '00000000-0000-0000-0000-000000000000']],
    ['text that needs quoting', ['a,b', '{x}', ' padded ', '', 'NULL', 'null', 'naïve ✓', 'a\nb']],
    ['quotes and backslashes', ['say "hi"', 'C:\\path\\', '\\"', '"', '\\']],
    ['numbers', [0, 1, -7, 3.25, 1e21, 2 ** 31]],
    ['booleans', [true, false]],
    ['nulls among values', [null, 'x', undefined, 5, null]],
    ['nothing', []],
  ])("writes %s exactly as node-postgres' encoder does", (_, values) => {
    expect(arrayLiteral(values)).toBe(prepareValue(values));
  });

  it('writes a date as the same instant in UTC', () => {
    const at = new Date('2026-11-28T16:45:00.123Z');
    expect(arrayLiteral([at, null])).toBe('{"2026-11-28T16:45:00.123Z",NULL}');
  });

  it("leaves anything else to node-postgres' encoder", () => {
    expect(arrayLiteral([['nested']])).toBeNull();
    expect(arrayLiteral([{ a: 1 }])).toBeNull();
    expect(arrayLiteral([Buffer.from('x')])).toBeNull();
    expect(arrayLiteral([new Date(Number.NaN)])).toBeNull();
  });
});

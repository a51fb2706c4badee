import { csvCell, csvRow, neutralize } from './csv-cells';

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil")', `'=HYPERLINK("http://evil")`],
    ['+1+2', `'+1+2`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['\rcmd', `'\rcmd`],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralises %j', (input, out) => {
    expect(neutralize(input)).toBe(out);
  });

  it('quotes commas, quotes and newlines after neutralising', () => {
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('\rx')).toBe(`"'\rx"`);
  });

  it('renders null, numbers, dates and objects', () => {
    expect(csvRow([null, 5, new Date('2025-01-01T00:00:00Z'), { a: 1 }])).toBe(
      ',5,2025-01-01T00:00:00.000Z,"{""a"":1}"\r\n',
    );
    expect(csvCell(-5)).toBe(`'-5`);
  });
});

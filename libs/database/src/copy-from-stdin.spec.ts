import { copyTextCell } from './copy-from-stdin';

describe('copyTextCell (COPY text format)', () => {
  it('writes null and undefined as \\N, numbers and booleans as text', () => {
    expect(copyTextCell(null)).toBe('\\N');
    expect(copyTextCell(undefined)).toBe('\\N');
    expect(copyTextCell(42)).toBe('42');
    expect(copyTextCell(false)).toBe('false');
  });

  it('escapes backslash, tab, newline and carriage return, and leaves the rest alone', () => {
    expect(copyTextCell('plain, "quoted" text')).toBe('plain, "quoted" text');
    expect(copyTextCell('a\\b\tc\r\nd')).toBe('a\\\\b\\tc\\r\\nd');
    expect(copyTextCell('\\N')).toBe('\\\\N');
  });
});

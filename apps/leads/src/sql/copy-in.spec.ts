import { copyCell } from './copy-in';

describe('copyCell (COPY text format)', () => {
  it('writes null and undefined as \\N, numbers and booleans as text', () => {
    expect(copyCell(null)).toBe('\\N');
    expect(copyCell(undefined)).toBe('\\N');
    expect(copyCell(42)).toBe('42');
    expect(copyCell(false)).toBe('false');
  });

  it('escapes backslash, tab, newline and carriage return, and leaves the rest alone', () => {
    expect(copyCell('plain, "quoted" text')).toBe('plain, "quoted" text');
    expect(copyCell('a\\b\tc\r\nd')).toBe('a\\\\b\\tc\\r\\nd');
    expect(copyCell('\\N')).toBe('\\\\N');
  });
});

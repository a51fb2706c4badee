import { partOfEmail, partOfLine } from './import-parts';

describe('import write streams', () => {
  const emails = Array.from({ length: 10_000 }, (_, i) => `lead${i}@example.com`);

  it('puts an address in the same stream every time, whichever worker computes it', () => {
    // Fixed values: a resumed job must split the file exactly as the worker that began it.
    expect(emails.slice(0, 8).map((e) => partOfEmail(e, 2))).toEqual([1, 1, 1, 1, 0, 1, 0, 0]);
    expect(partOfEmail('ann@example.com', 3)).toBe(partOfEmail('ann@example.com', 3));
    expect(emails.every((e) => partOfEmail(e, 1) === 0)).toBe(true);
  });

  it('spreads addresses evenly over the streams', () => {
    for (const parts of [2, 3, 4]) {
      const counts = new Array<number>(parts).fill(0);
      for (const e of emails) counts[partOfEmail(e, parts)]++;
      for (const c of counts) expect(Math.abs(c - emails.length / parts)).toBeLessThan(300);
    }
  });

  it('spreads rows without an address by line', () => {
    expect([2, 3, 4, 5].map((l) => partOfLine(l, 2))).toEqual([0, 1, 0, 1]);
  });
});

import { BatchAddresses } from './batch-addresses';

describe('BatchAddresses (does a batch repeat an address?)', () => {
  it('answers true only for an address added before', () => {
    const seen = new BatchAddresses(4);
    expect(seen.add('ann@example.com')).toBe(false);
    expect(seen.add('bob@example.com')).toBe(false);
    expect(seen.add('ann@example.com')).toBe(true);
    expect(seen.add('Ann@example.com')).toBe(false);
    expect(seen.add('')).toBe(false);
    expect(seen.add('')).toBe(true);
  });

  it('keeps every address through its growth, with no false repeat among 200,000', () => {
    const seen = new BatchAddresses(16);
    for (let i = 0; i < 200_000; i++) expect(seen.add(`lead${i}@bench.test`)).toBe(false);
    for (let i = 0; i < 200_000; i += 997) expect(seen.add(`lead${i}@bench.test`)).toBe(true);
  });
});

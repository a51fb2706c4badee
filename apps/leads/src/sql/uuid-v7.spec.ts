import { uuidV7Batch } from './uuid-v7';

describe('uuidV7Batch', () => {
  it('makes distinct version-7 UUIDs that sort by time', () => {
    const early = uuidV7Batch(500, Date.UTC(2025, 0, 1));
    const late = uuidV7Batch(500, Date.UTC(2025, 0, 2));
    for (const id of [...early, ...late])
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set([...early, ...late]).size).toBe(1000);
    expect(early.every((e) => late.every((l) => e < l))).toBe(true);
    expect(early[0].slice(0, 13)).toBe('01941f29-7c00');
  });
});

import { randomUUID } from 'node:crypto';
import { chooseVariant } from './variant';

describe('chooseVariant', () => {
  const variants = [
    { id: 'a', weight: 70 },
    { id: 'b', weight: 30 },
    { id: 'c', weight: 0 },
  ];

  it('is deterministic per enrollment', () => {
    const id = randomUUID();
    expect(chooseVariant(variants, id)).toBe(chooseVariant(variants, id));
  });

  it('splits by weight and never picks a zero weight', () => {
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 20000; i++) counts[chooseVariant(variants, randomUUID())!.id]++;
    expect(counts.c).toBe(0);
    expect(counts.a / 20000).toBeGreaterThan(0.67);
    expect(counts.a / 20000).toBeLessThan(0.73);
  });

  it('returns null without variants or weight', () => {
    expect(chooseVariant([], 'x')).toBeNull();
    expect(chooseVariant([{ id: 'a', weight: 0 }], 'x')).toBeNull();
  });
});

import { normalCdf, twoProportionZTest } from './z-test';

describe('two-proportion z-test', () => {
  it('matches the normal table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(normalCdf(-1.96)).toBeCloseTo(0.025, 3);
  });

  it('computes z and the two-sided p-value of a textbook example', () => {
    // 200/1000 vs 150/1000: pooled 0.175, se 0.01699, z 2.943, p 0.00325
    const r = twoProportionZTest(200, 1000, 150, 1000)!;
    expect(r.z).toBeCloseTo(2.943, 2);
    expect(r.pValue).toBeCloseTo(0.00325, 4);
  });

  it('is symmetric and not significant for equal rates', () => {
    expect(twoProportionZTest(150, 1000, 200, 1000)!.z).toBeCloseTo(-2.943, 2);
    expect(twoProportionZTest(50, 500, 100, 1000)!.pValue).toBe(1);
  });

  it('has no answer without samples or variance', () => {
    expect(twoProportionZTest(0, 0, 5, 10)).toBeNull();
    expect(twoProportionZTest(0, 10, 0, 10)).toBeNull();
    expect(twoProportionZTest(10, 10, 10, 10)).toBeNull();
  });
});

import { validateSync } from 'class-validator';
import { IsAmount } from './is-amount';

class Money {
  @IsAmount(2)
  value: unknown;
}

const check = (value: unknown) => {
  const m = new Money();
  m.value = value;
  return validateSync(m).length === 0;
};

describe('IsAmount', () => {
  it('accepts finite numbers with few enough decimals', () => {
    for (const v of [0, 10, 10.5, 10.25, -3.1, 1e6]) expect(check(v)).toBe(true);
  });

  it('refuses extra decimals, exponent forms, non-numbers and non-finite values without throwing', () => {
    for (const v of [10.251, 1e-7, 5e-324, NaN, Infinity, '10', null, {}])
      expect(check(v)).toBe(false);
  });
});

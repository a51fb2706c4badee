import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A finite number with at most `decimals` decimal places. class-validator's own
 * `IsNumber({ maxDecimalPlaces })` throws on values such as 1e-7 (it splits "1e-7" on "."),
 * which turned a bad request into a 500.
 */
export function IsAmount(decimals: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAmount',
      constraints: [decimals],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' &&
          Number.isFinite(value) &&
          Number(value.toFixed(decimals)) === value,
        defaultMessage: (args) =>
          `${args?.property} must be a number with at most ${decimals} decimal places`,
      },
    },
    options,
  );
}

/**
 * class-transformer `@Transform` for numeric query parameters: an absent or empty parameter
 * stays undefined (so `@IsOptional` applies), anything else becomes a number for the validators.
 */
export const toInt = ({ value }: { value: unknown }) =>
  value === '' || value === undefined ? undefined : Number(value);

import { plainArray } from './pg-arrays';

describe('array literals', () => {
  it('writes plain values bare and nulls as NULL', () => {
    expect(plainArray(['12.5000', null, 3, undefined, '-0.0001'])).toBe(
      '{12.5000,NULL,3,NULL,-0.0001}',
    );
    expect(plainArray([])).toBe('{}');
  });
});

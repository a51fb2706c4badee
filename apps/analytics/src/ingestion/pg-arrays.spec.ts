import { boolArray, plainArray, textArray } from './pg-arrays';

describe('array literals', () => {
  it('writes plain values bare and nulls as NULL', () => {
    expect(plainArray(['2026-11-27T09:00:00.000Z', null, 3, undefined])).toBe(
      '{2026-11-27T09:00:00.000Z,NULL,3,NULL}',
    );
    expect(plainArray([])).toBe('{}');
    expect(boolArray([true, false])).toBe('{t,f}');
  });

  it('quotes text so commas, braces, quotes, backslashes and the word NULL survive', () => {
    expect(textArray(['a,b', '{x}', 'say "hi"', 'back\\slash', 'NULL', null, ''])).toBe(
      '{"a,b","{x}","say \\"hi\\"","back\\\\slash","NULL",NULL,""}',
    );
  });
});

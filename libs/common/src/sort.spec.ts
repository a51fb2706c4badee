import { parseSort } from './sort';

const ALLOWED = { name: 't.name', createdAt: 't.created_at' };

describe('parseSort', () => {
  it('maps allowed fields, with - for descending', () => {
    expect(parseSort('-createdAt', ALLOWED, 'name')).toEqual({
      column: 't.created_at',
      direction: 'DESC',
    });
    expect(parseSort(undefined, ALLOWED, 'name')).toEqual({ column: 't.name', direction: 'ASC' });
  });

  it('refuses inherited keys such as __proto__ and constructor, and leaves Object.prototype alone', () => {
    for (const field of ['__proto__', '-__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(() => parseSort(field, ALLOWED, 'name')).toThrow(/Cannot sort by/);
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

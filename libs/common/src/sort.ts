import { ValidationError } from './errors';

export interface SortSpec {
  column: string;
  direction: 'ASC' | 'DESC';
}

/**
 * Parses `-createdAt` / `name` style sort strings against an allow-list that maps API
 * field names to SQL columns, so a client can never choose an arbitrary column.
 */
export function parseSort(
  sort: string | undefined,
  allowed: Record<string, string>,
  fallback: string,
): SortSpec {
  const raw = (sort ?? fallback).trim();
  const desc = raw.startsWith('-');
  const field = desc ? raw.slice(1) : raw.replace(/^\+/, '');
  // Own keys only: `__proto__` or `constructor` must not reach the query builder (an object
  // there becomes its ORDER BY map, and the next addOrderBy writes onto Object.prototype).
  const column = Object.hasOwn(allowed, field) ? allowed[field] : undefined;
  if (typeof column !== 'string') {
    throw new ValidationError(`Cannot sort by "${field}"`, [
      {
        field: 'sort',
        message: `sort must be one of: ${Object.keys(allowed).join(', ')} (prefix - for descending)`,
      },
    ]);
  }
  return { column, direction: desc ? 'DESC' : 'ASC' };
}

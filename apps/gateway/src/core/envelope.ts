import { Pagination } from '@app/common';

/** A list result: the envelope puts `items` in `data` and `pagination` beside it. */
export class PagedResult<T> {
  constructor(
    readonly items: T[],
    readonly pagination: Pagination,
  ) {}
}

export function paged<T>(result: { items: T[]; pagination: Pagination }): PagedResult<T> {
  return new PagedResult(result.items, result.pagination);
}

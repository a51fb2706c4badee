export interface Pagination {
  total: number;
  page: number;
  limit: number;
  offset: number;
  pages: number;
  hasMore: boolean;
}

export interface Paged<T> {
  items: T[];
  pagination: Pagination;
}

export interface PageRequest {
  page?: number;
  limit?: number;
  offset?: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The largest OFFSET a list query is given, whatever reached it (the DTOs refuse more with a 400). */
const MAX_OFFSET = 100_000_000;

/** `offset` wins over `page` when both are given, so either style of client works. */
export function resolvePage(req: PageRequest): { limit: number; offset: number; page: number } {
  const limit = Math.min(Math.max(req.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  const wanted = req.offset ?? ((req.page ?? 1) - 1) * limit;
  // TypeORM writes OFFSET as a literal: a non-finite number would reach SQL as "Infinity".
  const offset = Number.isFinite(wanted)
    ? Math.min(Math.max(Math.floor(wanted), 0), MAX_OFFSET)
    : 0;
  return { limit, offset, page: Math.floor(offset / limit) + 1 };
}

export function buildPagination(total: number, limit: number, offset: number): Pagination {
  return {
    total,
    page: Math.floor(offset / limit) + 1,
    limit,
    offset,
    pages: Math.ceil(total / limit),
    hasMore: offset + limit < total,
  };
}

// Laravel's LengthAwarePaginator, as the CustomGPT.ai API serialises it: page URLs are
// `<path>?page=N`, next/prev are null at the ends, from/to are null on an empty page.
import type { Page } from './wire';

/** The `page` query parameter as Laravel reads it: a positive integer, anything else is 1. */
export function parsePage(raw: string | undefined): number {
  if (raw === undefined || !/^\d+$/.test(raw)) return 1;
  const n = Number(raw);
  return n >= 1 && Number.isSafeInteger(n) ? n : 1;
}

/** `path` is the absolute URL of the listing without a query string. */
export function paginate<T>(
  items: readonly T[],
  page: number,
  perPage: number,
  path: string,
): Page<T> {
  const total = items.length;
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const start = (page - 1) * perPage;
  const data = items.slice(start, start + perPage);
  const url = (n: number) => `${path}?page=${n}`;
  return {
    current_page: page,
    data,
    first_page_url: url(1),
    from: data.length > 0 ? start + 1 : null,
    last_page: lastPage,
    last_page_url: url(lastPage),
    next_page_url: page < lastPage ? url(page + 1) : null,
    path,
    per_page: perPage,
    prev_page_url: page > 1 ? url(page - 1) : null,
    to: data.length > 0 ? start + data.length : null,
    total,
  };
}

/** Orders by the numeric `key` ascending or descending (the API's `order` parameter, default desc). */
export function ordered<T>(
  items: readonly T[],
  order: string | undefined,
  key: (item: T) => number,
): T[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => sign * (key(a) - key(b)));
}

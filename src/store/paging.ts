/**
 * One page of rows that pass a filter the database could not apply (an idPattern, a refinement):
 * rows are read in order, skipped until `offset` matches, kept up to `limit`, and read on to the
 * end only when the total is asked for.
 */
export interface PageRequest {
  offset: number;
  limit: number;
  count?: boolean;
}

export function pageOf<T, R>(
  rows: Iterable<T>,
  page: PageRequest,
  accept: (row: T) => boolean,
  map: (row: T) => R,
): { items: R[]; count?: number } {
  const items: R[] = [];
  let matched = 0;
  for (const row of rows) {
    if (!accept(row)) continue;
    if (matched >= page.offset && items.length < page.limit) items.push(map(row));
    matched++;
    if (!page.count && items.length >= page.limit) break;
  }
  return page.count ? { items, count: matched } : { items };
}

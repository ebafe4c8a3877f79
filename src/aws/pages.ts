/** One page of a Marker/NextMarker listing. */
export interface Page<T> {
  items: T[];
  nextMarker?: string;
}

/**
 * Every item of a listing that pages by marker, in order. Stops when a page has no next marker, and
 * fails on a marker seen before (a server that ignores Marker would otherwise loop forever).
 */
export async function allPages<T>(fetchPage: (marker: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let marker: string | undefined;
  do {
    const page = await fetchPage(marker);
    items.push(...page.items);
    marker = page.nextMarker || undefined;
    if (marker !== undefined) {
      if (seen.has(marker)) throw new Error(`the listing repeated its marker "${marker}"`);
      seen.add(marker);
    }
  } while (marker !== undefined);
  return items;
}

/** PEP 503: lowercase, runs of -, _ and . become one -. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

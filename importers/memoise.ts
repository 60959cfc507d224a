/**
 * Remembers what a function made of each text, forgetting everything past `limit` texts. A tracker
 * repeats a few hundred texts (years, measures, councils, services) a million times, and exceljs
 * hands the same string for each use of a shared string, so a lookup replaces the regular
 * expressions.
 */
export function memoise<T>(
  read: (text: string) => T,
  limit = 10_000,
): (text: string) => T {
  const seen = new Map<string, T>();
  return (text) => {
    let result = seen.get(text);
    if (result === undefined && !seen.has(text)) {
      result = read(text);
      if (seen.size >= limit) seen.clear();
      seen.set(text, result);
    }
    return result as T;
  };
}

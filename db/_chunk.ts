/** Splitting id lists and row lists so statements stay under SQLite's parameter limit. */

/** Ids per `IN (…)` list: far below the 32,766 bound parameters SQLite allows. */
export const ID_CHUNK = 5_000;

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

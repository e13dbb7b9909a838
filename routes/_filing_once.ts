/**
 * One request per confirm page. The summary page carries a random filing key; a second
 * press of «Conferma e invia» (a double click, a double Enter, the browser resending the
 * POST) arrives with the same key and gets the first filing's result instead of filing
 * again. The kiosk is one process, so a map in memory is enough; keys are forgotten after
 * `ttlMs`, and a filing that failed is forgotten at once so the citizen can try again.
 */
export function filingOnce<T>(ttlMs = 30 * 60_000) {
  const seen = new Map<string, { at: number; result: Promise<T> }>();
  return (key: string | undefined, now: number, file: () => Promise<T>): Promise<T> => {
    for (const [k, v] of seen) if (now - v.at > ttlMs) seen.delete(k);
    if (key === undefined || key === "") return file();
    const earlier = seen.get(key);
    if (earlier) return earlier.result;
    // Claimed before the first await, so a second press in flight finds it.
    const result = file();
    seen.set(key, { at: now, result });
    result.catch(() => seen.delete(key));
    return result;
  };
}

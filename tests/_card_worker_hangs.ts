/** A card worker (search/card_reader.ts) that starts, then never answers a read. */
/// <reference lib="deno.worker" />
import type { FromCardWorker, ToCardWorker } from "../search/card_reader.ts";

self.onmessage = (e: MessageEvent<ToCardWorker>) => {
  if (e.data.type === "open") self.postMessage({ type: "ready" } satisfies FromCardWorker);
};

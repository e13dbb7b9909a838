/**
 * The result cards' worker (card_reader.ts): reads a page's records on its own connection and
 * works out their cards for the audience (hit_card.ts), posting them back as one JSON text;
 * and looks up the records an identifier query's keys name.
 * It never writes. It runs until the main thread terminates it.
 */
/// <reference lib="deno.worker" />
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import * as schema from "../db/schema.ts";
import { errorMessage } from "./index_source.ts";
import { hitCard } from "./hit_card.ts";
import { readHitRecords, readSearchKeysJson } from "./hit_reader.ts";
import type { FromCardWorker, ToCardWorker } from "./card_reader.ts";

let db: ReturnType<typeof drizzle<typeof schema>> | undefined;

function post(message: FromCardWorker): void {
  self.postMessage(message);
}

async function read(m: Extract<ToCardWorker, { type: "read" }>): Promise<void> {
  try {
    if (!db) throw new Error("card worker: no connection");
    const titles = new Map(m.titles ?? []);
    const cards = [];
    for (const row of await readHitRecords(db, m.kind, m.ids)) {
      const card = hitCard(row, m.audience, titles);
      if (card) cards.push(card);
    }
    // JSON text, not the objects: V8's structured clone of many small strings costs both
    // threads more than JSON.stringify here and JSON.parse there (index_source.ts).
    post({ type: "cards", id: m.id, json: JSON.stringify(cards) });
  } catch (error) {
    post({ ...errorMessage(error), id: m.id });
  }
}

async function findKeys(m: Extract<ToCardWorker, { type: "keys" }>): Promise<void> {
  try {
    if (!db) throw new Error("card worker: no connection");
    post({ type: "keys", id: m.id, json: await readSearchKeysJson(db, m.keys) });
  } catch (error) {
    post({ ...errorMessage(error), id: m.id });
  }
}

self.onmessage = (e: MessageEvent<ToCardWorker>) => {
  const m = e.data;
  if (m.type === "open") {
    const { url, encryptionKey, authToken } = m.source;
    const client = createClient({
      url,
      timeout: 10_000,
      ...(authToken ? { authToken } : {}),
      ...(encryptionKey ? { encryptionKey } : {}),
    });
    db = drizzle(client, { schema });
    post({ type: "ready" });
  } else if (m.type === "keys") {
    void findKeys(m);
  } else {
    void read(m);
  }
};

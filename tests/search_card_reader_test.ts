/**
 * Result cards read in a worker on its own connection (search/card_reader.ts): the same
 * answers as on one thread for both audiences (redaction, restricted records, acts' titles),
 * an encrypted DB read with its key, a row the DB cannot read failing the search as it did,
 * a worker that dies or hangs never failing nor holding a search (read in-thread, worker
 * started again, then given up), over HTTP too, and no worker left running after close();
 * identifier keys looked up by the worker too, in-thread when it dies.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openDb } from "../db/client.ts";
import { upsertRecords } from "../db/records.ts";
import { generateArchive } from "../demo/demo_archive.ts";
import type { RecordDoc } from "../domain/records.ts";
import {
  type CardReader,
  inThreadCardReader,
  MAX_RESTARTS,
  type WorkerCardReader,
  workerCardReader,
} from "../search/card_reader.ts";
import { readSearchKeys, type SearchKeyRow } from "../search/hit_reader.ts";
import { lookupIdentifiers } from "../search/rank_query.ts";
import type { RecordIndex } from "../search/record_index.ts";
import { searchRecords } from "../search/search_records.ts";
import { parseSearchParams, type SearchResult } from "../search/types.ts";
import { act, createSearchWorld, dossier, SEARCH_NOW, VOCAB } from "./_search_world.ts";
import { createTestWorld } from "./_world.ts";

function records(): RecordDoc[] {
  const out = [...generateArchive({ seed: 99, dossiers: 600, acts: 60 })];
  out.push(
    dossier({
      id: "zz-riservata",
      number: "77",
      subject: "Autorizzazione riservata Bianchi",
      restricted: true,
      people: [{ role: "richiedente", surname: "Bianchi", taxCode: "BNCLRA70A41H501X" }],
    }),
    dossier({
      id: "zz-oscurata",
      number: "12/bis",
      subject: "Ampliamento dell'edificio di Rossi Mario",
      people: [{ role: "richiedente", surname: "Rossi", name: "Mario", email: "m.rossi@pec.it" }],
      addresses: [{ street: "Via Garibaldi", civic: "3/A", locality: "Borgo" }],
      cadastral: [{ register: "NCEU", sheet: "12", parcel: "345", sub: "2" }],
    }),
    dossier({
      id: "zz-pubblico",
      number: "5",
      subject: "Testo originale con Verdi",
      subjectPublic: "Testo pubblico senza nomi",
      people: [{ role: "tecnico", surname: "Verdi", company: "Studio Verdi S.r.l." }],
    }),
    act({ id: "zz-atto", kind: "determina", number: "88", subject: "Piano del colore Rossi" }),
  );
  return out;
}

const QUERIES = [
  "bianchi",
  "rossi",
  "edificio",
  "testo",
  "verdi",
  "colore",
  "via garibaldi",
  "CE 12/bis/1987",
  "costruzione",
  "piano",
  "ampliamento",
  "",
];

/** Every query as both audiences, first and second page, each time with no recent card. */
async function answers(
  db: Parameters<typeof searchRecords>[0],
  index: RecordIndex,
  reader: CardReader | undefined,
): Promise<string[]> {
  const out: string[] = [];
  for (const q of QUERIES) {
    for (const audience of ["public", "clerk"] as const) {
      for (const extra of [{ type: "CE" }, { page: "2" }, {}]) {
        if (q === "" && !("type" in extra)) continue;
        index.cards.clear();
        const params = parseSearchParams(
          new URLSearchParams({ q, per_page: "20", ...extra }),
          VOCAB,
        );
        const result = await searchRecords(db, index, params, audience, () => SEARCH_NOW, reader)
          .catch((e: Error) => e.message);
        out.push(JSON.stringify({ q, audience, extra, result }));
      }
    }
  }
  return out;
}

Deno.test("cards read by the worker are the cards read on the request thread", async () => {
  await using world = await createSearchWorld(records());
  const expected = await answers(world.db, world.index, undefined);
  assert.ok(expected.some((a) => a.includes("Testo pubblico senza nomi")), "a redacted subject");
  const title = world.index.table.actKindTitles.get("determina");
  assert.ok(title, "act kinds have titles");
  assert.ok(expected.some((a) => a.includes(`${title} n. 88/2019`)), "an act's title");
  assert.ok(!expected.some((a) => a.includes('"audience":"public"') && a.includes("zz-riservata")));
  const reader = workerCardReader({ url: world.url }, inThreadCardReader(world.db));
  try {
    await started(reader);
    const got = await answers(world.db, world.index, reader);
    for (const [i, want] of expected.entries()) assert.equal(got[i], want);
    // And they fill the recent cards as the in-thread read did.
    const slots = (r: SearchResult) =>
      r.hits.map((h) => (world.index.docOf[h.kind].get(h.id) ?? -1) * 2 + 1);
    const kept = () => (r: SearchResult) => slots(r).map((s) => world.index.cards.get(s));
    world.index.cards.clear();
    world.index.answers.clear();
    const inThread = await world.search("rossi", {}, "clerk");
    const inThreadCards = kept()(inThread);
    assert.ok(inThreadCards.length > 3 && inThreadCards.every(Boolean));
    world.index.cards.clear();
    world.index.answers.clear();
    const viaWorker = await searchRecords(
      world.db,
      world.index,
      parseSearchParams(new URLSearchParams({ q: "rossi", per_page: "100" }), VOCAB),
      "clerk",
      () => SEARCH_NOW,
      reader,
    );
    assert.deepEqual(kept()(viaWorker), inThreadCards);
  } finally {
    reader.close();
  }
});

Deno.test("the worker opens an encrypted DB with its key", async () => {
  const dir = await Deno.makeTempDir({ prefix: "faldone-cards-" });
  const path = `${dir}/chiusa.db`;
  const encryptionKey = "chiave-di-prova-0123456789abcdef";
  const { db, client } = await openDb(path, { encryptionKey });
  const log: string[] = [];
  const reader = workerCardReader(
    { url: `file:${path}`, encryptionKey },
    inThreadCardReader(db),
    { log: (l) => log.push(l) },
  );
  try {
    await started(reader);
    await db.transaction((tx) => upsertRecords(tx, records().slice(-4), SEARCH_NOW));
    const cards = await reader.read("dossier", ["zz-oscurata", "zz-pubblico"], "public", new Map());
    assert.deepEqual(cards.map((c) => c.hit.subject).sort(), [
      "Ampliamento dell'edificio di *** ***",
      "Testo pubblico senza nomi",
    ]);
    assert.deepEqual(log, [], "read by the worker, not after a failure");
  } finally {
    reader.close();
    client.close();
    await Deno.remove(dir, { recursive: true });
  }
});

async function failure(search: () => Promise<SearchResult>): Promise<Error> {
  return await search().then(() => assert.fail("the search went through"), (e: Error) => e);
}

Deno.test("a row the DB cannot read fails the search as on the request thread", async () => {
  await using world = await createSearchWorld([
    dossier({ id: "d1", number: "1", subject: "Prima pratica" }),
    dossier({ id: "d2", number: "2", subject: "Seconda pratica" }),
  ]);
  await world.db.run(sql`UPDATE dossiers SET subject = x'00ff' WHERE id = 'd2'`);
  const params = parseSearchParams(new URLSearchParams({ q: "pratica" }), VOCAB);
  const run = (reader?: CardReader) => () =>
    searchRecords(world.db, world.index, params, "public", () => SEARCH_NOW, reader);
  const want = await failure(run());
  const log: string[] = [];
  const reader = workerCardReader({ url: world.url }, inThreadCardReader(world.db), {
    log: (l) => log.push(l),
  });
  try {
    await started(reader);
    const got = await failure(run(reader));
    assert.equal(got.message, want.message);
    assert.equal(got.constructor, want.constructor);
    assert.match(String((got.cause as Error).message), /JSON cannot hold BLOB values/);
    // A DB error is not the worker's: it keeps reading the next pages.
    await world.db.run(sql`UPDATE dossiers SET subject = 'Seconda pratica' WHERE id = 'd2'`);
    assert.equal((await run(reader)()).total, 2);
    assert.deepEqual(log, []);
  } finally {
    reader.close();
  }
});

const DIES = new URL("./_card_worker_dies.ts", import.meta.url);
const HANGS = new URL("./_card_worker_hangs.ts", import.meta.url);

/** Waits until the reader's reads go to its worker (before, they are made in-thread). */
async function started(reader: WorkerCardReader): Promise<void> {
  for (let i = 0; i < 1_200 && !reader.inWorker(); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(reader.inWorker(), "the worker started");
}

Deno.test("a worker that dies at every read: searches answer, it restarts, then gives up", async () => {
  await using world = await createSearchWorld(records());
  const expected = await world.search("rossi");
  const log: string[] = [];
  const reader = workerCardReader({ url: world.url }, inThreadCardReader(world.db), {
    log: (l) => log.push(l),
    workerUrl: DIES,
  });
  const params = parseSearchParams(new URLSearchParams({ q: "rossi", per_page: "100" }), VOCAB);
  const search = () => {
    world.index.cards.clear();
    return searchRecords(world.db, world.index, params, "public", () => SEARCH_NOW, reader);
  };
  try {
    for (let death = 1; death <= MAX_RESTARTS + 1; death++) {
      await started(reader);
      assert.deepEqual(await search(), expected, `search at death ${death}`);
      assert.equal(log.length, death, log.join("\n"));
    }
    assert.match(log.at(-1)!, /lette da qui in poi sul thread principale/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(reader.inWorker(), false, "no worker started after giving up");
    assert.deepEqual(await search(), expected, "read in-thread");
    assert.equal(log.length, MAX_RESTARTS + 1);
  } finally {
    reader.close();
  }
});

Deno.test("a worker that never answers holds no search past the timeout", async () => {
  await using world = await createSearchWorld(records());
  const expected = await world.search("edificio");
  world.index.cards.clear();
  world.index.answers.clear();
  const log: string[] = [];
  const reader = workerCardReader({ url: world.url }, inThreadCardReader(world.db), {
    log: (l) => log.push(l),
    timeoutMs: 200,
    workerUrl: HANGS,
  });
  try {
    await started(reader);
    const params = parseSearchParams(
      new URLSearchParams({ q: "edificio", per_page: "100" }),
      VOCAB,
    );
    const askedAt = performance.now();
    const got = await searchRecords(
      world.db,
      world.index,
      params,
      "public",
      () => SEARCH_NOW,
      reader,
    );
    assert.deepEqual(got, expected);
    assert.ok(performance.now() - askedAt < 3_000, "answered after the timeout");
    assert.equal(log.length, 1);
    assert.match(log[0]!, /nessuna risposta in 200 ms/);
  } finally {
    reader.close();
  }
});

Deno.test("a read pending when the reader closes is read on the request thread", async () => {
  await using world = await createSearchWorld(records());
  const reader = workerCardReader({ url: world.url }, inThreadCardReader(world.db));
  await started(reader);
  const pending = reader.read("dossier", ["zz-oscurata"], "clerk", new Map());
  reader.close();
  const cards = await pending;
  assert.equal(cards[0]?.hit.subject, "Ampliamento dell'edificio di Rossi Mario");
  // Closed: later reads too, without a worker.
  assert.equal((await reader.read("act", ["zz-atto"], "public", new Map()))[0]?.hit.id, "zz-atto");
});

Deno.test("/api/search answers the same with the cards read by the worker", async () => {
  const docs = records();
  await using plain = await createTestWorld({ records: docs });
  await using withWorker = await createTestWorld({ records: docs, cardWorker: true });
  const a = await plain.serve(), b = await withWorker.serve();
  for (const q of ["rossi", "testo", "colore", "via garibaldi", "bianchi"]) {
    const path = `/api/search?q=${encodeURIComponent(q)}&per_page=50`;
    const [x, y] = await Promise.all([fetch(a.url + path), fetch(b.url + path)]);
    assert.equal(y.status, 200);
    assert.equal(await y.text(), await x.text(), q);
  }
});

Deno.test("an identifier query's keys are looked up by the worker, and in-thread when it dies", async () => {
  await using world = await createSearchWorld(records());
  const q = "CE 12/bis/1987";
  const byKey = (rows: SearchKeyRow[]) =>
    rows.map((r) => `${r.key} ${r.recordKind} ${r.recordId}`).sort();
  const want = await lookupIdentifiers((keys) => readSearchKeys(world.db, keys), q, 2026);
  assert.ok(want && want.rows.some((r) => r.recordId === "zz-oscurata"), "the query names it");
  // The in-thread reader refuses: whatever answers came from the worker's connection.
  const refusing: CardReader = {
    ...inThreadCardReader(world.db),
    findKeys: () => Promise.reject(new Error("letto sul thread principale")),
  };
  const reader = workerCardReader({ url: world.url }, refusing);
  try {
    await started(reader);
    const got = await lookupIdentifiers((keys) => reader.findKeys(keys), q, 2026);
    assert.deepEqual(byKey(got?.rows ?? []), byKey(want.rows));
    // And through the search itself, nothing of it cached.
    world.index.cache.clear();
    world.index.answers.clear();
    const params = parseSearchParams(new URLSearchParams({ q }), VOCAB);
    const found = await searchRecords(
      world.db,
      world.index,
      params,
      "public",
      () => SEARCH_NOW,
      reader,
    );
    assert.equal(found.hits[0]?.id, "zz-oscurata");
  } finally {
    reader.close();
  }
  const log: string[] = [];
  const dying = workerCardReader({ url: world.url }, inThreadCardReader(world.db), {
    log: (l) => log.push(l),
    workerUrl: DIES,
  });
  try {
    await started(dying);
    const got = await lookupIdentifiers((keys) => dying.findKeys(keys), q, 2026);
    assert.deepEqual(byKey(got?.rows ?? []), byKey(want.rows), "read again in-thread");
    assert.equal(log.length, 1, "the worker died and was restarted");
  } finally {
    dying.close();
  }
});

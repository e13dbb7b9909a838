import assert from "node:assert/strict";
import { upsertRecords } from "../db/records.ts";
import { ArchiveChurn, churnQueries, keyOf, writeChurnRound } from "../demo/archive_churn.ts";
import { generateArchive } from "../demo/demo_archive.ts";
import type { RecordDoc } from "../domain/records.ts";
import { createChangeFollower } from "../search/change_follower.ts";
import { compactRecordIndex } from "../search/compaction.ts";
import { DocNumbersExhausted } from "../search/doc_table.ts";
import { lookupIdentifiers, rankQuery } from "../search/rank_query.ts";
import { readSearchKeys } from "../search/hit_reader.ts";
import {
  addDoc,
  buildRecordIndex,
  createRecordIndex,
  docNumberUse,
  indexBytes,
  type RecordIndex,
  storedBytes,
} from "../search/record_index.ts";
import { searchRecords } from "../search/search_records.ts";
import type { Audience, SearchParams } from "../search/types.ts";
import { tempDb } from "./_temp_db.ts";

const NOW = new Date("2026-06-15T10:00:00.000Z");

/** Every ranked answer of `index` to `queries`, as ids and ranks, for both audiences. */
async function answers(
  db: Parameters<typeof searchRecords>[0],
  index: RecordIndex,
  queries: string[],
): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const audience of ["public", "clerk"] as Audience[]) {
    for (const q of queries) {
      const identifiers = await lookupIdentifiers(
        (keys) => readSearchKeys(db, keys),
        q,
        2026,
        index.table.actKindTitles,
      );
      const ranked = rankQuery(index, q, audience, identifiers);
      out.push({
        q,
        audience,
        ids: Array.from(ranked.docs, (d) => index.table.ids[d]),
        rank: Array.from(ranked.rank),
        highlights: [...ranked.highlights].sort(),
      });
      const params: SearchParams = { q, types: [], sort: "relevance", page: 1, perPage: 20 };
      const page = await searchRecords(db, index, params, audience, () => NOW);
      out.push({
        ...page,
        hits: page.hits.map((h) => ({ ...h, highlights: [...h.highlights].sort() })),
      });
    }
  }
  return out;
}

Deno.test("after 200 syncs of 2 % changes, the compacted index answers exactly as a fresh build, in the same memory", async () => {
  await using t = await tempDb("churn");
  const initial = [...generateArchive({ seed: 14, dossiers: 6_000, acts: 120 })];
  await t.db.transaction((tx) => upsertRecords(tx, initial, NOW));
  const logs: string[] = [];
  const index = createRecordIndex();
  const follower = createChangeFollower(t.db, index, { log: (l) => logs.push(l) });
  await follower.begin();
  await buildRecordIndex(t.db, index);
  const churn = new ArchiveChurn(initial.map(keyOf), 7);
  let mostUsed = 0, mostSpare = 0;
  for (let round = 0; round < 200; round++) {
    await writeChurnRound(t.db, await churn.next(t.db, 0.02), NOW);
    await follower.catchUp();
    mostUsed = Math.max(mostUsed, docNumberUse(index).used);
    mostSpare = Math.max(mostSpare, storedBytes(index) / index.settledBytes - 1);
  }
  // The lists' spare room never grew past a tenth of what the last compaction left.
  assert.ok(mostSpare <= 0.1, `spare room up to ${Math.round(mostSpare * 100)} %`);
  // It compacted on its own along the way: numbers in use stayed near the live records.
  assert.ok(logs.some((l) => l.includes("compattazione") && l.includes("fatta")), logs.join("\n"));
  const live = docNumberUse(index).live;
  assert.ok(mostUsed < live * 1.3, `${mostUsed} numbers in use for ${live} live records`);

  // Without a last compaction too, the index holds about what a fresh build of the DB holds.
  const fresh = createRecordIndex();
  await buildRecordIndex(t.db, fresh);
  const held = storedBytes(index), freshHeld = storedBytes(fresh);
  assert.ok(held <= freshHeld * 1.1, `after the syncs ${held} bytes, fresh build ${freshHeld}`);

  const finalCompaction = await compactRecordIndex(index);
  assert.equal(finalCompaction.result, "done");
  assert.equal(docNumberUse(index).used, live);

  const queries = churnQueries(initial);
  assert.ok(queries.length > 40, `${queries.length} queries`);
  assert.deepEqual(await answers(t.db, index, queries), await answers(t.db, fresh, queries));
  // Structurally the same index: same numbering, same columns, same postings.
  assert.deepEqual(index.table.ids, fresh.table.ids);
  // Every document's combination of facet values filed, as a fresh build files them (else
  // facets would be counted column by column: right, but slower).
  assert.equal(index.table.facetsFiled, index.table.size);
  assert.deepEqual(
    Array.from(index.table.combo.subarray(0, index.table.size)),
    Array.from(fresh.table.combo.subarray(0, fresh.table.size)),
  );
  const bytes = indexBytes(index), freshBytes = indexBytes(fresh);
  assert.ok(
    Math.abs(bytes - freshBytes) <= freshBytes * 0.1,
    `compacted ${bytes} bytes, fresh ${freshBytes}`,
  );
});

Deno.test("queries are answered between compaction slices, and a change meanwhile makes it give up", async () => {
  await using t = await tempDb("slices");
  const records = [...generateArchive({ seed: 3, dossiers: 1_500, acts: 30 })];
  await t.db.transaction((tx) => upsertRecords(tx, records, NOW));
  const index = createRecordIndex();
  await buildRecordIndex(t.db, index);
  const churn = new ArchiveChurn(records.map(keyOf), 1);
  const follower = createChangeFollower(t.db, index, { log: () => {} });
  await follower.begin();
  for (let i = 0; i < 5; i++) await writeChurnRound(t.db, await churn.next(t.db, 0.05), NOW);
  await follower.catchUp();
  const before = await answers(t.db, index, ["variante", "rettifica"]);

  let slices = 0;
  const during: unknown[] = [];
  const outcome = await compactRecordIndex(index, {
    slice: 500,
    pause: async () => {
      slices++;
      if (slices === 3) during.push(await answers(t.db, index, ["variante", "rettifica"]));
    },
  });
  assert.equal(outcome.result, "done");
  assert.ok(slices > 5, `${slices} slices`);
  // Answered from the old structures while the copy was being made, the same answers.
  assert.deepEqual(during[0], before);

  // A record indexed in the middle (as an identifier lookup at boot does): the compaction
  // stops, and the record is in the index.
  const extra = { ...records[0] as RecordDoc, id: "zz-extra" };
  for (let i = 0; i < 3; i++) await writeChurnRound(t.db, await churn.next(t.db, 0.05), NOW);
  await follower.catchUp();
  let added = false;
  const abandoned = await compactRecordIndex(index, {
    slice: 500,
    pause: () => {
      if (!added) addDoc(index, extra);
      added = true;
      return Promise.resolve();
    },
  });
  assert.equal(abandoned.result, "abandoned");
  assert.ok(index.docOf[extra.record].has("zz-extra"));
});

Deno.test("near the doc-number limit the follower compacts first; past it, changes are refused whole and logged", async () => {
  await using t = await tempDb("limit");
  const records = [...generateArchive({ seed: 5, dossiers: 40, acts: 0 })];
  await t.db.transaction((tx) => upsertRecords(tx, records, NOW));
  const logs: string[] = [];
  const index = createRecordIndex({ docLimit: 64 });
  const follower = createChangeFollower(t.db, index, { log: (l) => logs.push(l) });
  await follower.begin();
  await buildRecordIndex(t.db, index);
  assert.equal(docNumberUse(index).used, 40);

  // 20 edits would take numbers 40–59, past 90 % of 64: the follower compacts first.
  const edited = records.slice(0, 20).map((d) => ({ ...d, subject: `${d.subject} variante` }));
  await t.db.transaction((tx) => upsertRecords(tx, edited, NOW));
  await follower.catchUp();
  assert.ok(logs.some((l) => l.includes("vicino al limite")), logs.join("\n"));
  assert.deepEqual(docNumberUse(index), { used: 60, live: 40, limit: 64 });
  await follower.catchUp();

  // 30 new records: 70 live > 64. Compaction cannot make room; the round fails with a clear
  // error, and the record being added when it ran out keeps its old copy in the index.
  const more = records.slice(0, 30).map((d) => ({
    ...d,
    id: `${d.id}-bis`,
    number: `${d.number}bis`,
  }));
  await t.db.transaction((tx) => upsertRecords(tx, more, NOW));
  await assert.rejects(() => follower.catchUp(), (e: unknown) => {
    assert.ok(e instanceof DocNumbersExhausted);
    assert.match(e.message, /limite di 64 numeri di documento/);
    return true;
  });
  assert.ok(docNumberUse(index).used <= 64);
  for (const d of edited) assert.ok(index.docOf.dossier.has(d.id), d.id);
  const found = await searchRecords(
    t.db,
    index,
    { q: "variante", types: [], sort: "relevance", page: 1, perPage: 100 },
    "clerk",
    () => NOW,
  );
  assert.equal(found.total, 20);
});

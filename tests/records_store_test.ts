import assert from "node:assert/strict";
import { tempDb } from "./_temp_db.ts";
import { eq } from "drizzle-orm";
import {
  canonicalJson,
  countRecords,
  deleteRecord,
  deleteRecords,
  pageRecords,
  readRecord,
  readRecords,
  takeSeq,
  upsertRecord,
  upsertRecords,
} from "../db/records.ts";
import { counters, dossiers, searchKeys, tombstones } from "../db/schema.ts";
import type { ActDoc, DossierDoc } from "../domain/records.ts";

const NOW = new Date("2025-03-01T10:00:00Z");

function dossier(id: string, overrides: Partial<DossierDoc> = {}): DossierDoc {
  return {
    record: "dossier",
    id,
    series: "STORICO",
    type: "CE",
    number: id.replace(/\D/g, "") || "1",
    year: 1987,
    protocolNumber: "8713",
    protocolDate: "1987-05-12",
    aliases: [{ index: "schedario-B", key: "C.E. 452/87" }],
    subject: "AMPLIAMENTO FABBRICATO DI CIVILE ABITAZIONE",
    addresses: [
      { street: "Via Vittorio Veneto", civic: "14/A", locality: "Case Nuove" },
      { street: "Via del Molino", civic: "6", historic: true },
    ],
    cadastral: [{ register: "NCEU", sheet: "12", parcel: "345", sub: "6" }, {
      register: "NCT",
      section: "A",
      sheet: "3",
      parcel: "88/2",
    }],
    people: [
      {
        role: "richiedente",
        surname: "Bianchi",
        name: "Giulia",
        taxCode: "BNCGLI50C54H501K",
        taxCodeVerified: false,
      },
      { role: "impresa", company: "Edil Arno s.n.c.", phone: "055 123456" },
    ],
    issuedOn: "1987-11-03",
    status: "issued",
    documents: [{
      file: "scans/1987/452/tav01.pdf",
      title: "Tavola 1",
      pages: 3,
      bytes: 2480331,
      sha256: "a".repeat(64),
      public: false,
    }],
    location: { box: "F-1987-031", shelf: "B4" },
    restricted: false,
    ...overrides,
  };
}

const ACT: ActDoc = {
  record: "act",
  id: "dcc-2019-34",
  kind: "delibera_consiglio",
  number: "34",
  year: 2019,
  date: "2019-07-22",
  subject: "Approvazione variante al regolamento edilizio",
  attachments: [{
    file: "atti/a.pdf",
    pages: 18,
    bytes: 912044,
    sha256: "b".repeat(64),
    public: true,
  }],
  restricted: false,
};

async function seqNow(db: Awaited<ReturnType<typeof tempDb>>["db"]): Promise<number> {
  const [row] = await db.select().from(counters).where(eq(counters.name, "change_seq"));
  return row?.value ?? -1;
}

Deno.test("a stored dossier and act read back as the very same documents", async () => {
  await using t = await tempDb("records");
  const doc = dossier("pe-452");
  assert.equal(await upsertRecord(t.db, doc, NOW), "inserted");
  assert.equal(await upsertRecord(t.db, ACT, NOW), "inserted");
  const back = await readRecord(t.db, "dossier", "pe-452");
  assert.deepEqual(back, doc);
  assert.equal(back && canonicalJson(back), canonicalJson(doc));
  assert.deepEqual(await readRecord(t.db, "act", ACT.id), ACT);
  assert.equal(await readRecord(t.db, "act", "pe-452"), undefined);
  assert.deepEqual(await countRecords(t.db), { dossiers: 1, acts: 1 });
});

Deno.test("an identical upsert writes nothing and takes no change number", async () => {
  await using t = await tempDb("records");
  await upsertRecord(t.db, dossier("pe-1"), NOW);
  const before = await seqNow(t.db);
  assert.equal(await upsertRecord(t.db, dossier("pe-1"), new Date("2026-01-01")), "unchanged");
  assert.equal(await seqNow(t.db), before);
  const [row] = await t.db.select().from(dossiers);
  assert.equal(row?.updatedAt, NOW.toISOString());
});

Deno.test("a changed dossier gets a new seq and its children are replaced", async () => {
  await using t = await tempDb("records");
  await upsertRecord(t.db, dossier("pe-1"), NOW);
  const [before] = await t.db.select().from(dossiers);
  const changed = dossier("pe-1", { addresses: [{ street: "Piazza Garibaldi", civic: "3" }] });
  assert.equal(await upsertRecord(t.db, changed, NOW), "updated");
  const [after] = await t.db.select().from(dossiers);
  assert.ok(before && after && after.seq > before.seq);
  assert.deepEqual(await readRecord(t.db, "dossier", "pe-1"), changed);
});

Deno.test("upserting inside a transaction writes the search keys of each record", async () => {
  await using t = await tempDb("records");
  const outcomes = await t.db.transaction((tx) =>
    upsertRecords(tx, [dossier("pe-1"), dossier("pe-2"), ACT], NOW)
  );
  assert.deepEqual(outcomes, ["inserted", "inserted", "inserted"]);
  const keys = await t.db.select().from(searchKeys).where(eq(searchKeys.recordId, "pe-1"));
  const names = keys.map((k) => k.key);
  assert.ok(names.includes("p:8713/1987"), names.join(" "));
  assert.ok(names.includes("c:12:345:6"), names.join(" "));
  assert.ok(names.includes("t:CE:1/1987"), names.join(" "));
});

Deno.test("a deleted record leaves a tombstone and comes back without it", async () => {
  await using t = await tempDb("records");
  await upsertRecord(t.db, dossier("pe-1"), NOW);
  const before = await seqNow(t.db);
  assert.equal(await deleteRecord(t.db, "dossier", "pe-1", NOW), true);
  assert.equal(await readRecord(t.db, "dossier", "pe-1"), undefined);
  const [stone] = await t.db.select().from(tombstones);
  assert.deepEqual(stone, {
    entity: "dossier",
    id: "pe-1",
    deletedAt: NOW.toISOString(),
    seq: before + 1,
  });
  assert.equal(
    (await t.db.select().from(searchKeys).where(eq(searchKeys.recordId, "pe-1"))).length,
    0,
  );
  assert.equal(await deleteRecord(t.db, "dossier", "pe-1", NOW), false);
  assert.equal(await upsertRecord(t.db, dossier("pe-1"), NOW), "inserted");
  assert.equal((await t.db.select().from(tombstones)).length, 0);
});

Deno.test("deleting many at once leaves the rows, tombstones and change numbers of one by one", async () => {
  await using one = await tempDb("one");
  await using many = await tempDb("many");
  const docs = ["pe-1", "pe-2", "pe-3", "pe-4", "pe-5"].map((id) => dossier(id));
  const ids = ["pe-4", "missing", "pe-1", "pe-4", "pe-2"];
  for (const t of [one, many]) {
    await upsertRecords(t.db, docs, NOW);
    await upsertRecord(t.db, ACT, NOW);
  }
  const oneByOne = [];
  for (const id of ids) oneByOne.push(await deleteRecord(one.db, "dossier", id, NOW));
  const batched = await many.db.transaction((tx) => deleteRecords(tx, "dossier", ids, NOW));
  assert.deepEqual(batched, [true, false, true, false, true]);
  assert.deepEqual(batched, oneByOne);
  for (const t of [one, many]) {
    assert.deepEqual(
      (await readRecords(t.db, "dossier", docs.map((d) => d.id))).map((d) => d.id),
      ["pe-3", "pe-5"],
    );
    assert.equal((await t.db.select().from(searchKeys)).some((k) => k.recordId === "pe-1"), false);
  }
  const stones = async (t: typeof one) =>
    (await t.db.select().from(tombstones)).sort((a, b) => a.seq - b.seq);
  assert.deepEqual(await stones(many), await stones(one));
  assert.deepEqual((await stones(many)).map((s) => s.id), ["pe-4", "pe-1", "pe-2"]);
  assert.equal(await seqNow(many.db), await seqNow(one.db));
  assert.deepEqual(await deleteRecords(many.db, "act", [ACT.id, "pe-3"], NOW), [true, false]);
  assert.equal(await readRecord(many.db, "dossier", "pe-3") !== undefined, true);
});

/** Every row of the record tables, stamp columns left out, sorted: what a record leaves. */
async function recordRows(t: Awaited<ReturnType<typeof tempDb>>): Promise<string[]> {
  const out: string[] = [];
  for (
    const table of [
      "dossiers",
      "acts",
      "dossier_aliases",
      "dossier_addresses",
      "dossier_cadastral",
      "dossier_people",
      "documents",
      "search_keys",
    ]
  ) {
    const rows = await t.client.execute(`SELECT * FROM ${table}`);
    for (const row of rows.rows) {
      const { seq: _s, updated_at: _u, ...rest } = Object.fromEntries(
        rows.columns.map((c, i) => [c, row[i]]),
      );
      out.push(`${table} ${JSON.stringify(rest)}`);
    }
  }
  return out.sort();
}

Deno.test("a changed record rewrites only what changed and stores what a fresh write stores", async () => {
  await using edited = await tempDb("edited");
  await using fresh = await tempDb("fresh");
  const v1 = ["pe-1", "pe-2", "pe-3", "pe-4", "pe-5", "pe-6", "pe-7"].map((id) => dossier(id));
  const v2: (DossierDoc | ActDoc)[] = [
    { ...dossier("pe-1"), subject: "VARIANTE" }, // the main row only
    { ...dossier("pe-2"), number: "99" }, // an indexed column: written anew
    { ...dossier("pe-3"), addresses: [{ street: "Via Roma", civic: "3" }] },
    { ...dossier("pe-4"), people: [], protocolNumber: "9" }, // people and search keys
    { ...dossier("pe-5"), cadastral: [], documents: [] },
    { ...dossier("pe-6"), parentId: "pe-1", aliases: [] }, // indexed: written anew
    dossier("pe-8"), // new
    { ...ACT, subject: "Rettifica" },
  ];
  await upsertRecords(edited.db, [...v1, ACT], NOW);
  const before = await seqNow(edited.db);
  const rowids = async () =>
    (await edited.client.execute(
      `SELECT 'd' || rowid FROM dossiers WHERE id = 'pe-1'
       UNION ALL SELECT 'p' || rowid FROM dossier_people WHERE dossier_id IN ('pe-1', 'pe-3')
       UNION ALL SELECT 'k' || rowid FROM search_keys WHERE record_id = 'pe-1' ORDER BY 1`,
    )).rows.map((r) => String(r[0]));
  const untouched = await rowids();
  const outcomes = await edited.db.transaction((tx) => upsertRecords(tx, v2, NOW));
  assert.deepEqual(outcomes, [...Array(6).fill("updated"), "inserted", "updated"]);
  // pe-1's row was updated in place; its people and keys, and pe-3's people, were not rewritten.
  assert.deepEqual(await rowids(), untouched);
  await upsertRecords(fresh.db, [...v2, dossier("pe-7")], NOW);
  assert.deepEqual(await recordRows(edited), await recordRows(fresh));
  for (const doc of v2) assert.deepEqual(await readRecord(edited.db, doc.record, doc.id), doc);
  // Change numbers in the order of the batch, as before.
  const seqs = await edited.db.select({ id: dossiers.id, seq: dossiers.seq }).from(dossiers);
  const seqOf = new Map(seqs.map((r) => [r.id, r.seq]));
  assert.deepEqual(
    ["pe-1", "pe-2", "pe-3", "pe-4", "pe-5", "pe-6", "pe-8", "pe-7"].map((id) => seqOf.get(id)),
    [before + 1, before + 2, before + 3, before + 4, before + 5, before + 6, before + 7, 7],
  );
});

Deno.test("batch reads keep the asked order and pages walk every record once", async () => {
  await using t = await tempDb("records");
  const docs = Array.from({ length: 25 }, (_, i) => dossier(`pe-${String(i).padStart(3, "0")}`));
  await upsertRecords(t.db, docs, NOW);
  const some = await readRecords(t.db, "dossier", ["pe-010", "missing", "pe-002"]);
  assert.deepEqual(some.map((d) => d.id), ["pe-010", "pe-002"]);
  const seen: string[] = [];
  let pages = 0;
  for await (const page of pageRecords(t.db, "dossier", 10)) {
    pages++;
    seen.push(...page.map((d) => d.id));
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, docs.map((d) => d.id));
});

Deno.test("change numbers are reserved in blocks", async () => {
  await using t = await tempDb("records");
  assert.equal(await takeSeq(t.db, 5), 1);
  assert.equal(await takeSeq(t.db, 1), 6);
});

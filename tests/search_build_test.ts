/**
 * The index build: a record an identifier lookup indexed ahead of the build filed once, a
 * row the DB cannot read failing the build loudly as before.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { generateArchive } from "../demo/demo_archive.ts";
import type { RecordDoc } from "../domain/records.ts";
import { buildRecordIndex, createRecordIndex, indexFoundRecords } from "../search/record_index.ts";
import { searchRecords } from "../search/search_records.ts";
import { parseSearchParams } from "../search/types.ts";
import { act, createSearchWorld, dossier, SEARCH_NOW, VOCAB } from "./_search_world.ts";

/** The generated archive (three build pages of dossiers) and records at the edges. */
function records(): RecordDoc[] {
  const out = [...generateArchive({ seed: 4242, dossiers: 2_400, acts: 150 })];
  out.push(
    dossier({
      id: "zz-riservata",
      series: "PROVA",
      type: "AUT",
      number: "77",
      year: 1999,
      subject: "Autorizzazione riservata Bianchi",
      restricted: true,
      people: [{ role: "richiedente", surname: "Bianchi", taxCode: "BNCLRA70A41H501X" }],
    }),
    dossier({
      id: "zz-oscurata",
      series: "PROVA",
      type: "CE",
      number: "12/bis",
      year: 1987,
      subject: "Ampliamento dell'edificio di Rossi Mario",
      people: [{ role: "richiedente", surname: "Rossi", name: "Mario", email: "m.rossi@pec.it" }],
      addresses: [
        { street: "Via Garibaldi", civic: "3/A", locality: "Borgo" },
        { street: "Via del Re", civic: "3", historic: true },
      ],
    }),
    dossier({
      id: "zz-pubblico",
      series: "PROVA",
      number: "5",
      year: 2001,
      subject: "Testo originale con Verdi",
      subjectPublic: "Testo pubblico senza nomi",
      people: [{ role: "tecnico", surname: "Verdi", company: "Studio Verdi S.r.l." }],
    }),
    act({
      id: "zz-atto",
      number: "88",
      subject: "Piano del colore",
      text: "Omissis, l'area è vincolata",
    }),
  );
  return out;
}

Deno.test("a record an identifier lookup indexed ahead of the build is filed once", async () => {
  const docs = records();
  await using world = await createSearchWorld(docs, { build: false });
  const dossierIds = docs.filter((d) => d.record === "dossier").map((d) => d.id).sort();
  // In the third page of the build (pages of 1,000 ids in order).
  const late = dossierIds[2_300]!;
  for (const how of ["one thread"]) {
    const index = createRecordIndex();
    // Before the build: an identifier query indexes its record at once.
    await indexFoundRecords(world.db, index, [{ recordKind: "dossier", recordId: "zz-oscurata" }]);
    // During it, between two pages: a record the build has not reached yet.
    let lookup: Promise<void> | undefined;
    await buildRecordIndex(world.db, index, {
      onProgress: () => {
        lookup ??= indexFoundRecords(world.db, index, [{ recordKind: "dossier", recordId: late }]);
      },
    });
    await lookup;
    assert.ok(index.docOf.dossier.get(late)! < 2_000, `${how}: filed ahead of its page`);
    // The one found before the build began is re-read by it (a change written before the
    // follower's starting point would not be followed into it): one dead doc number. The
    // one found during the build takes none.
    assert.equal(index.table.size, docs.length + 1, `${how}: no second doc number`);
    assert.equal(index.status.indexed, docs.length, how);
    assert.equal(index.docOf.dossier.size + index.docOf.act.size, docs.length, how);
    const clerk = (q: string) =>
      searchRecords(
        world.db,
        index,
        parseSearchParams(new URLSearchParams({ q, per_page: "100" }), VOCAB),
        "clerk",
        () => new Date(SEARCH_NOW),
      );
    const rossi = (await clerk("ampliamento edificio rossi mario")).hits.map((h) => h.id);
    assert.equal(rossi.filter((id) => id === "zz-oscurata").length, 1, `${how}: found once`);
    const lateDoc = docs.find((d) => d.id === late)!;
    assert.equal(lateDoc.record, "dossier");
    if (lateDoc.record === "dossier") {
      const title = `${lateDoc.type} ${lateDoc.number}/${lateDoc.year}`;
      const found = (await clerk(title)).hits.map((h) => h.id);
      assert.equal(found.filter((id) => id === late).length, 1, `${how}: ${title} once`);
    }
  }
});

Deno.test("a row the DB cannot read fails the build with its reason, worker or not", async () => {
  await using world = await createSearchWorld([
    dossier({ id: "d1", number: "1", subject: "Prima" }),
    dossier({ id: "d2", number: "2", subject: "Seconda" }),
  ], { build: false });
  await world.db.run(sql`UPDATE dossiers SET subject = x'00ff' WHERE id = 'd2'`);
  {
    const index = createRecordIndex();
    const error = await buildRecordIndex(world.db, index).then(
      () => assert.fail("the build went through a row it cannot read"),
      (e: Error) => e,
    );
    assert.match(error.message, /^Failed query: SELECT json_object/);
    assert.match(String((error.cause as Error).message), /JSON cannot hold BLOB values/);
    assert.equal(index.status.ready, false);
    assert.equal(index.aheadOfBuild, undefined);
  }
});

/**
 * The index build with its reader in a worker (search/index_source.ts): the same answers as
 * the build on one thread, a record an identifier lookup indexed ahead of the build filed
 * once, a row the DB cannot read failing the build loudly as before, and no worker left
 * running after the build, whether it ended well or not.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { generateArchive } from "../demo/demo_archive.ts";
import type { RecordDoc } from "../domain/records.ts";
import {
  buildRecordIndex,
  createRecordIndex,
  indexFoundRecords,
  type RecordIndex,
} from "../search/record_index.ts";
import { AnalysisShare } from "../search/index_source.ts";
import { searchRecords } from "../search/search_records.ts";
import { parseSearchParams } from "../search/types.ts";
import { act, createSearchWorld, dossier, SEARCH_NOW, VOCAB } from "./_search_world.ts";

/**
 * The generated archive (three build pages of dossiers, the first one always analysed by the
 * main thread: index_source.ts AnalysisShare) and records at the edges.
 */
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

/** Queries of every kind, built from what the records hold. */
function queries(docs: RecordDoc[]): string[] {
  const out = new Set<string>([
    "bianchi",
    "rossi",
    "m.rossi@pec.it",
    "bnclra70a41h501x",
    "edificio",
    "dell'edificio",
    "via garibaldi 3",
    "via del re",
    "testo",
    "verdi",
    "colore",
    "vincolata",
    "CE 12/bis/1987",
    "cos",
    "costrvzione",
  ]);
  for (const doc of docs.filter((_, i) => i % 97 === 0)) {
    const words = (doc.subject ?? "").split(/\s+/).filter((w) => w.length > 3);
    if (words[0]) out.add(words[0]);
    if (words[0] && words[1]) out.add(`${words[0]} ${words[1]}`);
    if (words[1]) out.add(words[1].slice(0, 4));
    if (doc.record === "dossier") {
      out.add(`${doc.type} ${doc.number}/${doc.year}`);
      const person = doc.people[0];
      if (person?.surname) out.add(person.surname);
      if (person?.taxCode) out.add(person.taxCode);
      const address = doc.addresses[0];
      if (address) out.add(`${address.street} ${address.civic ?? ""}`.trim());
    }
  }
  return [...out];
}

async function answers(
  world: { db: Parameters<typeof searchRecords>[0] },
  index: RecordIndex,
  qs: string[],
) {
  const out = [];
  for (const q of qs) {
    for (const audience of ["public", "clerk"] as const) {
      for (const extra of [{}, { type: "CE" }, { sort: "number", page: "2", per_page: "20" }]) {
        const params = parseSearchParams(
          new URLSearchParams({ q, per_page: "50", ...extra }),
          VOCAB,
        );
        // A page past the last is refused: the refusal is part of the answer too.
        const result = await searchRecords(
          world.db,
          index,
          params,
          audience,
          () => new Date(SEARCH_NOW),
        ).catch((e: Error) => e.message);
        out.push({ q, audience, extra, result });
      }
    }
  }
  return out;
}

Deno.test("the index read by a worker answers every query exactly as the one-thread build", async () => {
  const docs = records();
  await using world = await createSearchWorld(docs, { build: false });
  const inThread = createRecordIndex();
  await buildRecordIndex(world.db, inThread);
  const fromWorker = createRecordIndex();
  await buildRecordIndex(world.db, fromWorker, { source: { url: world.url } });
  assert.equal(fromWorker.status.ready, true);
  assert.equal(fromWorker.status.indexed, docs.length);
  const same = (a: Iterable<string>, b: Iterable<string>, what: string) =>
    assert.ok(JSON.stringify([...a]) === JSON.stringify([...b]), what);
  same(fromWorker.table.ids, inThread.table.ids, "the same doc numbers");
  same(fromWorker.publicText.words.keys(), inThread.publicText.words.keys(), "public words");
  same(fromWorker.clerkText.words.keys(), inThread.clerkText.words.keys(), "clerk words");
  const qs = queries(docs);
  assert.ok(qs.length > 80, `${qs.length} queries`);
  const expected = await answers(world, inThread, qs);
  assert.ok(
    expected.some((a) => typeof a.result !== "string" && a.result.total > 100),
    "some queries find many records",
  );
  const got = await answers(world, fromWorker, qs);
  // One query at a time, as text: a failure names the query, not a diff of every answer.
  for (const [i, want] of expected.entries()) {
    const { q, audience, extra } = want;
    assert.equal(
      JSON.stringify(got[i]),
      JSON.stringify(want),
      JSON.stringify({ q, audience, extra }),
    );
  }
});

Deno.test("a record an identifier lookup indexed ahead of the build is filed once", async () => {
  const docs = records();
  await using world = await createSearchWorld(docs, { build: false });
  const dossierIds = docs.filter((d) => d.record === "dossier").map((d) => d.id).sort();
  // In the third page of the build (pages of 1,000 ids in order).
  const late = dossierIds[2_300]!;
  for (const source of [undefined, { url: world.url }]) {
    const index = createRecordIndex();
    // Before the build: an identifier query indexes its record at once.
    await indexFoundRecords(world.db, index, [{ recordKind: "dossier", recordId: "zz-oscurata" }]);
    // During it, between two pages: a record the build has not reached yet.
    let lookup: Promise<void> | undefined;
    await buildRecordIndex(world.db, index, {
      ...(source ? { source } : {}),
      onProgress: () => {
        lookup ??= indexFoundRecords(world.db, index, [{ recordKind: "dossier", recordId: late }]);
      },
    });
    await lookup;
    const how = source ? "worker" : "one thread";
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
  for (const source of [undefined, { url: world.url }]) {
    const index = createRecordIndex();
    const error = await buildRecordIndex(world.db, index, source ? { source } : {}).then(
      () => assert.fail("the build went through a row it cannot read"),
      (e: Error) => e,
    );
    assert.match(error.message, /^Failed query: SELECT json_object/);
    assert.match(String((error.cause as Error).message), /JSON cannot hold BLOB values/);
    assert.equal(index.status.ready, false);
    assert.equal(index.aheadOfBuild, undefined);
  }
});

async function runBuildProcess(mode: "ok" | "corrupt"): Promise<{ code: number; said: string }> {
  const dir = await Deno.makeTempDir({ prefix: "faldone-build-exit-" });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./_index_build_exit.ts", import.meta.url).pathname, dir, mode],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const out = await child.output();
    clearTimeout(timer);
    const said = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return { code: out.code, said };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a process whose build is done ends: no worker is left running", async () => {
  // A worker still alive keeps its process alive, which an in-process test cannot see.
  const { code, said } = await runBuildProcess("ok");
  assert.match(said, /built 2500, ready true/);
  assert.equal(code, 0, `the process did not end by itself: ${said}`);
});

Deno.test("a process whose build failed on a bad row ends too, having said why", async () => {
  const { code, said } = await runBuildProcess("corrupt");
  assert.match(said, /failed: [^;]*JSON cannot hold BLOB values; ready false/);
  assert.equal(code, 0, `the process did not end by itself: ${said}`);
});

/** Which of `pages` pages the share sends to the main thread, waits applied before each. */
function pagesToMainThread(share: AnalysisShare, pages: number, wait?: () => void): number[] {
  const out: number[] = [];
  for (let page = 0; page < pages; page++) {
    wait?.();
    if (share.nextToMainThread()) out.push(page);
  }
  return out;
}

Deno.test("the main thread analyses the first page, then one in three while nobody waits", () => {
  assert.deepEqual(pagesToMainThread(new AnalysisShare(), 10), [0, 3, 6, 9]);
});

Deno.test("the main thread takes more pages while it waits for the worker, up to 70 %", () => {
  const share = new AnalysisShare();
  const toMain = pagesToMainThread(share, 1_000, () => share.mainThreadWaited());
  assert.equal(share.share, 0.7);
  // After the climb (about 18 pages) seven in ten.
  const last100 = toMain.filter((p) => p >= 900).length;
  assert.ok(last100 >= 69 && last100 <= 71, `${last100} of the last 100`);
});

Deno.test("the worker keeps every page's analysis while it waits for the main thread", () => {
  const share = new AnalysisShare();
  const toMain = pagesToMainThread(share, 100, () => share.workerWaited());
  assert.equal(share.share, 0);
  // The first page, and those owed before the share reached nothing.
  assert.ok(toMain.every((p) => p < 20), JSON.stringify(toMain));
  // Waits the other way bring it back.
  for (let i = 0; i < 10; i++) share.mainThreadWaited();
  assert.ok(Math.abs(share.share - 0.2) < 1e-9);
});

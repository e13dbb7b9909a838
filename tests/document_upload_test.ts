/**
 * A clerk adds a scan to a dossier at the counter, over real HTTP: stored by hash, listed on
 * the dossier with its audit entry and outbox mutation, applied by the archive; a wrong
 * type, a file over the limit or a broken PDF is refused with an Italian message and leaves
 * nothing behind.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { saveDeskSettings } from "../db/access_settings.ts";
import { listAudit } from "../db/audit.ts";
import { documentFileState, documentsOfRecord } from "../db/document_files.ts";
import { readRecord, upsertRecord } from "../db/records.ts";
import { DOCUMENT_ADDED_ENTITY } from "../db/record_documents.ts";
import { outbox } from "../db/schema.ts";
import { openFileStore } from "../documents/file_store.ts";
import { applyPushedMutations } from "../sync/apply_mutations.ts";
import { MUTATION_HANDLERS } from "../sync/mutation_handlers.ts";
import { pendingMutations } from "../db/outbox.ts";
import { addUser, TestClient } from "./_access_client.ts";
import { tempDb } from "./_temp_db.ts";
import { createTestWorld } from "./_world.ts";
import { dossier } from "./fixtures.ts";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function twoPagePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.addPage();
  pdf.addPage();
  return await pdf.save();
}

function form(bytes: Uint8Array, name: string, title?: string): FormData {
  const f = new FormData();
  f.append("file", new File([bytes as Uint8Array<ArrayBuffer>], name));
  if (title) f.append("title", title);
  return f;
}

async function world() {
  const d = dossier({ documents: [] });
  const dir = await Deno.makeTempDir({ prefix: "faldone-upload-" });
  const store = await openFileStore(`${dir}/files`);
  const w = await createTestWorld({ records: [d], fileStore: store });
  await addUser(w.db, "anna", "clerk", w.clock());
  const clerk = new TestClient(w.app);
  await clerk.login("anna");
  const served = await w.serve();
  return {
    d,
    w,
    store,
    clerk,
    url: served.url,
    path: `/sportello/pratiche/${encodeURIComponent(`dossier:${d.id}`)}/documenti`,
    async [Symbol.asyncDispose]() {
      await w[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("a clerk uploads a PDF scan: stored, listed, audited and queued for the archive", async () => {
  await using t = await world();
  const page = await (await t.clerk.get(`/sportello/pratiche/dossier:${t.d.id}`)).text();
  assert.match(page, /enctype="multipart\/form-data"/);
  assert.match(page, /Aggiungi una scansione/);
  const before = await readRecord(t.w.db, "dossier", t.d.id);
  const pdf = await twoPagePdf();
  const res = await t.clerk.postMultipart(
    t.path,
    form(pdf, "verbale.pdf", "Verbale di sopralluogo"),
    {
      baseUrl: t.url,
      headers: { "HX-Request": "true" },
    },
  );
  const html = await res.text();
  assert.equal(res.status, 200, html);
  assert.match(html, /Scansione «Verbale di sopralluogo» aggiunta \(2 pagine\)/);
  assert.match(html, /presente in questa sede/);

  assert.ok(await t.store.has(sha(pdf)));
  const [doc] = await documentsOfRecord(t.w.db, "dossier", t.d.id);
  assert.equal(doc?.sha256, sha(pdf));
  assert.equal(doc?.pages, 2);
  assert.equal(doc?.public, false);
  assert.equal(doc?.mime, "application/pdf");
  assert.equal(doc?.state?.present, true);
  assert.equal(doc?.state?.pinned, true);
  assert.notEqual(before, undefined);
  const after = await readRecord(t.w.db, "dossier", t.d.id);
  assert.equal(after?.record === "dossier" && after.documents.length, 1);

  const audit = await listAudit(t.w.db, {});
  assert.ok(audit.some((e) => e.action === "document_add" && e.recordId === t.d.id));
  const queued = await pendingMutations(t.w.db, 100);
  const mutation = queued.find((m) => m.entity === DOCUMENT_ADDED_ENTITY);
  assert.ok(mutation);

  // The archive applies it: the same entry on its copy, its bytes noted as missing there.
  await using archive = await tempDb("archive");
  await archive.db.transaction((tx) => upsertRecord(tx, t.d, new Date()));
  const push = () =>
    applyPushedMutations(archive.db, MUTATION_HANDLERS, "sede-k2", [mutation], new Date());
  const pushed = await push();
  assert.deepEqual(pushed.results.map((r) => r.status), ["applied"]);
  const there = await readRecord(archive.db, "dossier", t.d.id);
  assert.deepEqual(
    there?.record === "dossier" && there.documents,
    after?.record === "dossier" && after.documents,
  );
  assert.equal((await documentFileState(archive.db, sha(pdf)))?.present, false);
  // Pushed again (a lost answer): nothing changes.
  await push();
  const again = await readRecord(archive.db, "dossier", t.d.id);
  assert.equal(again?.record === "dossier" && again.documents.length, 1);
});

Deno.test("the upload refuses a wrong type, a file over the limit and a broken PDF", async () => {
  await using t = await world();
  const hx = { "HX-Request": "true" };
  const zip = new TextEncoder().encode("PK\x03\x04" + "z".repeat(500));
  const wrong = await t.clerk.postMultipart(t.path, form(zip, "scansione.pdf"), {
    baseUrl: t.url,
    headers: hx,
  });
  assert.equal(wrong.status, 415);
  assert.equal(wrong.headers.get("HX-Retarget"), "#messages");
  assert.match(await wrong.text(), /Tipo di file non accettato: carica un PDF, un TIFF o un JPEG/);

  const broken = await t.clerk.postMultipart(
    t.path,
    form(new TextEncoder().encode("%PDF-1.4\nnot a pdf at all"), "rotto.pdf"),
    { baseUrl: t.url, headers: hx },
  );
  assert.equal(broken.status, 422);
  assert.match(await broken.text(), /Il PDF non si apre/);

  await saveDeskSettings(t.w.db, {
    deadline: {
      holidays: { fixed: [], easterMonday: true, extra: [] },
      documentaleSuspension: true,
    },
    idleSeconds: 120,
    uploadMaxMb: 1,
  }, { actor: null, now: t.w.clock(), branch: "test", outbox: false });
  // Just over the limit: refused by the route, after reading the form.
  const over = new Uint8Array(1_020_000);
  over.set(new TextEncoder().encode("%PDF-1.4\n"));
  const big = await t.clerk.postMultipart(t.path, form(over, "grande.pdf"), {
    baseUrl: t.url,
    headers: hx,
  });
  assert.equal(big.status, 413);
  assert.match(await big.text(), /File troppo grande \(1,02 MB\): il limite è 1 MB/);
  // Far over: refused while the body arrives, before anything parses it.
  const huge = await t.clerk.postMultipart(t.path, form(new Uint8Array(3_000_000), "x.pdf"), {
    baseUrl: t.url,
    headers: hx,
  });
  assert.equal(huge.status, 413);
  assert.match(await huge.text(), /File troppo grande: il limite è 1 MB/);

  const noCsrf = await t.clerk.postMultipart(t.path, form(await twoPagePdf(), "a.pdf"), {
    baseUrl: t.url,
    csrf: null,
  });
  assert.equal(noCsrf.status, 403);
  await noCsrf.body?.cancel();

  // Nothing of any refused upload is anywhere.
  assert.deepEqual(await documentsOfRecord(t.w.db, "dossier", t.d.id), []);
  assert.equal((await t.store.usage()).files, 0);
  const queued = await t.w.db.select().from(outbox).where(eq(outbox.entity, DOCUMENT_ADDED_ENTITY));
  assert.equal(queued.length, 0);

  // And the public, logged out, cannot upload.
  const anonymous = await fetch(`${t.url}${t.path}`, { method: "POST", body: form(zip, "a.pdf") });
  assert.ok([401, 403].includes(anonymous.status), String(anonymous.status));
  await anonymous.body?.cancel();
});

Deno.test("a clerk reading English gets the upload's refusals in English", async () => {
  await using t = await world();
  t.clerk.cookies.set("faldone_lang", "en");
  const hx = { "HX-Request": "true" };
  const zip = new TextEncoder().encode("PK\x03\x04" + "z".repeat(500));
  const wrong = await t.clerk.postMultipart(t.path, form(zip, "scan.pdf"), {
    baseUrl: t.url,
    headers: hx,
  });
  assert.equal(wrong.status, 415);
  const wrongText = await wrong.text();
  assert.doesNotMatch(wrongText, /Tipo di file|carica un/, wrongText);
  assert.match(wrongText, /PDF, (a )?TIFF or (a )?JPEG/i, wrongText);

  const broken = await t.clerk.postMultipart(
    t.path,
    form(new TextEncoder().encode("%PDF-1.4\nnot a pdf at all"), "broken.pdf"),
    { baseUrl: t.url, headers: hx },
  );
  assert.equal(broken.status, 422);
  const brokenText = await broken.text();
  assert.doesNotMatch(brokenText, /non si apre/, brokenText);
  assert.deepEqual(await documentsOfRecord(t.w.db, "dossier", t.d.id), []);
});

/// <reference lib="dom" />
/**
 * Issue 11's "Done when", end to end across a branch and the archive, every step over real
 * HTTP on loopback: a citizen files a documentale request at the branch kiosk with the network
 * down (a fault proxy between branch and archive answering 503); after sync the archive
 * registers its pagoPA notice on the GPD contract server, which is then paid; the archive's
 * desk records the title and accepts, granting two of the dossier's three scans for the
 * default 90 days; the branch learns the grant by sync and fetches the two files; the citizen
 * signs in online through a real OpenID provider and reads the stamped pages; at the kiosk,
 * the network down again, the same citizen reads them with receipt code and codice fiscale
 * (in Chromium: the viewer shows page 1); after a revocation at the archive, synced, both
 * refuse.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { createTestWorld, FIXED_NOW } from "../_world.ts";
import { addUser, TestClient } from "../_access_client.ts";
import { startGpdContractServer } from "../_gpd_contract_server.ts";
import { jobDeps, seedFeeTable } from "../_pagopa_setup.ts";
import { startTestProvider, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from "../_oidc_provider.ts";
import { FetchBrowser, signInAtBroker } from "../_citizen_world.ts";
import { type Fault, startFaultProxy } from "../fault_proxy.ts";
import { fastOptions, sha256Hex } from "../_file_sync.ts";
import { pagedPdf } from "../_document_fixtures.ts";
import { readWithPdfJs } from "../_stamp_fixtures.ts";
import { documentRef, dossier } from "../fixtures.ts";
import { kioskContext, launchChromium } from "./_browser.ts";
import { addBranch } from "../../db/branches.ts";
import { documentFileState, recordDocumentFiles } from "../../db/document_files.ts";
import { grantsForRequest } from "../../db/access_grants.ts";
import { grantPinsOf } from "../../db/grant_pins.ts";
import { countPendingMutations } from "../../db/outbox.ts";
import { findNotice } from "../../db/payment_notices.ts";
import { accessRequests } from "../../db/schema.ts";
import { openFileStore } from "../../documents/file_store.ts";
import { ingestedRows, ingestFile } from "../../documents/ingest.ts";
import { maskTaxCode } from "../../domain/codice_fiscale.ts";
import { runNoticeRound } from "../../pagopa/notice_job.ts";
import { CONSULT_NOT_FOUND } from "../../routes/_consult.ts";
import { applyRecordChanges } from "../../search/record_index.ts";
import type { SyncClientDeps } from "../../sync/client.ts";
import { runFileTransfers } from "../../sync/file_transfer.ts";
import { syncOnce } from "../../sync/run_sync.ts";
import { eq } from "drizzle-orm";

const CF = "RSSMRA85T10A562S"; // the provider's account "mario" carries TINIT-RSSMRA85T10A562S
const FAST = { sleep: () => Promise.resolve(), backoffBaseMs: 1, maxAttempts: 2 };
const HTMX = { headers: { "HX-Request": "true" } };

/** A TestClient whose requests go over real HTTP to `url` (grants_desk_test.ts's way). */
function overHttp(url: string): TestClient {
  const transport = {
    request: (path: string, init?: RequestInit) =>
      fetch(`${url}${path}`, { ...init, redirect: "manual" }),
  } as unknown as Hono;
  return new TestClient(transport);
}

/** The text PDF.js reads on the only page of a stamped page, as one string. */
async function stampedText(res: Response): Promise<string> {
  assert.equal(res.status, 200, `a stamped page: ${res.status}`);
  assert.match(res.headers.get("content-type") ?? "", /^application\/pdf/);
  const pages = await readWithPdfJs(new Uint8Array(await res.arrayBuffer()));
  assert.equal(pages.length, 1, "one page per request");
  return pages[0]!.text.join(" ").replace(/\s+/g, " ");
}

/** Page `p` of the scan, stamped for this request and holder on the day of the worlds' clock. */
function assertStamped(text: string, code: string, p: number): void {
  assert.ok(text.includes(`Pagina ${p}`), `page ${p} of the scan expected in: ${text}`);
  assert.ok(text.includes("Copia per consultazione"), `stamp missing in: ${text}`);
  assert.ok(text.includes(`richiesta ${code}`), `receipt code missing in: ${text}`);
  assert.ok(text.includes(maskTaxCode(CF)), `masked CF missing in: ${text}`);
  assert.ok(text.includes("03/03/2025"), `date missing in: ${text}`);
  assert.ok(!text.includes(CF), "the full codice fiscale is never printed");
}

Deno.test("done when: filed offline, paid, granted, viewed online and offline, revoked everywhere", async (t) => {
  const clock = () => new Date(FIXED_NOW);
  // Three real PDFs of distinct pages; the desk grants the first and the third.
  const files = [await pagedPdf(3), await pagedPdf(4), await pagedPdf(2)];
  const shas = files.map(sha256Hex);
  const d = dossier({
    year: 1987,
    documents: files.map((bytes, i) =>
      documentRef({
        file: `scans/e2e/tavola-${i + 1}.pdf`,
        sha256: shas[i]!,
        bytes: bytes.byteLength,
        pages: [3, 4, 2][i]!,
        title: `Tavola ${i + 1}`,
      })
    ),
  });

  const storesDir = await Deno.makeTempDir({ prefix: "faldone-consult-e2e-" });
  await using _stores = {
    [Symbol.asyncDispose]: () => Deno.remove(storesDir, { recursive: true }),
  };
  const archiveStore = await openFileStore(`${storesDir}/archive`);
  const branchStore = await openFileStore(`${storesDir}/branch`);

  // The archive is served before it exists: the provider needs its callback URL, the archive
  // the provider's issuer.
  const late: { app?: Hono } = {};
  const listening = Promise.withResolvers<string>();
  const archiveServer = Deno.serve(
    {
      port: 0,
      hostname: "127.0.0.1",
      onListen: ({ port }) => listening.resolve(`http://127.0.0.1:${port}`),
    },
    (req, info) =>
      late.app ? late.app.fetch(req, info) : new Response("non pronto", { status: 503 }),
  );
  await using _archiveServer = { [Symbol.asyncDispose]: () => archiveServer.shutdown() };
  const archiveUrl = await listening.promise;
  await using provider = await startTestProvider(`${archiveUrl}/area-personale/ritorno`);
  await using archive = await createTestWorld({
    records: [d],
    clock,
    fileStore: archiveStore,
    config: {
      role: "archive",
      oidc: {
        issuer: provider.issuer,
        clientId: TEST_CLIENT_ID,
        clientSecret: TEST_CLIENT_SECRET,
        scope: "openid profile",
      },
      publicUrl: archiveUrl,
    },
  });
  late.app = archive.app;
  await using branch = await createTestWorld({ clock, fileStore: branchStore });
  const branchUrl = (await branch.serve()).url;
  await using gpd = await startGpdContractServer();

  // The scans are in the archive's store; the fee table is the archive's.
  for (const bytes of files) {
    const file = await ingestFile(archiveStore, { bytes: bytes.slice() }, { clock });
    await archive.db.transaction((tx) => recordDocumentFiles(tx, ingestedRows(file, clock())));
  }
  await seedFeeTable(archive.db, clock());
  await addUser(archive.db, "anna", "clerk", clock());

  // The branch's only way to the archive: a proxy the test can cut.
  let down = false;
  const plan = (): Fault =>
    down ? { kind: "status", status: 503, forward: false } : { kind: "pass" };
  await using link = await startFaultProxy(archiveUrl, plan);
  const token = await addBranch(archive.db, "sede-prova", clock());
  const branchName = branch.config.branchName;
  const syncDeps: SyncClientDeps & { branchName: string } = {
    db: branch.db,
    clock,
    transport: { fetch, archiveUrl: link.url, token, timeoutMs: 10_000 },
    onRecordsChanged: (c) => applyRecordChanges(branch.db, branch.index, c),
    branchName,
  };
  const sync = () => syncOnce(syncDeps, FAST);
  const noticeDeps = { ...jobDeps(archive.db, clock, gpd), pollEveryMs: 0 };
  // Records and fees come down while the link is up.
  await sync();

  let code = "";
  let requestId = "";
  await t.step("the citizen files at the kiosk with the network down", async () => {
    down = true;
    const kiosk = overHttp(branchUrl);
    await kiosk.get(`/richieste/nuova?record=dossier:${d.id}`);
    const fields = {
      record: `dossier:${d.id}`,
      requesterName: "Mario Rossi",
      taxCode: CF,
      regime: "documentale",
      motivation: "Proprietario dell'immobile, compravendita",
      mode: "view",
      privacyAck: "1",
    };
    assert.equal((await kiosk.post("/richieste/nuova", fields)).status, 200);
    assert.equal((await kiosk.post("/richieste/nuova", { ...fields, confirm: "1" })).status, 303);
    const slip = await (await kiosk.get("/richieste/ricevuta")).text();
    code = /data-testid="receipt-code">([^<]+)</.exec(slip)?.[1] ?? "";
    assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await assert.rejects(sync(), "the archive cannot be reached");
    assert.ok(await countPendingMutations(branch.db) > 0, "the request waits in the outbox");
    await kiosk.get("/richieste/stato");
    const status = await (await kiosk.post("/richieste/stato", { code, taxCode: CF })).text();
    assert.match(status, /In attesa di pagamento/);
    assert.match(status, /registrazione presso l(&#39;|')archivio centrale/);
    const local = await branch.db.select().from(accessRequests)
      .where(eq(accessRequests.receiptCode, code)).get();
    requestId = local?.id ?? "";
    assert.ok(requestId);
  });

  await t.step("after sync the notice is registered on GPD, then paid", async () => {
    down = false;
    await sync();
    assert.equal(await countPendingMutations(branch.db), 0);
    assert.deepEqual(await runNoticeRound(noticeDeps), {
      opened: 1,
      registered: 1,
      failed: 0,
      paid: 0,
    });
    const notice = await findNotice(archive.db, requestId);
    assert.ok(notice);
    assert.equal(gpd.positions.size, 1);
    gpd.pay(notice.iuv, "2025-03-03T10:00:00Z");
    assert.equal((await runNoticeRound(noticeDeps)).paid, 1);
    assert.equal((await findNotice(archive.db, requestId))?.status, "paid");
    await sync();
    assert.equal((await findNotice(branch.db, requestId))?.status, "paid");
  });

  const grantDocs = [`dossier:${d.id}:${shas[0]}`, `dossier:${d.id}:${shas[2]}`];
  let grantId = "";
  await t.step(
    "the archive's desk records the title and grants two documents for 90 days",
    async () => {
      const clerk = overHttp(archiveUrl);
      assert.equal((await clerk.login("anna")).status, 303);
      const page = `/sportello/richieste/${requestId}`;
      await clerk.get(page);
      assert.equal((await clerk.post(`${page}/azione`, { action: "start_review" })).status, 303);
      await clerk.get(page);
      const titled = await clerk.post(`${page}/titolo`, {
        titleKind: "owner",
        titleBasis: "Atto di compravendita del 2019",
      }, HTMX);
      assert.equal(titled.status, 200);
      await clerk.get(page);
      const accepted = await clerk.post(`${page}/azione`, {
        action: "decide",
        outcome: "accepted",
        consultationPlace: "Ufficio tecnico, piano terra",
        consultationFrom: "2025-03-10",
        consultationTo: "2025-03-31",
        grantScope: "documents",
        grantDocuments: grantDocs,
      });
      assert.equal(accepted.status, 303);
      const grants = await grantsForRequest(archive.db, requestId);
      assert.equal(grants.length, 1);
      const grant = grants[0]!;
      grantId = grant.grant.id;
      assert.equal(grant.grant.mode, "view");
      assert.equal(grant.grant.validUntil, "2025-06-01", "90 days from 3 March 2025");
      assert.deepEqual(grant.documents.map((g) => g.sha256).sort(), [shas[0], shas[2]].sort());
    },
  );

  await t.step("the branch learns the grant by sync, pins and fetches the two files", async () => {
    await sync();
    const pins = await grantPinsOf(branch.db, shas);
    assert.deepEqual(pins.get(shas[0]!), [grantId]);
    assert.deepEqual(pins.get(shas[2]!), [grantId]);
    assert.equal(pins.get(shas[1]!), undefined, "the scan not granted is not pinned");
    const report = await runFileTransfers({
      db: branch.db,
      store: branchStore,
      transport: { fetch, archiveUrl: link.url, token, timeoutMs: 10_000 },
      clock,
      // A budget this small leaves room only for what is pinned.
      budgetBytes: 1,
      branchName,
    }, fastOptions());
    assert.equal(report.downloaded, 2);
    for (const sha of [shas[0]!, shas[2]!]) {
      const state = await documentFileState(branch.db, sha);
      assert.equal(state?.present, true);
      assert.equal(state?.pinned, true);
    }
  });

  const online = new FetchBrowser();
  const onlineBase = `${archiveUrl}/area-personale/richieste/${requestId}/documenti`;
  await t.step("the citizen signs in online and reads stamped pages", async () => {
    const callback = await signInAtBroker(
      online,
      { url: archiveUrl, issuer: provider.issuer },
      "mario",
    );
    const back = await online.request(callback);
    assert.equal(back.status, 303);
    const list = await online.request(onlineBase);
    assert.equal(list.status, 200);
    assert.match(list.text, /Tavola 1/);
    assert.match(list.text, /Tavola 3/);
    assert.doesNotMatch(list.text, /Tavola 2/, "the scan not granted is not listed");
    const viewer = await online.request(`${onlineBase}/pratica/${d.id}/1`);
    assert.equal(viewer.status, 200);
    for (const [n, p] of [[1, 1], [1, 3], [3, 2]] as const) {
      const res = await fetch(`${onlineBase}/pratica/${d.id}/${n}/pagine/${p}`, {
        headers: { Cookie: [...online.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
      });
      assertStamped(await stampedText(res), code, p);
    }
    // View mode: no copy to download; the document not granted is refused.
    assert.equal((await online.request(`${onlineBase}/pratica/${d.id}/1/copia`)).status, 404);
    assert.equal((await online.request(`${onlineBase}/pratica/${d.id}/2/pagine/1`)).status, 404);
  });

  const kiosk = overHttp(branchUrl);
  const kioskBase = `/consultazione/documenti/pratica/${d.id}`;
  await t.step("at the kiosk, offline, the same citizen reads them with code and CF", async () => {
    down = true;
    await assert.rejects(sync(), "the network is down");
    await kiosk.get("/consultazione");
    const wrong = await kiosk.post("/consultazione", { code, taxCode: "MLLSNT82P65Z404U" });
    assert.ok(wrong.status >= 400 && wrong.status < 500, "another CF is refused");
    await wrong.body?.cancel();
    const opened = await kiosk.post("/consultazione", { code, taxCode: CF });
    assert.equal(opened.status, 303);
    assert.match(opened.headers.get("location") ?? "", /\/consultazione\/documenti$/);
    const list = await (await kiosk.get("/consultazione/documenti")).text();
    assert.match(list, /Tavola 1/);
    assert.match(list, /Tavola 3/);
    assert.doesNotMatch(list, /Tavola 2/);
    assert.equal((await kiosk.get(`${kioskBase}/3`)).status, 200);
    assertStamped(await stampedText(await kiosk.get(`${kioskBase}/3/pagine/2`)), code, 2);
    assertStamped(await stampedText(await kiosk.get(`${kioskBase}/1/pagine/3`)), code, 3);
    assert.equal((await kiosk.get(`${kioskBase}/2/pagine/1`)).status, 404);
  });

  await t.step("in Chromium at the kiosk, offline, the viewer shows page 1 stamped", async () => {
    const browser = await launchChromium();
    try {
      const escaped: string[] = [];
      const context = await kioskContext(browser, escaped);
      const page = await context.newPage();
      await page.goto(`${branchUrl}/consultazione`);
      await page.locator('input[name="code"]').fill(code);
      await page.locator('input[name="taxCode"]').fill(CF);
      await Promise.all([
        page.waitForURL(/\/consultazione\/documenti$/),
        page.locator('form:has(input[name="code"]) [type="submit"]').click(),
      ]);
      const firstPage = page.waitForResponse((r) =>
        r.url().endsWith(`${kioskBase}/1/pagine/1`) && r.status() === 200
      );
      // From the list to the first granted scan, as the citizen would.
      await page.locator(`a[data-testid="consult-document"][href$="${kioskBase}/1"]`).click();
      const served = await firstPage;
      assert.match(served.headers()["content-type"] ?? "", /^application\/pdf/);
      await page.waitForSelector('.doc-viewer[data-viewer="stamped"][data-rendered-page="1"]', {
        timeout: 20_000,
      });
      // The canvas holds the page drawn (the scan's red page 1 and the stamp), not a blank.
      const inked = await page.evaluate(() => {
        const canvas = document.querySelector(".doc-viewer canvas");
        if (!(canvas instanceof HTMLCanvasElement) || canvas.width === 0) return 0;
        const data = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data;
        let ink = 0;
        for (let i = 0; data && i < data.length; i += 4 * 97) {
          if (data[i]! < 250 || data[i + 1]! < 250 || data[i + 2]! < 250) ink++;
        }
        return ink;
      });
      assert.ok(inked > 100, `the viewer drew page 1 (${inked} inked samples)`);
      // What this browser's session is served for page 1 is the stamped page.
      const bytes = await page.evaluate(async (url) => {
        const res = await fetch(url);
        return Array.from(new Uint8Array(await res.arrayBuffer()));
      }, `${kioskBase}/1/pagine/1`);
      assertStamped(
        await stampedText(
          new Response(new Uint8Array(bytes), { headers: { "content-type": "application/pdf" } }),
        ),
        code,
        1,
      );
      assert.deepEqual(escaped, []);
    } finally {
      await browser.close();
    }
  });

  await t.step("after revocation at the archive, synced, both refuse", async () => {
    const clerk = overHttp(archiveUrl);
    await clerk.login("anna");
    await clerk.get(`/sportello/richieste/${requestId}`);
    const revoked = await clerk.post(
      `/sportello/richieste/${requestId}/concessioni/${grantId}/revoca`,
      { reason: "Delega ritirata dal proprietario" },
      HTMX,
    );
    assert.equal(revoked.status, 200);
    const cookie = [...online.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const onlinePage = await fetch(`${onlineBase}/pratica/${d.id}/1/pagine/1`, {
      headers: { Cookie: cookie },
    });
    assert.equal(onlinePage.status, 404);
    const onlineBody = await onlinePage.text();
    assert.doesNotMatch(onlineBody, /%PDF/);
    assert.doesNotMatch(onlineBody, new RegExp(CF));
    assert.equal((await online.request(`${onlineBase}/pratica/${d.id}/1`)).status, 404);

    // The branch hears of it on its next sync, then serves nothing even offline.
    down = false;
    await sync();
    down = true;
    for (const path of [`${kioskBase}/1`, `${kioskBase}/1/pagine/1`, `${kioskBase}/3/pagine/2`]) {
      const res = await kiosk.get(path);
      assert.equal(res.status, 404, path);
      const body = await res.text();
      assert.doesNotMatch(body, /%PDF/);
      assert.doesNotMatch(body, new RegExp(CF));
      assert.ok(body.includes(CONSULT_NOT_FOUND), "the same neutral message");
    }
    // Signing in again at the kiosk shows why there is nothing to read.
    await kiosk.get("/consultazione");
    assert.equal((await kiosk.post("/consultazione", { code, taxCode: CF })).status, 303);
    const list = await (await kiosk.get("/consultazione/documenti")).text();
    assert.match(list, /revocat/i);

    // Online, the citizen sees the revocation and who consulted when: here and at the kiosk
    // (the branch's opens came up with its sync).
    const mine = await online.request(onlineBase);
    assert.equal(mine.status, 200);
    assert.match(mine.text, /<strong>revocata<\/strong>/);
    const history = /data-testid="consult-history"[\s\S]*?<\/table>/.exec(mine.text)?.[0] ?? "";
    assert.match(history, /<td>online<\/td>/);
    // Named as the archive registered the branch.
    assert.match(history, /<td>sede sede-prova<\/td><td>Tavola 3<\/td><td>visione<\/td>/);
    assert.doesNotMatch(history, new RegExp(CF), "no codice fiscale in the history");
  });
});

/// <reference lib="dom" />
/**
 * The admin sync page in a real Chromium while a scan comes over a slow link: the file queue
 * shows the file in progress, its bytes grow by themselves (htmx polling), a file the archive
 * lacks shows as stuck with its reason, and axe-core finds nothing.
 */
import assert from "node:assert/strict";
import { createApp } from "../../app.ts";
import { upsertRecords } from "../../db/records.ts";
import { runFileTransfers } from "../../sync/file_transfer.ts";
import { syncOnce } from "../../sync/run_sync.ts";
import { startSyncScheduler } from "../../sync/scheduler.ts";
import { addUser, TEST_PASSWORD } from "../_access_client.ts";
import { fastOptions, fileDeps, pairWithFile, pdfBytes } from "../_file_sync.ts";
import { startFaultProxy } from "../fault_proxy.ts";
import { act, documentRef } from "../fixtures.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";

Deno.test("the file queue on /admin/sync moves by itself while a scan arrives", async () => {
  const { pair } = await pairWithFile(pdfBytes(1_500_000, 21));
  await using _pair = pair;
  const missing = documentRef({
    sha256: "ef".repeat(32),
    bytes: 4000,
    public: true,
    title: "Verbale mancante",
  });
  await pair.archive.db.transaction((tx) =>
    upsertRecords(tx, [act({ date: "2024-01-01", attachments: [missing] })], pair.archive.clock())
  );
  // About 6 s for the file at 2 Mbit/s.
  await using proxy = await startFaultProxy(pair.archiveUrl, () => ({ kind: "pass" }), {
    bitsPerSecond: 2_000_000,
    rttMs: 100,
  });
  const deps = pair.clientDeps({ url: proxy.url });
  const scheduler = startSyncScheduler({
    run: async (onProgress) => {
      const report = await syncOnce({ ...deps, onProgress });
      await runFileTransfers(fileDeps(pair, proxy.url), { ...fastOptions(), maxAttempts: 2 });
      return report;
    },
    intervalMs: 3_600_000,
    firstRunMs: 3_600_000,
    clock: pair.branch.clock,
    random: () => 0.5,
  });
  const { branch } = pair;
  const app = createApp({
    ...branch,
    config: { ...branch.config, archiveUrl: proxy.url, token: "x" },
    syncScheduler: scheduler,
  });
  await addUser(branch.db, "admin1", "admin", branch.clock());
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}`;
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await page.goto(`${url}/login`);
    await page.getByLabel("Nome utente").fill("admin1");
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Entra" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto(`${url}/admin/sync`);
    await page.getByText("Nessun file in coda").waitFor();

    await page.getByRole("button", { name: "Sincronizza ora" }).click();
    const bar = page.getByRole("progressbar", { name: "Avanzamento di Tavola 1" });
    await bar.waitFor();
    const first = Number(await bar.getAttribute("value"));
    await page.waitForFunction((v) => {
      const el = document.querySelector('progress[aria-label="Avanzamento di Tavola 1"]');
      return el === null || Number(el.getAttribute("value")) > v;
    }, first);
    await assertAccessible(page, "the sync page while a file arrives");
    // The file arrived; the one the archive lacks is left with its reason.
    await page.getByText("In linea").waitFor();
    await bar.waitFor({ state: "detached" });
    const queue = await page.locator("#file-queue").innerText();
    assert.match(queue, /Verbale mancante/);
    assert.match(queue, /Fermo/);
    assert.match(queue, /File non presente nell'archivio/);
    assert.doesNotMatch(queue, /Tavola 1/);
    await assertAccessible(page, "the sync page with a stuck file");
    assert.deepEqual(escaped, [], "requests that left loopback");
    await context.close();
  } finally {
    await browser.close();
    await scheduler.stop();
    await server.shutdown();
  }
});

/// <reference lib="dom" />
/**
 * The admin sync page in a real Chromium: "Sincronizza ora" starts a sync over a slow link,
 * the progress bar appears and updates by itself (htmx polling), and the page settles on
 * "In linea" when the sync ends; axe-core finds nothing on either state.
 */
import assert from "node:assert/strict";
import { createApp } from "../../app.ts";
import { createPageSizer } from "../../sync/backoff.ts";
import { syncOnce } from "../../sync/run_sync.ts";
import { startSyncScheduler } from "../../sync/scheduler.ts";
import { addUser, TEST_PASSWORD } from "../_access_client.ts";
import { createSyncPair } from "../_sync_setup.ts";
import { startFaultProxy } from "../fault_proxy.ts";
import { dossier } from "../fixtures.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";

Deno.test("Sincronizza ora shows a live progress bar until the branch is up to date", async () => {
  await using pair = await createSyncPair({
    archiveRecords: Array.from({ length: 60 }, () => dossier()),
  });
  // A slow link and small pages: the sync takes a few seconds, page after page.
  await using proxy = await startFaultProxy(pair.archiveUrl, () => ({ kind: "pass" }), {
    bitsPerSecond: 256_000,
    rttMs: 600,
  });
  const deps = pair.clientDeps({ url: proxy.url });
  const scheduler = startSyncScheduler({
    run: (onProgress) =>
      syncOnce({ ...deps, onProgress }, {
        pullSizer: createPageSizer({ initial: 8 * 1024, min: 4096, max: 8 * 1024 }),
      }),
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
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(`${url}/login`);
    await page.getByLabel("Nome utente").fill("admin1");
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Entra" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));

    await page.goto(`${url}/admin/sync`);
    await page.getByText("In attesa del primo collegamento").waitFor();
    await assertAccessible(page, "the idle sync page");

    await page.getByRole("button", { name: "Sincronizza ora" }).click();
    const bar = page.locator("progress#sync-progress");
    await bar.waitFor();
    await assertAccessible(page, "the sync page while syncing");
    // The bar moves without a reload: its value grows as pages are applied.
    const first = Number(await bar.getAttribute("value"));
    await page.waitForFunction((v) => {
      const el = document.querySelector("progress#sync-progress");
      return el === null || Number(el.getAttribute("value")) > v;
    }, first);
    // …and disappears when the sync is done.
    await page.getByText("In linea").waitFor();
    await bar.waitFor({ state: "detached" });
    assert.match(await page.locator("#sync-panel").innerText(), /Sincronizza ora/);
    assert.deepEqual(escaped, [], "requests that left loopback");
    await context.close();
  } finally {
    await browser.close();
    await scheduler.stop();
    await server.shutdown();
  }
});

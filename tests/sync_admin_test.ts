import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { auditLog } from "../db/schema.ts";
import { createApp } from "../app.ts";
import { enqueueMutation } from "../db/outbox.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { startSyncScheduler, type SyncScheduler } from "../sync/scheduler.ts";
import { addUser, TestClient } from "./_access_client.ts";
import { createSyncPair, type SyncPair, TEST_HANDLERS } from "./_sync_setup.ts";
import { dossier } from "./fixtures.ts";

const HOUR = 3_600_000;

/** The branch kiosk app with a scheduler that only runs when asked, and an admin logged in. */
async function adminOnBranch(
  pair: SyncPair,
  options: { url?: string; token?: string; admin?: string } = {},
) {
  const { admin = "admin1", ...link } = options;
  const deps = pair.clientDeps({ ...link, timeoutMs: 2000 });
  const scheduler: SyncScheduler = startSyncScheduler({
    run: (onProgress) => syncOnce({ ...deps, onProgress }, { maxAttempts: 1 }),
    intervalMs: HOUR,
    firstRunMs: HOUR,
    clock: pair.branch.clock,
    random: () => 0.5,
  });
  const { branch } = pair;
  const config = { ...branch.config, archiveUrl: deps.transport.archiveUrl, token: "x" };
  const app = createApp({ ...branch, config, syncScheduler: scheduler });
  await addUser(branch.db, admin, "admin", branch.clock());
  const client = new TestClient(app);
  assert.equal((await client.login(admin)).status, 303);
  return { scheduler, client };
}

Deno.test("the sync page is for admins only", async () => {
  await using pair = await createSyncPair();
  const anonymous = await pair.branch.app.request("/admin/sync");
  assert.equal(anonymous.status, 303);
  assert.match(anonymous.headers.get("location") ?? "", /^\/login/);
  await addUser(pair.branch.db, "clerk1", "clerk", pair.branch.clock());
  const clerk = new TestClient(pair.branch.app);
  await clerk.login("clerk1");
  assert.equal((await clerk.get("/admin/sync")).status, 403);
});

Deno.test("Sincronizza ora runs a sync with a live panel, then shows the branch up to date", async () => {
  await using pair = await createSyncPair({
    archiveRecords: [dossier(), dossier()],
    api: { handlers: TEST_HANDLERS },
  });
  const now = pair.branch.clock();
  await enqueueMutation(
    pair.branch.db,
    { entity: "test_reject", entityId: "r1", payload: {} },
    now,
  );
  const { scheduler, client } = await adminOnBranch(pair);
  try {
    const page = await client.get("/admin/sync");
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    const before = await page.text();
    assert.match(before, /In attesa del primo collegamento/);
    assert.match(before, /Sincronizza ora/);
    assert.doesNotMatch(before, /hx-trigger/, "no polling while idle");

    const started = await client.post("/admin/sync/avvia", {}, {
      headers: { "HX-Request": "true" },
    });
    assert.equal(started.status, 200);
    const live = await started.text();
    assert.match(live, /hx-trigger="load delay:1s"/, "the panel polls while the sync runs");
    assert.match(live, /<progress/);

    await scheduler.runNow();
    const after = await (await client.get("/admin/sync/pannello")).text();
    assert.match(after, /In linea/);
    assert.doesNotMatch(after, /hx-trigger/);
    assert.match(after, /Ultima ricezione completa<\/dt><dd class="col-sm-7">\d/);
    // The refused mutation is listed with the archive's reason.
    assert.match(after, /Dato rifiutato per prova/);

    // The trigger is audited, and the entry is on its way to the archive.
    const audited = await pair.branch.db.select().from(auditLog)
      .where(eq(auditLog.action, "sync_trigger"));
    assert.deepEqual(audited.map((e) => e.actor), ["admin1"]);

    // Without htmx the button is a plain form: 303 back to the page.
    const plain = await client.post("/admin/sync/avvia", {});
    assert.equal(plain.status, 303);
    await scheduler.runNow();
  } finally {
    await scheduler.stop();
  }
});

Deno.test("the admin sees a refused token and an unreachable archive", async () => {
  await using pair = await createSyncPair();
  const refused = await adminOnBranch(pair, { token: "wrong" });
  try {
    await refused.scheduler.runNow();
    const html = await (await refused.client.get("/admin/sync")).text();
    assert.match(html, /Rifiutata dall&#39;archivio|Rifiutata dall'archivio/);
    assert.match(html, /Token della sede non valido/);
  } finally {
    await refused.scheduler.stop();
  }
  // A port nothing listens on: the archive is down.
  const closed = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const url = `http://127.0.0.1:${closed.addr.port}`;
  closed.close();
  const down = await adminOnBranch(pair, { url, admin: "admin2" });
  try {
    await down.scheduler.runNow();
    assert.equal(down.scheduler.state().online, false);
    const html = await (await down.client.get("/admin/sync")).text();
    assert.match(html, /Archivio non raggiungibile/);
    assert.match(html, /Prossimo tentativo/);
  } finally {
    await down.scheduler.stop();
  }
});

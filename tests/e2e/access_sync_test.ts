/**
 * Issue 5 "Done when": a citizen files a request at branch A while the archive is down and
 * gets a slip; the archive comes back; the request reaches it exactly once; a clerk decides
 * it at the archive; the citizen sees the decision at branch B's kiosk. The archive runs on a
 * real loopback socket and the branches sync to it over HTTP.
 */
import assert from "node:assert/strict";
import { count, eq } from "drizzle-orm";
import { addBranch } from "../../db/branches.ts";
import { accessRequestEvents, accessRequests } from "../../db/schema.ts";
import { applyRecordChanges } from "../../search/record_index.ts";
import { countPendingMutations } from "../../db/outbox.ts";
import { syncOnce } from "../../sync/run_sync.ts";
import { createTestWorld, type TestWorld } from "../_world.ts";
import { dossier } from "../fixtures.ts";
import { addUser, TestClient } from "../_access_client.ts";

const CF = "RSSMRA85T10A562S";
const FAST = { sleep: () => Promise.resolve(), backoffBaseMs: 1, maxAttempts: 2 };

/** Serves `app` on a loopback port (a given one to come back on the same address). */
function serveOn(world: TestWorld, port = 0): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = Deno.serve({
      port,
      hostname: "127.0.0.1",
      onListen: (addr) => resolve({ port: addr.port, close: () => server.shutdown() }),
    }, world.app.fetch);
  });
}

function clientDeps(branch: TestWorld, port: number, token: string) {
  return {
    db: branch.db,
    clock: branch.clock,
    transport: { fetch, archiveUrl: `http://127.0.0.1:${port}`, token, timeoutMs: 5_000 },
    onRecordsChanged: (c: Parameters<typeof applyRecordChanges>[2]) =>
      applyRecordChanges(branch.db, branch.index, c),
  };
}

Deno.test("filed offline at one branch, decided at the archive, seen at another branch", async () => {
  const d = dossier();
  // Clocks differ as they would on three machines; the archive decides a day later.
  await using archive = await createTestWorld({
    records: [d],
    config: { role: "archive", branchName: "archivio" },
    clock: () => new Date("2025-03-04T10:00:00Z"),
  });
  await using branchA = await createTestWorld({
    config: { branchCode: "K2", branchName: "sede-A" },
    clock: () => new Date("2025-03-03T09:00:00Z"),
  });
  await using branchB = await createTestWorld({
    config: { branchCode: "M7", branchName: "sede-B" },
    clock: () => new Date("2025-03-05T09:00:00Z"),
  });
  const tokenA = await addBranch(archive.db, "sede-A", archive.clock());
  const tokenB = await addBranch(archive.db, "sede-B", archive.clock());
  let server = await serveOn(archive);
  const port = server.port;
  await syncOnce(clientDeps(branchA, port, tokenA), FAST);
  await syncOnce(clientDeps(branchB, port, tokenB), FAST);

  // The archive goes down; the citizen at branch A files and gets a slip at once.
  await server.close();
  const citizen = new TestClient(branchA.app);
  await citizen.get(`/richieste/nuova?record=dossier:${d.id}`);
  const filed = await citizen.post("/richieste/nuova", {
    record: `dossier:${d.id}`,
    requesterName: "Mario Rossi",
    taxCode: CF,
    regime: "civico_generalizzato",
    mode: "view",
    privacyAck: "1",
    confirm: "1",
  });
  assert.equal(filed.status, 303);
  const slip = await (await citizen.get("/richieste/ricevuta")).text();
  const code = /data-testid="receipt-code">([^<]+)</.exec(slip)?.[1] ?? "";
  assert.match(code, /^K2/);
  await assert.rejects(syncOnce(clientDeps(branchA, port, tokenA), FAST));
  assert.equal(await countPendingMutations(branchA.db), 1, "the request waits in the outbox");

  // The archive comes back on the same address; the request goes up, once, even if the
  // branch syncs again.
  server = await serveOn(archive, port);
  try {
    const up = await syncOnce(clientDeps(branchA, port, tokenA), FAST);
    assert.ok(up.pushed >= 1);
    await syncOnce(clientDeps(branchA, port, tokenA), FAST);
    assert.equal(await countPendingMutations(branchA.db), 0);
    const rows = await archive.db.select().from(accessRequests)
      .where(eq(accessRequests.receiptCode, code));
    assert.equal(rows.length, 1);
    const [events] = await archive.db.select({ n: count() }).from(accessRequestEvents)
      .where(eq(accessRequestEvents.requestId, rows[0]?.id ?? ""));
    assert.equal(events?.n, 1);

    // A clerk at the archive reviews and accepts it.
    await addUser(archive.db, "capo", "clerk", archive.clock());
    const clerk = new TestClient(archive.app);
    await clerk.login("capo");
    const queue = await (await clerk.get("/sportello")).text();
    assert.ok(queue.includes(code));
    const id = rows[0]?.id ?? "";
    await clerk.get(`/sportello/richieste/${id}`);
    const action = `/sportello/richieste/${id}/azione`;
    assert.equal((await clerk.post(action, { action: "start_review" })).status, 303);
    const decided = await clerk.post(action, {
      action: "decide",
      outcome: "accepted",
      consultationPlace: "Archivio centrale",
      consultationFrom: "2025-03-10",
      consultationTo: "2025-03-31",
    });
    assert.equal(decided.status, 303);

    // Branch B has never seen this request; after its sync the citizen checks there.
    await syncOnce(clientDeps(branchB, port, tokenB), FAST);
    const kioskB = new TestClient(branchB.app);
    await kioskB.get("/richieste/stato");
    const status = await kioskB.post("/richieste/stato", { code, taxCode: CF });
    assert.equal(status.status, 200);
    const answer = await status.text();
    assert.match(answer, /Stato: <strong>Accolta<\/strong>/);
    // Branch A catches up too, and its outbox does not echo the archive's decision back.
    await syncOnce(clientDeps(branchA, port, tokenA), FAST);
    const local = await branchA.db.select().from(accessRequests)
      .where(eq(accessRequests.receiptCode, code)).get();
    assert.equal(local?.state, "accepted");
    assert.equal(await countPendingMutations(branchA.db), 0);
  } finally {
    await server.close();
  }
});

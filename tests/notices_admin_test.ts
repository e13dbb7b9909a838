/**
 * `/admin/avvisi` on the archive: admins see the notices set aside with their reason and the
 * pending ones with their next attempt; "riprova" puts one back in the queue; clerks and the
 * public are kept out, and a branch has no such page (its notices are the archive's).
 */
import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { addUser, TestClient } from "./_access_client.ts";
import { manualClock, startChannels } from "./_notice_setup.ts";
import { createAccessRequest } from "../db/access_requests.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";
import { runNoticeSendRound } from "../notices/sender_job.ts";
import { notices } from "../db/schema.ts";

const CF = "RSSMRA85T10A562S";

Deno.test("admins see set-aside notices with the reason, pending ones, and can retry", async () => {
  await using world = await createTestWorld({ config: { role: "archive" } });
  await using ch = await startChannels();
  const clock = manualClock();
  const r = await createAccessRequest(world.db, {
    regime: "civico_generalizzato",
    requesterName: "Mario Rossi",
    taxCode: CF,
    email: "mario.rossi@example.it",
    notifyAppIo: true,
    mode: "view",
    records: [],
    recordsDescription: "Licenza edilizia del 1987, via Roma 12",
  }, {
    now: clock(),
    branch: "archivio",
    branchCode: "AR",
    outbox: false,
    settings: DEFAULT_DEADLINE_SETTINGS,
  });
  // App IO: no profile (set aside); e-mail: the server asks to try later (pending).
  ch.sink.rejectRcpt.push(451);
  await runNoticeSendRound(ch.deps(world.db, clock));

  await addUser(world.db, "anna", "admin", world.clock());
  await addUser(world.db, "carlo", "clerk", world.clock());
  const admin = new TestClient(world.app);
  await admin.login("anna");
  const page = await (await admin.get("/admin/avvisi")).text();
  assert.match(page, /href="\/admin\/avvisi"[^>]*>Avvisi ai cittadini</);
  const failed = /data-testid="notices-failed">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? "";
  assert.ok(failed.includes(r.receiptCode));
  assert.match(failed, /non ha un profilo su IO/);
  assert.match(failed, /Riprova/);
  // The recipient is shown in part only.
  assert.ok(!page.includes(CF));
  const pending = /data-testid="notices-pending">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? "";
  assert.match(pending, /SMTP 451/);
  assert.match(pending, /E-mail/);

  const [set] = (await world.db.select().from(notices)).filter((n) => n.channel === "app_io");
  const retried = await admin.post("/admin/avvisi/riprova", { id: set?.id ?? "" });
  assert.equal(retried.status, 200);
  assert.match(await retried.text(), /Avviso rimesso in coda/);
  const again = await admin.post("/admin/avvisi/riprova", { id: set?.id ?? "" });
  assert.equal(again.status, 404);
  assert.match(await again.text(), /non è più tra quelli messi da parte/);

  const clerk = new TestClient(world.app);
  await clerk.login("carlo");
  assert.equal((await clerk.get("/admin/avvisi")).status, 403);
  const anonymous = new TestClient(world.app);
  assert.notEqual((await anonymous.get("/admin/avvisi")).status, 200);
});

Deno.test("a branch has no notices page: its notices are sent by the archive", async () => {
  await using world = await createTestWorld();
  await addUser(world.db, "anna", "admin", world.clock());
  const admin = new TestClient(world.app);
  await admin.login("anna");
  assert.equal((await admin.get("/admin/avvisi")).status, 404);
  // Nor a link to one in the staff bar.
  const fees = await (await admin.get("/admin/tariffe")).text();
  assert.match(fees, /href="\/admin\/sync"/);
  assert.doesNotMatch(fees, /\/admin\/avvisi/);
});

import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { dossier } from "./fixtures.ts";
import { fileRequest, seedFeeTable, SEGREGATION } from "./_pagopa_setup.ts";
import { findNotice, openPendingNotices } from "../db/payment_notices.ts";
import { paymentNotices } from "../db/schema.ts";
import { isValidNoticeNumber } from "../domain/pagopa_notice.ts";

const SETTINGS = {
  enteFiscalCode: "12345678903",
  enteName: "Comune di Borgo Esempio",
  segregationCode: SEGREGATION,
  dueDays: 30,
};

Deno.test("every notice gets its own IUV, numbered per year, and the DB refuses a repeat", async () => {
  const d = dossier({ year: 2000 });
  await using world = await createTestWorld({ records: [d], config: { role: "archive" } });
  await seedFeeTable(world.db, world.clock());
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) {
    ids.push((await fileRequest(world.db, world.clock(), [{ kind: "dossier", id: d.id }])).id);
  }
  // A second round finds nothing left to open: each request gets one notice.
  assert.equal(await openPendingNotices(world.db, SETTINGS, world.clock()), 40);
  assert.equal(await openPendingNotices(world.db, SETTINGS, world.clock()), 0);
  const notices = await world.db.select().from(paymentNotices);
  assert.equal(notices.length, 40);
  assert.equal(new Set(notices.map((n) => n.iuv)).size, 40);
  assert.ok(notices.every((n) => isValidNoticeNumber(n.noticeNumber)));
  const bases = notices.map((n) => n.iuv.slice(2, 15)).sort();
  assert.equal(bases[0], "2025000000001");
  assert.equal(bases[39], "2025000000040");
  // A new year starts its own numbering.
  const next = await fileRequest(world.db, new Date("2026-01-02T09:00:00Z"), [{
    kind: "dossier",
    id: d.id,
  }]);
  await openPendingNotices(world.db, SETTINGS, new Date("2026-01-02T09:00:00Z"));
  assert.equal((await findNotice(world.db, next.id))?.iuv.slice(2, 15), "2026000000001");
  // The unique index is the last guard.
  const first = notices[0];
  assert.ok(first);
  await assert.rejects(
    world.db.insert(paymentNotices).values({ ...first, requestId: "altra", noticeNumber: "x" }),
  );
});

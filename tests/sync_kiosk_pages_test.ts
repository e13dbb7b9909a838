/**
 * The page sizes a kiosk asks the archive for (sync/branch_sync.ts kioskSizers): large pages
 * while its first pull fills an empty branch (fewer bytes on the wire: each page carries its
 * own tables), small ones once it holds the archive and searches run beside each sync.
 */
import assert from "node:assert/strict";
import { generateArchive } from "../demo/demo_archive.ts";
import { countRecords, upsertRecords } from "../db/records.ts";
import type { RecordDoc } from "../domain/records.ts";
import { FIRST_PULL_MAX_PAGE } from "../sync/branch_sync.ts";
import { lastSuccessfulPullAt } from "../sync/sync_state.ts";
import { searchRecords } from "../search/search_records.ts";
import { parseSearchParams } from "../search/types.ts";
import { createSyncPair, startPairBranchSync } from "./_sync_setup.ts";
import { VOCAB } from "./_search_world.ts";

const STEADY_MAX_PAGE = 512 * 1024;

/** The generated dossiers, each subject ending with `edit` (a new edition of each). */
function dossiers(edit: string): RecordDoc[] {
  return [...generateArchive({ seed: 7, dossiers: 2_500, acts: 0 })].map((d) => ({
    ...d,
    subject: `${d.subject ?? ""} ${edit}`.trim(),
  }));
}

Deno.test("a kiosk's first pull grows its pages past 512 KiB, later pulls stay within it", async () => {
  await using pair = await createSyncPair({ archiveRecords: dossiers("") });
  // Every page the kiosk asks for, as max_bytes, and whether a pull had completed by then.
  const asked: { maxBytes: number; afterFirstPull: boolean }[] = [];
  let firstPullDone = false;
  const recordingFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const maxBytes = url.searchParams.get("max_bytes");
    if (url.pathname.endsWith("/changes") && maxBytes !== null) {
      asked.push({ maxBytes: Number(maxBytes), afterFirstPull: firstPullDone });
    }
    return fetch(input, init);
  };
  const scheduler = startPairBranchSync(pair, { fetch: recordingFetch });
  try {
    const deadline = Date.now() + 60_000;
    while ((await lastSuccessfulPullAt(pair.branch.db)) === undefined) {
      assert.ok(Date.now() < deadline, "the first pull never completed");
      await new Promise((r) => setTimeout(r, 20));
    }
    while (scheduler.state().running) {
      assert.ok(Date.now() < deadline, "the first run never ended");
      await new Promise((r) => setTimeout(r, 20));
    }
    firstPullDone = true;
    const first = asked.filter((a) => !a.afterFirstPull);
    assert.ok(
      first.some((a) => a.maxBytes > STEADY_MAX_PAGE),
      `first pull asked for ${first.map((a) => a.maxBytes).join(", ")}`,
    );
    assert.ok(first.every((a) => a.maxBytes <= FIRST_PULL_MAX_PAGE));
    // Every dossier edited on the archive: a later pull as large as the first, in small pages.
    await pair.archive.db.transaction((tx) =>
      upsertRecords(tx, dossiers("(rettificato)"), pair.archive.clock())
    );
    await scheduler.runNow();
    const later = asked.filter((a) => a.afterFirstPull);
    assert.ok(later.length > 1, `${later.length} pages asked after the first pull`);
    assert.ok(
      later.every((a) => a.maxBytes <= STEADY_MAX_PAGE),
      `later pull asked for ${later.map((a) => a.maxBytes).join(", ")}`,
    );
  } finally {
    await scheduler.stop();
  }
  const counts = await countRecords(pair.branch.db);
  const edited = await searchRecords(
    pair.branch.db,
    pair.branch.index,
    parseSearchParams(new URLSearchParams({ q: "rettificato" }), VOCAB),
    "clerk",
    pair.branch.clock,
  );
  assert.equal(counts.dossiers, 2_500);
  assert.equal(edited.total, 2_500, "every dossier is there as edited, and found so");
});

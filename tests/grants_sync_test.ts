/**
 * Grants across a branch and the archive over real HTTP on loopback (tests/_sync_setup.ts):
 * up through the outbox, down through the feed, a revocation winning, and the branch pinning
 * the granted files until the grant ends without dropping a clerk's own pin.
 */
import assert from "node:assert/strict";
import { createSyncPair } from "./_sync_setup.ts";
import { createTestWorld } from "./_world.ts";
import { acceptWithTitle, actor, fileDocumentale, scannedDossier } from "./_grant_world.ts";
import { createGrant, grantedDocumentsFor, readGrant, revokeGrant } from "../db/access_grants.ts";
import { applyGrantSnapshot } from "../db/access_grant_sync.ts";
import { readAccessRequest } from "../db/access_requests.ts";
import { documentFileState, recordDocumentFiles, wantDocumentFile } from "../db/document_files.ts";
import { grantPinsOf, reconcileGrantPins } from "../db/grant_pins.ts";
import { countPendingMutations } from "../db/outbox.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { runFileTransfers } from "../sync/file_transfer.ts";
import { evictToBudget } from "../sync/file_queue.ts";
import { ingestedRows, ingestFile } from "../documents/ingest.ts";
import { fastOptions, fileDeps, pdfBytes, sha256Hex } from "./_file_sync.ts";
import { documentRef, dossier } from "./fixtures.ts";

const FAST = { sleep: () => Promise.resolve() };

Deno.test("a grant made at a branch reaches the archive, and one made at the archive the branch", async () => {
  const d = scannedDossier();
  await using pair = await createSyncPair({ archiveRecords: [d] });
  const { archive, branch } = pair;
  await syncOnce(pair.clientDeps(), FAST);
  const req = await fileDocumentale(branch, [d.id]);
  await acceptWithTitle(branch, req.id);
  const atBranch = await createGrant(branch.db, req.id, {
    scope: "documents",
    documents: [{ recordKind: "dossier", recordId: d.id, sha256: "b".repeat(64) }],
    mode: "copy",
    validUntil: "2025-05-31",
  }, actor(branch, "bruno"));
  await syncOnce(pair.clientDeps(), FAST);
  assert.equal(await countPendingMutations(branch.db), 0);
  const up = await readGrant(archive.db, atBranch.grant.id);
  assert.deepEqual({ ...up?.grant, seq: 0 }, { ...atBranch.grant, seq: 0 });
  assert.deepEqual(up?.documents, atBranch.documents);
  assert.equal((await readAccessRequest(archive.db, req.id))?.request.titleKind, "owner");
  // The archive's viewer would now allow the one document, as the branch's does.
  assert.deepEqual(
    (await grantedDocumentsFor(archive.db, req.id, archive.clock()))?.documents.map((g) =>
      g.position
    ),
    [1],
  );

  // A grant made at the archive comes down, and the branch does not echo it back up.
  const atArchive = await createGrant(archive.db, req.id, {
    scope: "whole",
    mode: "view",
    validUntil: "2025-06-01",
  }, actor(archive, "capo"));
  await syncOnce(pair.clientDeps(), FAST);
  const down = await readGrant(branch.db, atArchive.grant.id);
  assert.equal(down?.grant.createdBy, "capo");
  assert.equal(down?.grant.branch, archive.config.branchName);
  assert.equal(await countPendingMutations(branch.db), 0);
  assert.equal((await grantedDocumentsFor(branch.db, req.id, branch.clock()))?.documents.length, 3);
});

Deno.test("a revocation wins: the earlier one is kept everywhere and nothing un-revokes", async () => {
  const d = scannedDossier();
  await using pair = await createSyncPair({ archiveRecords: [d] });
  const { archive, branch } = pair;
  await syncOnce(pair.clientDeps(), FAST);
  const req = await fileDocumentale(branch, [d.id]);
  await acceptWithTitle(branch, req.id);
  const made = await createGrant(branch.db, req.id, {
    scope: "whole",
    mode: "view",
    validUntil: "2025-06-01",
  }, actor(branch));
  const before = structuredClone(made);
  await syncOnce(pair.clientDeps(), FAST);
  // Both revoke it, the archive first; the branch, offline, an hour later.
  const ten = new Date("2025-03-03T10:00:00Z");
  const eleven = new Date("2025-03-03T11:00:00Z");
  await revokeGrant(
    archive.db,
    made.grant.id,
    "Titolo non più valido",
    actor(archive, "capo", ten),
  );
  await revokeGrant(
    branch.db,
    made.grant.id,
    "Richiesta del proprietario",
    actor(branch, "anna", eleven),
  );
  await syncOnce(pair.clientDeps(), FAST);
  const there = (await readGrant(archive.db, made.grant.id))?.grant;
  const here = (await readGrant(branch.db, made.grant.id))?.grant;
  assert.equal(there?.revokedAt, ten.toISOString());
  assert.equal(there?.revocationReason, "Titolo non più valido");
  assert.equal(here?.revokedAt, there?.revokedAt, "the branch ends with the archive's revocation");
  assert.equal(here?.revocationReason, there?.revocationReason);
  assert.equal(here?.revokedBy, "capo");
  // An old, unrevoked copy arriving later (a replayed push, an old feed page) changes nothing.
  for (const db of [archive.db, branch.db]) {
    assert.equal(await db.transaction((tx) => applyGrantSnapshot(tx, before)), "stale");
    assert.equal((await readGrant(db, made.grant.id))?.grant.revokedAt, ten.toISOString());
    assert.equal(await grantedDocumentsFor(db, req.id, ten), undefined);
  }
});

Deno.test("a branch pins a grant's files until it ends, keeping a clerk's own pin", async () => {
  const d = scannedDossier();
  await using world = await createTestWorld({ records: [d] });
  const name = world.config.branchName;
  const [a, b, c] = ["a", "b", "c"].map((x) => x.repeat(64));
  const req = await fileDocumentale(world, [d.id]);
  await acceptWithTitle(world, req.id);
  // A clerk's "Scarica in sede" of the first scan, before any grant.
  await world.db.transaction((tx) =>
    wantDocumentFile(tx, { sha256: a!, mime: "application/pdf", bytes: 1000 }, world.clock())
  );
  const whole = await createGrant(world.db, req.id, {
    scope: "whole",
    mode: "view",
    validUntil: "2025-03-10",
  }, actor(world));
  const pinned = async (sha: string) => (await documentFileState(world.db, sha))?.pinned ?? false;
  // Made here: pinned in the grant's own transaction, bytes never seen here included.
  assert.deepEqual([await pinned(a!), await pinned(b!), await pinned(c!)], [true, true, true]);
  assert.equal((await documentFileState(world.db, c!))?.present, false);
  // A second grant names the third scan for longer: two holders of one file.
  await createGrant(world.db, req.id, {
    scope: "documents",
    documents: [{ recordKind: "dossier", recordId: d.id, sha256: c! }],
    mode: "copy",
    validUntil: "2025-04-30",
  }, actor(world));
  assert.equal((await grantPinsOf(world.db, [c!])).get(c!)?.length, 2);

  // The first grant expires by the clock: its pins go, the clerk's and the other grant's stay.
  const later = new Date("2025-03-11T08:00:00Z");
  assert.deepEqual(await reconcileGrantPins(world.db, name, later), { added: 0, removed: 3 });
  assert.deepEqual([await pinned(a!), await pinned(b!), await pinned(c!)], [true, false, true]);
  // Revoking the second lets the third scan go too; the clerk's pin still holds the first.
  const stillActive = (await grantedDocumentsFor(world.db, req.id, later))!.grantIds;
  assert.equal(stillActive.length, 1, "only the second grant is still active");
  assert.notEqual(stillActive[0], whole.grant.id);
  await revokeGrant(
    world.db,
    stillActive[0]!,
    "Pratica da riesaminare",
    actor(world, "anna", later),
  );
  assert.deepEqual([await pinned(a!), await pinned(b!), await pinned(c!)], [true, false, false]);
  // Grants of requests filed at another branch are not pinned here.
  assert.deepEqual(await reconcileGrantPins(world.db, "sede-altrove", world.clock()), {
    added: 0,
    removed: 0,
  });
});

Deno.test("a branch learning of an archive grant fetches its files first, and lets them go after revocation", async () => {
  const bytes = [pdfBytes(40_000, 1), pdfBytes(30_000, 2)];
  const [shaA, shaB] = bytes.map(sha256Hex);
  const d = dossier({
    documents: bytes.map((x, i) =>
      documentRef({ sha256: sha256Hex(x), bytes: x.byteLength, title: `Scansione ${i + 1}` })
    ),
  });
  await using pair = await createSyncPair({ archiveRecords: [d], files: true });
  const { archive, branch } = pair;
  for (const x of bytes) {
    const file = await ingestFile(pair.archiveStore!, { bytes: x }, { clock: archive.clock });
    await archive.db.transaction((tx) =>
      recordDocumentFiles(tx, ingestedRows(file, archive.clock()))
    );
  }
  const name = branch.config.branchName;
  const deps = { ...pair.clientDeps(), branchName: name };
  await syncOnce(deps, FAST);
  const req = await fileDocumentale(branch, [d.id]);
  // The clerk at the branch asks for the first scan on their own.
  await branch.db.transaction((tx) =>
    wantDocumentFile(tx, { sha256: shaA!, mime: "application/pdf", bytes: 40_000 }, branch.clock())
  );
  await syncOnce(deps, FAST);
  // The archive's desk checks the title, accepts and grants the whole dossier.
  await acceptWithTitle(archive, req.id);
  const grant = await createGrant(archive.db, req.id, {
    scope: "whole",
    mode: "view",
    validUntil: "2025-06-01",
  }, actor(archive, "capo"));
  await syncOnce(deps, FAST);
  assert.deepEqual((await grantPinsOf(branch.db, [shaA!, shaB!])).get(shaB!), [grant.grant.id]);
  assert.equal((await documentFileState(branch.db, shaB!))?.pinned, true);
  // A tiny budget: only pinned files come, and both do.
  const report = await runFileTransfers(
    { ...fileDeps(pair, pair.archiveUrl, 1), branchName: name },
    fastOptions(),
  );
  assert.equal(report.downloaded, 2);
  assert.equal((await documentFileState(branch.db, shaB!))?.present, true);

  await revokeGrant(archive.db, grant.grant.id, "Delega revocata", actor(archive, "capo"));
  await syncOnce(deps, FAST);
  assert.equal((await documentFileState(branch.db, shaB!))?.pinned, false);
  assert.equal((await documentFileState(branch.db, shaA!))?.pinned, true, "the clerk's pin stays");
  // Over budget, the granted scan may now go; the clerk's stays.
  const freed = await evictToBudget(branch.db, pair.branchStore!, 1, new Set(), branch.clock());
  assert.equal(freed.files, 1);
  assert.equal((await documentFileState(branch.db, shaB!))?.present, false);
  assert.equal((await documentFileState(branch.db, shaA!))?.present, true);
});

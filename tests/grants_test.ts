/**
 * Title check and grants in the DB (issue 11): the title before a documentale acceptance,
 * grants with defaults or chosen documents, revocation with a reason, expiry by the caller's
 * clock, each write with its audit entry and outbox row.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "./_world.ts";
import { ACCEPT, acceptWithTitle, actor, fileDocumentale, scannedDossier } from "./_grant_world.ts";
import {
  activeGrantFor,
  createGrant,
  grantedDocument,
  grantedDocumentsFor,
  grantsForRequest,
  readGrant,
  recordTitle,
  revokeGrant,
} from "../db/access_grants.ts";
import { applyDeskAction } from "../db/access_decisions.ts";
import { readAccessRequest } from "../db/access_requests.ts";
import { readGrantDays, saveDeskSettings } from "../db/access_settings.ts";
import { listAudit } from "../db/audit.ts";
import { pendingMutations } from "../db/outbox.ts";
import { addDays, DEFAULT_DEADLINE_SETTINGS, localDate } from "../domain/access_deadline.ts";
import { AccessRuleError } from "../domain/access_states.ts";
import { grantStateAt } from "../domain/access_grants.ts";
import { createAccessRequest } from "../db/access_requests.ts";

const SHA = (x: string) => x.repeat(64);

Deno.test("a documentale request cannot be accepted before the desk records the title", async () => {
  const d = scannedDossier();
  await using world = await createTestWorld({ records: [d] });
  const req = await fileDocumentale(world, [d.id]);
  const ctx = { ...actor(world), settings: DEFAULT_DEADLINE_SETTINGS };
  await applyDeskAction(world.db, req.id, { kind: "start_review" }, "anna", ctx);
  for (const outcome of ["accepted", "partially_accepted"] as const) {
    await assert.rejects(
      applyDeskAction(
        world.db,
        req.id,
        {
          kind: "decide",
          decision: { ...ACCEPT, outcome, reason: "Parziale", legalBasis: "L. 241/1990 art. 24" },
        },
        "anna",
        ctx,
      ),
      (e) => e instanceof AccessRuleError && e.field === "titleKind",
    );
  }
  assert.equal((await readAccessRequest(world.db, req.id))?.request.state, "in_review");
  // The title's basis is required, and its kind must be one of the list.
  await assert.rejects(
    recordTitle(world.db, req.id, { kind: "owner", basis: "  " }, actor(world)),
    (e) => e instanceof AccessRuleError && e.field === "titleBasis",
  );
  await assert.rejects(
    recordTitle(world.db, req.id, { kind: "king" as "owner", basis: "x" }, actor(world)),
    (e) => e instanceof AccessRuleError && e.field === "titleKind",
  );
  const titled = await recordTitle(world.db, req.id, {
    kind: "technician",
    basis: "Delega del proprietario del 2 marzo 2025",
  }, actor(world, "bruno"));
  assert.equal(titled.titleKind, "technician");
  assert.equal(titled.titleRecordedBy, "bruno");
  assert.equal(titled.titleRecordedAt, world.clock().toISOString());
  const accepted = await applyDeskAction(
    world.db,
    req.id,
    { kind: "decide", decision: ACCEPT },
    "anna",
    ctx,
  );
  assert.equal(accepted.state, "accepted");
  // The title travels with the request's snapshot, and its entry is in the audit log.
  const queued = (await pendingMutations(world.db, 100)).filter((m) =>
    m.entity === "access_request"
  );
  assert.ok(
    queued.some((m) =>
      (m.payload as { request: { titleKind: string } }).request.titleKind === "technician"
    ),
  );
  assert.ok(
    (await listAudit(world.db, {})).some((e) =>
      e.action === "record_title" && e.recordId === req.id
    ),
  );
});

Deno.test("the title is only for documentale requests", async () => {
  await using world = await createTestWorld();
  const civic = await createAccessRequest(world.db, {
    regime: "civico_generalizzato",
    requesterName: "Lucia Verdi",
    taxCode: "MRTMTT91D08F205J",
    mode: "view",
    records: [],
    recordsDescription: "Delibere 2019",
  }, { ...actor(world), branchCode: "K2", settings: DEFAULT_DEADLINE_SETTINGS });
  await assert.rejects(
    recordTitle(world.db, civic.id, { kind: "owner", basis: "Atto" }, actor(world)),
    /solo per l'accesso documentale/,
  );
});

Deno.test("a grant with the defaults covers the whole dossier for the set days, audited and queued", async () => {
  const d = scannedDossier();
  await using world = await createTestWorld({ records: [d] });
  const req = await fileDocumentale(world, [d.id]);
  // Not before the acceptance.
  const today = localDate(world.clock());
  const defaults = {
    scope: "whole" as const,
    mode: "view" as const,
    validUntil: addDays(today, 90),
  };
  await assert.rejects(createGrant(world.db, req.id, defaults, actor(world)), /accolta/);
  await acceptWithTitle(world, req.id);
  assert.equal(await readGrantDays(world.db), 90, "90 days until an admin says otherwise");
  await saveDeskSettings(world.db, {
    deadline: DEFAULT_DEADLINE_SETTINGS,
    idleSeconds: 120,
    grantDays: 60,
  }, { ...actor(world), actor: "admin" });
  assert.equal(await readGrantDays(world.db), 60);

  const snap = await createGrant(world.db, req.id, defaults, actor(world));
  assert.equal(snap.grant.scope, "whole");
  assert.equal(snap.grant.createdBy, "anna");
  assert.equal(snap.grant.branch, world.config.branchName);
  assert.equal(snap.grant.revokedAt, null);
  const granted = await grantedDocumentsFor(world.db, req.id, world.clock());
  assert.deepEqual(granted?.documents.map((g) => [g.position, g.sha256, g.mode]), [
    [0, SHA("a"), "view"],
    [1, SHA("b"), "view"],
    [2, SHA("c"), "view"],
  ]);
  assert.equal(granted?.validUntil, "2025-06-01");
  assert.deepEqual(granted?.grantIds, [snap.grant.id]);
  assert.equal((await activeGrantFor(world.db, req.id, world.clock()))?.grant.id, snap.grant.id);
  // Its audit entry and its outbox row, with the whole snapshot.
  const entry = (await listAudit(world.db, {})).find((e) => e.action === "grant_create");
  assert.equal(entry?.recordId, req.id);
  assert.equal(entry?.actor, "anna");
  const queued = (await pendingMutations(world.db, 100)).find((m) => m.entity === "access_grant");
  assert.equal(queued?.entityId, snap.grant.id);
  assert.deepEqual(queued?.payload, JSON.parse(JSON.stringify(snap)));
  // Another request's documents are not granted by it.
  const other = scannedDossier({ documents: [] });
  assert.equal(
    await grantedDocument(world.db, req.id, {
      recordKind: "dossier",
      recordId: other.id,
      position: 0,
    }, world.clock()),
    undefined,
  );
});

Deno.test("a grant of chosen documents allows those only", async () => {
  const d = scannedDossier();
  const elsewhere = scannedDossier({
    documents: [scannedDossier().documents![0]!].map((x) => ({ ...x, sha256: SHA("e") })),
  });
  await using world = await createTestWorld({ records: [d, elsewhere] });
  const req = await fileDocumentale(world, [d.id]);
  await acceptWithTitle(world, req.id);
  const base = { scope: "documents" as const, mode: "copy" as const, validUntil: "2025-04-30" };
  await assert.rejects(
    createGrant(world.db, req.id, { ...base, documents: [] }, actor(world)),
    (e) => e instanceof AccessRuleError && e.field === "grantDocuments",
  );
  // A document of a record the request does not ask for is refused, as is a guessed hash.
  for (
    const bad of [
      { recordKind: "dossier" as const, recordId: elsewhere.id, sha256: SHA("e") },
      { recordKind: "dossier" as const, recordId: d.id, sha256: SHA("f") },
    ]
  ) {
    await assert.rejects(
      createGrant(world.db, req.id, { ...base, documents: [bad] }, actor(world)),
      (e) => e instanceof AccessRuleError && e.field === "grantDocuments",
    );
  }
  await assert.rejects(
    createGrant(
      world.db,
      req.id,
      { ...base, validUntil: "2025-03-02", documents: [] },
      actor(world),
    ),
    AccessRuleError,
  );
  const chosen = [
    { recordKind: "dossier" as const, recordId: d.id, sha256: SHA("a") },
    { recordKind: "dossier" as const, recordId: d.id, sha256: SHA("c") },
  ];
  const snap = await createGrant(world.db, req.id, { ...base, documents: chosen }, actor(world));
  assert.deepEqual(snap.documents, chosen);
  const granted = await grantedDocumentsFor(world.db, req.id, world.clock());
  assert.deepEqual(granted?.documents.map((g) => [g.position, g.title, g.mode]), [
    [0, "Tavola 1", "copy"],
    [2, "Tavola 3", "copy"],
  ]);
  const at = (position: number) =>
    grantedDocument(
      world.db,
      req.id,
      { recordKind: "dossier", recordId: d.id, position },
      world.clock(),
    );
  assert.equal((await at(0))?.sha256, SHA("a"));
  assert.equal(await at(1), undefined, "the document left out is not granted");
  assert.equal(await at(7), undefined);
  assert.deepEqual((await readGrant(world.db, snap.grant.id))?.documents, chosen);
});

Deno.test("revoking a grant needs a reason; a revoked grant allows nothing and stays revoked", async () => {
  const d = scannedDossier();
  await using world = await createTestWorld({ records: [d] });
  const req = await fileDocumentale(world, [d.id]);
  await acceptWithTitle(world, req.id);
  const snap = await createGrant(world.db, req.id, {
    scope: "whole",
    mode: "view",
    validUntil: "2025-06-01",
  }, actor(world));
  for (const reason of ["", "   "]) {
    await assert.rejects(
      revokeGrant(world.db, snap.grant.id, reason, actor(world)),
      (e) => e instanceof AccessRuleError && e.field === "reason",
    );
  }
  assert.equal(
    (await readGrant(world.db, snap.grant.id))?.grant.revokedAt,
    null,
    "nothing written",
  );
  const revoked = await revokeGrant(
    world.db,
    snap.grant.id,
    "Delega ritirata dal proprietario",
    actor(world, "carla"),
  );
  assert.equal(revoked.grant.revokedBy, "carla");
  assert.equal(revoked.grant.revocationReason, "Delega ritirata dal proprietario");
  assert.equal(grantStateAt(revoked.grant, world.clock()), "revoked");
  assert.equal(await grantedDocumentsFor(world.db, req.id, world.clock()), undefined);
  assert.equal(await activeGrantFor(world.db, req.id, world.clock()), undefined);
  await assert.rejects(
    revokeGrant(world.db, snap.grant.id, "Di nuovo", actor(world)),
    /già stata revocata/,
  );
  await assert.rejects(revokeGrant(world.db, "nessuna", "Motivo", actor(world)), /non trovata/);
  assert.ok(
    (await listAudit(world.db, {})).some((e) =>
      e.action === "grant_revoke" &&
      e.detail === "concessione di tutta la pratica, solo visione, fino al 2025-06-01"
    ),
  );
  const queued = (await pendingMutations(world.db, 100)).filter((m) => m.entity === "access_grant");
  assert.equal(queued.length, 2, "the grant and its revocation both go up");
  assert.equal((await grantsForRequest(world.db, req.id)).length, 1);
});

Deno.test("a grant expires by the clock the caller passes, through its whole last day in Rome", async () => {
  const d = scannedDossier();
  await using world = await createTestWorld({ records: [d] });
  const req = await fileDocumentale(world, [d.id]);
  await acceptWithTitle(world, req.id);
  await createGrant(
    world.db,
    req.id,
    { scope: "whole", mode: "view", validUntil: "2025-03-10" },
    actor(world),
  );
  // 23:00 in Rome on the last day: still valid; 00:30 the next day: expired.
  const lastEvening = new Date("2025-03-10T22:00:00Z");
  const nextNight = new Date("2025-03-10T23:30:00Z");
  assert.equal((await grantedDocumentsFor(world.db, req.id, lastEvening))?.documents.length, 3);
  assert.equal(await grantedDocumentsFor(world.db, req.id, nextNight), undefined);
  assert.equal(await activeGrantFor(world.db, req.id, nextNight), undefined);
  const [only] = await grantsForRequest(world.db, req.id);
  assert.equal(grantStateAt(only!.grant, nextNight), "expired");
  // A clock set back (a branch's own) sees it active again: the caller's clock decides.
  assert.equal(grantStateAt(only!.grant, lastEvening), "active");
});

/**
 * Grant test helpers: a dossier with three scans, a documentale request for it filed in a
 * world, and the desk's steps up to acceptance, all through the real db functions.
 */
import type { TestWorld } from "./_world.ts";
import { documentRef, dossier } from "./fixtures.ts";
import { type AccessRequestRow, createAccessRequest } from "../db/access_requests.ts";
import { applyDeskAction, type Decision } from "../db/access_decisions.ts";
import { type DeskActor, recordTitle } from "../db/access_grants.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";
import type { DossierDoc } from "../domain/records.ts";

/** Three scans with distinct contents. */
export function scannedDossier(overrides: Partial<Omit<DossierDoc, "record">> = {}): DossierDoc {
  return dossier({
    documents: ["a", "b", "c"].map((x, i) =>
      documentRef({ sha256: x.repeat(64), title: `Tavola ${i + 1}`, bytes: 1000 + i })
    ),
    ...overrides,
  });
}

/** Who acts in `world`, at its clock (or `now`). */
export function actor(world: TestWorld, name = "anna", now?: Date): DeskActor {
  return {
    now: now ?? world.clock(),
    branch: world.config.branchName,
    outbox: world.config.role === "branch",
    actor: name,
  };
}

/** An acceptance with a consultation window of three weeks. */
export const ACCEPT: Decision = {
  outcome: "accepted",
  consultationPlace: "Ufficio tecnico, piano terra",
  consultationFrom: "2025-03-10",
  consultationTo: "2025-03-31",
};

/** Files a documentale request for these dossiers in `world`. */
export function fileDocumentale(world: TestWorld, ids: string[]): Promise<AccessRequestRow> {
  return createAccessRequest(world.db, {
    regime: "documentale",
    requesterName: "Lucia Verdi",
    taxCode: "MRTMTT91D08F205J",
    motivation: "Proprietaria dell'immobile",
    mode: "view",
    records: ids.map((id) => ({ kind: "dossier" as const, id })),
  }, {
    now: world.clock(),
    branch: world.config.branchName,
    branchCode: "K2",
    outbox: world.config.role === "branch",
    settings: DEFAULT_DEADLINE_SETTINGS,
  });
}

/** Reviews, records the title (unless `title` is false) and accepts. */
export async function acceptWithTitle(
  world: TestWorld,
  id: string,
  title = true,
): Promise<AccessRequestRow> {
  const by = actor(world);
  const ctx = { ...by, settings: DEFAULT_DEADLINE_SETTINGS };
  await applyDeskAction(world.db, id, { kind: "start_review" }, "anna", ctx);
  if (title) {
    await recordTitle(world.db, id, { kind: "owner", basis: "Atto di compravendita 2019" }, by);
  }
  return await applyDeskAction(world.db, id, { kind: "decide", decision: ACCEPT }, "anna", ctx);
}

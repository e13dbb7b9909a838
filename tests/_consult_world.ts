/**
 * Consultation test fixtures: a dossier whose documents have real bytes in the world's store
 * (a 3-page PDF, a PNG, a 2-page TIFF, a 2-page PDF), a documentale request for it accepted by
 * the desk, and a grant; plus a second citizen's request for another dossier. All through the
 * real db functions.
 */
import type { Db } from "../db/client.ts";
import { upsertRecords } from "../db/records.ts";
import { recordDocumentFiles } from "../db/document_files.ts";
import { createGrant, type DeskActor, revokeGrant } from "../db/access_grants.ts";
import { type AccessRequestRow, createAccessRequest } from "../db/access_requests.ts";
import { applyDeskAction } from "../db/access_decisions.ts";
import { recordTitle } from "../db/access_grants.ts";
import { ingestedRows, ingestFile } from "../documents/ingest.ts";
import type { FileStore } from "../documents/file_store.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";
import type { GrantMode } from "../domain/access_grants.ts";
import { documentRef, dossier } from "./fixtures.ts";
import { bandedPng, pagedPdf } from "./_document_fixtures.ts";
import { g4TestPage, writeTiff } from "./_tiff_writer.ts";
import { ACCEPT } from "./_grant_world.ts";
import { openFileStore } from "../documents/file_store.ts";
import { createTestWorld, FIXED_NOW } from "./_world.ts";
import { csrfOf, type FetchBrowser, type Page } from "./_citizen_world.ts";

/** The holder of the main request (the test provider's "mario"). */
export const HOLDER_CF = "RSSMRA85T10A562S";
/** Another citizen, with a request of their own (the provider's "giulia"). */
export const OTHER_CF = "MLLSNT82P65Z404U";

/** What a test needs to know about the fixtures. */
export interface ConsultFixtures {
  dossierId: string;
  otherDossierId: string;
  request: AccessRequestRow;
  otherRequest: AccessRequestRow;
  grantId: string;
  /** sha256 of the dossier's documents, by 0-based position. */
  shas: string[];
}

/** Where the world writes and whose clock it reads. */
export interface FixtureWorld {
  db: Db;
  clock: () => Date;
  branch: string;
  outbox: boolean;
  store: FileStore;
}

async function stored(w: FixtureWorld, bytes: Uint8Array) {
  const file = await ingestFile(w.store, { bytes }, { clock: w.clock });
  await recordDocumentFiles(w.db, ingestedRows(file, w.clock()));
  return file;
}

async function fileAndAccept(
  w: FixtureWorld,
  taxCode: string,
  dossierId: string,
): Promise<AccessRequestRow> {
  const by: DeskActor = { now: w.clock(), branch: w.branch, outbox: w.outbox, actor: "anna" };
  const row = await createAccessRequest(w.db, {
    regime: "documentale",
    requesterName: "Lucia Verdi",
    taxCode,
    motivation: "Proprietaria dell'immobile",
    mode: "view",
    records: [{ kind: "dossier", id: dossierId }],
  }, {
    now: w.clock(),
    branch: w.branch,
    branchCode: "K2",
    outbox: w.outbox,
    settings: DEFAULT_DEADLINE_SETTINGS,
  });
  const ctx = { ...by, settings: DEFAULT_DEADLINE_SETTINGS };
  await applyDeskAction(w.db, row.id, { kind: "start_review" }, "anna", ctx);
  await recordTitle(w.db, row.id, { kind: "owner", basis: "Atto di compravendita 2019" }, by);
  return await applyDeskAction(w.db, row.id, { kind: "decide", decision: ACCEPT }, "anna", ctx);
}

/**
 * Loads the dossiers with their bytes and files both requests; grants the main one documents
 * 1, 2 and 3 (the fourth stays ungranted) in `mode`, valid until `validUntil`.
 */
export async function loadConsultFixtures(
  w: FixtureWorld,
  options: { mode?: GrantMode; validUntil?: string } = {},
): Promise<ConsultFixtures> {
  const pdf3 = await stored(w, await pagedPdf(3));
  const png = await stored(w, await bandedPng(120, 80, [30, 90, 200]));
  const tiff = await stored(w, writeTiff([g4TestPage(), g4TestPage()]));
  const pdf2 = await stored(w, await pagedPdf(2));
  const files = [
    { f: pdf3, name: "tavola-1.pdf", title: "Tavola 1", pages: 3 },
    { f: png, name: "foto.png", title: "Fotografia", pages: 1 },
    { f: tiff, name: "relazione.tif", title: "Relazione", pages: 2 },
    { f: pdf2, name: "tavola-2.pdf", title: "Tavola 2 non concessa", pages: 2 },
  ];
  const main = dossier({
    documents: files.map((x) =>
      documentRef({
        file: `scans/consult/${x.name}`,
        title: x.title,
        pages: x.pages,
        bytes: x.f.bytes,
        sha256: x.f.sha256,
      })
    ),
  });
  const other = dossier({
    documents: [documentRef({
      file: "scans/consult/altra.pdf",
      title: "Tavola altrui",
      pages: 2,
      bytes: pdf2.bytes,
      sha256: pdf2.sha256,
    })],
  });
  await w.db.transaction((tx) => upsertRecords(tx, [main, other], w.clock()));
  const request = await fileAndAccept(w, HOLDER_CF, main.id);
  const otherRequest = await fileAndAccept(w, OTHER_CF, other.id);
  const by: DeskActor = { now: w.clock(), branch: w.branch, outbox: w.outbox, actor: "anna" };
  const grant = await createGrant(w.db, request.id, {
    scope: "documents",
    documents: files.slice(0, 3).map((x) => ({
      recordKind: "dossier" as const,
      recordId: main.id,
      sha256: x.f.sha256,
    })),
    mode: options.mode ?? "view",
    validUntil: options.validUntil ?? "2025-06-30",
  }, by);
  await createGrant(w.db, otherRequest.id, {
    scope: "whole",
    mode: "copy",
    validUntil: "2025-06-30",
  }, by);
  return {
    dossierId: main.id,
    otherDossierId: other.id,
    request,
    otherRequest,
    grantId: grant.grant.id,
    shas: files.map((x) => x.f.sha256),
  };
}

/** Revokes the main grant. */
export async function revokeMain(w: FixtureWorld, fx: ConsultFixtures): Promise<void> {
  await revokeGrant(w.db, fx.grantId, "Titolo non più valido", {
    now: w.clock(),
    branch: w.branch,
    outbox: w.outbox,
    actor: "anna",
  });
}

/** A branch kiosk with the fixtures, served on loopback. */
export async function kioskWorld(mode: GrantMode = "view") {
  const dir = await Deno.makeTempDir({ prefix: "faldone-consult-" });
  const store = await openFileStore(`${dir}/files`);
  let now = FIXED_NOW.getTime();
  const clock = () => new Date(now);
  const world = await createTestWorld({ fileStore: store, clock });
  const fx = await loadConsultFixtures({
    db: world.db,
    clock,
    branch: world.config.branchName,
    outbox: world.config.role === "branch",
    store,
  }, { mode });
  const served = await world.serve();
  return {
    world,
    store,
    fx,
    url: served.url,
    advanceDays(days: number) {
      now += days * 86_400_000;
    },
    async [Symbol.asyncDispose]() {
      await served.close();
      await world[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Opens the request at the kiosk as its holder: the answer to the POST. */
export async function openAtKiosk(
  browser: FetchBrowser,
  url: string,
  code: string,
  taxCode = HOLDER_CF,
): Promise<Page> {
  const form = await browser.request(`${url}/consultazione`);
  return await browser.postForm(`${url}/consultazione`, {
    _csrf: csrfOf(form.text),
    code,
    taxCode,
  });
}

/** The URL of a document of the fixtures' dossier (1-based n). */
export function docUrl(url: string, fx: ConsultFixtures, n: number): string {
  return `${url}/consultazione/documenti/pratica/${fx.dossierId}/${n}`;
}

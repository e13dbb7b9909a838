/**
 * A test world with the demo's real documents (demo/demo_documents.ts): a smaller generated
 * archive loaded with a file store and a trust-anchors folder, so it has scanned dossiers (PDF,
 * one TIFF), public PDF attachments of acts, a signed council session and its tampered copy.
 * The records each test needs are looked up by what they hold, not by hard-coded ids.
 */
import { and, eq, isNull } from "drizzle-orm";
import { loadDemoArchive } from "../demo/demo_archive.ts";
import { documentFiles, documents } from "../db/schema.ts";
import { type FileStore, openFileStore } from "../documents/file_store.ts";
import { createTestWorld, type TestWorld } from "./_world.ts";

/** A document by its record and 0-based position. */
export interface DocAt {
  kind: "dossier" | "act";
  id: string;
  position: number;
  sha256: string;
  title: string;
}

/** The world and the documents the tests open. */
export interface DocumentWorld extends AsyncDisposable {
  world: TestWorld;
  store: FileStore;
  /** A dossier's multi-page PDF scan (not public). */
  scan: DocAt & { pages: number };
  /** The dossier's 3-page TIFF. */
  tiff: DocAt;
  /** The council session signed by two signers, and the copy altered after signing. */
  session: DocAt;
  altered: DocAt;
  /** A public PDF attachment of an act that is not a session. */
  attachment: DocAt;
  /** A dossier document whose bytes this node never had. */
  missing: DocAt;
}

/** Loads the demo archive (300 dossiers, 300 acts) with its documents into a new world. */
export async function createDocumentWorld(): Promise<DocumentWorld> {
  const dir = await Deno.makeTempDir({ prefix: "faldone-docworld-" });
  const store = await openFileStore(`${dir}/files`);
  const world = await createTestWorld({ fileStore: store });
  const clock = world.clock;
  await loadDemoArchive(world.db, clock, { seed: 1977, dossiers: 300, acts: 300 }, {
    store,
    anchorsDir: `${dir}/trust-anchors`,
    clock,
  });
  const rows = await world.db.select().from(documents)
    .innerJoin(documentFiles, eq(documentFiles.sha256, documents.sha256));
  const at = (pick: (typeof rows)[number] | undefined, what: string): DocAt => {
    if (!pick) throw new Error(`the demo has no ${what}`);
    const d = pick.documents;
    return {
      kind: d.recordKind,
      id: d.recordId,
      position: d.position,
      sha256: d.sha256,
      title: d.title ?? d.file,
    };
  };
  const scanRow = rows.find((r) =>
    r.documents.recordKind === "dossier" && r.document_files.mime === "application/pdf" &&
    r.documents.pages >= 3
  );
  const sessions = rows.filter((r) => r.document_files.mime === "application/pkcs7-mime");
  const missingRow = await world.db.select().from(documents)
    .leftJoin(documentFiles, eq(documentFiles.sha256, documents.sha256))
    .where(and(eq(documents.recordKind, "dossier"), isNull(documentFiles.sha256)))
    .limit(1).get();
  if (!missingRow) throw new Error("the demo has no metadata-only document");
  const m = missingRow.documents;
  return {
    world,
    store,
    scan: { ...at(scanRow, "PDF scan"), pages: scanRow?.documents.pages ?? 0 },
    tiff: at(rows.find((r) => r.document_files.mime === "image/tiff"), "TIFF"),
    session: at(sessions.find((r) => !/alterata/.test(r.documents.title ?? "")), "session"),
    altered: at(sessions.find((r) => /alterata/.test(r.documents.title ?? "")), "altered"),
    attachment: at(
      rows.find((r) =>
        r.documents.recordKind === "act" && r.document_files.mime === "application/pdf"
      ),
      "act attachment",
    ),
    missing: {
      kind: "dossier",
      id: m.recordId,
      position: m.position,
      sha256: m.sha256,
      title: m.title ?? m.file,
    },
    async [Symbol.asyncDispose]() {
      await world[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

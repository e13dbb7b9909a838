/**
 * Who may open which document, and where its bytes are: the resolver behind the viewer
 * routes (routes/documents.tsx), over the DB and the file store.
 *
 * - Clerks and admins open every document of every record.
 * - The public opens what domain/document_access.ts allows (a public document of a record
 *   that is not restricted); everything else is the same 404 as an unknown document, so a
 *   restricted id is not revealed.
 * - A restricted document (of a restricted record, or not public) opened by a clerk is audited
 *   (`view_document`: who, record, which document), like the other clerk views of personal data.
 */
import { localMessage } from "../i18n/local_message.ts";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { appendAuditIn } from "../db/audit.ts";
import {
  documentOfRecord,
  type RecordDocument,
  recordDocumentFiles,
  touchDocumentFile,
  wantDocumentFile,
} from "../db/document_files.ts";
import type { RecordKind } from "../domain/records.ts";
import { isRestrictedDocument, publicMayOpen } from "../domain/document_access.ts";
import type { FileStore } from "../documents/file_store.ts";
import type { ByteSource } from "../documents/http_range.ts";
import { storeByteSource } from "../documents/store_byte_source.ts";
import { TiffPageCache } from "../documents/tiff_page_cache.ts";
import { KIND_SEGMENTS } from "../views/document_url.ts";
import type { DocumentRouteDeps, PageImages, ViewableDocument } from "./documents.tsx";

/** The record kinds in document URLs, back to the DB's names. */
const URL_KINDS: Record<string, RecordKind> = Object.fromEntries(
  Object.entries(KIND_SEGMENTS).map(([kind, segment]) => [segment, kind as RecordKind]),
);
// The import's id rule (DOMAIN §4): anything else cannot exist, so skip the queries.
const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** A clerk or an admin is signed in. */
export function isStaff(c: Context): boolean {
  const role = c.get("session")?.user.role;
  return role === "clerk" || role === "admin";
}

/** What the resolver reads and writes. */
export interface DocumentAccessDeps {
  db: Db;
  /** Without a store every document is metadata only: the viewer says the bytes are not here. */
  store: FileStore | undefined;
  clock: () => Date;
  config: Pick<Config, "branchName" | "role">;
}

const FALLBACK_MIME = "application/octet-stream";
/** A file's "last used" is written at most this often. */
const TOUCH_EVERY_MS = 60_000;

function titleOf(d: RecordDocument): string {
  return d.title ?? d.file.slice(d.file.lastIndexOf("/") + 1);
}

function backLink(kind: RecordKind, id: string, staff: boolean) {
  if (staff) {
    return {
      href: `/sportello/pratiche/${encodeURIComponent(`${kind}:${id}`)}`,
      label: localMessage((t) => t.viewer.backToCard),
    };
  }
  return kind === "dossier"
    ? {
      href: `/pratiche/${encodeURIComponent(id)}`,
      label: localMessage((t) => t.viewer.backToDossier),
    }
    : { href: `/atti/${encodeURIComponent(id)}`, label: localMessage((t) => t.viewer.backToAct) };
}

/**
 * A document's bytes as the viewer needs them, whoever asks: the store, the signed envelope's
 * content, a TIFF's converted pages. The access rules are the callers' (`documentAccess` below,
 * the grant holders' routes/_consult.ts).
 */
export interface DocumentLoader {
  /** The document at (kind, id, 0-based position) with its bytes, or undefined. */
  load(
    kind: RecordKind,
    id: string,
    position: number,
    staff: boolean,
  ): Promise<
    { restricted: boolean; document: RecordDocument; viewable: ViewableDocument } | undefined
  >;
}

/** The loader over the DB and the store (one TIFF page cache per loader). */
export function documentLoader(deps: DocumentAccessDeps): DocumentLoader {
  const { db, store, clock } = deps;
  // "Used" is for the disk budget's least-recently-used order, to the minute at most: a page
  // of a scan is several Range reads and a viewer pages on, so writing the row at every read
  // made a DB write of each (measured in the consultation bench, docs/DOCUMENTS.md).
  const touchedAt = new Map<string, number>();
  const touch = (sha256: string) => async () => {
    const now = clock();
    const last = touchedAt.get(sha256);
    if (last !== undefined && now.getTime() >= last && now.getTime() - last < TOUCH_EVERY_MS) {
      return;
    }
    touchedAt.delete(sha256);
    touchedAt.set(sha256, now.getTime());
    if (touchedAt.size > 4096) touchedAt.delete(touchedAt.keys().next().value!);
    await touchDocumentFile(db, sha256, now);
  };
  const pages = store
    ? new TiffPageCache(store, async (page) => {
      const at = clock().toISOString();
      await recordDocumentFiles(db, [{
        sha256: page.sha256,
        mime: "image/png",
        bytes: page.bytes,
        present: true,
        createdAt: at,
        updatedAt: at,
      }]);
    })
    : undefined;

  /** A stored file, if the store really holds it (a row may outlive an evicted file). */
  async function stored(sha256: string, mime: string): Promise<ByteSource | undefined> {
    const stat = store ? await store.stat(sha256) : undefined;
    if (!store || !stat) return undefined;
    return storeByteSource(store, { sha256, bytes: stat.bytes, mime }, touch(sha256));
  }

  async function tiffPages(sha256: string): Promise<PageImages | string> {
    try {
      const set = await pages!.pages(sha256);
      return {
        count: set.count,
        async page(n) {
          if (n < 1 || n > set.count) return undefined;
          let sha256;
          try {
            sha256 = await set.page(n - 1);
          } catch (err) {
            // A page that does not convert (damaged strip, too large) is said, never a 500.
            if (!(err instanceof Error)) throw err;
            console.warn(`pagina ${n} di un TIFF non convertita: ${err.message}`);
            throw new HTTPException(422, {
              message: localMessage((t) => t.viewer.pageUnavailable(n)),
            });
          }
          return await stored(sha256, "image/png");
        },
      };
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  async function viewable(
    found: { restricted: boolean; document: RecordDocument },
    ref: { kind: RecordKind; id: string },
    staff: boolean,
  ): Promise<ViewableDocument> {
    const d = found.document;
    const state = d.state;
    const base = {
      title: titleOf(d),
      fileId: d.sha256,
      restricted: isRestrictedDocument(found.restricted, d.public),
      back: backLink(ref.kind, ref.id, staff),
      fetchRequested: state !== undefined && state.pinned && !state.present,
    };
    const missing: ViewableDocument = {
      ...base,
      mime: state?.mime ?? d.mime ?? FALLBACK_MIME,
      bytes: d.bytes,
      present: false,
    };
    if (!state?.present) return missing;
    if (state.contentSha256) {
      // A signed envelope: players and PDF.js get the content it wraps, the panel the report
      // stored when it was verified; clerks may also download the envelope itself.
      const mime = state.contentMime ?? FALLBACK_MIME;
      const source = await stored(state.contentSha256, mime);
      if (!source) return missing;
      const original = staff ? await stored(d.sha256, state.mime) : undefined;
      return {
        ...base,
        mime,
        bytes: source.bytes,
        present: true,
        source,
        signatures: state.signature,
        original: original &&
          { source: original, fileName: d.file.slice(d.file.lastIndexOf("/") + 1) },
      };
    }
    const source = await stored(d.sha256, state.mime);
    if (!source) return missing;
    const doc: ViewableDocument = {
      ...base,
      mime: state.mime,
      bytes: source.bytes,
      present: true,
      source,
    };
    if (state.mime !== "image/tiff") return doc;
    const converted = await tiffPages(d.sha256);
    return typeof converted === "string"
      ? { ...doc, unreadable: converted }
      : { ...doc, pageImages: converted };
  }

  return {
    async load(kind, id, position, staff) {
      const found = await documentOfRecord(db, kind, id, position);
      if (!found) return undefined;
      return { ...found, viewable: await viewable(found, { kind, id }, staff) };
    },
  };
}

/** The viewer's resolver, audit and "Scarica in sede" over the DB and the store. */
export function documentAccess(deps: DocumentAccessDeps): DocumentRouteDeps {
  const { db, clock, config } = deps;
  const loader = documentLoader(deps);
  const auditCtx = () => ({
    now: clock(),
    branch: config.branchName,
    outbox: config.role === "branch",
  });

  return {
    isStaff,
    async resolve(c, ref) {
      const kind = URL_KINDS[ref.kind];
      if (!kind || !ID_PATTERN.test(ref.recordId)) return undefined;
      const staff = isStaff(c);
      const found = await loader.load(kind, ref.recordId, ref.index - 1, staff);
      if (!found) return undefined;
      if (!staff && !publicMayOpen(found.restricted, found.document.public)) return undefined;
      return found.viewable;
    },
    async audit(c, ref, doc, via) {
      const kind = URL_KINDS[ref.kind];
      const username = c.get("session")?.user.username;
      // Only staff can reach a restricted document; the guard keeps the log honest anyway.
      if (!kind || !username) return;
      await db.transaction((tx) =>
        appendAuditIn(tx, {
          actor: username,
          action: "view_document",
          recordKind: kind,
          recordId: ref.recordId,
          // Position and file: a later change of the record's list still names the bytes seen.
          detail: `documento ${ref.index}${via === "file" ? " (file)" : ""}` +
            (doc.fileId ? ` sha256 ${doc.fileId.slice(0, 16)}` : ""),
        }, auditCtx())
      );
    },
    async requestFetch(c, ref) {
      const kind = URL_KINDS[ref.kind];
      const username = c.get("session")?.user.username;
      if (!kind || !username) return;
      const found = await documentOfRecord(db, kind, ref.recordId, ref.index - 1);
      if (!found) return;
      const d = found.document;
      const now = clock();
      await db.transaction(async (tx) => {
        await wantDocumentFile(tx, {
          sha256: d.sha256,
          mime: d.state?.mime ?? d.mime ?? FALLBACK_MIME,
          bytes: d.bytes,
        }, now);
        await appendAuditIn(tx, {
          actor: username,
          action: "request_document_file",
          recordKind: kind,
          recordId: ref.recordId,
          detail: `documento ${ref.index}`,
        }, { ...auditCtx(), now });
      });
    },
  };
}

/**
 * The document viewer and the bytes behind it, for any record kind. Which document a URL
 * names, who may see it and where its bytes are is the caller's `resolve`; these routes only
 * show, serve with Range, and report restricted opens to `audit`.
 *
 * Mounted under a prefix (e.g. `/documenti`):
 * - `GET  /:kind/:recordId/:n`              the viewer page (n is 1-based)
 * - `GET  /:kind/:recordId/:n/file`         the bytes, with Range
 * - `GET  /:kind/:recordId/:n/pagine/:page` page `page` of an image document (converted TIFF)
 * - `GET  /:kind/:recordId/:n/anteprima`    page 1 of a scanned PDF as the JPEG it holds
 * - `POST /:kind/:recordId/:n/scarica`      a clerk asks for the bytes ("Scarica in sede")
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { type ByteSource, serveByteSource } from "../documents/http_range.ts";
import { PdfPreviews, previewSource } from "../documents/pdf_preview.ts";
import { DocumentViewerPage, viewerKind } from "../views/document_viewer.tsx";
import type { SignatureReport } from "../views/signature_panel.tsx";
import { localMessage } from "../i18n/local_message.ts";

/** Which document a URL names. */
export interface DocumentRef {
  kind: string;
  recordId: string;
  /** 1-based position in the record's documents (or attachments). */
  index: number;
}

/** A document as the viewer needs it; built by the caller's resolver. */
export interface ViewableDocument {
  title: string;
  mime: string;
  bytes: number;
  /** Whether the bytes are on this machine; when false `source` is never read. */
  present: boolean;
  source?: ByteSource | undefined;
  /** Pages of an image document converted from TIFF, one PNG each, made on demand. */
  pageImages?: PageImages | undefined;
  /** Why the file cannot be shown although it is here (a damaged TIFF): said in its place. */
  unreadable?: string | undefined;
  /** The file as received, when the viewer shows what it wraps (a `.p7m`): staff download it. */
  original?: { source: ByteSource; fileName: string } | undefined;
  /** A stable name of the file for the audit log (its sha256). */
  fileId?: string | undefined;
  /** The signatures, when the stored file came out of a `.p7m`. */
  signatures?: SignatureReport | undefined;
  /** Opening it is audited (a dossier's scans; not the public attachments of acts). */
  restricted: boolean;
  /** Link back to the record. */
  back?: { href: string; label: string } | undefined;
  /** A clerk already asked for the bytes ("Scarica in sede" queued). */
  fetchRequested?: boolean | undefined;
}

/** Page images converted on demand; `page(n)` is 1-based, undefined past the end. */
export interface PageImages {
  count: number;
  page(n: number): Promise<ByteSource | undefined>;
}

/** How a restricted document was opened. */
export type DocumentOpen = "viewer" | "file";

/** What the routes need from the rest of the program. */
export interface DocumentRouteDeps {
  /** The document, or undefined when it does not exist or this user may not see it (404). */
  resolve(c: Context, ref: DocumentRef): Promise<ViewableDocument | undefined>;
  /** Records an open of a restricted document (who is in `c`). */
  audit?(c: Context, ref: DocumentRef, doc: ViewableDocument, via: DocumentOpen): Promise<void>;
  /** Queues the bytes for this branch; without it no "Scarica in sede" button is shown. */
  requestFetch?(c: Context, ref: DocumentRef, doc: ViewableDocument): Promise<void>;
  /** Staff see tax codes and may ask for bytes; default: anyone logged in. */
  isStaff?(c: Context): boolean;
  /** First-page previews of scanned PDFs found so far (default: a cache of these routes). */
  previews?: PdfPreviews | undefined;
}

/**
 * How long the viewer page waits for a file's preview the first time it is viewed (a few small
 * reads, 15–50 ms on a quiet machine, over 400 ms at loads over 10): past it the page goes out
 * with the preview's URL for viewer_boot.js to try, and the next view has it at once.
 */
const PREVIEW_WAIT_MS = 400;

// Italian strings that remember their catalogue entry (the error page translates them).
const NOT_FOUND = localMessage((t) => t.kiosk.documentNotFound);
const NOT_HERE = localMessage((t) => t.kiosk.documentNotHere);
const NO_PREVIEW = localMessage((t) => t.viewer.noPreview);

function positive(text: string): number | undefined {
  return /^[1-9]\d{0,5}$/.test(text) ? Number(text) : undefined;
}

function refOf(c: Context): DocumentRef {
  const index = positive(c.req.param("n") ?? "");
  const kind = c.req.param("kind") ?? "";
  const recordId = c.req.param("recordId") ?? "";
  if (index === undefined || !kind || !recordId) {
    throw new HTTPException(404, { message: NOT_FOUND });
  }
  return { kind, recordId, index };
}

async function found(deps: DocumentRouteDeps, c: Context, ref: DocumentRef) {
  const doc = await deps.resolve(c, ref);
  if (!doc) throw new HTTPException(404, { message: NOT_FOUND });
  return doc;
}

/**
 * Subresource fetches (PDF.js, <img>, <audio>, <video>) come from a viewer page whose open
 * was already audited; a direct open or a download of the bytes (no Sec-Fetch-Dest, or
 * `document`) is audited on its own. One viewer open is then one audit entry, not one per
 * Range request.
 */
function isDirectOpen(c: Context): boolean {
  const dest = c.req.header("Sec-Fetch-Dest");
  return dest === undefined || dest === "document" || dest === "iframe";
}

function serve(c: Context, source: ByteSource, restricted: boolean): Promise<Response> {
  return serveByteSource(c.req.raw, source, {
    // Restricted bytes stay out of shared caches; public ones may be cached by the browser.
    "Cache-Control": restricted ? "private, no-store" : "public, max-age=3600",
  });
}

/** The viewer sub-app. */
export function documentRoutes(deps: DocumentRouteDeps): Hono {
  const isStaff = deps.isStaff ?? ((c: Context) => c.get("session") !== undefined);
  const base = (c: Context) => new URL(c.req.url).pathname.replace(/\/(file|scarica)$/, "");
  const previews = deps.previews ?? new PdfPreviews();
  // Only the file itself has a preview: not a converted TIFF, not a file that is not here.
  const previewable = (doc: ViewableDocument) =>
    doc.present && doc.source !== undefined && doc.pageImages === undefined &&
    doc.unreadable === undefined && viewerKind(doc.mime) === "pdf";

  return new Hono()
    .get("/:kind/:recordId/:n", async (c) => {
      const ref = refOf(c);
      const doc = await found(deps, c, ref);
      if (doc.restricted && deps.audit) await deps.audit(c, ref, doc, "viewer");
      const here = base(c);
      const staff = isStaff(c);
      const preview = previewable(doc) && doc.source
        ? await previews.within(doc.source, PREVIEW_WAIT_MS)
        : undefined;
      c.header("Cache-Control", "no-store");
      return c.html(
        <DocumentViewerPage
          title={doc.title}
          mime={doc.mime}
          bytes={doc.bytes}
          present={doc.present && doc.source !== undefined}
          imagePages={doc.pageImages?.count}
          unreadable={doc.unreadable}
          signatures={doc.signatures}
          staff={staff}
          showFetchButton={staff && deps.requestFetch !== undefined}
          fetchRequested={doc.fetchRequested ?? false}
          csrfToken={c.get("csrfToken")}
          preview={preview === "late" ? { url: `${here}/anteprima`, later: true } : preview
            ? {
              url: `${here}/anteprima`,
              width: preview.width,
              height: preview.height,
              pages: preview.pages,
            }
            : undefined}
          urls={{
            file: `${here}/file`,
            pageImage: `${here}/pagine/{n}`,
            back: doc.back,
            fetchAction: `${here}/scarica`,
            original: staff && doc.original
              ? { href: `${here}/originale`, fileName: doc.original.fileName }
              : undefined,
          }}
        />,
      );
    })
    .get("/:kind/:recordId/:n/file", async (c) => {
      const ref = refOf(c);
      const doc = await found(deps, c, ref);
      if (!doc.present || !doc.source) throw new HTTPException(404, { message: NOT_HERE });
      if (doc.restricted && deps.audit && isDirectOpen(c)) await deps.audit(c, ref, doc, "file");
      return serve(c, doc.source, doc.restricted);
    })
    .get("/:kind/:recordId/:n/pagine/:page", async (c) => {
      const ref = refOf(c);
      const doc = await found(deps, c, ref);
      const page = positive(c.req.param("page"));
      const source = page === undefined ? undefined : await doc.pageImages?.page(page);
      if (!doc.present || !source) throw new HTTPException(404, { message: NOT_FOUND });
      if (doc.restricted && deps.audit && isDirectOpen(c)) await deps.audit(c, ref, doc, "file");
      return serve(c, source, doc.restricted);
    })
    .get("/:kind/:recordId/:n/anteprima", async (c) => {
      // The same resolver, 404 and audit as the file: a preview is the file's own bytes.
      const ref = refOf(c);
      const doc = await found(deps, c, ref);
      const preview = previewable(doc) && doc.source ? await previews.get(doc.source) : undefined;
      if (!preview || !doc.source) throw new HTTPException(404, { message: NO_PREVIEW });
      if (doc.restricted && deps.audit && isDirectOpen(c)) await deps.audit(c, ref, doc, "file");
      return serve(c, previewSource(doc.source, preview), doc.restricted);
    })
    .get("/:kind/:recordId/:n/originale", async (c) => {
      const ref = refOf(c);
      const doc = await found(deps, c, ref);
      // The envelope is for the office (it carries the signers' certificates and tax codes).
      if (!isStaff(c) || !doc.present || !doc.original) {
        throw new HTTPException(404, { message: NOT_FOUND });
      }
      if (doc.restricted && deps.audit) await deps.audit(c, ref, doc, "file");
      const response = await serve(c, doc.original.source, true);
      response.headers.set(
        "Content-Disposition",
        `attachment; filename="${doc.original.fileName.replace(/[^\w.-]/g, "_")}"`,
      );
      return response;
    })
    .post("/:kind/:recordId/:n/scarica", async (c) => {
      const ref = refOf(c);
      const doc = await found(deps, c, ref);
      if (!deps.requestFetch || !isStaff(c)) {
        throw new HTTPException(403, {
          message: "Solo il personale dell'ufficio può chiedere i file di un documento.",
        });
      }
      if (!doc.present) await deps.requestFetch(c, ref, doc);
      return c.redirect(base(c), 303);
    });
}

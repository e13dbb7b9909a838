/**
 * Consultation under a grant (issue 11): which document a grant holder's URL names, whether
 * the grants of their request let them open it now, and its stamped pages. Every question is
 * asked again on every request (viewer, page, copy) with this node's clock, so an expiry or a
 * revocation holds at a branch offline too. Who the holder is (kiosk cookie, or the online
 * session's codice fiscale) is the routes' job (routes/consult.tsx), before they ask here.
 */
import type { Db } from "../db/client.ts";
import {
  type GrantedDocument,
  grantedDocument,
  grantedDocumentsFor,
  grantsOfRequests,
} from "../db/access_grants.ts";
import { type Consultation, consultationsOf, recordConsultation } from "../db/consultations.ts";
import { type GrantMode, type GrantState, grantStateAt } from "../domain/access_grants.ts";
import { labelRecords } from "./_record_labels.ts";
import type { RecordKind } from "../domain/records.ts";
import type { StampableDocument } from "../documents/stamp.ts";
import { KIND_SEGMENTS } from "../views/document_url.ts";
import type { DocumentLoader } from "./_document_access.ts";
import type { ViewableDocument } from "./documents.tsx";

/** One refusal for every reason, so none tells another apart (nor whether a document exists). */
export const CONSULT_NOT_FOUND = "Documento non disponibile per questa richiesta.";

/** Who consults: their request, matched to them by the caller. */
export interface GrantHolder {
  requestId: string;
  receiptCode: string;
  /** The codice fiscale of the request (the stamp masks it). */
  taxCode: string;
  /** `sede` at a kiosk, `online` through the citizen area. */
  where: "sede" | "online";
}

/** A document of a grant, as the URL names it. */
export interface ConsultRef {
  kind: RecordKind;
  recordId: string;
  /** 1-based, as in the URL. */
  n: number;
}

/** What a granted document gives the routes. */
export interface ConsultDocument {
  granted: GrantedDocument;
  viewable: ViewableDocument;
  /** undefined when the bytes are not here, or are not a kind the stamp takes. */
  stampable: StampableDocument | undefined;
}

const URL_KINDS: Record<string, RecordKind> = Object.fromEntries(
  Object.entries(KIND_SEGMENTS).map(([kind, segment]) => [segment, kind as RecordKind]),
);
const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** The ref in `/:kind/:recordId/:n`, or undefined for anything malformed. */
export function parseConsultRef(
  kind: string | undefined,
  recordId: string | undefined,
  n: string | undefined,
): ConsultRef | undefined {
  const k = URL_KINDS[kind ?? ""];
  if (!k || !recordId || !ID_PATTERN.test(recordId) || !/^[1-9]\d{0,5}$/.test(n ?? "")) {
    return undefined;
  }
  return { kind: k, recordId, n: Number(n) };
}

/** A 1-based page number from the URL, or undefined. */
export function parsePage(text: string | undefined): number | undefined {
  return /^[1-9]\d{0,5}$/.test(text ?? "") ? Number(text) : undefined;
}

/** The URL path of a granted document under `base`. */
export function consultPath(
  base: string,
  d: { recordKind: RecordKind; recordId: string; position: number },
) {
  return `${base}/${KIND_SEGMENTS[d.recordKind]}/${encodeURIComponent(d.recordId)}/${
    d.position + 1
  }`;
}

function stampableOf(v: ViewableDocument): StampableDocument | undefined {
  if (!v.present || v.unreadable) return undefined;
  if (v.pageImages) return { mime: "image/tiff", pages: v.pageImages };
  const type = v.mime.split(";")[0]?.trim().toLowerCase();
  if (!v.source) return undefined;
  if (type === "application/pdf") return { mime: "application/pdf", source: v.source };
  if (type === "image/jpeg" || type === "image/png") return { mime: type, source: v.source };
  return undefined;
}

/**
 * The document if the holder's request's grants let them open it at `now`; undefined for
 * anything else (another request's, a position no grant covers, an expired or revoked grant,
 * a record or a position that does not exist).
 */
export async function consultDocument(
  db: Db,
  loader: DocumentLoader,
  holder: GrantHolder,
  ref: ConsultRef,
  now: Date,
): Promise<ConsultDocument | undefined> {
  const granted = await grantedDocument(db, holder.requestId, {
    recordKind: ref.kind,
    recordId: ref.recordId,
    position: ref.n - 1,
  }, now);
  if (!granted) return undefined;
  const found = await loader.load(ref.kind, ref.recordId, ref.n - 1, false);
  // The grant names bytes: a record whose list changed since then shows nothing else.
  if (!found || found.document.sha256 !== granted.sha256) return undefined;
  return { granted, viewable: found.viewable, stampable: stampableOf(found.viewable) };
}

/** Writes the audit entry of one open (the viewer, or the copy's download). */
export function auditOpen(
  db: Db,
  holder: GrantHolder,
  doc: ConsultDocument,
  via: "visione" | "copia",
  ctx: { now: Date; branch: string; outbox: boolean },
): Promise<void> {
  return recordConsultation(db, {
    requestId: holder.requestId,
    taxCode: holder.taxCode,
    where: holder.where,
    document: {
      recordKind: doc.granted.recordKind,
      recordId: doc.granted.recordId,
      position: doc.granted.position,
      sha256: doc.granted.sha256,
      title: doc.viewable.title,
    },
    via,
  }, ctx);
}

/** A grant as the holder's list shows it. */
export interface GrantLine {
  mode: GrantMode;
  validUntil: string;
  state: GrantState;
  /** `whole`, or how many documents it names. */
  scope: "whole" | number;
}

/** A document the holder may open now. */
export interface DocumentLine {
  href: string;
  title: string;
  record: string;
  pages: number;
  mode: GrantMode;
  validUntil: string;
}

/** One request's grants, what they open now and who opened what ("chi ha consultato"). */
export interface ConsultOverview {
  code: string;
  grants: GrantLine[];
  documents: DocumentLine[];
  history: Consultation[];
}

/** The overviews of several requests at once; `base(id)` is where their documents live. */
export async function consultOverviews(
  db: Db,
  requests: { id: string; receiptCode: string }[],
  base: (requestId: string) => string,
  now: Date,
): Promise<Map<string, ConsultOverview>> {
  const ids = requests.map((r) => r.id);
  const grants = await grantsOfRequests(db, ids);
  const history = await consultationsOf(db, ids);
  const out = new Map<string, ConsultOverview>();
  for (const r of requests) {
    const granted = await grantedDocumentsFor(db, r.id, now);
    const docs = granted?.documents ?? [];
    const labels = await labelRecords(
      db,
      docs.map((d) => ({ kind: d.recordKind, id: d.recordId })),
    );
    out.set(r.id, {
      code: r.receiptCode,
      grants: (grants.get(r.id) ?? []).map(({ grant, documents }) => ({
        mode: grant.mode,
        validUntil: grant.validUntil,
        state: grantStateAt(grant, now),
        scope: grant.scope === "whole" ? "whole" : documents.length,
      })),
      documents: docs.map((d, i) => ({
        href: consultPath(base(r.id), d),
        title: d.title ?? d.file.slice(d.file.lastIndexOf("/") + 1),
        record: labels[i]?.found ? labels[i].label : d.recordId,
        pages: d.pages,
        mode: d.mode,
        validUntil: d.validUntil,
      })),
      history: history.get(r.id) ?? [],
    });
  }
  return out;
}

/**
 * "Chi ha consultato e quando": each open of a granted document (the viewer, or the stamped
 * copy's download; not each page) is an audit entry `consult_document` on the request, so it
 * travels to the archive with the branch's other entries and the citizen sees the kiosk's opens
 * online too. The detail names where, how and which document, never the holder's codice
 * fiscale (the actor carries it masked).
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "./client.ts";
import { appendAudit, type AuditContext } from "./audit.ts";
import { accessRequests, auditLog } from "./schema.ts";
import type { AccessRequestRow } from "./access_requests.ts";
import { maskTaxCode } from "../domain/codice_fiscale.ts";

/** The audit action of an open. */
export const CONSULT_ACTION = "consult_document";

const SEP = " · ";

/** One open to record. */
export interface NewConsultation {
  requestId: string;
  taxCode: string;
  where: "sede" | "online";
  via: "visione" | "copia";
  document: {
    recordKind: "dossier" | "act";
    recordId: string;
    position: number;
    sha256: string;
    title: string;
  };
}

/** One open as the citizen's list shows it. */
export interface Consultation {
  at: string;
  /** `online`, or the branch's name. */
  place: string;
  via: string;
  document: string;
  actor: string;
}

/** Appends the entry (with its outbox row on a branch). */
export async function recordConsultation(
  db: Db,
  c: NewConsultation,
  ctx: AuditContext,
): Promise<void> {
  const d = c.document;
  const kind = d.recordKind === "dossier" ? "pratica" : "atto";
  await appendAudit(db, {
    actor: `cittadino ${maskTaxCode(c.taxCode)}`,
    action: CONSULT_ACTION,
    recordKind: "access_request",
    recordId: c.requestId,
    detail: [
      c.where,
      c.via,
      `${kind} ${d.recordId} documento ${d.position + 1} sha256 ${d.sha256.slice(0, 16)}`,
      d.title,
    ].join(SEP),
  }, ctx);
}

/** The opens of these requests, newest first, keyed by request id. */
export async function consultationsOf(
  db: Db,
  requestIds: string[],
): Promise<Map<string, Consultation[]>> {
  const out = new Map<string, Consultation[]>();
  if (requestIds.length === 0) return out;
  const rows = await db.select().from(auditLog).where(and(
    eq(auditLog.action, CONSULT_ACTION),
    eq(auditLog.recordKind, "access_request"),
    inArray(auditLog.recordId, [...new Set(requestIds)]),
  )).orderBy(desc(auditLog.at)).limit(500);
  for (const row of rows) {
    const [where = "", via = "", ref = "", ...title] = (row.detail ?? "").split(SEP);
    const list = out.get(row.recordId ?? "") ?? [];
    list.push({
      at: row.at,
      place: where === "online" ? "online" : `sede ${row.branch}`,
      via,
      document: title.join(SEP) || ref.replace(/ sha256 \w+$/, ""),
      actor: row.actor ?? "",
    });
    out.set(row.recordId ?? "", list);
  }
  return out;
}

/** The request row alone (the consultation checks it on every page), or undefined. */
export function requestRow(db: Db, id: string): Promise<AccessRequestRow | undefined> {
  return db.select().from(accessRequests).where(eq(accessRequests.id, id)).get();
}

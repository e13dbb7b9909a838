/**
 * The desk's title and grant forms as schemas, and what the request page shows of a
 * documentale request's grants. The rules themselves are db/access_grants.ts's.
 */
import { z } from "zod";
import type { Db } from "../db/client.ts";
import type { AccessRequestRow } from "../db/access_requests.ts";
import { grantsForRequest, type NewGrant, requestDocuments } from "../db/access_grants.ts";
import { readGrantDays } from "../db/access_settings.ts";
import { addDays, localDate } from "../domain/access_deadline.ts";
import { grantStateAt, TITLE_KINDS } from "../domain/access_grants.ts";
import { documentChoice, type GrantChoices, type GrantItem } from "../views/desk_grants.tsx";
import { optionalDate, text } from "./_fields.ts";
import { it, type Messages } from "../i18n/it.ts";
import { localMessage } from "../i18n/local_message.ts";

const GRANT_DOCUMENT = /^(dossier|act):([A-Za-z0-9._:-]{1,64}):([0-9a-f]{64})$/;
const BAD_DOCUMENT = localMessage((t) => t.deskRequest.badDocument);
const documentValue = z.string({ error: BAD_DOCUMENT }).max(200, BAD_DOCUMENT)
  .regex(GRANT_DOCUMENT, BAD_DOCUMENT);

/** The grant's fields, in the acceptance and in the grant form (all optional: defaults). */
export const grantShape = {
  grantScope: z.enum(["", "whole", "documents"], {
    error: localMessage((t) => t.deskRequest.badGrantScope),
  }).default(""),
  grantDocuments: z.union([documentValue, z.array(documentValue).max(500, BAD_DOCUMENT)], {
    error: BAD_DOCUMENT,
  }).optional(),
  grantMode: z.enum(["", "view", "copy"], {
    error: localMessage((t) => t.deskRequest.badGrantMode),
  }).default(""),
  grantValidUntil: optionalDate((t) => t.deskRequest.labelValidUntil),
};

/** The grant form on its own. */
export const grantForm = z.object(grantShape);
type GrantFields = z.output<typeof grantForm>;

/** The title form. */
export const titleForm = z.object({
  titleKind: z.enum(TITLE_KINDS, {
    error: localMessage((t) => t.deskRequest.chooseTitle),
  }),
  titleBasis: text((t) => t.deskRequest.labelTitleBasis, {
    max: 1000,
    required: localMessage((t) => t.deskRequest.titleBasisRequired),
  }),
});

/** The revocation form: the reason is required. */
export const revokeForm = z.object({
  reason: text((t) => t.deskRequest.labelRevokeReason, {
    max: 1000,
    required: localMessage((t) => t.deskRequest.revokeReasonRequired),
  }),
});

/** The chosen documents as a list, whatever the form sent (one value or several). */
export function documentList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** A grant from the form's fields, the defaults filling what was left empty. */
export function grantInput(
  f: Partial<GrantFields>,
  defaults: { mode: NewGrant["mode"]; validUntil: string },
): NewGrant {
  return {
    scope: f.grantScope === "documents" ? "documents" : "whole",
    documents: documentList(f.grantDocuments).flatMap((v) => {
      const m = GRANT_DOCUMENT.exec(v);
      return m && m[2] && m[3]
        ? [{
          recordKind: m[1] === "act" ? "act" as const : "dossier" as const,
          recordId: m[2],
          sha256: m[3],
        }]
        : [];
    }),
    mode: f.grantMode || defaults.mode,
    validUntil: f.grantValidUntil ?? defaults.validUntil,
  };
}

/** The grant's defaults: the request's mode, today plus the admin's grant days. */
export async function grantDefaults(
  db: Db,
  request: AccessRequestRow,
  now: Date,
): Promise<{ mode: NewGrant["mode"]; validUntil: string }> {
  return {
    mode: request.mode === "view" ? "view" : "copy",
    validUntil: addDays(localDate(now), await readGrantDays(db)),
  };
}

/** What the request page shows of a documentale request's grants, at `now`. */
export async function deskGrantsView(
  db: Db,
  request: AccessRequestRow,
  hasRecords: boolean,
  now: Date,
  t: Messages = it,
): Promise<{ grants: GrantItem[]; choices?: GrantChoices | undefined; canGrant: boolean }> {
  const documents = await requestDocuments(db, request.id);
  const names = new Map(documents.map((d) => [documentChoice(d), d.title ?? d.file]));
  const grants = (await grantsForRequest(db, request.id)).map((snap) => ({
    snap,
    state: grantStateAt(snap.grant, now),
    documentNames: snap.documents.map((d) =>
      names.get(documentChoice(d)) ?? t.deskRequest.unknownDocument(d.sha256.slice(0, 12))
    ),
  }));
  const defaults = await grantDefaults(db, request, now);
  const choices = hasRecords
    ? { documents, defaultMode: defaults.mode, defaultValidUntil: defaults.validUntil }
    : undefined;
  const accepted = request.state === "accepted" || request.state === "partially_accepted";
  return { grants, choices, canGrant: accepted && request.titleKind !== null };
}

/**
 * The rules of titles and grants that need no database: the kinds of title the desk records,
 * and when a grant is active. A grant's state is decided with the caller's clock, so a branch
 * decides offline with its own.
 */
import { localDate } from "./access_deadline.ts";

/** What entitles the requester to see the dossier (DPR 184/2006 art. 2: a qualified interest). */
export const TITLE_KINDS = ["owner", "technician", "neighbour", "other"] as const;
export type TitleKind = typeof TITLE_KINDS[number];

export const TITLE_KIND_LABELS: Record<TitleKind, string> = {
  owner: "Proprietario o avente diritto sull'immobile",
  technician: "Tecnico incaricato con delega",
  neighbour: "Confinante o vicino con interesse qualificato",
  other: "Altro interesse diretto, concreto e attuale",
};

/** True for one of the title kinds. */
export function isTitleKind(value: unknown): value is TitleKind {
  return typeof value === "string" && (TITLE_KINDS as readonly string[]).includes(value);
}

/** View only, or copy (the stamped PDF may be downloaded). */
export const GRANT_MODES = ["view", "copy"] as const;
export type GrantMode = typeof GRANT_MODES[number];

export const GRANT_MODE_LABELS: Record<GrantMode, string> = {
  view: "Solo visione",
  copy: "Visione e copia",
};

/** Where a grant stands at an instant. */
export type GrantState = "active" | "expired" | "revoked";

export const GRANT_STATE_LABELS: Record<GrantState, string> = {
  active: "attiva",
  expired: "scaduta",
  revoked: "revocata",
};

/**
 * A grant's state at `now`: revoked whatever its date once revoked; otherwise active through
 * the whole of its last day (`validUntil`, inclusive) in the Comune's time zone.
 */
export function grantStateAt(
  grant: { validUntil: string; revokedAt: string | null },
  now: Date,
): GrantState {
  if (grant.revokedAt !== null) return "revoked";
  return localDate(now) <= grant.validUntil ? "active" : "expired";
}

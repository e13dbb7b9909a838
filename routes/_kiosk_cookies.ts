/**
 * What one visitor's kiosk session keeps between pages: the basket of records and the draft of
 * the request form. Both live in httpOnly cookies that the idle reset (/richieste/azzera), a
 * filed request and their short max-age wipe, so nothing stays for the next person.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { RequestedRecord } from "../db/access_requests.ts";
import { cookieOptions } from "../middleware/session.ts";
import { MAX_RECORDS, parseRecordRef } from "./_request_input.ts";

export const BASKET_COOKIE = "faldone_basket";
export const DRAFT_COOKIE = "faldone_draft";
// Long enough to look for a few more records, short enough not to outlive the visit.
const DRAFT_SECONDS = 30 * 60;
// Browsers drop cookies over 4 KiB: a longer draft keeps its short fields only.
const MAX_DRAFT_CHARS = 3_500;

/** The records gathered so far. */
export function readBasket(c: Context): RequestedRecord[] {
  const raw = getCookie(c, BASKET_COOKIE) ?? "";
  return raw.split("|").map(parseRecordRef).filter((r) => r !== undefined).slice(0, MAX_RECORDS);
}

/** Replaces the basket (deduplicated, at most MAX_RECORDS). */
export function writeBasket(c: Context, refs: RequestedRecord[]): void {
  const unique = [...new Set(refs.map((r) => `${r.kind}:${r.id}`))].slice(0, MAX_RECORDS);
  if (unique.length === 0) deleteCookie(c, BASKET_COOKIE, { path: "/" });
  else setCookie(c, BASKET_COOKIE, unique.join("|"), cookieOptions(c, 3600));
}

/** What the citizen typed in the request form, and the records it was about. */
export interface Draft {
  values: Record<string, string>;
  records: RequestedRecord[];
}

function encode(draft: Draft): string {
  const json = JSON.stringify({
    v: draft.values,
    r: draft.records.map((r) => `${r.kind}:${r.id}`),
  });
  return btoa(String.fromCharCode(...new TextEncoder().encode(json)));
}

/** The saved draft, or undefined (none, or unreadable). */
export function readDraft(c: Context): Draft | undefined {
  const raw = getCookie(c, DRAFT_COOKIE);
  if (!raw) return undefined;
  try {
    const bytes = Uint8Array.from(atob(raw), (ch) => ch.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const v: unknown = Reflect.get(parsed, "v");
    const r: unknown = Reflect.get(parsed, "r");
    const values: Record<string, string> = {};
    if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) if (typeof x === "string") values[k] = x;
    }
    const records = Array.isArray(r)
      ? r.map((x) => (typeof x === "string" ? parseRecordRef(x) : undefined))
        .filter((x) => x !== undefined).slice(0, MAX_RECORDS)
      : [];
    return { values, records };
  } catch {
    return undefined;
  }
}

/** Saves the draft; one too long for a cookie keeps everything but the free texts. */
export function writeDraft(c: Context, draft: Draft): void {
  let value = encode(draft);
  if (value.length > MAX_DRAFT_CHARS) {
    const { motivation: _m, recordsDescription: _d, ...short } = draft.values;
    value = encode({ values: short, records: draft.records });
  }
  setCookie(c, DRAFT_COOKIE, value, cookieOptions(c, DRAFT_SECONDS));
}

/** Forgets the draft. */
export function dropDraft(c: Context): void {
  deleteCookie(c, DRAFT_COOKIE, { path: "/" });
}

/**
 * The request a kiosk visitor opened the granted documents of (routes/consult.tsx): signed,
 * 15 minutes, wiped by /richieste/azzera and "Fine consultazione".
 */
export const CONSULT_COOKIE = "faldone_consult";

/**
 * Reads the kiosk request form: every field checked at once so the form comes back with a
 * message beside each wrong field and everything else kept.
 */
import { validateTaxCode } from "../domain/codice_fiscale.ts";
import type { NewAccessRequest, RequestedRecord } from "../db/access_requests.ts";
import { REQUESTER_TITLES } from "../views/request_form.tsx";

/** Most records one request may list. */
export const MAX_RECORDS = 20;
const RECORD_REF = /^(dossier|act):([A-Za-z0-9._:-]{1,64})$/;
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,190}\.[^\s@<>".]{2,}$/;
const PHONE = /^\+?[0-9 ()./-]{6,20}$/;

/** A form body as hono parses it. */
export type FormBody = Record<string, unknown>;

/** The string value of a field (first one when repeated), trimmed. */
export function text(body: FormBody, name: string): string {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" ? first.trim() : "";
}

/** Every string value of a repeated field. */
export function texts(body: FormBody, name: string): string[] {
  const v = body[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.filter((x): x is string => typeof x === "string");
}

/** `dossier:ID` / `act:ID` → a record reference, or undefined when malformed. */
export function parseRecordRef(ref: string): RequestedRecord | undefined {
  const m = RECORD_REF.exec(ref.trim());
  if (!m || !m[2]) return undefined;
  return { kind: m[1] === "act" ? "act" : "dossier", id: m[2] };
}

/** The form read: the clean request, or the messages per field; `values` re-fills the form. */
export type RequestInput =
  | {
    ok: true;
    input: NewAccessRequest;
    values: Record<string, string>;
    records: RequestedRecord[];
  }
  | {
    ok: false;
    errors: Record<string, string>;
    values: Record<string, string>;
    records: RequestedRecord[];
  };

function limit(errors: Record<string, string>, field: string, value: string, max: number) {
  if (value.length > max) errors[field] ??= `Testo troppo lungo: al massimo ${max} caratteri.`;
}

/** Validates the whole form. */
export function readRequestForm(body: FormBody): RequestInput {
  const values = {
    requesterName: text(body, "requesterName"),
    taxCode: text(body, "taxCode"),
    email: text(body, "email"),
    phone: text(body, "phone"),
    regime: text(body, "regime"),
    motivation: text(body, "motivation"),
    requesterTitle: text(body, "requesterTitle"),
    mode: text(body, "mode"),
    recordsDescription: text(body, "recordsDescription"),
    privacyAck: text(body, "privacyAck") === "1" ? "1" : "",
    urgent: text(body, "urgent") === "1" ? "1" : "",
    feeExemptionId: text(body, "feeExemptionId").slice(0, 100),
  };
  const errors: Record<string, string> = {};
  const records: RequestedRecord[] = [];
  for (const ref of texts(body, "record").slice(0, MAX_RECORDS)) {
    const r = parseRecordRef(ref);
    if (r) records.push(r);
    else {errors.records =
        "Riferimento a una pratica non valido: riparti dalla pagina della pratica.";}
  }
  if (values.requesterName.length < 2) errors.requesterName = "Inserisci nome e cognome.";
  limit(errors, "requesterName", values.requesterName, 120);
  const cf = validateTaxCode(values.taxCode);
  if (!cf.ok) errors.taxCode = cf.message;
  if (values.email && !EMAIL.test(values.email)) {
    errors.email = "Indirizzo e-mail non valido: controlla la @ e il dominio.";
  }
  if (values.phone && !PHONE.test(values.phone)) {
    errors.phone = "Numero di telefono non valido: solo cifre, spazi e +.";
  }
  const regime = values.regime;
  if (regime !== "documentale" && regime !== "civico_generalizzato") {
    errors.regime = "Scegli il tipo di accesso.";
  }
  if (regime === "documentale" && values.motivation.length < 5) {
    errors.motivation = "Per l'accesso documentale scrivi il motivo della richiesta.";
  }
  limit(errors, "motivation", values.motivation, 2000);
  limit(errors, "recordsDescription", values.recordsDescription, 1000);
  const title = values.requesterTitle;
  const titles: readonly string[] = REQUESTER_TITLES;
  if (title && !titles.includes(title)) errors.requesterTitle = "Titolo non valido.";
  const mode = values.mode || "view";
  if (mode !== "view" && mode !== "copy" && mode !== "certified_copy") {
    errors.mode = "Scegli come consultare i documenti.";
  }
  if (values.privacyAck !== "1") {
    errors.privacyAck = "Per presentare la richiesta conferma di aver letto l'informativa.";
  }
  if (records.length === 0 && !values.recordsDescription) {
    errors.recordsDescription = "Scegli una pratica dalla ricerca o descrivi i documenti.";
  }
  if (
    Object.keys(errors).length > 0 || !cf.ok ||
    (regime !== "documentale" && regime !== "civico_generalizzato") ||
    (mode !== "view" && mode !== "copy" && mode !== "certified_copy")
  ) return { ok: false, errors, values, records };
  const documentale = regime === "documentale";
  return {
    ok: true,
    values,
    records,
    input: {
      regime,
      requesterName: values.requesterName,
      taxCode: cf.normalized,
      email: values.email || undefined,
      phone: values.phone || undefined,
      // Civico generalizzato asks for no motivation and no title (d.lgs. 33/2013 art. 5 c.3).
      motivation: documentale ? values.motivation : undefined,
      requesterTitle: documentale ? title || undefined : undefined,
      mode,
      recordsDescription: values.recordsDescription || undefined,
      records,
      urgent: values.urgent === "1",
    },
  };
}

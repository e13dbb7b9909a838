/**
 * The kiosk request form as schemas: every field checked at once so the form comes back
 * with a message beside each wrong field and everything else kept.
 */
import { z } from "zod";
import { validateTaxCode } from "../domain/codice_fiscale.ts";
import type { NewAccessRequest, RequestedRecord } from "../db/access_requests.ts";
import { REQUESTER_TITLES } from "../views/request_form.tsx";
import { flag, hasControlCharacters, optionalText, text } from "./_fields.ts";

/** Most records one request may list. */
export const MAX_RECORDS = 20;
const RECORD_REF = /^(dossier|act):([A-Za-z0-9._:-]{1,64})$/;
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,190}\.[^\s@<>".]{2,}$/;
const PHONE = /^\+?[0-9 ()./-]{6,20}$/;
const BAD_RECORD = "Riferimento a una pratica non valido: riparti dalla pagina della pratica.";

/** `dossier:ID` / `act:ID` → a record reference, or undefined when malformed. */
export function parseRecordRef(ref: string): RequestedRecord | undefined {
  const m = RECORD_REF.exec(ref.trim());
  if (!m || !m[2]) return undefined;
  return { kind: m[1] === "act" ? "act" : "dossier", id: m[2] };
}

/** A `dossier:ID` / `act:ID` field (a basket action, a record page link). */
export const recordRef = text("Pratica", {
  max: 80,
  required: "Pratica non valida: riparti dalla ricerca.",
}).transform((v, ctx) => {
  const ref = parseRecordRef(v);
  if (!ref) ctx.addIssue({ code: "custom", message: "Pratica non valida: riparti dalla ricerca." });
  return ref ?? z.NEVER;
});

const refText = z.string({ error: BAD_RECORD }).max(80, BAD_RECORD)
  .refine((v) => !hasControlCharacters(v), BAD_RECORD);

// The form's fields as typed: bounded, one value each (`record` repeats), no control characters.
const LIMITS = {
  requesterName: ["Nome e cognome", 120],
  taxCode: ["Codice fiscale", 40],
  email: ["E-mail", 254],
  phone: ["Telefono", 40],
  regime: ["Tipo di accesso", 40],
  motivation: ["Motivo della richiesta", 2000],
  requesterTitle: ["Titolo", 80],
  mode: ["Modalità di consultazione", 40],
  recordsDescription: ["Documenti richiesti", 1000],
} as const;
type ValueName = keyof typeof LIMITS;
const MULTILINE: ReadonlySet<ValueName> = new Set(["motivation", "recordsDescription"]);

const valuesShape = z.object({
  ...Object.fromEntries(
    Object.entries(LIMITS).map(([name, [label, max]]) => [
      name,
      optionalText(label, { max, multiline: MULTILINE.has(name as ValueName) }),
    ]),
  ) as Record<ValueName, ReturnType<typeof optionalText>>,
  record: z.union([refText, z.array(refText).max(200, BAD_RECORD)]).optional(),
  confirm: flag("Conferma"),
});

/** The form as typed, to fill it again. */
export type RequestValues = Record<ValueName, string>;

function refsOf(raw: string | string[] | undefined): { records: RequestedRecord[]; bad: boolean } {
  const all = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const records: RequestedRecord[] = [];
  let bad = false;
  for (const ref of all.slice(0, MAX_RECORDS)) {
    const r = parseRecordRef(ref);
    if (r) records.push(r);
    else bad = true;
  }
  return { records, bad };
}

/** "Modifica i dati": the values and records as typed, without the rules. */
export const requestValues = valuesShape.transform((v) => {
  const { record, confirm: _confirm, ...values } = v;
  return { values, records: refsOf(record).records };
});

/** The form read: the clean request, the values to re-fill it, the records and the confirm tick. */
export interface RequestInput {
  input: NewAccessRequest;
  values: RequestValues;
  records: RequestedRecord[];
  confirm: boolean;
}

/** The whole form with the rules of a request (DOMAIN §5). */
export const requestForm = valuesShape.transform((v, ctx): RequestInput => {
  const { record, confirm, ...values } = v;
  const errors: Partial<Record<ValueName | "records", string>> = {};
  const { records, bad } = refsOf(record);
  if (bad) errors.records = BAD_RECORD;
  if (values.requesterName.length < 2) errors.requesterName = "Inserisci nome e cognome.";
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
  const title = values.requesterTitle;
  const titles: readonly string[] = REQUESTER_TITLES;
  if (title && !titles.includes(title)) errors.requesterTitle = "Titolo non valido.";
  const mode = values.mode || "view";
  if (mode !== "view" && mode !== "copy" && mode !== "certified_copy") {
    errors.mode = "Scegli come consultare i documenti.";
  }
  if (records.length === 0 && !values.recordsDescription) {
    errors.recordsDescription = "Scegli una pratica dalla ricerca o descrivi i documenti.";
  }
  for (const [field, message] of Object.entries(errors)) {
    ctx.addIssue({ code: "custom", path: [field], message });
  }
  if (
    Object.keys(errors).length > 0 || !cf.ok ||
    (regime !== "documentale" && regime !== "civico_generalizzato") ||
    (mode !== "view" && mode !== "copy" && mode !== "certified_copy")
  ) return z.NEVER;
  const documentale = regime === "documentale";
  return {
    values,
    records,
    confirm,
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
    },
  };
});

/** The values of a refused form, to fill it again: first value of each field, bounded, clean. */
export function rawRequestValues(raw: Record<string, unknown>): {
  values: RequestValues;
  records: RequestedRecord[];
} {
  const first = (name: string, max: number) => {
    const v = raw[name];
    const one = Array.isArray(v) ? v[0] : v;
    if (typeof one !== "string") return "";
    const cut = one.slice(0, max).trim();
    return hasControlCharacters(cut, true) ? "" : cut;
  };
  const values = Object.fromEntries(
    Object.entries(LIMITS).map(([name, [, max]]) => [name, first(name, max)]),
  ) as RequestValues;
  const refs = raw.record;
  const list = (Array.isArray(refs) ? refs : [refs]).filter((r) => typeof r === "string");
  return { values, records: refsOf(list).records };
}

/**
 * The kiosk request form as schemas: every field checked at once so the form comes back
 * with a message beside each wrong field and everything else kept.
 */
import { z } from "zod";
import { validateTaxCode } from "../domain/codice_fiscale.ts";
import { cleanLine, cleanMultiline } from "../domain/plain_text.ts";
import type { NewAccessRequest, RequestedRecord } from "../db/access_requests.ts";
import { REQUESTER_TITLES } from "../views/request_form.tsx";
import { code, flag, hasControlCharacters, optionalCode, optionalText } from "./_fields.ts";
import type { Label } from "./_fields.ts";
import { localMessage } from "../i18n/local_message.ts";

/** Most records one request may list. */
export const MAX_RECORDS = 20;
const RECORD_REF = /^(dossier|act):([A-Za-z0-9._:-]{1,64})$/;
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,190}\.[^\s@<>".]{2,}$/;
const PHONE = /^\+?[0-9 ()./-]{6,20}$/;
const BAD_RECORD = localMessage((t) => t.request.errBadRecord);
const BAD_REF = localMessage((t) => t.request.errRecordRef);

/** `dossier:ID` / `act:ID` → a record reference, or undefined when malformed. */
export function parseRecordRef(ref: string): RequestedRecord | undefined {
  const m = RECORD_REF.exec(ref.trim());
  if (!m || !m[2]) return undefined;
  return { kind: m[1] === "act" ? "act" : "dossier", id: m[2] };
}

/** A `dossier:ID` / `act:ID` field (a basket action, a record page link). */
export const recordRef = code((t) => t.request.labelRecord, {
  max: 80,
  required: BAD_REF,
}).transform((v, ctx) => {
  const ref = parseRecordRef(v);
  if (!ref) ctx.addIssue({ code: "custom", message: BAD_REF });
  return ref ?? z.NEVER;
});

const refText = z.string({ error: BAD_RECORD }).max(80, BAD_RECORD)
  .refine((v) => !hasControlCharacters(v), BAD_RECORD);

// The form's fields as typed: bounded, one value each (`record` repeats). Free text (a name,
// a motivation) has its control characters made spaces (domain/plain_text.ts); a value with a
// format of its own (tax code, e-mail, a choice) refuses them.
type Kind = "line" | "multiline" | "code";
const LIMITS = {
  requesterName: [(t) => t.request.labelName, 120, "line"],
  taxCode: [(t) => t.request.labelTaxCode, 40, "code"],
  email: [(t) => t.request.labelEmail, 254, "code"],
  notifyAppIo: [(t) => t.request.labelAppIo, 5, "code"],
  phone: [(t) => t.request.labelPhone, 40, "code"],
  regime: [(t) => t.request.labelRegime, 40, "code"],
  motivation: [(t) => t.request.labelMotivation, 2000, "multiline"],
  requesterTitle: [(t) => t.request.labelTitle, 80, "code"],
  mode: [(t) => t.request.labelMode, 40, "code"],
  recordsDescription: [(t) => t.request.labelDocuments, 1000, "multiline"],
  privacyAck: [(t) => t.request.labelPrivacy, 5, "code"],
  urgent: [(t) => t.request.labelUrgent, 5, "code"],
  feeExemptionId: [(t) => t.request.labelExemption, 100, "code"],
} as const satisfies Record<string, readonly [Label, number, Kind]>;
type ValueName = keyof typeof LIMITS;

function field(label: Label, max: number, kind: Kind) {
  return kind === "code"
    ? optionalCode(label, { max })
    : optionalText(label, { max, multiline: kind === "multiline" });
}

/** The form's fields by shape only (one bounded value each), before the rules of a request. */
export const valuesShape = z.object({
  ...Object.fromEntries(
    Object.entries(LIMITS).map(([name, [label, max, kind]]) => [name, field(label, max, kind)]),
  ) as Record<ValueName, ReturnType<typeof optionalText>>,
  record: z.union([refText, z.array(refText).max(200, BAD_RECORD)], { error: BAD_RECORD })
    .optional(),
  confirm: flag((t) => t.request.labelConfirm),
});

// The privacy, urgency and App IO boxes read "1" when ticked, "" otherwise, whatever else was sent.
function withAck<T extends { privacyAck: string; urgent: string; notifyAppIo: string }>(
  values: T,
): T {
  return {
    ...values,
    notifyAppIo: values.notifyAppIo === "1" ? "1" : "",
    privacyAck: values.privacyAck === "1" ? "1" : "",
    urgent: values.urgent === "1" ? "1" : "",
  };
}

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
  return { values: withAck(values), records: refsOf(record).records };
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
  const { record, confirm, ...typed } = v;
  const values = withAck(typed);
  const errors: Partial<Record<ValueName | "records", string>> = {};
  const { records, bad } = refsOf(record);
  if (bad) errors.records = BAD_RECORD;
  if (values.requesterName.length < 2) {
    errors.requesterName = localMessage((t) => t.request.errName);
  }
  const cf = validateTaxCode(values.taxCode);
  if (!cf.ok) errors.taxCode = cf.message;
  if (values.email && !EMAIL.test(values.email)) {
    errors.email = localMessage((t) => t.request.errEmail);
  }
  if (values.phone && !PHONE.test(values.phone)) {
    errors.phone = localMessage((t) => t.request.errPhone);
  }
  const regime = values.regime;
  if (regime !== "documentale" && regime !== "civico_generalizzato") {
    errors.regime = localMessage((t) => t.request.errRegime);
  }
  if (regime === "documentale" && values.motivation.length < 5) {
    errors.motivation = localMessage((t) => t.request.errMotivation);
  }
  const title = values.requesterTitle;
  const titles: readonly string[] = REQUESTER_TITLES;
  if (title && !titles.includes(title)) {
    errors.requesterTitle = localMessage((t) => t.request.errTitle);
  }
  const mode = values.mode || "view";
  if (mode !== "view" && mode !== "copy" && mode !== "certified_copy") {
    errors.mode = localMessage((t) => t.request.errMode);
  }
  if (values.privacyAck !== "1") {
    errors.privacyAck = localMessage((t) => t.request.errPrivacy);
  }
  if (records.length === 0 && !values.recordsDescription) {
    errors.recordsDescription = localMessage((t) => t.request.errRecords);
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
      // App IO messages go to the codice fiscale; a company code has no IO profile.
      notifyAppIo: values.notifyAppIo === "1" && cf.normalized.length === 16,
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
});

/** The values of a refused form, to fill it again: first value of each field, bounded, clean. */
export function rawRequestValues(raw: Record<string, unknown>): {
  values: RequestValues;
  records: RequestedRecord[];
} {
  const first = (name: string, max: number, kind: Kind) => {
    const v = raw[name];
    const one = Array.isArray(v) ? v[0] : v;
    if (typeof one !== "string") return "";
    const cut = one.slice(0, max);
    if (kind === "code") return hasControlCharacters(cut) ? "" : cut.trim();
    return (kind === "multiline" ? cleanMultiline(cut) : cleanLine(cut)).trim();
  };
  const values = withAck(
    Object.fromEntries(
      Object.entries(LIMITS).map(([name, [, max, kind]]) => [name, first(name, max, kind)]),
    ) as RequestValues,
  );
  const refs = raw.record;
  const list = (Array.isArray(refs) ? refs : [refs]).filter((r) => typeof r === "string");
  return { values, records: refsOf(list).records };
}

/**
 * A basket action: add or remove one record, or (from the request form) add the records listed
 * and keep what was typed as a draft before searching for more.
 */
export const basketForm = valuesShape.extend({
  action: z.enum(["add", "remove", "add_and_search"], {
    error: localMessage((t) => t.request.errAction),
  }).default("add"),
}).transform((v, ctx) => {
  const { record, confirm: _confirm, action, ...values } = v;
  const { records, bad } = refsOf(record);
  const [ref] = records;
  // Only the request form sends several records (those it lists); add and remove name one.
  if (bad || !ref || (action !== "add_and_search" && records.length > 1)) {
    ctx.addIssue({
      code: "custom",
      path: ["record"],
      message: BAD_REF,
    });
    return z.NEVER;
  }
  return { action, ref, records, values: withAck(values) };
});

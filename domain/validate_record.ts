/**
 * One import line (DOMAIN.md §4) → a validated RecordDoc, or the reasons it is refused as
 * `riga N: campo: motivo` (Italian reasons, the format's field names). Snake_case JSON fields become camelCase doc fields; optional
 * fields left empty stay absent, so equal content always gives the same document and hash.
 */
import { validateTaxCode } from "./codice_fiscale.ts";
import type {
  ActDoc,
  Address,
  Alias,
  CadastralRef,
  DocumentRef,
  DossierDoc,
  Location,
  Person,
  RecordDoc,
} from "./records.ts";
import { DOSSIER_STATUSES } from "./records.ts";
import {
  count,
  defined,
  eachObject,
  Findings,
  isObject,
  type Json,
  OBJECT,
  optBool,
  optDate,
  optMultiline,
  optString,
  reqString,
  REQUIRED,
  shown,
  warnUnknown,
  year,
} from "./_json_fields.ts";

/** The admin-edited vocabularies a line is checked against (tables record_types, act_kinds). */
export interface Vocabulary {
  /** Dossier type code → whether its dossiers are restricted by default (ABUSI). */
  types: ReadonlyMap<string, { restrictedByDefault: boolean }>;
  actKinds: ReadonlySet<string>;
}

/** A line's verdict: the doc and its warnings, or the errors that refuse it. */
export type LineVerdict =
  | { ok: true; doc: RecordDoc; warnings: string[] }
  | { ok: false; errors: string[]; warnings: string[] };

const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const ID_RULE = "deve avere da 1 a 64 caratteri tra lettere senza accenti, cifre e . _ : -";
export { isIsoDate } from "./_json_fields.ts";

const SHA256 = /^[0-9a-fA-F]{64}$/;

function documentRef(f: Findings, d: Json, path: string): DocumentRef | undefined {
  warnUnknown(f, d, ["file", "title", "pages", "bytes", "sha256", "public"], `${path}.`);
  const file = reqString(f, d, "file", `${path}.file`);
  const title = optString(f, d, "title", `${path}.title`);
  const pages = count(f, d, "pages", `${path}.pages`);
  const bytes = count(f, d, "bytes", `${path}.bytes`);
  const sha = reqString(f, d, "sha256", `${path}.sha256`);
  if (sha !== undefined && !SHA256.test(sha)) {
    f.error(
      `${path}.sha256`,
      `deve essere di 64 caratteri esadecimali (0-9, a-f), trovato ${shown(sha)}`,
    );
  }
  const isPublic = optBool(f, d, "public", `${path}.public`) ?? false;
  if (file === undefined || pages === undefined || bytes === undefined || sha === undefined) {
    return undefined;
  }
  return { file, ...defined({ title }), pages, bytes, sha256: sha.toLowerCase(), public: isPublic };
}

function person(f: Findings, p: Json, path: string): Person | undefined {
  const fields = ["role", "surname", "name", "company", "tax_code", "email", "phone"] as const;
  warnUnknown(f, p, fields, `${path}.`);
  const role = reqString(f, p, "role", `${path}.role`);
  const surname = optString(f, p, "surname", `${path}.surname`);
  const company = optString(f, p, "company", `${path}.company`);
  if (surname === undefined && company === undefined) {
    f.error(`${path}.surname`, "indicare il cognome (surname) o la ditta (company)");
  }
  const raw = optString(f, p, "tax_code", `${path}.tax_code`);
  let taxCode: string | undefined;
  let taxCodeVerified: boolean | undefined;
  if (raw !== undefined) {
    const check = validateTaxCode(raw);
    taxCode = check.ok ? check.normalized : raw;
    taxCodeVerified = check.ok;
    if (!check.ok) f.warn(`${path}.tax_code`, `conservato senza verifica: ${check.message}`);
  }
  const rest = defined({
    surname,
    name: optString(f, p, "name", `${path}.name`),
    company,
    taxCode,
    taxCodeVerified,
    email: optString(f, p, "email", `${path}.email`),
    phone: optString(f, p, "phone", `${path}.phone`),
  });
  return role === undefined ? undefined : { role, ...rest };
}

function cadastralRef(f: Findings, c: Json, path: string): CadastralRef | undefined {
  warnUnknown(f, c, ["register", "section", "sheet", "parcel", "sub"], `${path}.`);
  const register = c.register;
  if (register !== "NCEU" && register !== "NCT") {
    f.error(
      `${path}.register`,
      `deve essere "NCEU" (fabbricati) o "NCT" (terreni), trovato ${shown(register)}`,
    );
  }
  const sheet = reqString(f, c, "sheet", `${path}.sheet`);
  const parcel = reqString(f, c, "parcel", `${path}.parcel`);
  const section = optString(f, c, "section", `${path}.section`);
  const sub = optString(f, c, "sub", `${path}.sub`);
  if (sub !== undefined && register === "NCT") {
    f.warn(`${path}.sub`, "solo il catasto fabbricati (NCEU) ha subalterni; conservato");
  }
  if ((register !== "NCEU" && register !== "NCT") || !sheet || !parcel) return undefined;
  return { register, ...defined({ section }), sheet, parcel, ...defined({ sub }) };
}

const DOSSIER_FIELDS = [
  "record",
  "id",
  "series",
  "type",
  "number",
  "year",
  "protocol_number",
  "protocol_date",
  "aliases",
  "parent_id",
  "subject",
  "subject_public",
  "addresses",
  "cadastral",
  "people",
  "submitted_on",
  "issued_on",
  "works_started_on",
  "works_ended_on",
  "status",
  "documents",
  "location",
  "restricted",
  "source",
] as const; // deno-fmt-ignore

function dossier(f: Findings, o: Json, vocab: Vocabulary, maxYear: number): DossierDoc | undefined {
  warnUnknown(f, o, DOSSIER_FIELDS, "");
  const id = recordId(f, o);
  const series = reqString(f, o, "series", "series");
  const type = reqString(f, o, "type", "type");
  const typeInfo = type === undefined ? undefined : vocab.types.get(type);
  if (type !== undefined && !typeInfo) {
    f.error(
      "type",
      `tipo di pratica ${shown(type)} sconosciuto (tipi noti: ${[...vocab.types.keys()].join(", ")})`,
    );
  }
  const number = reqString(f, o, "number", "number");
  const y = year(f, o, maxYear);
  const parentId = optString(f, o, "parent_id", "parent_id");
  if (parentId !== undefined && !ID.test(parentId)) f.error("parent_id", ID_RULE);
  const status = o.status === undefined || o.status === null ? "unknown" : o.status;
  const knownStatus = DOSSIER_STATUSES.find((s) => s === status);
  if (!knownStatus) {
    f.error("status", `deve essere uno tra: ${DOSSIER_STATUSES.join(", ")}; trovato ${shown(status)}`);
  }
  const aliases = eachObject(f, o, "aliases", (a, path): Alias | undefined => {
    warnUnknown(f, a, ["index", "key"], `${path}.`);
    const index = reqString(f, a, "index", `${path}.index`);
    const key = reqString(f, a, "key", `${path}.key`);
    return index && key ? { index, key } : undefined;
  });
  const addresses = eachObject(f, o, "addresses", (a, path): Address | undefined => {
    warnUnknown(f, a, ["street", "civic", "locality", "historic"], `${path}.`);
    const street = reqString(f, a, "street", `${path}.street`);
    const civic = optString(f, a, "civic", `${path}.civic`);
    const locality = optString(f, a, "locality", `${path}.locality`);
    const historic = optBool(f, a, "historic", `${path}.historic`) ? true : undefined;
    return street ? { street, ...defined({ civic, locality, historic }) } : undefined;
  });
  const cadastral = eachObject(f, o, "cadastral", (c, path) => cadastralRef(f, c, path));
  const people = eachObject(f, o, "people", (p, path) => person(f, p, path));
  const documents = eachObject(f, o, "documents", (d, path) => documentRef(f, d, path));
  let location: Location | undefined;
  if (o.location !== undefined && o.location !== null) {
    if (!isObject(o.location)) f.error("location", OBJECT);
    else {
      const l = o.location;
      warnUnknown(f, l, ["box", "shelf", "room"], "location.");
      location = defined<Location>({
        box: optString(f, l, "box", "location.box"),
        shelf: optString(f, l, "shelf", "location.shelf"),
        room: optString(f, l, "room", "location.room"),
      });
      if (Object.keys(location).length === 0) location = undefined;
    }
  }
  const restricted = optBool(f, o, "restricted", "restricted") ??
    typeInfo?.restrictedByDefault ?? false;
  const optional = defined({
    protocolNumber: optString(f, o, "protocol_number", "protocol_number"),
    protocolDate: optDate(f, o, "protocol_date", "protocol_date"),
    parentId,
    subject: optString(f, o, "subject", "subject"),
    subjectPublic: optString(f, o, "subject_public", "subject_public"),
    submittedOn: optDate(f, o, "submitted_on", "submitted_on"),
    issuedOn: optDate(f, o, "issued_on", "issued_on"),
    worksStartedOn: optDate(f, o, "works_started_on", "works_started_on"),
    worksEndedOn: optDate(f, o, "works_ended_on", "works_ended_on"),
    location,
    source: optString(f, o, "source", "source"),
  });
  if (f.errors.length || !id || !series || !type || !number || y === undefined || !knownStatus) {
    return undefined;
  }
  return {
    record: "dossier",
    id,
    series,
    type,
    number,
    year: y,
    aliases,
    addresses,
    cadastral,
    people,
    status: knownStatus,
    documents,
    restricted,
    ...optional,
  };
}

const ACT_FIELDS = [
  "record",
  "id",
  "kind",
  "number",
  "year",
  "date",
  "office",
  "subject",
  "text",
  "published_from",
  "published_to",
  "attachments",
  "restricted",
] as const; // deno-fmt-ignore

function act(f: Findings, o: Json, vocab: Vocabulary, maxYear: number): ActDoc | undefined {
  warnUnknown(f, o, ACT_FIELDS, "");
  const id = recordId(f, o);
  const kind = reqString(f, o, "kind", "kind");
  if (kind !== undefined && !vocab.actKinds.has(kind)) {
    f.error(
      "kind",
      `tipo di atto ${shown(kind)} sconosciuto (tipi noti: ${[...vocab.actKinds].join(", ")})`,
    );
  }
  const number = reqString(f, o, "number", "number");
  const y = year(f, o, maxYear);
  const date = optDate(f, o, "date", "date");
  if (date === undefined && (o.date === undefined || o.date === null || o.date === "")) {
    f.error("date", REQUIRED);
  }
  const subject = reqString(f, o, "subject", "subject");
  const attachments = eachObject(f, o, "attachments", (d, path) => documentRef(f, d, path));
  const optional = defined({
    office: optString(f, o, "office", "office"),
    text: optMultiline(f, o, "text", "text"),
    publishedFrom: optDate(f, o, "published_from", "published_from"),
    publishedTo: optDate(f, o, "published_to", "published_to"),
  });
  const restricted = optBool(f, o, "restricted", "restricted") ?? false;
  if (f.errors.length || !id || !kind || !number || y === undefined || !date || !subject) {
    return undefined;
  }
  return {
    record: "act",
    id,
    kind,
    number,
    year: y,
    date,
    subject,
    attachments,
    restricted,
    ...optional,
  };
}

function recordId(f: Findings, o: Json): string | undefined {
  const id = reqString(f, o, "id", "id");
  if (id !== undefined && !ID.test(id)) {
    return f.error("id", `${ID_RULE}, trovato ${shown(id)}`);
  }
  return id;
}

/** Validates one parsed JSON value as an import record; `currentYear` bounds `year`. */
export function validateRecord(
  value: unknown,
  line: number,
  vocab: Vocabulary,
  currentYear: number,
): LineVerdict {
  const f = new Findings(line);
  let doc: RecordDoc | undefined;
  if (!isObject(value)) {
    f.error("record", "la riga deve essere un oggetto tra parentesi graffe { }");
  } else if (value.record === "dossier") doc = dossier(f, value, vocab, currentYear + 1);
  else if (value.record === "act") doc = act(f, value, vocab, currentYear + 1);
  else {f.error(
      "record",
      `deve essere "dossier" (pratica) o "act" (atto), trovato ${shown(value.record)}`,
    );}
  if (!doc || f.errors.length) return { ok: false, errors: f.errors, warnings: f.warnings };
  return { ok: true, doc, warnings: f.warnings };
}

/** Parses and validates one text line of a JSONL file. */
export function validateLine(
  text: string,
  line: number,
  vocab: Vocabulary,
  currentYear: number,
): LineVerdict {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`riga ${line}: json: ${jsonProblem(err)}`], warnings: [] };
  }
  const verdict = validateRecord(value, line, vocab, currentYear);
  if (text.includes("\uFFFD")) {
    verdict.warnings.push(
      `riga ${line}: text: caratteri non leggibili (il file non è in UTF-8), sostituiti da �`,
    );
  }
  return verdict;
}

/**
 * Why JSON.parse refused a line, in Italian: the engine's own message is English and
 * technical, so only the place it points at is kept (as a 1-based character count).
 */
function jsonProblem(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/end of JSON input|Unterminated/i.test(message)) {
    return 'testo JSON non valido: la riga finisce prima del previsto (manca una chiusura " } o ])';
  }
  const at = /at position (\d+)/.exec(message);
  const where = at ? ` al carattere ${Number(at[1]) + 1}` : "";
  return `testo JSON non valido${where}: controllare virgolette, virgole e parentesi`;
}

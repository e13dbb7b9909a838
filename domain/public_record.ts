/**
 * The public projection of a record (DOMAIN.md §2.3): what a kiosk without login may show
 * and what the public search index is built from. No person, no location, no restricted
 * record; the subject has the dossier's own people blanked out.
 */
import type {
  ActDoc,
  Address,
  Alias,
  CadastralRef,
  DossierDoc,
  DossierStatus,
  RecordDoc,
} from "./records.ts";

/** A document as the public may see it: title and pages always, the file only when public. */
export interface PublicDocumentRef {
  title?: string;
  pages: number;
  public: boolean;
  /** Only for documents marked public: scans carry names and signatures. */
  file?: string;
}

/** A dossier without personal data: `roles` says which roles exist, never who. */
export interface PublicDossier {
  record: "dossier";
  id: string;
  series: string;
  type: string;
  number: string;
  year: number;
  protocolNumber?: string;
  protocolDate?: string;
  aliases: Alias[];
  parentId?: string;
  subject?: string;
  addresses: Address[];
  cadastral: CadastralRef[];
  roles: string[];
  submittedOn?: string;
  issuedOn?: string;
  worksStartedOn?: string;
  worksEndedOn?: string;
  status: DossierStatus;
  documents: PublicDocumentRef[];
}

/** A council act as published (its `text` already has personal data omitted). */
export interface PublicAct {
  record: "act";
  id: string;
  kind: string;
  number: string;
  year: number;
  date: string;
  office?: string;
  subject: string;
  text?: string;
  publishedFrom?: string;
  publishedTo?: string;
  attachments: PublicDocumentRef[];
}

/**
 * Whether the public may see a record at all: only when it says `restricted: false`. Fails
 * closed: a record whose flag is missing or not a boolean (data that reached us around the
 * import's checks) stays hidden. publicView, the public index and result cards all ask this.
 */
export function isPublicRecord(doc: { restricted: boolean }): boolean {
  return doc.restricted === false;
}

/**
 * The public projection of a record, or undefined when restricted: no people (only which
 * roles exist), subject = subjectPublic ?? subject with the names/surnames/companies/tax
 * codes of the dossier's OWN people replaced by "***" (case/accents-insensitive, whole
 * words), only public documents' content refs, no location.
 */
export function publicView(doc: RecordDoc): PublicDossier | PublicAct | undefined {
  if (!isPublicRecord(doc)) return undefined;
  return doc.record === "act" ? publicAct(doc) : publicDossier(doc);
}

function publicDocuments(docs: DossierDoc["documents"]): PublicDocumentRef[] {
  return docs.map((d) => ({
    ...(d.title !== undefined ? { title: d.title } : {}),
    pages: d.pages,
    public: d.public,
    ...(d.public ? { file: d.file } : {}),
  }));
}

/**
 * How each field of a record reaches the public: `copied` as it is, `rewritten` by a rule of
 * its own (a redacted subject, roles instead of people, document refs without their files),
 * or `private`, never. Every field must be named (a missing or unknown one is a type error),
 * so a field added to the record model stays private until someone decides otherwise here;
 * nothing is spread across wholesale.
 */
type FieldRule = "copied" | "rewritten" | "private";

export const DOSSIER_FIELD_RULES = {
  record: "copied",
  id: "copied",
  series: "copied",
  type: "copied",
  number: "copied",
  year: "copied",
  protocolNumber: "copied",
  protocolDate: "copied",
  aliases: "copied",
  parentId: "copied",
  addresses: "copied",
  cadastral: "copied",
  submittedOn: "copied",
  issuedOn: "copied",
  worksStartedOn: "copied",
  worksEndedOn: "copied",
  status: "copied",
  subject: "rewritten",
  subjectPublic: "rewritten",
  people: "rewritten",
  documents: "rewritten",
  location: "private",
  restricted: "private",
  source: "private",
} as const satisfies Record<keyof DossierDoc, FieldRule>;

export const ACT_FIELD_RULES = {
  record: "copied",
  id: "copied",
  kind: "copied",
  number: "copied",
  year: "copied",
  date: "copied",
  office: "copied",
  subject: "copied",
  // Published text: personal data is already omitted in the version prepared for the albo.
  text: "copied",
  publishedFrom: "copied",
  publishedTo: "copied",
  attachments: "rewritten",
  restricted: "private",
} as const satisfies Record<keyof ActDoc, FieldRule>;

type Copied<R> = { [K in keyof R]: R[K] extends "copied" ? K : never }[keyof R];
type CopiedDossierField = Copied<typeof DOSSIER_FIELD_RULES>;
type CopiedActField = Copied<typeof ACT_FIELD_RULES>;

// The explicit public types hold exactly the copied fields plus what the rewriting rules
// produce: a field copied but not declared (or declared but never filled) fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _dossierFieldsMatch: Same<
  keyof PublicDossier,
  CopiedDossierField | "subject" | "roles" | "documents"
> = true;
const _actFieldsMatch: Same<keyof PublicAct, CopiedActField | "attachments"> = true;

function copiedFields<R extends Record<string, FieldRule>>(rules: R): Copied<R>[] {
  return Object.keys(rules).filter((k) => rules[k] === "copied") as Copied<R>[];
}

const DOSSIER_COPIED = copiedFields(DOSSIER_FIELD_RULES);
const ACT_COPIED = copiedFields(ACT_FIELD_RULES);

/** The fields named in `keys`, those that are set. */
function pick<T, K extends keyof T>(doc: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (doc[k] !== undefined) out[k] = doc[k];
  return out;
}

function publicAct(doc: ActDoc): PublicAct {
  return { ...pick(doc, ACT_COPIED), attachments: publicDocuments(doc.attachments) };
}

function publicDossier(doc: DossierDoc): PublicDossier {
  const shown = publicSubject(doc);
  return {
    ...pick(doc, DOSSIER_COPIED),
    ...(shown !== undefined ? { subject: shown } : {}),
    roles: [...new Set(doc.people.map((p) => p.role))],
    documents: publicDocuments(doc.documents),
  };
}

/**
 * The subject a dossier shows in public (and the only text of it the public index holds):
 * subjectPublic when given, else the subject with its own people blanked out.
 */
export function publicSubject(
  doc: Pick<DossierDoc, "subject" | "subjectPublic" | "people">,
): string | undefined {
  if (doc.subjectPublic !== undefined) return doc.subjectPublic;
  return doc.subject === undefined ? undefined : redactPeople(doc.subject, doc.people);
}

/** Folded form used to compare words: lower case, no accents, no apostrophes. */
function fold(s: string): string {
  const lower = s.toLowerCase();
  // Plain ASCII needs no Unicode normalisation (the common case, and the costly step).
  const plain = !/[^ -~]/.test(lower)
    ? lower
    : lower.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  return plain.replace(/['’`´]/g, "");
}

// Words of a company name that identify nobody ("Edil Arno s.n.c." keeps "snc").
const LEGAL_FORMS = new Set(["snc", "sas", "srl", "srls", "spa", "soc", "coop", "scarl", "ditta"]);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/**
 * `text` with every whole word that names one of `people` (surname, name, company words,
 * tax code, e-mail, phone) replaced by "***", whatever its case or accents.
 */
export function redactPeople(text: string, people: DossierDoc["people"]): string {
  let out = text;
  const lowered = text.toLowerCase();
  for (const p of people) {
    for (const literal of [p.email, p.phone]) {
      const trimmed = literal?.trim().toLowerCase();
      // E-mails and phone numbers span punctuation: blank them as literals first.
      if (!trimmed || !lowered.includes(trimmed)) continue;
      const escaped = trimmed.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s*");
      out = out.replace(new RegExp(escaped, "gi"), "***");
    }
  }
  // Only names that occur in the text at all are banned: most subjects name nobody, and
  // then the word-by-word pass is skipped.
  const folded = fold(out);
  const banned = new Set<string>();
  const consider = (word: string) => {
    if (word.length >= 3 && folded.includes(word) && !LEGAL_FORMS.has(word)) banned.add(word);
  };
  for (const p of people) {
    for (const field of [p.surname, p.name, p.company, p.taxCode]) {
      if (!field) continue;
      const lower = field.toLowerCase();
      if (/^[a-z0-9]+$/.test(lower)) {
        // The common case (one plain word: a surname, a tax code) needs no folding.
        consider(lower);
        continue;
      }
      const words = fold(field).split(/[^\p{L}\p{N}]+/u).filter((w) => w !== "");
      if (words.length > 1) {
        const whole = words.join("");
        if (whole.length >= 2 && folded.includes(whole)) banned.add(whole);
      }
      for (const w of words) consider(w);
    }
  }
  if (banned.size === 0) return out;
  return out.replace(WORD, (w) => banned.has(fold(w)) ? "***" : w);
}

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
 * The public projection of a record, or undefined when restricted: no people (only which
 * roles exist), subject = subjectPublic ?? subject with the names/surnames/companies/tax
 * codes of the dossier's OWN people replaced by "***" (case/accents-insensitive, whole
 * words), only public documents' content refs, no location.
 */
export function publicView(doc: RecordDoc): PublicDossier | PublicAct | undefined {
  if (doc.restricted) return undefined;
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

function publicAct(doc: ActDoc): PublicAct {
  const { attachments, restricted: _restricted, ...rest } = doc;
  return { ...rest, attachments: publicDocuments(attachments) };
}

function publicDossier(doc: DossierDoc): PublicDossier {
  const {
    people,
    location: _location,
    restricted: _restricted,
    source: _source,
    subject,
    subjectPublic,
    documents,
    ...rest
  } = doc;
  const shown = subjectPublic ??
    (subject === undefined ? undefined : redactPeople(subject, people));
  return {
    ...rest,
    ...(shown !== undefined ? { subject: shown } : {}),
    roles: [...new Set(people.map((p) => p.role))],
    documents: publicDocuments(documents),
  };
}

/** Folded form used to compare words: lower case, no accents, no apostrophes. */
function fold(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/['’`´]/g, "");
}

// Words of a company name that identify nobody ("Edil Arno s.n.c." keeps "snc").
const LEGAL_FORMS = new Set(["snc", "sas", "srl", "srls", "spa", "soc", "coop", "scarl", "ditta"]);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/**
 * `text` with every whole word that names one of `people` (surname, name, company words,
 * tax code, e-mail, phone) replaced by "***", whatever its case or accents.
 */
export function redactPeople(text: string, people: DossierDoc["people"]): string {
  const banned = new Set<string>();
  let out = text;
  for (const p of people) {
    for (const literal of [p.email, p.phone]) {
      if (!literal) continue;
      // E-mails and phone numbers span punctuation: blank them as literals first.
      const escaped = literal.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s*");
      if (escaped) out = out.replace(new RegExp(escaped, "gi"), "***");
    }
    for (const field of [p.surname, p.name, p.company, p.taxCode]) {
      if (!field) continue;
      const whole = fold(field).replace(/[^a-z0-9]/g, "");
      if (whole.length >= 2) banned.add(whole);
      for (const w of field.match(WORD) ?? []) {
        const f = fold(w);
        if (f.length >= 3 && !LEGAL_FORMS.has(f.replace(/[^a-z0-9]/g, ""))) banned.add(f);
      }
    }
  }
  if (banned.size === 0) return out;
  return out.replace(WORD, (w) => banned.has(fold(w)) ? "***" : w);
}

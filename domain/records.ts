/**
 * The record documents Faldone moves around: the shape of one JSONL import line after
 * validation (DOMAIN.md §4), which is also what the sync feed carries and what the search
 * index is built from. Field names are the import's, in camelCase.
 */

/** Outcome (esito) of a dossier. */
export const DOSSIER_STATUSES = [
  "in_progress",
  "issued",
  "issued_with_conditions",
  "refused",
  "lapsed",
  "annulled",
  "withdrawn",
  "archived",
  "unknown",
] as const;
export type DossierStatus = typeof DOSSIER_STATUSES[number];

/** Italian labels for the outcomes, as shown at the kiosk. */
export const DOSSIER_STATUS_LABELS: Record<DossierStatus, string> = {
  in_progress: "In istruttoria",
  issued: "Rilasciata",
  issued_with_conditions: "Rilasciata con prescrizioni",
  refused: "Respinta",
  lapsed: "Decaduta",
  annulled: "Annullata",
  withdrawn: "Ritirata",
  archived: "Archiviata",
  unknown: "Non nota",
};

/** Roles of people on a dossier. */
export const PERSON_ROLES = [
  "richiedente",
  "titolare",
  "proprietario",
  "progettista",
  "direttore lavori",
  "impresa",
  "delegato",
] as const;

export interface Alias {
  index: string;
  key: string;
}

export interface Address {
  street: string;
  civic?: string;
  locality?: string;
  historic?: boolean;
}

export interface CadastralRef {
  register: "NCEU" | "NCT";
  section?: string;
  sheet: string;
  parcel: string;
  sub?: string;
}

/** Personal data: clerk only, never in the public index or public pages (DOMAIN §2.3). */
export interface Person {
  role: string;
  surname?: string;
  name?: string;
  company?: string;
  taxCode?: string;
  /** False when the tax code failed its check character/format at import. */
  taxCodeVerified?: boolean;
  email?: string;
  phone?: string;
}

export interface DocumentRef {
  file: string;
  title?: string;
  pages: number;
  bytes: number;
  sha256: string;
  public: boolean;
}

export interface Location {
  box?: string;
  shelf?: string;
  room?: string;
}

/** A building-permit dossier (pratica edilizia), whole. */
export interface DossierDoc {
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
  subjectPublic?: string;
  addresses: Address[];
  cadastral: CadastralRef[];
  people: Person[];
  submittedOn?: string;
  issuedOn?: string;
  worksStartedOn?: string;
  worksEndedOn?: string;
  status: DossierStatus;
  documents: DocumentRef[];
  location?: Location;
  restricted: boolean;
  source?: string;
}

/** A council act (delibera, determina, verbale…), whole. */
export interface ActDoc {
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
  attachments: DocumentRef[];
  restricted: boolean;
}

/** Either kind of record. */
export type RecordDoc = DossierDoc | ActDoc;
export type RecordKind = RecordDoc["record"];

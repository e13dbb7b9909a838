/**
 * Every table of Faldone, branch and archive alike (one program, one schema).
 *
 * Sync conventions, shared by every synced table:
 * - `id` is stable and never reused (from the source archive, or a UUID made where the row
 *   was born);
 * - `updatedAt` is an ISO timestamp, `seq` the local change sequence taken from the
 *   `counters` row `change_seq` in the same transaction as the write, so "what changed since
 *   X" is one indexed range query (`seq > X`);
 * - deleting a record leaves a row in `tombstones` carrying its own `seq`.
 */
import {
  blob,
  customType,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

/**
 * A record's `restricted` flag, read failing closed: only an explicit 0 is public. Drizzle's
 * boolean mode reads `Number(v) === 1`, so a row written around the app (a hand edit, an old
 * tool's 2 or "si") would have shown a restricted record on its page (issue 9).
 */
const restrictedFlag = customType<{ data: boolean; driverData: unknown }>({
  dataType: () => "integer",
  toDriver: (value) => (value ? 1 : 0),
  fromDriver: (value) => value !== 0,
});

// ---------------------------------------------------------------------------
// Vocabularies and settings (admin-edited data, not enums)

/** Dossier types (LE, CE, PDC…): data an admin edits; regions add their own. */
export const recordTypes = sqliteTable("record_types", {
  code: text("code").primaryKey(),
  title: text("title").notNull(),
  inUseFrom: integer("in_use_from"),
  inUseTo: integer("in_use_to"),
  legalBasis: text("legal_basis"),
  /** ABUSI-like types are restricted by default. */
  restrictedByDefault: integer("restricted_by_default", { mode: "boolean" }).notNull().default(
    false,
  ),
});

/** Act kinds (delibera_giunta, determina…): admins add more. */
export const actKinds = sqliteTable("act_kinds", {
  code: text("code").primaryKey(),
  title: text("title").notNull(),
});

/** Branch settings and small state as key → JSON value (holidays, idle timeout, branch code…). */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** Monotonic counters; `change_seq` numbers every synced write. */
export const counters = sqliteTable("counters", {
  name: text("name").primaryKey(),
  value: integer("value").notNull(),
});

// ---------------------------------------------------------------------------
// Records: dossiers (pratiche edilizie) and acts

/** A building-permit dossier; children below are replaced as a whole on each upsert. */
export const dossiers = sqliteTable("dossiers", {
  id: text("id").primaryKey(),
  series: text("series").notNull(),
  type: text("type").notNull(),
  number: text("number").notNull(),
  year: integer("year").notNull(),
  protocolNumber: text("protocol_number"),
  protocolDate: text("protocol_date"),
  parentId: text("parent_id"),
  subject: text("subject"),
  subjectPublic: text("subject_public"),
  status: text("status").notNull().default("unknown"),
  submittedOn: text("submitted_on"),
  issuedOn: text("issued_on"),
  worksStartedOn: text("works_started_on"),
  worksEndedOn: text("works_ended_on"),
  locationBox: text("location_box"),
  locationShelf: text("location_shelf"),
  locationRoom: text("location_room"),
  restricted: restrictedFlag("restricted").notNull().default(false),
  source: text("source"),
  /** SHA-256 of the canonical import document: an identical re-import changes nothing. */
  contentHash: text("content_hash").notNull(),
  updatedAt: text("updated_at").notNull(),
  seq: integer("seq").notNull(),
}, (t) => [
  uniqueIndex("dossiers_series_year_number").on(t.series, t.year, t.number),
  index("dossiers_seq").on(t.seq),
  index("dossiers_parent").on(t.parentId),
]);

/** Key of a dossier in a legacy card index (codes only). */
export const dossierAliases = sqliteTable("dossier_aliases", {
  dossierId: text("dossier_id").notNull().references(() => dossiers.id, { onDelete: "cascade" }),
  position: integer("position").notNull(),
  indexName: text("index_name").notNull(),
  key: text("key").notNull(),
}, (t) => [primaryKey({ columns: [t.dossierId, t.position] })]);

/** Address of a dossier; `historic` marks the form on the original papers. */
export const dossierAddresses = sqliteTable("dossier_addresses", {
  dossierId: text("dossier_id").notNull().references(() => dossiers.id, { onDelete: "cascade" }),
  position: integer("position").notNull(),
  street: text("street").notNull(),
  civic: text("civic"),
  locality: text("locality"),
  historic: integer("historic", { mode: "boolean" }).notNull().default(false),
}, (t) => [primaryKey({ columns: [t.dossierId, t.position] })]);

/** Cadastral reference (NCEU buildings / NCT land). */
export const dossierCadastral = sqliteTable("dossier_cadastral", {
  dossierId: text("dossier_id").notNull().references(() => dossiers.id, { onDelete: "cascade" }),
  position: integer("position").notNull(),
  register: text("register").notNull(),
  section: text("section"),
  sheet: text("sheet").notNull(),
  parcel: text("parcel").notNull(),
  sub: text("sub"),
}, (t) => [primaryKey({ columns: [t.dossierId, t.position] })]);

/** A person or company on a dossier: personal data, clerk only (DOMAIN §2.3). */
export const dossierPeople = sqliteTable("dossier_people", {
  dossierId: text("dossier_id").notNull().references(() => dossiers.id, { onDelete: "cascade" }),
  position: integer("position").notNull(),
  role: text("role").notNull(),
  surname: text("surname"),
  name: text("name"),
  company: text("company"),
  taxCode: text("tax_code"),
  /** False when the tax code failed its check at import (kept: legacy data is dirty). */
  taxCodeVerified: integer("tax_code_verified", { mode: "boolean" }),
  email: text("email"),
  phone: text("phone"),
}, (t) => [primaryKey({ columns: [t.dossierId, t.position] })]);

/** A council act (delibera, determina, verbale…). */
export const acts = sqliteTable("acts", {
  id: text("id").primaryKey(),
  kind: text("kind").notNull(),
  number: text("number").notNull(),
  year: integer("year").notNull(),
  date: text("date").notNull(),
  office: text("office"),
  subject: text("subject").notNull(),
  text: text("text"),
  publishedFrom: text("published_from"),
  publishedTo: text("published_to"),
  restricted: restrictedFlag("restricted").notNull().default(false),
  contentHash: text("content_hash").notNull(),
  updatedAt: text("updated_at").notNull(),
  seq: integer("seq").notNull(),
}, (t) => [
  index("acts_kind_year_number").on(t.kind, t.year, t.number),
  index("acts_seq").on(t.seq),
]);

/** Scans of a dossier or attachments of an act; `public` defaults to false (signatures). */
export const documents = sqliteTable("documents", {
  recordKind: text("record_kind", { enum: ["dossier", "act"] }).notNull(),
  recordId: text("record_id").notNull(),
  position: integer("position").notNull(),
  file: text("file").notNull(),
  title: text("title"),
  pages: integer("pages").notNull(),
  bytes: integer("bytes").notNull(),
  sha256: text("sha256").notNull(),
  public: integer("public", { mode: "boolean" }).notNull().default(false),
  /**
   * The type the file's name says (`.pdf` → application/pdf), null when it says none Faldone
   * knows. Derived from the name so archive and branches agree without the bytes; the type
   * the bytes really have is `document_files.mime`.
   */
  mime: text("mime"),
}, (t) => [primaryKey({ columns: [t.recordKind, t.recordId, t.position] })]);

/**
 * What this node knows about the bytes of one file, keyed by their sha256 (the file store's
 * name for them). Local state, never synced: each node has its own bytes. No row (or
 * `present` false) means the bytes are not here; `documents` rows name files either way.
 */
export const documentFiles = sqliteTable("document_files", {
  sha256: text("sha256").primaryKey(),
  /** The real type, by magic bytes (application/pkcs7-mime for a signed envelope). */
  mime: text("mime").notNull(),
  bytes: integer("bytes").notNull(),
  /** True once the whole file is in the local store, verified against its sha256. */
  present: integer("present", { mode: "boolean" }).notNull().default(false),
  /** A signed envelope: the sha256 and type of the content it wraps (stored too). */
  contentSha256: text("content_sha256"),
  contentMime: text("content_mime"),
  /** A signed envelope: the verification report (JSON, see documents/signature_report.ts). */
  signature: text("signature"),
  /** Never evicted by the disk budget (a clerk's download, an upload not yet sent up). */
  pinned: integer("pinned", { mode: "boolean" }).notNull().default(false),
  /** Last time the bytes were served: the disk budget evicts the least recently used. */
  lastUsedAt: text("last_used_at"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
}, (t) => [index("document_files_present_used").on(t.present, t.lastUsedAt)]);

/**
 * Branch side: the bytes moving between this branch and the archive, one row per file and
 * direction while the transfer is unfinished (deleted when the file arrived or went up).
 * `bytesDone` only advances after the bytes up to it were verified and fsynced, so a cut or
 * a kill -9 resumes there; `chunks` lists the verified chunks ([start, length, sha256]…) so
 * a partial file damaged on disk re-fetches only its bad chunks. See docs/SYNC.md "Files".
 */
export const fileTransfers = sqliteTable("file_transfers", {
  sha256: text("sha256").notNull(),
  direction: text("direction", { enum: ["down", "up"] }).notNull(),
  bytesDone: integer("bytes_done").notNull().default(0),
  total: integer("total").notNull(),
  state: text("state", { enum: ["queued", "running", "stalled", "failed"] }).notNull()
    .default("queued"),
  /** Why the last attempt stopped, in Italian (admin page). */
  lastError: text("last_error"),
  /** Bytes per second of the last chunk, for the ETA. */
  rate: integer("rate"),
  chunks: text("chunks").notNull().default("[]"),
  attempts: integer("attempts").notNull().default(0),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
}, (t) => [primaryKey({ columns: [t.sha256, t.direction] })]);

/**
 * Normalised identifier keys of each record (protocol n/year, type+n/year, legacy keys,
 * cadastral refs): exact lookups through this index answer identifier queries in O(log n)
 * without touching the text index, even while it is still being built at boot.
 */
export const searchKeys = sqliteTable("search_keys", {
  key: text("key").notNull(),
  recordKind: text("record_kind", { enum: ["dossier", "act"] }).notNull(),
  recordId: text("record_id").notNull(),
}, (t) => [
  // Covering: an identifier query reads the records a key names from the index alone. A
  // cadastral parcel names 100-350 dossiers at 1M, and fetching each row from the table was
  // a random page read each (2-5 ms a query; docs/SEARCH.md, ninth round).
  index("search_keys_key").on(t.key, t.recordKind, t.recordId),
  index("search_keys_record").on(t.recordKind, t.recordId),
]);

/** A deleted synced row: the change feed carries deletes as tombstones. */
export const tombstones = sqliteTable("tombstones", {
  entity: text("entity").notNull(),
  id: text("id").notNull(),
  deletedAt: text("deleted_at").notNull(),
  seq: integer("seq").notNull(),
}, (t) => [primaryKey({ columns: [t.entity, t.id] }), index("tombstones_seq").on(t.seq)]);

// ---------------------------------------------------------------------------
// Access requests (accesso agli atti)

/** One access request, filed at a kiosk (offline too) or at the counter. */
export const accessRequests = sqliteTable("access_requests", {
  id: text("id").primaryKey(),
  receiptCode: text("receipt_code").notNull().unique(),
  branch: text("branch").notNull(),
  regime: text("regime", { enum: ["documentale", "civico_generalizzato", "civico_semplice"] })
    .notNull(),
  requesterName: text("requester_name").notNull(),
  taxCode: text("tax_code").notNull(),
  email: text("email"),
  phone: text("phone"),
  /** The citizen asked for notices on App IO (to the request's codice fiscale). */
  notifyAppIo: integer("notify_app_io", { mode: "boolean" }).notNull().default(false),
  /** The language the citizen filed in ("it" or "en"): their notices are written in it. */
  locale: text("locale", { enum: ["it", "en"] }).notNull().default("it"),
  motivation: text("motivation"),
  requesterTitle: text("requester_title"),
  mode: text("mode", { enum: ["view", "copy", "certified_copy"] }).notNull(),
  recordsDescription: text("records_description"),
  state: text("state").notNull().default("received"),
  filedAt: text("filed_at").notNull(),
  /** Date the 30 days run from (filing, or completion after `awaiting_completion`). */
  clockStartOn: text("clock_start_on").notNull(),
  counterpartiesNotifiedOn: text("counterparties_notified_on"),
  counterpartiesResolvedOn: text("counterparties_resolved_on"),
  hasCounterparties: integer("has_counterparties", { mode: "boolean" }).notNull().default(false),
  dueOn: text("due_on").notNull(),
  decidedOn: text("decided_on"),
  outcomeReason: text("outcome_reason"),
  legalBasis: text("legal_basis"),
  grantedScope: text("granted_scope"),
  deferredUntil: text("deferred_until"),
  consultationFrom: text("consultation_from"),
  consultationTo: text("consultation_to"),
  consultationPlace: text("consultation_place"),
  deliveredOn: text("delivered_on"),
  fees: text("fees"),
  /** Urgent handling asked for (a fee-table surcharge). */
  urgent: integer("urgent", { mode: "boolean" }).notNull().default(false),
  /** The fee shown to the citizen before filing, in cents (null: filed before fees existed). */
  feeCents: integer("fee_cents"),
  /** The exemption claimed (checked at the counter with the title) and its reason. */
  feeExemptionId: text("fee_exemption_id"),
  feeExemptionReason: text("fee_exemption_reason"),
  decidedBy: text("decided_by"),
  appeal: text("appeal"),
  /**
   * The requester's title as the desk checked it (documentale only): owner, technician with a
   * delegation, neighbour with a qualified interest, other; `titleBasis` is what it rests on
   * (a deed, a delegation…). Apart from `requesterTitle`, what the citizen declared at filing.
   */
  titleKind: text("title_kind", { enum: ["owner", "technician", "neighbour", "other"] }),
  titleBasis: text("title_basis"),
  titleRecordedBy: text("title_recorded_by"),
  titleRecordedAt: text("title_recorded_at"),
  updatedAt: text("updated_at").notNull(),
  seq: integer("seq").notNull(),
}, (t) => [
  index("access_requests_state_due").on(t.state, t.dueOn),
  index("access_requests_seq").on(t.seq),
  // "Le mie richieste" lists a signed-in citizen's requests by codice fiscale.
  index("access_requests_tax_code").on(t.taxCode),
]);

/** A record asked for in a request. */
export const accessRequestRecords = sqliteTable("access_request_records", {
  requestId: text("request_id").notNull().references(() => accessRequests.id, {
    onDelete: "cascade",
  }),
  recordKind: text("record_kind", { enum: ["dossier", "act"] }).notNull(),
  recordId: text("record_id").notNull(),
}, (t) => [primaryKey({ columns: [t.requestId, t.recordKind, t.recordId] })]);

/** State changes and decisions of a request (its history). */
export const accessRequestEvents = sqliteTable("access_request_events", {
  id: text("id").primaryKey(),
  requestId: text("request_id").notNull(),
  at: text("at").notNull(),
  fromState: text("from_state"),
  toState: text("to_state").notNull(),
  actor: text("actor"),
  note: text("note"),
  updatedAt: text("updated_at").notNull(),
  seq: integer("seq").notNull(),
}, (t) => [index("access_request_events_request").on(t.requestId, t.at)]);

/**
 * A grant: what an accepted documentale request lets its requester consult, how (view only, or
 * copy) and until when. Born at a branch or at the archive (UUID id), it travels both ways;
 * its content never changes after creation, only its revocation can be added, and a
 * revocation wins over anything (docs/SYNC.md). No foreign key to the request: a branch may
 * receive a grant in the feed before the request's latest snapshot.
 */
export const accessGrants = sqliteTable("access_grants", {
  id: text("id").primaryKey(),
  requestId: text("request_id").notNull(),
  /** `whole`: every document of the requested records; `documents`: the ones listed. */
  scope: text("scope", { enum: ["whole", "documents"] }).notNull(),
  mode: text("mode", { enum: ["view", "copy"] }).notNull(),
  /** Last day of validity (AAAA-MM-GG, inclusive, the Comune's local date). */
  validUntil: text("valid_until").notNull(),
  /** The node where the grant was made (its branch name). */
  branch: text("branch").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: text("created_at").notNull(),
  revokedAt: text("revoked_at"),
  revokedBy: text("revoked_by"),
  revocationReason: text("revocation_reason"),
  updatedAt: text("updated_at").notNull(),
  seq: integer("seq").notNull(),
}, (t) => [
  index("access_grants_request").on(t.requestId),
  index("access_grants_seq").on(t.seq),
]);

/**
 * The documents a `documents`-scope grant lists, by record and content hash: the sha256 names
 * the very bytes the clerk chose, so a later change of the record's list never widens it.
 */
export const accessGrantDocuments = sqliteTable("access_grant_documents", {
  grantId: text("grant_id").notNull().references(() => accessGrants.id, { onDelete: "cascade" }),
  recordKind: text("record_kind", { enum: ["dossier", "act"] }).notNull(),
  recordId: text("record_id").notNull(),
  sha256: text("sha256").notNull(),
}, (t) => [primaryKey({ columns: [t.grantId, t.recordKind, t.recordId, t.sha256] })]);

/**
 * Pins of document bytes held by something that ends on its own (an active grant), one row
 * per file and holder (`grant:<id>`). Apart from `document_files.pinned`, the node's own pin
 * (a clerk's "Scarica in sede", an upload not yet sent): a grant ending removes its rows and
 * never touches that column. A file is kept while either says so. Local, never synced.
 */
export const filePins = sqliteTable("file_pins", {
  sha256: text("sha256").notNull(),
  holder: text("holder").notNull(),
  createdAt: text("created_at").notNull(),
}, (t) => [primaryKey({ columns: [t.sha256, t.holder] }), index("file_pins_holder").on(t.holder)]);

/**
 * A file a citizen attached to a request filed online (a delegation, an ID document), kept at
 * the archive only, in the DB as a BLOB: one backup, one encryption, no folder to keep in step.
 * Its type is the one read from its bytes, never the name or the declared type.
 */
export const requestAttachments = sqliteTable("request_attachments", {
  id: text("id").primaryKey(),
  requestId: text("request_id").notNull().references(() => accessRequests.id),
  kind: text("kind", { enum: ["delega", "documento_identita"] }).notNull(),
  mime: text("mime").notNull(),
  bytes: integer("bytes").notNull(),
  sha256: text("sha256").notNull(),
  content: blob("content", { mode: "buffer" }).notNull(),
  uploadedAt: text("uploaded_at").notNull(),
}, (t) => [index("request_attachments_request").on(t.requestId)]);

// ---------------------------------------------------------------------------
// Accounts, sessions, audit

/** A clerk or admin account; the password is stored only as a scrypt hash. */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull().unique(),
  displayName: text("display_name"),
  role: text("role", { enum: ["clerk", "admin"] }).notNull(),
  passwordHash: text("password_hash").notNull(),
  disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** A login session; only the SHA-256 of the cookie value is stored. */
export const sessions = sqliteTable("sessions", {
  tokenHash: text("token_hash").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  csrfToken: text("csrf_token").notNull(),
  createdAt: text("created_at").notNull(),
  lastSeenAt: text("last_seen_at").notNull(),
});

/**
 * A citizen signed in online through the town's identity broker (OpenID Connect): apart from
 * the staff sessions, with no account row; only the SHA-256 of the cookie value is stored.
 */
export const citizenSessions = sqliteTable("citizen_sessions", {
  tokenHash: text("token_hash").primaryKey(),
  /** The codice fiscale the broker asserted (normalised). */
  taxCode: text("tax_code").notNull(),
  displayName: text("display_name"),
  createdAt: text("created_at").notNull(),
  lastSeenAt: text("last_seen_at").notNull(),
}, (t) => [index("citizen_sessions_last_seen").on(t.lastSeenAt)]);

/**
 * A sign-in under way: the state, nonce and PKCE verifier its callback must match, kept on
 * the server under the SHA-256 of a random id held in a short-lived cookie; taken (deleted)
 * by the first callback, so a replay finds nothing.
 */
export const citizenLogins = sqliteTable("citizen_logins", {
  idHash: text("id_hash").primaryKey(),
  state: text("state").notNull(),
  nonce: text("nonce").notNull(),
  codeVerifier: text("code_verifier").notNull(),
  expiresAt: text("expires_at").notNull(),
}, (t) => [index("citizen_logins_expires").on(t.expiresAt)]);

/**
 * Fixed-window counters of the login and status-lookup limits, kept in the DB so a restart
 * of the kiosk does not reset them. `key` is a SHA-256 of the address, username or receipt
 * code: fixed length, and no plain personal data. Rows are purged when their window ends and
 * capped per bucket (middleware/rate_limit.ts).
 */
export const rateLimits = sqliteTable("rate_limits", {
  bucket: text("bucket").notNull(),
  key: text("key").notNull(),
  /** Start of the current window, in ms since the epoch. */
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
}, (t) => [
  primaryKey({ columns: [t.bucket, t.key] }),
  index("rate_limits_bucket_window").on(t.bucket, t.windowStart),
]);

/** Append-only audit log (no update or delete path exists in the code). */
export const auditLog = sqliteTable("audit_log", {
  id: text("id").primaryKey(),
  at: text("at").notNull(),
  branch: text("branch").notNull(),
  actor: text("actor"),
  action: text("action").notNull(),
  recordKind: text("record_kind"),
  recordId: text("record_id"),
  detail: text("detail"),
}, (t) => [index("audit_log_at").on(t.at), index("audit_log_actor").on(t.actor, t.at)]);

// ---------------------------------------------------------------------------
// Sync

/**
 * Branch side: what the branch created, waiting to go up. `number` is the per-branch
 * increasing mutation number the archive uses to apply each mutation exactly once.
 */
export const outbox = sqliteTable("outbox", {
  number: integer("number").primaryKey({ autoIncrement: true }),
  mutationId: text("mutation_id").notNull().unique(),
  entity: text("entity").notNull(),
  entityId: text("entity_id").notNull(),
  payload: text("payload").notNull(),
  createdAt: text("created_at").notNull(),
  state: text("state", { enum: ["pending", "set_aside"] }).notNull().default("pending"),
  reason: text("reason"),
}, (t) => [index("outbox_state_number").on(t.state, t.number)]);

/** Archive side: a registered branch; only the hash of its token is kept. */
export const branches = sqliteTable("branches", {
  name: text("name").primaryKey(),
  tokenHash: text("token_hash").notNull(),
  createdAt: text("created_at").notNull(),
  revokedAt: text("revoked_at"),
  /** Highest mutation number applied from this branch: retried batches apply once. */
  lastAppliedNumber: integer("last_applied_number").notNull().default(0),
  lastSeenAt: text("last_seen_at"),
});

/** Archive side: mutations a branch sent that were refused, with the reason. */
export const rejectedMutations = sqliteTable("rejected_mutations", {
  branch: text("branch").notNull(),
  number: integer("number").notNull(),
  mutationId: text("mutation_id").notNull(),
  reason: text("reason").notNull(),
  at: text("at").notNull(),
}, (t) => [primaryKey({ columns: [t.branch, t.number] })]);

// ---------------------------------------------------------------------------
// Fees and pagoPA payment notices

/**
 * The fee table (diritti di ricerca e visura, copies, stamps, urgency): edited by admins at
 * the archive and carried down to every branch by the feed, so the kiosk shows the amount the
 * archive will ask.
 */
export const feeRules = sqliteTable("fee_rules", {
  id: text("id").primaryKey(),
  item: text("item", {
    enum: ["research", "viewing", "copy_page", "certified_stamp", "urgent"],
  }).notNull(),
  /** Dossier age band, inclusive; null is open. */
  yearFrom: integer("year_from"),
  yearTo: integer("year_to"),
  amountCents: integer("amount_cents").notNull(),
  updatedAt: text("updated_at").notNull(),
  seq: integer("seq").notNull(),
}, (t) => [index("fee_rules_seq").on(t.seq)]);

/** An exemption a requester may claim, with its reason (checked at the counter). */
export const feeExemptions = sqliteTable("fee_exemptions", {
  id: text("id").primaryKey(),
  reason: text("reason").notNull(),
  updatedAt: text("updated_at").notNull(),
  seq: integer("seq").notNull(),
}, (t) => [index("fee_exemptions_seq").on(t.seq)]);

/**
 * The pagoPA notice of a request that owes a fee. Created and registered on pagoPA's
 * debt-position service (GPD) by the archive only; branches receive it through the feed.
 */
export const paymentNotices = sqliteTable("payment_notices", {
  requestId: text("request_id").primaryKey(),
  receiptCode: text("receipt_code").notNull(),
  /** 17 digits: segregation code + base + check digits; unique per ente. */
  iuv: text("iuv").notNull().unique(),
  /** 18 digits: aux digit 3 + IUV. */
  noticeNumber: text("notice_number").notNull().unique(),
  enteFiscalCode: text("ente_fiscal_code").notNull(),
  enteName: text("ente_name").notNull(),
  amountCents: integer("amount_cents").notNull(),
  /** The bill's lines as JSON (FeeLine[]). */
  lines: text("lines").notNull(),
  dueOn: text("due_on").notNull(),
  purpose: text("purpose").notNull(),
  payerTaxCode: text("payer_tax_code").notNull(),
  payerName: text("payer_name").notNull(),
  /** `pending` until GPD has it, `registered` (payable), `paid`. */
  status: text("status", { enum: ["pending", "registered", "paid"] }).notNull(),
  attempts: integer("attempts").notNull().default(0),
  nextAttemptAt: text("next_attempt_at"),
  /** The last refusal or failure of GPD, in Italian, for the admin page. */
  lastError: text("last_error"),
  registeredAt: text("registered_at"),
  paidAt: text("paid_at"),
  lastPolledAt: text("last_polled_at"),
  updatedAt: text("updated_at").notNull(),
  seq: integer("seq").notNull(),
}, (t) => [
  index("payment_notices_status").on(t.status, t.nextAttemptAt),
  index("payment_notices_seq").on(t.seq),
]);

// ---------------------------------------------------------------------------
// Notices to citizens (App IO, e-mail)

/**
 * Archive side: the notice outbox. One row per (event, channel), written in the transaction of
 * the event itself; `idempotencyKey` (event id + channel) is unique, so an event seen twice
 * (a sync replay) queues nothing more and each notice is sent once. The text is rendered when
 * queued: what is sent is what the admin page shows.
 */
export const notices = sqliteTable("notices", {
  id: text("id").primaryKey(),
  idempotencyKey: text("idempotency_key").notNull().unique(),
  eventId: text("event_id").notNull(),
  kind: text("kind").notNull(),
  channel: text("channel", { enum: ["app_io", "email"] }).notNull(),
  /** The codice fiscale (App IO) or the e-mail address. */
  recipient: text("recipient").notNull(),
  receiptCode: text("receipt_code"),
  subject: text("subject").notNull(),
  /** Markdown for App IO, plain text for e-mail (the same words). */
  body: text("body").notNull(),
  /** pagoPA data of a fee notice as JSON ({amountCents, noticeNumber, payeeFiscalCode}). */
  paymentData: text("payment_data"),
  /** Optional due date (ISO-8601 UTC), shown by App IO as a reminder. */
  dueDate: text("due_date"),
  state: text("state", { enum: ["pending", "sent", "failed_permanent"] }).notNull()
    .default("pending"),
  attempts: integer("attempts").notNull().default(0),
  nextAttemptAt: text("next_attempt_at"),
  /** The last failure, in Italian, for the admin page. */
  lastError: text("last_error"),
  /** The message id the channel gave back (App IO's id, the SMTP Message-ID). */
  providerId: text("provider_id"),
  createdAt: text("created_at").notNull(),
  sentAt: text("sent_at"),
}, (t) => [
  index("notices_state_next").on(t.state, t.nextAttemptAt),
  index("notices_event").on(t.eventId),
]);

// ---------------------------------------------------------------------------
// Bookings at the counter (docs/BOOKING.md)

/**
 * A branch's booking setup, keyed by its 2-character code: counters open (the capacity of
 * every slot) and the split rule between the branch's share and the archive's online share.
 * Edited at the archive and carried down by the feed with its services, hours and closures
 * (one document per branch; `seq` moves whenever any part of it changes).
 */
export const bookingBranches = sqliteTable("booking_branches", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  /** Where the counter is, printed on the slip. */
  place: text("place").notNull().default(""),
  /** Counters open: bookings that may overlap at any instant. */
  capacity: integer("capacity").notNull(),
  /** Of `capacity`, the seats only the archive books (online); the rest are the branch's. */
  onlineShare: integer("online_share").notNull(),
  /** Hours before a slot when the archive stops booking it and releases what is unused. */
  releaseHours: integer("release_hours").notNull(),
  updatedAt: text("updated_at").notNull(),
  seq: integer("seq").notNull(),
}, (t) => [index("booking_branches_seq").on(t.seq)]);

/** A bookable service of a branch (consultation, collecting copies…) and its slot length. */
export const bookingServices = sqliteTable("booking_services", {
  id: text("id").primaryKey(),
  branchCode: text("branch_code").notNull(),
  name: text("name").notNull(),
  slotMinutes: integer("slot_minutes").notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
}, (t) => [index("booking_services_branch").on(t.branchCode)]);

/** Opening hours: one interval of one weekday (1 Monday … 7 Sunday); several a day allowed. */
export const bookingHours = sqliteTable("booking_hours", {
  branchCode: text("branch_code").notNull(),
  weekday: integer("weekday").notNull(),
  opens: text("opens").notNull(),
  closes: text("closes").notNull(),
}, (t) => [primaryKey({ columns: [t.branchCode, t.weekday, t.opens] })]);

/** A day the branch's counter is closed besides national holidays and the patron's day. */
export const bookingClosures = sqliteTable("booking_closures", {
  branchCode: text("branch_code").notNull(),
  date: text("date").notNull(),
  note: text("note").notNull().default(""),
}, (t) => [primaryKey({ columns: [t.branchCode, t.date] })]);

/**
 * Archive side, carried down: slots of this branch starting before `releasedUntil` are no
 * longer booked online, so the branch may use the online seats they left free. Written
 * with its own seq after every online booking it covers (docs/BOOKING.md).
 */
export const bookingReleases = sqliteTable("booking_releases", {
  branchCode: text("branch_code").primaryKey(),
  releasedUntil: text("released_until").notNull(),
  updatedAt: text("updated_at").notNull(),
  seq: integer("seq").notNull(),
}, (t) => [index("booking_releases_seq").on(t.seq)]);

/** One booking of a counter slot, made at a branch (kiosk, counter) or at the archive (online). */
export const bookings = sqliteTable("bookings", {
  id: text("id").primaryKey(),
  /** `XXXX-XXXX` like a receipt code: the maker's 2 characters, 5 random, 1 check. */
  code: text("code").notNull().unique(),
  branchCode: text("branch_code").notNull(),
  serviceId: text("service_id").notNull(),
  serviceName: text("service_name").notNull(),
  startsAt: text("starts_at").notNull(),
  endsAt: text("ends_at").notNull(),
  taxCode: text("tax_code").notNull(),
  name: text("name").notNull(),
  email: text("email"),
  /** The citizen asked to be told on App IO (by this booking's codice fiscale). */
  notifyAppIo: integer("notify_app_io", { mode: "boolean" }).notNull().default(false),
  /** The language the citizen booked in ("it" or "en"): their notices are written in it. */
  locale: text("locale", { enum: ["it", "en"] }).notNull().default("it"),
  requestCode: text("request_code"),
  dossierId: text("dossier_id"),
  state: text("state", { enum: ["booked", "cancelled", "arrived", "no_show"] }).notNull(),
  walkIn: integer("walk_in", { mode: "boolean" }).notNull().default(false),
  /** Whose share the seat is taken from: `branch` (kiosk, counter) or `archive` (online). */
  side: text("side", { enum: ["branch", "archive"] }).notNull(),
  /** The booking this one replaced (a reschedule), if any. */
  replaces: text("replaces"),
  /** Branch side: the dossier's scans were pinned for the day (unpinned after it). */
  filesPinned: integer("files_pinned", { mode: "boolean" }).notNull().default(false),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
  seq: integer("seq").notNull(),
}, (t) => [
  index("bookings_branch_start").on(t.branchCode, t.startsAt),
  index("bookings_seq").on(t.seq),
  index("bookings_tax_code").on(t.taxCode),
]);

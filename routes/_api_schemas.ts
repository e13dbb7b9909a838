/**
 * The public API's shapes as zod schemas: the requests' (what routes/api.ts validates with)
 * and the responses' (what it serialises through, so a field not declared here never leaves).
 * routes/_openapi.ts turns both into the OpenAPI document; nothing is written twice.
 */
import { z } from "zod";
import type { PublicAct, PublicDossier } from "../domain/public_record.ts";
import { DOSSIER_STATUSES } from "../domain/records.ts";
import { ACCESS_STATES } from "../domain/access_states.ts";
import type { FacetCount, PublicHit } from "../search/types.ts";
import { MAX_PER_PAGE } from "../search/types.ts";
import { localMessage } from "../i18n/local_message.ts";
import { LOCALES } from "../i18n/locale.ts";
import { code } from "./_fields.ts";

// ---------------------------------------------------------------------------------------------
// Requests

/** The import's id rule (DOMAIN §4): anything else cannot name a record. */
export const RECORD_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** A record id in the path. */
export const recordIdParam = z.object({
  id: code((t) => t.misc.api.idLabel, {
    max: 64,
    required: localMessage((t) => t.misc.api.idMissing),
  })
    .regex(RECORD_ID_PATTERN, localMessage((t) => t.misc.api.idInvalid))
    .meta({ description: "The record's id, as in `hits[].id`.", examples: ["pe-ce-1987-452"] }),
});

/** `kind` narrows a lookup by id to one kind of record; without it both are tried. */
export const recordKindQuery = z.object({
  kind: z.enum(["dossier", "act", ""], {
    error: localMessage((t) => t.misc.api.kindInvalid),
  }).optional().meta({ description: "Look only among dossiers or only among acts." }),
});

/**
 * The language of the words in an answer (`stateLabel`, error messages), for every operation:
 * `lang` when given, else the `Accept-Language` header, else Italian. Records are data and
 * stay as stored (Italian) whatever is asked.
 */
export const apiLanguageQuery = z.object({
  lang: z.enum(LOCALES, { error: localMessage((t) => t.misc.api.badLang) }).optional().meta({
    description: "`it` or `en`: the language of `stateLabel` and of error messages. It wins " +
      "over `Accept-Language`; without either, Italian.",
  }),
});

/** The header read when `lang` is absent (see apiLanguageQuery). */
export const apiLanguageHeaders = z.object({
  // hono hands headers over with lower-case names; HTTP header names ignore case.
  "accept-language": z.string().optional().meta({
    description: "Used when `lang` is absent: the first of `it` and `en` it prefers (by " +
      "`q`), Italian when it names neither. Never refused.",
    examples: ["en-GB,en;q=0.9"],
  }),
});

/** The body of a request-status lookup: the receipt code and the requester's tax code. */
export const statusLookupBody = z.strictObject({
  code: code((t) => t.misc.api.receiptCodeLabel, {
    max: 40,
    required: localMessage((t) => t.fields.missing(t.misc.api.receiptCodeLabel)),
  }).meta({ description: "The receipt code printed on the slip.", examples: ["K2AB-CD7E"] }),
  taxCode: code((t) => t.misc.api.taxCodeLabel, {
    max: 40,
    required: localMessage((t) => t.fields.missing(t.misc.api.taxCodeLabel)),
  })
    .meta({ description: "The codice fiscale of whoever filed the request." }),
}, {
  error: (iss) =>
    iss.code === "unrecognized_keys"
      ? localMessage((t) => t.misc.api.unknownField)
      : localMessage((t) => t.misc.api.badBody),
});

// ---------------------------------------------------------------------------------------------
// Responses: only public projections (domain/public_record.ts, search/types.ts PublicHit).

const address = z.object({
  street: z.string(),
  civic: z.string().optional(),
  locality: z.string().optional(),
  historic: z.boolean().optional().meta({ description: "A street name no longer in use." }),
}).meta({ id: "Address" });

const cadastral = z.object({
  register: z.enum(["NCEU", "NCT"]),
  section: z.string().optional(),
  sheet: z.string(),
  parcel: z.string(),
  sub: z.string().optional(),
}).meta({ id: "CadastralRef" });

const alias = z.object({
  index: z.string().meta({ description: "The card index (schedario) the key comes from." }),
  key: z.string(),
}).meta({ id: "Alias" });

const documentRef = z.object({
  title: z.string().optional(),
  pages: z.number().int(),
  public: z.boolean(),
  file: z.string().optional().meta({
    description: "Only for documents marked public: other scans carry names and signatures.",
  }),
}).meta({ id: "DocumentRef" });

/** A dossier without personal data: `roles` says which roles exist, never who. */
export const publicDossierSchema = z.object({
  record: z.literal("dossier"),
  id: z.string(),
  series: z.string(),
  type: z.string().meta({ description: "Type code, e.g. CE, PDC, SCIA." }),
  number: z.string(),
  year: z.number().int(),
  protocolNumber: z.string().optional(),
  protocolDate: z.string().optional().meta({ format: "date" }),
  aliases: z.array(alias),
  parentId: z.string().optional(),
  subject: z.string().optional().meta({
    description: "The public subject: names of the dossier's own people replaced by ***.",
  }),
  addresses: z.array(address),
  cadastral: z.array(cadastral),
  roles: z.array(z.string()).meta({
    description: "Which roles the dossier has (richiedente, progettista…): never who.",
  }),
  submittedOn: z.string().optional().meta({ format: "date" }),
  issuedOn: z.string().optional().meta({ format: "date" }),
  worksStartedOn: z.string().optional().meta({ format: "date" }),
  worksEndedOn: z.string().optional().meta({ format: "date" }),
  status: z.enum(DOSSIER_STATUSES),
  documents: z.array(documentRef),
}).meta({ id: "Dossier", description: "A building-permit dossier as the public may see it." });

/** A council act as published. */
export const publicActSchema = z.object({
  record: z.literal("act"),
  id: z.string(),
  kind: z.string().meta({ description: "Act kind code, e.g. DCC, DGC." }),
  number: z.string(),
  year: z.number().int(),
  date: z.string().meta({ format: "date" }),
  office: z.string().optional(),
  subject: z.string(),
  text: z.string().optional().meta({ description: "Published text (personal data omitted)." }),
  publishedFrom: z.string().optional().meta({ format: "date" }),
  publishedTo: z.string().optional().meta({ format: "date" }),
  attachments: z.array(documentRef),
}).meta({ id: "Act", description: "A council act as published." });

/** Either kind of record, told apart by `record`. */
export const publicRecordSchema = z.discriminatedUnion("record", [
  publicDossierSchema,
  publicActSchema,
]).meta({ id: "Record" });

const hit = z.object({
  kind: z.enum(["dossier", "act"]),
  id: z.string(),
  title: z.string().meta({ examples: ["CE 452/1987"] }),
  subject: z.string(),
  year: z.number().int(),
  type: z.string().optional(),
  status: z.string().optional(),
  series: z.string().optional(),
  protocol: z.string().optional(),
  addresses: z.array(address),
  cadastral: z.array(z.string()),
  actKind: z.string().optional(),
  office: z.string().optional(),
  date: z.string().optional(),
  highlights: z.array(z.string()).meta({ description: "Words of the record the query matched." }),
  matchedBy: z.enum(["identifier", "address", "text"]),
}).meta({ id: "SearchHit" });

const facetCount = z.object({
  value: z.string().meta({ description: "The value to pass back as the filter parameter." }),
  label: z.string(),
  count: z.number().int(),
}).meta({ id: "FacetCount" });

const facets = z.object({
  kind: z.array(facetCount),
  type: z.array(facetCount),
  decade: z.array(facetCount),
  locality: z.array(facetCount),
  status: z.array(facetCount),
  actKind: z.array(facetCount),
  office: z.array(facetCount),
}).meta({ id: "Facets", description: "Counts over the whole result set, not only this page." });

/** One page of search results. */
export const searchResponseSchema = z.object({
  total: z.number().int().meta({ description: "Results over all pages." }),
  page: z.number().int().min(1),
  per_page: z.number().int().min(1).max(MAX_PER_PAGE),
  pages: z.number().int().min(1).meta({ description: "The last page (1 when nothing matched)." }),
  next_page: z.number().int().nullable().meta({
    description: "The page to ask for next, or null on the last page.",
  }),
  interpretation: z.string().nullable().meta({
    description: 'How an identifier query was read, e.g. "Protocollo 1234 del 1987".',
  }),
  hits: z.array(hit),
  facets,
}).meta({ id: "SearchResults" });

/** The answer to a request-status lookup: the state and the due date, nothing else. */
export const statusResponseSchema = z.object({
  code: z.string(),
  state: z.enum(ACCESS_STATES),
  stateLabel: z.string().meta({
    description: "The state in words, in the language asked for (`lang` or " +
      "`Accept-Language`; Italian by default).",
  }),
  dueOn: z.string().meta({ format: "date", description: "When the answer is due by law." }),
  overdue: z.boolean(),
}).meta({ id: "RequestStatus" });

/** The one error shape of every /api answer that is not a 2xx. */
export const errorResponseSchema = z.object({
  error: z.object({
    message: z.string().meta({
      description: "What went wrong, for a person, in the language asked for (`lang` or " +
        "`Accept-Language`; Italian by default).",
    }),
    field: z.string().nullable().meta({
      description: "The parameter or field the message is about, when there is one.",
    }),
    fields: z.record(z.string(), z.string()).meta({
      description: "A message per refused field (may be empty).",
    }),
  }),
}).meta({ id: "Error" });

// ---------------------------------------------------------------------------------------------
// The response schemas hold exactly the public types' fields (a field added to one and not the
// other is a type error), and every public value fits them.

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _dossierKeys: Same<keyof z.output<typeof publicDossierSchema>, keyof PublicDossier> = true;
const _actKeys: Same<keyof z.output<typeof publicActSchema>, keyof PublicAct> = true;
const _hitKeys: Same<keyof z.output<typeof hit>, keyof PublicHit> = true;
const _facetKeys: Same<keyof z.output<typeof facetCount>, keyof FacetCount> = true;
function _fits(d: PublicDossier, a: PublicAct, h: PublicHit): void {
  const _d: z.input<typeof publicDossierSchema> = d;
  const _a: z.input<typeof publicActSchema> = a;
  const _h: z.input<typeof hit> = h;
}

/** The page after `page`, or null when `page` is the last. */
export function nextPage(page: number, pages: number): number | null {
  return page < pages ? page + 1 : null;
}

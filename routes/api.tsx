/**
 * The public JSON API: the same search and the same privacy rule as the pages, a rate limit
 * per client address, and its own OpenAPI document (`/api/openapi.json`, read at `/api/docs`)
 * built from the schemas each route below validates with and answers through. Errors come
 * back as `{ error: { message, field, fields } }` from the one error handler.
 */
import { type Context, Hono } from "hono";
import type { z } from "zod";
import type { AppDeps } from "../app_deps.ts";
import type { RecordKind } from "../domain/records.ts";
import { recentVocabularies, titleOf } from "../db/vocabularies.ts";
import { searchRecords } from "../search/search_records.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { createAccessLimiters, createRateLimiter } from "../middleware/rate_limit.ts";
import { clientIp } from "../middleware/session.ts";
import { ApiReferencePage } from "../views/api_reference.tsx";
import { invalidInput, validate } from "./_validate.ts";
import { i18nOf } from "../i18n/context.tsx";
import { i18nFor } from "../i18n/i18n.ts";
import { DEFAULT_LOCALE, type Locale, negotiateLocale } from "../i18n/locale.ts";
import { findPublicRecord, recordNotFound } from "./_public_record.ts";
import { fastSearchQuery, searchQuery } from "./_search_query.ts";
import { StepTimer } from "./_server_timing.ts";
import { projectionOf } from "./_projection.ts";
import {
  apiLanguageHeaders,
  apiLanguageQuery,
  nextPage,
  publicActSchema,
  publicDossierSchema,
  publicRecordSchema,
  recordIdParam,
  recordKindQuery,
  searchResponseSchema,
  statusLookupBody,
  statusResponseSchema,
} from "./_api_schemas.ts";
import { type ApiOperation, openApiDocument, type RateLimitInfo } from "./_openapi.ts";
import { lookupRequestStatus } from "./_status_lookup.ts";

const KINDS: RecordKind[] = ["dossier", "act"];

/** The window of the API's rate limit; the count per window is `config.apiRatePerMinute`. */
export const API_RATE_WINDOW_SECONDS = 60;

/**
 * The answer `data` as `schema` lets it out: a field the schema does not declare is dropped
 * (routes/_projection.ts; the values themselves are checked against the schemas by tests).
 */
function answer<S extends z.ZodType>(c: Context, schema: S, data: z.input<S>) {
  return c.json(projectionOf(schema)(data) as Record<string, unknown>);
}

/** The API's operations over `deps`: what routes validate with and what the document says. */
export function apiOperations(vocabularies: Parameters<typeof searchQuery>[0]) {
  const recordLookup = (kind: string, extra = "") => ({
    params: recordIdParam,
    errors: [400, 404],
    description: `The public projection of one ${kind}: no people (only which roles exist), ` +
      "no storage location, documents listed with their files only when public. A restricted " +
      `or unknown id answers 404 alike.${extra}`,
  });
  return {
    search: {
      method: "get",
      path: "/search",
      operationId: "searchRecords",
      summary: "Search dossiers and acts",
      description: "The kiosk's search: free words, addresses and identifiers, with filters " +
        "and facet counts. Paginated with `page` and `per_page`.",
      query: searchQuery(vocabularies),
      response: searchResponseSchema,
      errors: [400],
    },
    record: {
      method: "get",
      path: "/records/{id}",
      operationId: "getRecord",
      summary: "A dossier or an act by id",
      ...recordLookup("record", " `record` tells the two kinds apart."),
      query: recordKindQuery,
      response: publicRecordSchema,
    },
    dossier: {
      method: "get",
      path: "/dossiers/{id}",
      operationId: "getDossier",
      summary: "A dossier (pratica edilizia) by id",
      ...recordLookup("dossier"),
      response: publicDossierSchema,
    },
    act: {
      method: "get",
      path: "/acts/{id}",
      operationId: "getAct",
      summary: "A council act by id",
      ...recordLookup("act"),
      response: publicActSchema,
    },
    requestStatus: {
      method: "post",
      path: "/requests/status",
      operationId: "getRequestStatus",
      summary: "The status of an access request (accesso agli atti)",
      description: "With the receipt code and the requester's tax code (in the body, so that " +
        "it stays out of logs and URLs): the state and the due date, nothing else. A wrong " +
        "code and a wrong tax code answer 404 alike. Besides the API's own limit, lookups are " +
        "limited per address and per code as at the kiosk.",
      body: statusLookupBody,
      response: statusResponseSchema,
      errors: [400, 404, 422],
    },
  } as const satisfies Record<string, ApiOperation>;
}

/**
 * The language a client asked for: `lang` (refused when it names no language we have), else
 * the preferred one of `Accept-Language`, else Italian.
 */
function apiLocale(c: Context): Locale {
  const parsed = apiLanguageQuery.safeParse({ lang: c.req.query("lang") });
  if (!parsed.success) throw invalidInput(parsed.error, 400);
  const headers = apiLanguageHeaders.parse({ "accept-language": c.req.header("Accept-Language") });
  return parsed.data.lang ?? negotiateLocale(headers["accept-language"]) ?? DEFAULT_LOCALE;
}

/** The limit the API applies per client address. */
export function apiRateLimit(deps: Pick<AppDeps, "config">): RateLimitInfo {
  return { limit: deps.config.apiRatePerMinute, windowSeconds: API_RATE_WINDOW_SECONDS };
}

/** `/api/*`: search, records, request status, the OpenAPI document and its reference page. */
export function apiRoutes(deps: AppDeps): Hono {
  const { db, index, clock, cardReader } = deps;
  const vocabularies = recentVocabularies(db, clock);
  const ops = apiOperations(vocabularies);
  const fastSearch = fastSearchQuery(vocabularies);
  const rate = apiRateLimit(deps);
  const limiter = createRateLimiter(
    db,
    { bucket: "api_ip", limit: rate.limit, windowSeconds: rate.windowSeconds },
    clock,
  );
  const lookups = createAccessLimiters(db, clock);
  let document: Record<string, unknown> | undefined;
  const openApi = () => (document ??= openApiDocument(Object.values(ops), rate));
  const byId = async (kinds: RecordKind[], id: string) => {
    for (const one of kinds) {
      const view = await findPublicRecord(db, one, id);
      if (view) return view;
    }
    throw recordNotFound();
  };
  return new Hono()
    .use("*", async (c, next) => {
      if (rate.limit === 0) return await next();
      const decision = await limiter.hit(clientIp(c));
      if (!decision.allowed) {
        c.header("Retry-After", String(decision.retryAfter));
        c.set("i18n", i18nFor(apiLocale(c)));
        const seconds = decision.retryAfter;
        throw new UserFacingError((t) => t.misc.api.tooMany(seconds), { status: 429 });
      }
      await next();
    })
    .get("/openapi.json", (c) => c.json(openApi()))
    .get("/docs", (c) => c.html(<ApiReferencePage document={openApi()} />))
    // The JSON operations speak the client's language (the kiosk's cookie does not apply).
    .use("*", async (c, next) => {
      c.set("i18n", i18nFor(apiLocale(c)));
      await next();
    })
    .get("/search", validate("query", ops.search.query, { fast: fastSearch }), async (c) => {
      const { params, vocab } = c.req.valid("query");
      const timer = new StepTimer();
      const found = await searchRecords(db, index, params, "public", clock, cardReader, timer);
      // Type facets arrive as codes ("PDC"); the label says what the code means.
      const type = found.facets.type.map((f) => ({ ...f, label: titleOf(vocab.types, f.value) }));
      const pages = Math.max(1, Math.ceil(found.total / found.perPage));
      // Only step names and durations (routes/_server_timing.ts): nothing of the query.
      c.header("Server-Timing", timer.header());
      return answer(c, searchResponseSchema, {
        total: found.total,
        page: found.page,
        per_page: found.perPage,
        pages,
        next_page: nextPage(found.page, pages),
        interpretation: found.interpretation ?? null,
        hits: found.hits,
        facets: { ...found.facets, type },
      });
    })
    .get(
      "/records/:id",
      validate("param", ops.record.params),
      validate("query", ops.record.query),
      async (c) => {
        const { kind } = c.req.valid("query");
        const view = await byId(kind ? [kind] : KINDS, c.req.valid("param").id);
        return answer(c, publicRecordSchema, view);
      },
    )
    .get("/dossiers/:id", validate("param", ops.dossier.params), async (c) => {
      const view = await byId(["dossier"], c.req.valid("param").id);
      if (view.record !== "dossier") throw recordNotFound();
      return answer(c, publicDossierSchema, view);
    })
    .get("/acts/:id", validate("param", ops.act.params), async (c) => {
      const view = await byId(["act"], c.req.valid("param").id);
      if (view.record !== "act") throw recordNotFound();
      return answer(c, publicActSchema, view);
    })
    .post("/requests/status", validate("json", ops.requestStatus.body), async (c) => {
      const { code, taxCode } = c.req.valid("json");
      const status = await lookupRequestStatus(db, lookups, clock, clientIp(c), code, taxCode);
      if (!status.ok) {
        if (status.retryAfter !== undefined) c.header("Retry-After", String(status.retryAfter));
        throw status.error;
      }
      const stateLabel = i18nOf(c).t.request.states[status.answer.state];
      return answer(c, statusResponseSchema, { ...status.answer, stateLabel });
    });
}

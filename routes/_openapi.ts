/**
 * The OpenAPI 3.1 document of the public API, built from the operations routes/api.ts serves:
 * each operation names the zod schemas its route validates with and answers through, and
 * `z.toJSONSchema` writes them out. There is no hand-kept copy to fall behind the code.
 */
import { z } from "zod";
import { apiLanguageHeaders, apiLanguageQuery, errorResponseSchema } from "./_api_schemas.ts";

/** Where the API is mounted. */
export const API_BASE = "/api";

/** The API's version: bump on a change a client could notice. */
export const API_VERSION = "1.0.0";

/** What a client may do before a 429, per address, shown in the document. */
export interface RateLimitInfo {
  limit: number;
  windowSeconds: number;
}

/** One operation: its route, the schemas it validates with and the one it answers through. */
export interface ApiOperation {
  method: "get" | "post";
  /** Under API_BASE, in OpenAPI form ("/records/{id}"). */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  query?: z.ZodType;
  params?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  /** The 4xx statuses this operation may answer with (always in the one error shape). */
  errors: number[];
}

const ERROR_TEXT: Record<number, string> = {
  400: "Bad input: `error.field` names the parameter, `error.message` says what to change.",
  404: "No such record, or not public (the two look the same).",
  415: "The body is not JSON.",
  422: "The values were read but refused (e.g. a malformed receipt code or tax code).",
  429: "Too many requests: wait `Retry-After` seconds.",
};

type Json = Record<string, unknown>;

/** The JSON Schema of `schema` as its route reads it (input), for a parameter or a body. */
function inputSchema(schema: z.ZodType): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
}

/** Query or path parameters of an object schema, one entry per property. */
function parameters(schema: z.ZodType, where: "query" | "path" | "header"): Json[] {
  const json = inputSchema(schema) as {
    properties?: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, examples, ...rest } = property as Json & {
      description?: string;
      examples?: unknown[];
    };
    const hasDefault = "default" in rest;
    return {
      name,
      in: where,
      required: where === "path" || (!hasDefault && (json.required ?? []).includes(name)),
      ...(description ? { description } : {}),
      ...(examples?.[0] !== undefined ? { example: examples[0] } : {}),
      // A repeatable parameter (`type`) is sent as `type=A&type=B`.
      ...(where === "query" ? { style: "form", explode: true } : {}),
      schema: rest,
    };
  });
}

/** The id the response schema is registered under (its `.meta({ id })`). */
function refOf(schema: z.ZodType): Json {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error("response schemas need a .meta({ id })");
  return { $ref: `#/components/schemas/${id}` };
}

/** Every schema with an id that the operations reach, as OpenAPI components. */
function components(operations: readonly ApiOperation[]): Record<string, Json> {
  const all = z.toJSONSchema(z.globalRegistry, {
    io: "output",
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: "any",
  }).schemas;
  const out: Record<string, Json> = {};
  const pending = [errorResponseSchema, ...operations.map((o) => o.response)]
    .map((s) => z.globalRegistry.get(s)?.id ?? "");
  while (pending.length > 0) {
    const id = pending.pop() ?? "";
    if (id in out || !all[id]) continue;
    const { $schema: _s, $id: _i, ...schema } = all[id] as Json;
    out[id] = schema;
    for (const ref of JSON.stringify(schema).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      pending.push(ref[1] ?? "");
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function operationObject(op: ApiOperation, rate: RateLimitInfo): Json {
  const params = [
    ...(op.params ? parameters(op.params, "path") : []),
    ...(op.query ? parameters(op.query, "query") : []),
    // Every operation answers in the language asked for (stateLabel, error messages).
    ...parameters(apiLanguageQuery, "query"),
    ...parameters(apiLanguageHeaders, "header"),
  ];
  const errors = [...new Set([...op.errors, 429])].sort();
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: op.description,
    ...(params.length ? { parameters: params } : {}),
    ...(op.body
      ? {
        requestBody: {
          required: true,
          content: { "application/json": { schema: inputSchema(op.body) } },
        },
      }
      : {}),
    responses: {
      "200": {
        description: "OK",
        content: { "application/json": { schema: refOf(op.response) } },
      },
      ...Object.fromEntries(errors.map((status) => [
        String(status),
        status === 429 ? { $ref: "#/components/responses/TooManyRequests" } : {
          description: ERROR_TEXT[status] ?? "Refused.",
          content: { "application/json": { schema: refOf(errorResponseSchema) } },
        },
      ])),
    },
    "x-rate-limit": rate.limit === 0
      ? "none"
      : `${rate.limit} requests per ${rate.windowSeconds} s per client address`,
  };
}

/** The whole OpenAPI 3.1 document for `operations`. */
export function openApiDocument(
  operations: readonly ApiOperation[],
  rate: RateLimitInfo,
  serverUrl = "/",
): Json {
  const paths: Record<string, Json> = {};
  for (const op of operations) {
    const path = `${API_BASE}${op.path}`;
    paths[path] = { ...paths[path], [op.method]: operationObject(op, rate) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Faldone — API pubblica",
      version: API_VERSION,
      description: [
        "Read-only access to the public part of the building-permit archive (pratiche edilizie)",
        "and council acts, with the same search as the kiosk, and the status of an access",
        "request (accesso agli atti). Only public projections are returned: no person, no",
        "tax code, no restricted record.",
        "",
        "**Language**: words meant for a person (`stateLabel`, error messages) are in Italian",
        "unless the client asks for English with `lang=en` or an `Accept-Language` header that",
        "prefers English (`lang` wins). Records are data and stay as stored, in Italian.",
        "",
        "**Pagination**: `page` (from 1) and `per_page` (1–100, default 20); every page",
        "says `total`, `pages` and `next_page` (null on the last). The order is deterministic",
        "for the same data and query; a page past the last is a 400 naming `page`.",
        "",
        rate.limit === 0
          ? "**Rate limit**: none on this server (set by its administrator)."
          : `**Rate limit**: ${rate.limit} requests per ${rate.windowSeconds} seconds per ` +
            "client address; beyond it every call answers 429 with `Retry-After` (seconds).",
        "",
        "**Errors**: every non-2xx answer is `{ error: { message, field, fields } }`.",
      ].join("\n"),
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: components(operations),
      responses: {
        TooManyRequests: {
          description: ERROR_TEXT[429],
          headers: {
            "Retry-After": {
              description: "Seconds before the limit's window reopens.",
              schema: { type: "integer", minimum: 1 },
            },
          },
          content: { "application/json": { schema: refOf(errorResponseSchema) } },
        },
      },
    },
  };
}

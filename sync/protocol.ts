/**
 * The sync wire protocol, version 1 (docs/SYNC.md): what travels between a branch and the
 * archive under `/sync/v1`. Both sides import these types and parsers, so a change here is a
 * protocol change and must bump `PROTOCOL_VERSION`. A changes page may also travel in encoding
 * v2 (`sync/page_encoding.ts`), negotiated per request with `Accept`: the same page, so the
 * version stays 1.
 */
import { z } from "zod";

/** Version spoken by this build; each request and response carries it in `PROTOCOL_HEADER`. */
export const PROTOCOL_VERSION = 1;
/** Header naming the protocol version of the sender. */
export const PROTOCOL_HEADER = "Faldone-Sync-Protocol";
/** Header with the uncompressed size of a changes page (the client measures compression). */
export const RAW_LENGTH_HEADER = "Faldone-Raw-Length";

/** One row of the change feed: an upsert carries the whole document, a delete only the id. */
export interface Change {
  entity: string;
  id: string;
  seq: number;
  deleted: boolean;
  doc?: unknown;
}

/** A page of the feed after a cursor; `cursor` is the seq to ask after next time. */
export interface ChangesPage {
  changes: Change[];
  cursor: number;
  more: boolean;
  /** Changes still waiting after this page (for the progress bar). */
  remaining: number;
}

/** One mutation in a push batch (an outbox row). */
export interface PushedMutation {
  number: number;
  mutationId: string;
  entity: string;
  entityId: string;
  payload: unknown;
}

/** The archive's verdict on one pushed mutation. */
export interface PushResult {
  number: number;
  status: "applied" | "duplicate" | "rejected";
  reason?: string;
}

/** Answer to a push: per-mutation results and the highest number now applied. */
export interface PushResponse {
  lastAppliedNumber: number;
  results: PushResult[];
}

/** Error body of every 4xx/5xx of the sync API. */
export interface SyncErrorBody {
  error: string;
}

const changeSchema = z.object({
  entity: z.string().min(1),
  id: z.string().min(1),
  seq: z.number().int().nonnegative(),
  deleted: z.boolean(),
  doc: z.unknown().optional(),
});

/** Parses a changes page received from the archive. */
export function parseChangesPage(value: unknown): ChangesPage {
  const page = z.object({
    changes: z.array(changeSchema),
    cursor: z.number().int().nonnegative(),
    more: z.boolean(),
    remaining: z.number().int().nonnegative(),
  }).parse(value);
  return {
    ...page,
    changes: page.changes.map((c) => ({
      entity: c.entity,
      id: c.id,
      seq: c.seq,
      deleted: c.deleted,
      ...(c.doc === undefined ? {} : { doc: c.doc }),
    })),
  };
}

const pushedSchema = z.object({
  number: z.number().int().positive(),
  mutationId: z.string().min(1).max(100),
  entity: z.string().min(1).max(100),
  entityId: z.string().min(1).max(200),
  payload: z.unknown(),
});

/** Parses a push batch received from a branch; numbers must strictly increase. */
export function parsePushRequest(value: unknown): { mutations: PushedMutation[] } {
  const body = z.object({ mutations: z.array(pushedSchema).max(5000) }).parse(value);
  for (let i = 1; i < body.mutations.length; i++) {
    const prev = body.mutations[i - 1];
    const cur = body.mutations[i];
    if (prev && cur && cur.number <= prev.number) {
      throw new z.ZodError([{
        code: "custom",
        path: ["mutations", i, "number"],
        message: "mutation numbers must strictly increase",
        input: cur.number,
      }]);
    }
  }
  return { mutations: body.mutations.map((m) => ({ ...m, payload: m.payload })) };
}

/** Parses the archive's answer to a push. */
export function parsePushResponse(value: unknown): PushResponse {
  const body = z.object({
    lastAppliedNumber: z.number().int().nonnegative(),
    results: z.array(z.object({
      number: z.number().int(),
      status: z.enum(["applied", "duplicate", "rejected"]),
      reason: z.string().optional(),
    })),
  }).parse(value);
  return {
    lastAppliedNumber: body.lastAppliedNumber,
    results: body.results.map((r) => ({
      number: r.number,
      status: r.status,
      ...(r.reason === undefined ? {} : { reason: r.reason }),
    })),
  };
}

/**
 * Archive side: the JSON sync API mounted at `/sync/v1` (docs/SYNC.md). Every request carries
 * a branch's bearer token; every response names the protocol version it speaks.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { handleError, handleNotFound } from "../routes/errors.tsx";
import { validate } from "../routes/_validate.ts";
import { findBranchByToken, touchBranch } from "../db/branches.ts";
import type { Db } from "../db/client.ts";
import type { FileStore } from "../documents/file_store.ts";
import { applyPushedMutations } from "./apply_mutations.ts";
import { advanceAllReleases } from "../db/booking_sync.ts";
import { mountFileRoutes } from "./file_api.ts";
import { createPageReader } from "./page_reader.ts";
import { acceptsPageV2, PAGE_V2_TYPE } from "./page_encoding.ts";
import { MUTATION_HANDLERS, type MutationHandler } from "./mutation_handlers.ts";
import {
  parsePushRequest,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  RAW_LENGTH_HEADER,
} from "./protocol.ts";

/** What the sync API needs from the archive. */
export interface SyncApiDeps {
  db: Db;
  clock: () => Date;
  /** The archive's file store: without it the file routes answer 503. */
  fileStore?: FileStore | undefined;
}

/** Test hooks: another protocol version, or other mutation handlers. */
export interface SyncApiOptions {
  protocolVersion?: number;
  handlers?: Readonly<Record<string, MutationHandler>>;
  /** Read each branch's next page while the current one travels (default true). */
  readAhead?: boolean;
  /**
   * Answer v2 pages to branches that ask (default true); false acts as an archive built
   * before v2, which ignores the request and answers JSON.
   */
  pageV2?: boolean;
}

type Env = { Variables: { branch: string } };

const MAX_PUSH_BYTES = 32 * 1024 * 1024;

function fail(status: 400 | 401 | 413, message: string): never {
  throw new UserFacingError(message, { status });
}

const changesQuery = z.object({
  after: z.coerce.number({ error: "Parametro after non valido: un intero ≥ 0" }).int()
    .nonnegative("Parametro after non valido: un intero ≥ 0").default(0),
  max_bytes: z.coerce.number({ error: "Parametro max_bytes non valido: un intero > 0" }).int()
    .positive("Parametro max_bytes non valido: un intero > 0").default(262_144),
});

// The batch rules live in protocol.ts; here its failure gets a message the branch admin reads.
const pushBody = z.unknown().transform((value, ctx) => {
  try {
    return parsePushRequest(value);
  } catch (err) {
    const detail = err instanceof z.ZodError ? err.issues[0]?.message : "JSON non valido";
    ctx.addIssue({ code: "custom", message: `Lotto di modifiche non valido: ${detail}` });
    return z.NEVER;
  }
});

/** The sync sub-app; mount it with `app.route("/sync/v1", syncApi(deps))` on the archive. */
export function syncApi(deps: SyncApiDeps, options: SyncApiOptions = {}): Hono<Env> {
  const version = options.protocolVersion ?? PROTOCOL_VERSION;
  const handlers = options.handlers ?? MUTATION_HANDLERS;
  // Push batches of one archive are applied one at a time: libSQL file connections block
  // the event loop while waiting for the write lock, so two overlapping writers would stall.
  let pushQueue: Promise<unknown> = Promise.resolve();
  const pages = createPageReader(deps.db, { readAhead: options.readAhead ?? true });

  const app = new Hono<Env>();
  app.use("*", async (c, next) => {
    c.header(PROTOCOL_HEADER, String(version));
    c.header("Cache-Control", "no-store");
    const theirs = Number(c.req.header(PROTOCOL_HEADER) ?? "1");
    if (!Number.isInteger(theirs) || theirs > version) {
      fail(
        400,
        `Questa sede usa il protocollo di sincronizzazione v${
          c.req.header(PROTOCOL_HEADER)
        }, l'archivio solo fino alla v${version}: aggiornare l'archivio`,
      );
    }
    const auth = c.req.header("Authorization") ?? "";
    const token = /^Bearer (\S+)$/.exec(auth)?.[1];
    if (!token) fail(401, "Token della sede mancante: avviare con --token");
    const branch = await findBranchByToken(deps.db, token);
    if (!branch) fail(401, "Token della sede non valido: controllare --token");
    if (branch.revokedAt) {
      fail(401, `La sede "${branch.name}" è stata revocata dall'archivio`);
    }
    c.set("branch", branch.name);
    await touchBranch(deps.db, branch.name, deps.clock());
    await next();
  });

  app.get("/changes", validate("query", changesQuery), async (c) => {
    const { after, max_bytes: maxBytes } = c.req.valid("query");
    // Online booking closes H hours before a slot: say so before the branch reads on.
    await advanceAllReleases(deps.db, deps.clock());
    const v2 = options.pageV2 !== false && acceptsPageV2(c.req.header("Accept"));
    const page = await pages.read(c.get("branch"), after, maxBytes, v2 ? 2 : 1);
    const { raw, gzip } = page;
    c.header("Vary", "Accept, Accept-Encoding");
    // Always the JSON size, the unit of max_bytes: the branch's page sizer counts in it.
    c.header(RAW_LENGTH_HEADER, String(raw.byteLength));
    if (page.v2) {
      // Compressed inside the format, not as Content-Encoding: no proxy or fetch undoes it.
      c.header("Content-Type", PAGE_V2_TYPE);
      c.header("Content-Length", String(page.v2.byteLength));
      return c.body(page.v2);
    }
    c.header("Content-Type", "application/json");
    if (!/\bgzip\b/.test(c.req.header("Accept-Encoding") ?? "")) return c.body(raw);
    // Compressed whole (a page is bounded) so Content-Length tells the client the wire size.
    c.header("Content-Encoding", "gzip");
    c.header("Content-Length", String(gzip.byteLength));
    return c.body(gzip);
  });

  mountFileRoutes(app, deps, version);

  app.post(
    "/mutations",
    // Also without a Content-Length (chunked): the limit counts the bytes as they arrive.
    bodyLimit({
      maxSize: MAX_PUSH_BYTES,
      onError: () => fail(413, "Lotto troppo grande: inviarne uno più piccolo"),
    }),
    validate("json", pushBody),
    async (c) => {
      const body = c.req.valid("json");
      const branch = c.get("branch");
      const run = pushQueue.then(() =>
        applyPushedMutations(deps.db, handlers, branch, body.mutations, deps.clock())
      );
      pushQueue = run.catch(() => undefined);
      return c.json(await run);
    },
  );

  // Errors as JSON `{ error: { message } }` also when this sub-app is served on its own.
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}

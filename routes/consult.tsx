/**
 * Viewing granted documents (issue 11), at a kiosk and online; URLs in docs/ACCESS.md,
 * "Consultation under a grant".
 *
 * - Kiosk (`/consultazione`, no login, offline-capable): receipt code + codice fiscale under the
 *   status lookup's limits bind the request to a signed, httpOnly, 15-minute cookie.
 * - Online (`/area-personale/richieste/:requestId/documenti`): the signed-in citizen's codice
 *   fiscale must be the request's.
 *
 * Both then serve the same sub-app: the list, the viewer (stamped pages only), each stamped
 * page, and the stamped copy in copy mode. Every request is checked again: the holder against
 * the request, the grant with this node's clock, the page against the count. Any refusal is
 * the same 404.
 */
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import { Buffer } from "node:buffer";
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { AppDeps } from "../app_deps.ts";
import { findByReceiptCode } from "../db/access_requests.ts";
import { requestRow } from "../db/consultations.ts";
import type { Db } from "../db/client.ts";
import { validateTaxCode } from "../domain/codice_fiscale.ts";
import { parseReceiptCode } from "../domain/receipt_code.ts";
import { type ByteSource, serveByteSource } from "../documents/http_range.ts";
import { StampCache, stampedWholeDocument } from "../documents/stamp.ts";
import { inProcessStamper, type PageStamper } from "../documents/stamp_pool.ts";
import { i18nOf } from "../i18n/context.tsx";
import { localMessage } from "../i18n/local_message.ts";
import type { AccessLimiters } from "../middleware/rate_limit.ts";
import { clientIp, cookieOptions } from "../middleware/session.ts";
import { DocumentViewerPage } from "../views/document_viewer.tsx";
import { ConsultFormPage, ConsultListPage } from "../views/consult.tsx";
import {
  auditOpen,
  CONSULT_NOT_FOUND,
  type ConsultDocument,
  consultDocument,
  consultOverviews,
  type GrantHolder,
  parseConsultRef,
  parsePage,
} from "./_consult.ts";
import { type DocumentLoader, documentLoader } from "./_document_access.ts";
import { CONSULT_COOKIE } from "./_kiosk_cookies.ts";
import { optionalCode } from "./_fields.ts";
import { validate } from "./_validate.ts";
import { StepTimer } from "./_server_timing.ts";

/** Where the kiosk's consultation lives. */
export const CONSULT_BASE = "/consultazione";
const CONSULT_SECONDS = 15 * 60;
const NOT_HERE = "Il file non è ancora in questa sede: sarà disponibile in questa sede dopo " +
  "la prossima sincronizzazione.";

/**
 * What both sides share: one loader (its TIFF page cache), the page stamper (the server's
 * worker pool, AppDeps.stamper) and one stamp cache per DB for the whole-document copy.
 */
interface ConsultKit {
  loader: DocumentLoader;
  cache: StampCache;
  stamper: PageStamper;
}
// The kiosk's and the citizen area's routes are built apart (createApp, citizenRoutes) but
// should share the stamp engine's caches: the parses of a scan are the memory that counts.
const kits = new WeakMap<Db, ConsultKit>();
function kitFor(deps: AppDeps): ConsultKit {
  let kit = kits.get(deps.db);
  if (!kit) {
    const cache = new StampCache();
    kit = {
      loader: documentLoader({ ...deps, store: deps.fileStore }),
      cache,
      // Without a pool (a test world of its own, a tool) pages are stamped on this thread.
      stamper: deps.stamper ?? inProcessStamper(cache),
    };
    kits.set(deps.db, kit);
  }
  return kit;
}

const notFound = () => new HTTPException(404, { message: CONSULT_NOT_FOUND });

/** How a side finds its holder and writes its audit entries. */
interface Side {
  /** The holder for this request, or undefined (no cookie, another CF, …). */
  holder(c: Context): Promise<GrantHolder | undefined>;
  /** The path of the list (the documents are under it). */
  base(c: Context): string;
  /** Where an open is recorded. */
  auditBranch: string;
  outbox: boolean;
  /** Without a holder, the list page sends here (the form, or the sign-in). */
  entry: string;
  /** The kiosk's "Fine consultazione". */
  endButton: boolean;
}

function memory(bytes: Uint8Array, etag: string): ByteSource {
  return {
    bytes: bytes.length,
    mime: "application/pdf",
    etag,
    open: (start, end) => ReadableStream.from([bytes.subarray(start, end + 1)]),
  };
}

/** The list, viewer, pages and copy of one holder's granted documents. */
function documentsApp(deps: AppDeps, side: Side): Hono {
  const { db, clock } = deps;
  const kit = kitFor(deps);

  async function opened(
    c: Context,
    timer?: StepTimer,
  ): Promise<{ holder: GrantHolder; doc: ConsultDocument }> {
    const ref = parseConsultRef(c.req.param("kind"), c.req.param("recordId"), c.req.param("n"));
    if (!ref) throw notFound();
    const holder = await side.holder(c);
    if (!holder) throw notFound();
    timer?.mark("holder");
    const doc = await consultDocument(db, kit.loader, holder, ref, clock());
    if (!doc) throw notFound();
    timer?.mark("grant");
    return { holder, doc };
  }
  const stampOf = (holder: GrantHolder) => ({
    receiptCode: holder.receiptCode,
    taxCode: holder.taxCode,
    at: clock(),
  });
  const audit = (holder: GrantHolder, doc: ConsultDocument, via: "visione" | "copia") =>
    auditOpen(db, holder, doc, via, {
      now: clock(),
      branch: side.auditBranch,
      outbox: side.outbox,
    });
  const here = (c: Context) => new URL(c.req.url).pathname.replace(/\/(pagine\/[^/]*|copia)$/, "");

  return new Hono()
    .use("*", async (c, next) => {
      await next();
      // Nothing of a consultation stays in a cache, shared or the browser's.
      c.header("Cache-Control", "private, no-store");
    })
    .get("/", async (c) => {
      const holder = await side.holder(c);
      if (!holder) return c.redirect(side.entry, 303);
      const base = side.base(c);
      const overview = (await consultOverviews(
        db,
        [{ id: holder.requestId, receiptCode: holder.receiptCode }],
        () => base,
        clock(),
      )).get(holder.requestId);
      if (!overview) throw notFound();
      return c.html(
        <ConsultListPage
          overview={overview}
          end={side.endButton ? { csrfToken: c.get("csrfToken") } : undefined}
          back={side.endButton
            ? undefined
            : { href: "/area-personale", label: "‹ Le mie richieste" }}
        />,
      );
    })
    .get("/:kind/:recordId/:n", async (c) => {
      const { holder, doc } = await opened(c);
      const path = here(c);
      const v = doc.viewable;
      const pages = doc.stampable ? await kit.stamper.pageCount(doc.stampable) : undefined;
      await audit(holder, doc, "visione");
      return c.html(
        <DocumentViewerPage
          title={v.title}
          mime="application/pdf"
          bytes={v.bytes}
          present={v.present}
          unreadable={v.present && !doc.stampable
            ? v.unreadable ?? i18nOf(c).t.misc.noStampedView
            : undefined}
          staff={false}
          showFetchButton={false}
          fetchRequested={false}
          urls={{
            file: `${path}/pagine/1`,
            back: { href: side.base(c), label: localMessage((t) => t.consult.back) },
          }}
          stamped={pages === undefined ? undefined : {
            pages,
            pageUrl: `${path}/pagine/{n}`,
            copyUrl: doc.granted.mode === "copy" ? `${path}/copia` : undefined,
          }}
        />,
      );
    })
    .get("/:kind/:recordId/:n/pagine/:p", async (c) => {
      const timer = new StepTimer();
      const { holder, doc } = await opened(c, timer);
      const p = parsePage(c.req.param("p"));
      if (p === undefined) throw notFound();
      if (!doc.stampable) {
        throw new HTTPException(404, {
          message: doc.viewable.present ? CONSULT_NOT_FOUND : NOT_HERE,
        });
      }
      // Checked before any Range is read: a page past the end is the same refusal as the rest.
      if (p > await kit.stamper.pageCount(doc.stampable)) throw notFound();
      timer.mark("count");
      // The ETag (the page's SHA-256) is hashed where the page is made, in the worker.
      const page = await kit.stamper.page(doc.stampable, p - 1, stampOf(holder));
      timer.mark("stamp");
      return await serveByteSource(c.req.raw, memory(page.bytes, page.etag), {
        "Cache-Control": "private, no-store",
        "Content-Disposition": `inline; filename="pagina-${p}.pdf"`,
        "Server-Timing": timer.header(),
      });
    })
    .get("/:kind/:recordId/:n/copia", async (c) => {
      const { holder, doc } = await opened(c);
      if (doc.granted.mode !== "copy" || !doc.stampable) throw notFound();
      const copy = await stampedWholeDocument(doc.stampable, stampOf(holder), kit.cache);
      await audit(holder, doc, "copia");
      const name = `copia-${holder.receiptCode}-${c.req.param("n")}.pdf`;
      return new Response(copy.stream, {
        headers: {
          "Content-Type": "application/pdf",
          "Content-Length": String(copy.bytes),
          "Content-Disposition": `attachment; filename="${name}"`,
          "Cache-Control": "private, no-store",
          "X-Content-Type-Options": "nosniff",
        },
      });
    });
}

// ---- the kiosk's cookie: `<request id>.<expiry ms>.<HMAC>` under a key of this process ----

async function hmacKey(): Promise<CryptoKey> {
  return await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

async function sign(key: CryptoKey, text: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text));
  return Buffer.from(mac).toString("base64url");
}

async function readBinding(
  key: CryptoKey,
  value: string | undefined,
  now: Date,
): Promise<string | undefined> {
  const parts = (value ?? "").split(".");
  if (parts.length !== 3) return undefined;
  const [id = "", expires = "", mac = ""] = parts;
  const expected = Buffer.from(await sign(key, `${id}.${expires}`));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  if (!/^\d{1,15}$/.test(expires) || Number(expires) <= now.getTime()) return undefined;
  return id;
}

const consultForm = z.object({
  code: optionalCode("Codice della ricevuta", { max: 40 }),
  taxCode: optionalCode("Codice fiscale", { max: 40 }),
});

/** The kiosk's routes, mounted at /consultazione. */
export function consultKioskRoutes(deps: AppDeps, limiters: AccessLimiters): Hono {
  const { db, clock, config } = deps;
  // A key per process: a restart ends every kiosk consultation, which lasts 15 minutes anyway.
  const key = hmacKey();

  const holder = async (c: Context): Promise<GrantHolder | undefined> => {
    const id = await readBinding(await key, getCookie(c, CONSULT_COOKIE), clock());
    if (!id) return undefined;
    const row = await requestRow(db, id);
    if (!row) return undefined;
    return {
      requestId: row.id,
      receiptCode: row.receiptCode,
      taxCode: row.taxCode,
      where: "sede",
    };
  };

  const side: Side = {
    holder,
    base: () => `${CONSULT_BASE}/documenti`,
    auditBranch: config.branchName,
    outbox: config.role === "branch",
    entry: CONSULT_BASE,
    endButton: true,
  };

  return new Hono()
    .get("/", (c) => {
      c.header("Cache-Control", "no-store");
      return c.html(<ConsultFormPage values={{}} errors={{}} csrfToken={c.get("csrfToken")} />);
    })
    .post("/", validate("form", consultForm), async (c) => {
      const values = { ...c.req.valid("form") };
      const render = (errors: Record<string, string>, status: 404 | 422 | 429) => {
        // The codice fiscale typed is never sent back.
        values.taxCode = "";
        return c.html(
          <ConsultFormPage values={values} errors={errors} csrfToken={c.get("csrfToken")} />,
          status,
        );
      };
      const byIp = await limiters.lookupByIp.hit(clientIp(c));
      if (!byIp.allowed) {
        c.header("Retry-After", String(byIp.retryAfter));
        return render({
          code: `Troppi tentativi: riprova tra ${Math.ceil(byIp.retryAfter / 60)} minuti.`,
        }, 429);
      }
      const code = parseReceiptCode(values.code);
      const cf = validateTaxCode(values.taxCode);
      const errors: Record<string, string> = {};
      if (!code.ok) errors.code = code.message;
      if (!cf.ok) errors.taxCode = cf.message;
      if (!code.ok || !cf.ok) return render(errors, 422);
      const byCode = await limiters.lookupByCode.hit(code.code);
      if (!byCode.allowed) {
        c.header("Retry-After", String(byCode.retryAfter));
        return render({
          code: `Troppi tentativi per questo codice: riprova tra ${
            Math.ceil(byCode.retryAfter / 60)
          } minuti.`,
        }, 429);
      }
      const row = await findByReceiptCode(db, code.code);
      // One answer for "no such code" and "wrong tax code", as the status lookup.
      if (!row || row.taxCode !== cf.normalized) {
        return render({ code: i18nOf(c).t.consult.notFound }, 404);
      }
      const expires = clock().getTime() + CONSULT_SECONDS * 1000;
      const value = `${row.id}.${expires}.${await sign(await key, `${row.id}.${expires}`)}`;
      setCookie(c, CONSULT_COOKIE, value, cookieOptions(c, CONSULT_SECONDS));
      return c.redirect(`${CONSULT_BASE}/documenti`, 303);
    })
    .post("/esci", (c) => {
      deleteCookie(c, CONSULT_COOKIE, { path: "/" });
      return c.redirect("/richieste/azzera", 303);
    })
    .route("/documenti", documentsApp(deps, side));
}

/**
 * The online routes, mounted inside the citizen area (its session middleware runs first):
 * `/richieste/:requestId/documenti…`.
 */
export function consultOnlineRoutes(deps: AppDeps, onlineBranch: string): Hono {
  const { db } = deps;
  const side: Side = {
    async holder(c) {
      const citizen = c.get("citizen");
      const id = c.req.param("requestId") ?? "";
      if (!citizen || !/^[\w-]{1,64}$/.test(id)) return undefined;
      const row = await requestRow(db, id);
      // The request must be the signed-in citizen's own: matched by codice fiscale only.
      if (!row || row.taxCode !== citizen.taxCode) return undefined;
      return {
        requestId: row.id,
        receiptCode: row.receiptCode,
        taxCode: row.taxCode,
        where: "online",
      };
    },
    base: (c) => `/area-personale/richieste/${c.req.param("requestId")}/documenti`,
    auditBranch: onlineBranch,
    outbox: false,
    entry: "/area-personale",
    endButton: false,
  };
  return new Hono().route("/richieste/:requestId/documenti", documentsApp(deps, side));
}

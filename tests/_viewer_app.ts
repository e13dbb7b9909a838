/**
 * A small app for the viewer's browser test and bench: the real documentRoutes, static files
 * and security headers, over documents the caller lists, on loopback. It counts the bytes
 * each file endpoint actually streamed and logs every file request with its Range and status.
 */
import { Hono } from "hono";
import type { ByteSource } from "../documents/http_range.ts";
import { securityHeaders } from "../middleware/security.ts";
import { assetRoutes } from "../routes/assets.ts";
import { type DocumentRef, documentRoutes, type ViewableDocument } from "../routes/documents.tsx";
import { handleError, handleNotFound } from "../routes/errors.tsx";

/** One file request as the server saw it. */
export interface FileRequest {
  path: string;
  range: string | null;
  status: number;
}

/** The running app: its URL, what was served, and how to stop it. */
export interface ViewerApp extends AsyncDisposable {
  url: string;
  requests: FileRequest[];
  audits: { ref: DocumentRef; via: string }[];
  /** Bytes streamed so far per document key (`kind/id/n`). */
  served: Map<string, number>;
}

function counting(source: ByteSource, key: string, served: Map<string, number>): ByteSource {
  return {
    ...source,
    async open(start, end) {
      return (await source.open(start, end)).pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            served.set(key, (served.get(key) ?? 0) + chunk.length);
            controller.enqueue(chunk);
          },
        }),
      );
    },
  };
}

/** Serves `docs` (keyed `kind/recordId/n`) under `/documenti`; `staff` plays a logged-in clerk. */
export function startViewerApp(
  docs: Map<string, ViewableDocument>,
  options: { staff?: boolean } = {},
): ViewerApp {
  const requests: FileRequest[] = [];
  const audits: ViewerApp["audits"] = [];
  const served = new Map<string, number>();
  const app = new Hono();
  app.use("*", securityHeaders());
  app.use("/documenti/*", async (c, next) => {
    await next();
    if (/\/(file|pagine\/\d+)$/.test(c.req.path)) {
      requests.push({
        path: c.req.path,
        range: c.req.header("Range") ?? null,
        status: c.res.status,
      });
    }
  });
  app.route("/static", assetRoutes());
  app.route(
    "/documenti",
    documentRoutes({
      resolve: (_c, ref) => {
        const key = `${ref.kind}/${ref.recordId}/${ref.index}`;
        const doc = docs.get(key);
        if (!doc?.source) return Promise.resolve(doc);
        return Promise.resolve({ ...doc, source: counting(doc.source, key, served) });
      },
      audit: (_c, ref, _doc, via) => {
        audits.push({ ref, via });
        return Promise.resolve();
      },
      requestFetch: () => Promise.resolve(),
      isStaff: () => options.staff ?? false,
    }),
  );
  app.notFound(handleNotFound);
  app.onError(handleError);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    audits,
    served,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

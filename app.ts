/** createApp(deps): mounts every route area, static files and the one error handler. */
import { Hono } from "hono";
import type { AppDeps } from "./app_deps.ts";

export type { AppDeps };
import { actRoutes } from "./routes/acts.tsx";
import { apiRoutes } from "./routes/api.tsx";
import { documentAccess } from "./routes/_document_access.ts";
import { DOCUMENTS_PREFIX } from "./views/document_url.ts";
import { documentRoutes } from "./routes/documents.tsx";
import { assetRoutes } from "./routes/assets.ts";
import { handleError, handleNotFound } from "./routes/errors.tsx";
import { healthRoutes } from "./routes/health.ts";
import { mountAccess, useSecurity } from "./routes/access.ts";
import { recordRoutes } from "./routes/records.tsx";
import { searchRoutes } from "./routes/search.tsx";
import { syncApi } from "./sync/api.ts";
import { adminSyncRoutes } from "./routes/admin_sync.tsx";
import { requireRole } from "./middleware/session.ts";
import { provideSite } from "./views/site.tsx";
import { CITIZEN_BASE, citizenRoutes } from "./routes/citizen.tsx";
import { adminNoticeRoutes } from "./routes/admin_notices.tsx";
import { provideLocale } from "./i18n/context.tsx";
import { languageRoutes } from "./routes/language.ts";

/** The kiosk (or archive) HTTP application. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  useSecurity(app, deps);
  app.use("*", provideSite(deps.config));
  app.use("*", provideLocale());
  app.route("/static", assetRoutes());
  app.route("/healthz", healthRoutes(deps));
  app.route("/lingua", languageRoutes());
  app.route("/", searchRoutes(deps));
  app.route("/pratiche", recordRoutes(deps));
  app.route("/atti", actRoutes(deps));
  app.route("/api", apiRoutes(deps));
  app.route(
    DOCUMENTS_PREFIX,
    documentRoutes(documentAccess({ ...deps, store: deps.fileStore })),
  );
  mountAccess(app, deps);
  if (deps.config.role === "archive") app.route("/sync/v1", syncApi(deps));
  // The notice outbox lives at the archive, the side that is online.
  if (deps.config.role === "archive") app.route("/admin/avvisi", adminNoticeRoutes(deps));
  // Citizens sign in online at the archive only, and only once the town's broker is set.
  if (deps.config.role === "archive" && deps.config.oidc) {
    app.route(CITIZEN_BASE, citizenRoutes(deps));
  }
  app.route("/admin/sync", adminSyncRoutes(deps, requireRole("admin")));
  app.notFound(handleNotFound);
  app.onError(handleError);
  return app;
}

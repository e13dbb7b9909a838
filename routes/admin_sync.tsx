/** `/admin/sync`: the sync state for the admin, a live progress bar and "Sincronizza ora". */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { AppDeps } from "../app_deps.ts";
import { appendAudit } from "../db/audit.ts";
import { listBranches } from "../db/branches.ts";
import { fileQueueView } from "../sync/file_queue.ts";
import { countPendingMutations, setAsideMutations } from "../db/outbox.ts";
import { readSyncState } from "../sync/sync_state.ts";
import { SyncPage, SyncPanel, type SyncPanelProps } from "../views/sync_panel.tsx";

/** The admin sync routes behind `guard` (the admin-role check, or any stand-in for it). */
export function adminSyncRoutes(deps: AppDeps, guard: MiddlewareHandler): Hono {
  const { db, config, syncScheduler } = deps;
  const props = async (c: Context): Promise<SyncPanelProps> => ({
    role: config.role,
    archiveUrl: config.archiveUrl,
    live: syncScheduler?.state(),
    stored: await readSyncState(db),
    pending: await countPendingMutations(db),
    setAside: await setAsideMutations(db),
    branches: config.role === "archive" ? await listBranches(db) : [],
    files: config.role === "branch" ? await fileQueueView(db, deps.clock()) : [],
    csrfToken: c.get("csrfToken") ?? "",
  });
  return new Hono()
    .use("*", guard)
    .get("/", async (c) => c.html(<SyncPage {...await props(c)} />))
    .get("/pannello", async (c) => c.html(<SyncPanel {...await props(c)} />))
    .post("/avvia", async (c) => {
      // Sync triggers are audited like every admin action (issue 5).
      await appendAudit(db, {
        actor: c.get("session")?.user.username ?? null,
        action: "sync_trigger",
      }, {
        now: deps.clock(),
        branch: config.branchName,
        outbox: config.role === "branch",
      });
      // Not awaited: the run goes on in the background and the panel polls it.
      void syncScheduler?.runNow();
      if (c.req.header("HX-Request") === "true") return c.html(<SyncPanel {...await props(c)} />);
      return c.redirect("/admin/sync", 303);
    });
}

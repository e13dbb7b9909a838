/**
 * `/admin/avvisi` (archive, admins): the notices set aside with their reason, the pending ones
 * with their next attempt, and "riprova", which puts a set-aside notice back in the queue
 * (sent by the next round of the sender job, within seconds).
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app_deps.ts";
import { noticesForAdmin, retryNotice } from "../db/notices.ts";
import { requireRole } from "../middleware/session.ts";
import { NoticesPage } from "../views/admin_notices.tsx";
import { validate } from "./_validate.ts";
import { code } from "./_fields.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { loadNoticeChannels } from "../notices/settings.ts";

const BAD_ID = "Avviso non valido: ricarica la pagina e riprova.";
const idForm = z.object({
  id: code("Avviso", { max: 100, required: BAD_ID }).regex(/^[A-Za-z0-9-]+$/, BAD_ID),
});

/** The routes, mounted at /admin/avvisi on the archive. */
export function adminNoticeRoutes(
  deps: AppDeps,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): Hono {
  const { db, clock } = deps;
  const page = async (c: Context, notice?: string) => {
    const s = c.get("session");
    if (!s) {
      throw new UserFacingError("Accesso riservato: entra con le tue credenziali.", {
        status: 401,
      });
    }
    const channels = loadNoticeChannels(env);
    return c.html(
      <NoticesPage
        {...await noticesForAdmin(db)}
        channels={{ appIo: channels.appIo !== undefined, email: channels.smtp !== undefined }}
        notice={notice}
        staff={{ username: s.user.username, role: s.user.role, csrfToken: c.get("csrfToken") }}
      />,
    );
  };
  return new Hono()
    .use("*", requireRole("admin"))
    .get("/", (c) => page(c))
    .post("/riprova", validate("form", idForm), async (c) => {
      if (!await retryNotice(db, c.req.valid("form").id, clock())) {
        throw new UserFacingError(
          "Questo avviso non è più tra quelli messi da parte: ricarica la pagina.",
          { status: 404 },
        );
      }
      return page(c, "Avviso rimesso in coda: parte al prossimo giro, entro pochi secondi.");
    });
}

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
import { i18nOf } from "../i18n/context.tsx";
import { localMessage } from "../i18n/local_message.ts";

// Made from the catalogue: Italian as the message of record, shown in the request's language.
const BAD_ID = localMessage((t) => t.noticesAdmin.badId);
const idForm = z.object({
  id: code((t) => t.noticesAdmin.labelId, { max: 100, required: BAD_ID }).regex(
    /^[A-Za-z0-9-]+$/,
    BAD_ID,
  ),
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
      throw new UserFacingError((t) => t.noticesAdmin.reserved, { status: 401 });
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
        throw new UserFacingError((t) => t.noticesAdmin.notSetAside, { status: 404 });
      }
      return page(c, i18nOf(c).t.noticesAdmin.retried);
    });
}

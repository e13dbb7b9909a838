/**
 * Admin: holidays, the patron saint's day, documentale suspension, kiosk idle time, the
 * counter upload's size limit, how long a grant lasts by default.
 */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { useI18n } from "../i18n/context.tsx";
import type { DeadlineSettings } from "../domain/access_deadline.ts";

/** Settings page props. */
export interface SettingsProps {
  settings: DeadlineSettings;
  idleSeconds: number;
  uploadMaxMb: number;
  /** Days a grant of consultation lasts unless the clerk sets another date. */
  grantDays: number;
  error?: string | undefined;
  notice?: string | undefined;
  staff: { username: string; role: string; csrfToken: string };
}

/** The settings page. */
export const SettingsPage: FC<SettingsProps> = (p) => {
  const { t } = useI18n();
  return (
    <Layout title={t.admin.settingsTitle}>
      <StaffBar {...p.staff} />
      <h1>{t.admin.settingsTitle}</h1>
      {p.error ? <div class="alert alert-danger" role="alert">{p.error}</div> : null}
      {p.notice ? <div class="alert alert-success" role="status">{p.notice}</div> : null}
      <form method="post" action="/admin/impostazioni">
        <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
        <div class="mb-3">
          <label class="form-label" for="fixed">{t.admin.fixedHolidays}</label>
          <input
            class="form-control"
            id="fixed"
            name="fixed"
            value={p.settings.holidays.fixed.join(" ")}
          />
        </div>
        <div class="form-check mb-3">
          <input
            class="form-check-input"
            type="checkbox"
            id="easterMonday"
            name="easterMonday"
            value="1"
            checked={p.settings.holidays.easterMonday}
          />
          <label class="form-check-label" for="easterMonday">{t.admin.easterMonday}</label>
        </div>
        <div class="mb-3">
          <label class="form-label" for="patron">{t.admin.patron}</label>
          <input
            class="form-control"
            id="patron"
            name="patron"
            value={p.settings.holidays.patron ?? ""}
          />
        </div>
        <div class="mb-3">
          <label class="form-label" for="extra">{t.admin.closures}</label>
          <input
            class="form-control"
            id="extra"
            name="extra"
            value={p.settings.holidays.extra.join(" ")}
          />
        </div>
        <div class="form-check mb-3">
          <input
            class="form-check-input"
            type="checkbox"
            id="documentaleSuspension"
            name="documentaleSuspension"
            value="1"
            checked={p.settings.documentaleSuspension}
          />
          <label class="form-check-label" for="documentaleSuspension">{t.admin.suspension}</label>
        </div>
        <div class="mb-3">
          <label class="form-label" for="idleSeconds">{t.admin.idleSeconds}</label>
          <input
            class="form-control"
            id="idleSeconds"
            name="idleSeconds"
            inputmode="numeric"
            value={String(p.idleSeconds)}
          />
        </div>
        <div class="mb-3">
          <label class="form-label" for="uploadMaxMb">{t.admin.uploadMaxMb}</label>
          <input
            class="form-control"
            id="uploadMaxMb"
            name="uploadMaxMb"
            inputmode="numeric"
            value={String(p.uploadMaxMb)}
          />
        </div>
        <div class="mb-3">
          <label class="form-label" for="grantDays">{t.admin.grantDays}</label>
          <input
            class="form-control"
            id="grantDays"
            name="grantDays"
            inputmode="numeric"
            value={String(p.grantDays)}
          />
        </div>
        <button type="submit" class="btn btn-primary">{t.admin.save}</button>
      </form>
    </Layout>
  );
};

/** Admin: the fee table (tariffario), exemptions, and how pagoPA notices are doing. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { FEE_ITEMS, type FeeExemption, type FeeRule } from "../domain/fees.ts";
import { formatEuro } from "../domain/pagopa_notice.ts";
import type { PaymentNotice } from "../db/payment_notices.ts";
import { useI18n } from "../i18n/context.tsx";
import type { Messages } from "../i18n/it.ts";

/** The pagoPA side as the archive sees it. */
export interface PagopaOverview {
  enteFiscalCode: string | undefined;
  segregationCode: string | undefined;
  gpdConfigured: boolean;
  counts: Record<PaymentNotice["status"], number>;
  failing: Pick<PaymentNotice, "receiptCode" | "noticeNumber" | "lastError" | "attempts">[];
}

/** Fee page props. */
export interface FeesProps {
  rules: FeeRule[];
  exemptions: FeeExemption[];
  /** False at a branch whose table comes from the archive. */
  editable: boolean;
  pagopa: PagopaOverview | undefined;
  error?: string | undefined;
  notice?: string | undefined;
  staff: { username: string; role: string; csrfToken: string };
}

function band(r: FeeRule, f: Messages["feesAdmin"]): string {
  if (r.yearFrom === null && r.yearTo === null) return f.bandAll;
  if (r.yearFrom === null) return f.bandTo(r.yearTo ?? 0);
  if (r.yearTo === null) return f.bandFrom(r.yearFrom);
  return `${r.yearFrom}–${r.yearTo}`;
}

const Remove: FC<{ action: string; id: string; csrf: string; label: string }> = (p) => {
  const { t } = useI18n();
  return (
    <form method="post" action={p.action}>
      <input type="hidden" name="_csrf" value={p.csrf} />
      <input type="hidden" name="id" value={p.id} />
      <button type="submit" class="btn btn-sm btn-outline-danger" aria-label={p.label}>
        {t.feesAdmin.remove}
      </button>
    </form>
  );
};

/** The page. */
export const FeesPage: FC<FeesProps> = (p) => {
  const { t, locale } = useI18n();
  const f = t.feesAdmin;
  return (
    <Layout title={f.title}>
      <StaffBar {...p.staff} />
      <h1>{f.title}</h1>
      {p.error ? <div class="alert alert-danger" role="alert">{p.error}</div> : null}
      {p.notice ? <div class="alert alert-success" role="status">{p.notice}</div> : null}
      {p.editable ? null : <p class="alert alert-info">{f.archiveOnly}</p>}
      <h2 class="h4">{f.fees}</h2>
      <table class="table" data-testid="fee-rules">
        <caption class="visually-hidden">{f.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{f.colItem}</th>
            <th scope="col">{f.colYears}</th>
            <th scope="col" class="text-end">{f.colAmount}</th>
            {p.editable ? <th scope="col">{f.colActions}</th> : null}
          </tr>
        </thead>
        <tbody>
          {p.rules.map((r) => (
            <tr key={r.id}>
              <td>{f.items[r.item]}</td>
              <td>{band(r, f)}</td>
              <td class="text-end">{f.euro(formatEuro(r.amountCents))}</td>
              {p.editable
                ? (
                  <td>
                    <Remove
                      action="/admin/tariffe/elimina"
                      id={r.id}
                      csrf={p.staff.csrfToken}
                      label={f.removeRule(f.items[r.item], band(r, f))}
                    />
                  </td>
                )
                : null}
            </tr>
          ))}
        </tbody>
      </table>
      {p.rules.length === 0 ? <p>{f.none}</p> : null}
      {p.editable
        ? (
          <form method="post" action="/admin/tariffe" class="row g-3 mb-5 align-items-end">
            <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
            <div class="col-md-4">
              <label class="form-label" for="item">{f.colItem}</label>
              <select class="form-select" id="item" name="item">
                {FEE_ITEMS.map((i) => <option key={i} value={i}>{f.items[i]}</option>)}
              </select>
            </div>
            <div class="col-md-2">
              <label class="form-label" for="yearFrom">{f.yearFrom}</label>
              <input class="form-control" id="yearFrom" name="yearFrom" inputmode="numeric" />
            </div>
            <div class="col-md-2">
              <label class="form-label" for="yearTo">{f.yearTo}</label>
              <input class="form-control" id="yearTo" name="yearTo" inputmode="numeric" />
            </div>
            <div class="col-md-2">
              <label class="form-label" for="amount">{f.amountEuro}</label>
              <input class="form-control" id="amount" name="amount" required placeholder="30,00" />
            </div>
            <div class="col-md-2">
              <button type="submit" class="btn btn-primary">{f.add}</button>
            </div>
            <p class="form-text">{f.yearsHint}</p>
          </form>
        )
        : null}
      <h2 class="h4">{f.exemptions}</h2>
      <ul data-testid="fee-exemptions">
        {p.exemptions.map((e) => (
          <li key={e.id} class="d-flex gap-3 align-items-center mb-2">
            {/* The admin's own words (Italian data), marked for a screen reader in English. */}
            <span lang={locale === "it" ? undefined : "it"}>{e.reason}</span>
            {p.editable
              ? (
                <Remove
                  action="/admin/tariffe/esenzioni/elimina"
                  id={e.id}
                  csrf={p.staff.csrfToken}
                  label={f.removeExemption(e.reason)}
                />
              )
              : null}
          </li>
        ))}
      </ul>
      {p.editable
        ? (
          <form
            method="post"
            action="/admin/tariffe/esenzioni"
            class="row g-3 mb-5 align-items-end"
          >
            <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
            <div class="col-md-8">
              <label class="form-label" for="reason">{f.exemptionReason}</label>
              <input class="form-control" id="reason" name="reason" required maxLength={200} />
            </div>
            <div class="col-md-4">
              <button type="submit" class="btn btn-primary">{f.addExemption}</button>
            </div>
          </form>
        )
        : null}
      {p.pagopa ? <PagopaPanel o={p.pagopa} /> : null}
    </Layout>
  );
};

const PagopaPanel: FC<{ o: PagopaOverview }> = ({ o }) => {
  const { t, locale } = useI18n();
  const f = t.feesAdmin;
  return (
    <section aria-labelledby="pagopa-title" data-testid="pagopa-panel">
      <h2 id="pagopa-title" class="h4">{f.pagopaTitle}</h2>
      <dl>
        <dt>{f.enteTaxCode}</dt>
        <dd>{o.enteFiscalCode ?? f.enteTaxCodeUnset}</dd>
        <dt>{f.segregation}</dt>
        <dd>{o.segregationCode ?? f.segregationUnset}</dd>
        <dt>{f.gpd}</dt>
        <dd>{o.gpdConfigured ? f.gpdOn : f.gpdOff}</dd>
        <dt>{f.notices}</dt>
        <dd>{f.counts(o.counts.pending, o.counts.registered, o.counts.paid)}</dd>
      </dl>
      {o.failing.length > 0
        ? (
          <div class="alert alert-warning" role="alert">
            <p>{f.failing}</p>
            <ul class="mb-0">
              {o.failing.map((n) => (
                <li key={n.noticeNumber}>
                  {f.failingRequest(n.receiptCode)}{" "}
                  {/* The reason is stored in Italian (pagoPA's job writes it): marked so. */}
                  {locale === "it" ? n.lastError : <span lang="it">{n.lastError}</span>}{" "}
                  {f.attempts(n.attempts)}
                </li>
              ))}
            </ul>
          </div>
        )
        : null}
    </section>
  );
};

/** Admin: the fee table (tariffario), exemptions, and how pagoPA notices are doing. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { FEE_ITEM_LABELS, FEE_ITEMS, type FeeExemption, type FeeRule } from "../domain/fees.ts";
import { formatEuro } from "../domain/pagopa_notice.ts";
import type { PaymentNotice } from "../db/payment_notices.ts";

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

function band(r: FeeRule): string {
  if (r.yearFrom === null && r.yearTo === null) return "tutte";
  if (r.yearFrom === null) return `fino al ${r.yearTo}`;
  if (r.yearTo === null) return `dal ${r.yearFrom}`;
  return `${r.yearFrom}–${r.yearTo}`;
}

const Remove: FC<{ action: string; id: string; csrf: string; label: string }> = (p) => (
  <form method="post" action={p.action}>
    <input type="hidden" name="_csrf" value={p.csrf} />
    <input type="hidden" name="id" value={p.id} />
    <button type="submit" class="btn btn-sm btn-outline-danger" aria-label={p.label}>
      Elimina
    </button>
  </form>
);

/** The page. */
export const FeesPage: FC<FeesProps> = (p) => (
  <Layout title="Tariffario e pagamenti">
    <StaffBar {...p.staff} />
    <h1>Tariffario e pagamenti</h1>
    {p.error ? <div class="alert alert-danger" role="alert">{p.error}</div> : null}
    {p.notice ? <div class="alert alert-success" role="status">{p.notice}</div> : null}
    {p.editable ? null : (
      <p class="alert alert-info">
        Il tariffario si modifica all'archivio centrale e arriva qui con la sincronizzazione.
      </p>
    )}
    <h2 class="h4">Diritti</h2>
    <table class="table" data-testid="fee-rules">
      <caption class="visually-hidden">Voci del tariffario</caption>
      <thead>
        <tr>
          <th scope="col">Voce</th>
          <th scope="col">Anni della pratica</th>
          <th scope="col" class="text-end">Importo</th>
          {p.editable ? <th scope="col">Azioni</th> : null}
        </tr>
      </thead>
      <tbody>
        {p.rules.map((r) => (
          <tr key={r.id}>
            <td>{FEE_ITEM_LABELS[r.item]}</td>
            <td>{band(r)}</td>
            <td class="text-end">€ {formatEuro(r.amountCents)}</td>
            {p.editable
              ? (
                <td>
                  <Remove
                    action="/admin/tariffe/elimina"
                    id={r.id}
                    csrf={p.staff.csrfToken}
                    label={`Elimina ${FEE_ITEM_LABELS[r.item]} ${band(r)}`}
                  />
                </td>
              )
              : null}
          </tr>
        ))}
      </tbody>
    </table>
    {p.rules.length === 0 ? <p>Nessuna voce: le richieste non pagano diritti.</p> : null}
    {p.editable
      ? (
        <form method="post" action="/admin/tariffe" class="row g-3 mb-5 align-items-end">
          <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
          <div class="col-md-4">
            <label class="form-label" for="item">Voce</label>
            <select class="form-select" id="item" name="item">
              {FEE_ITEMS.map((i) => <option key={i} value={i}>{FEE_ITEM_LABELS[i]}</option>)}
            </select>
          </div>
          <div class="col-md-2">
            <label class="form-label" for="yearFrom">Pratiche dal (anno)</label>
            <input class="form-control" id="yearFrom" name="yearFrom" inputmode="numeric" />
          </div>
          <div class="col-md-2">
            <label class="form-label" for="yearTo">al (anno)</label>
            <input class="form-control" id="yearTo" name="yearTo" inputmode="numeric" />
          </div>
          <div class="col-md-2">
            <label class="form-label" for="amount">Importo (€)</label>
            <input class="form-control" id="amount" name="amount" required placeholder="30,00" />
          </div>
          <div class="col-md-2">
            <button type="submit" class="btn btn-primary">Aggiungi</button>
          </div>
          <p class="form-text">
            Gli anni valgono solo per ricerca e visura (per età della pratica); lasciali vuoti per
            un importo unico.
          </p>
        </form>
      )
      : null}
    <h2 class="h4">Esenzioni</h2>
    <ul data-testid="fee-exemptions">
      {p.exemptions.map((e) => (
        <li key={e.id} class="d-flex gap-3 align-items-center mb-2">
          <span>{e.reason}</span>
          {p.editable
            ? (
              <Remove
                action="/admin/tariffe/esenzioni/elimina"
                id={e.id}
                csrf={p.staff.csrfToken}
                label={`Elimina l'esenzione ${e.reason}`}
              />
            )
            : null}
        </li>
      ))}
    </ul>
    {p.editable
      ? (
        <form method="post" action="/admin/tariffe/esenzioni" class="row g-3 mb-5 align-items-end">
          <input type="hidden" name="_csrf" value={p.staff.csrfToken} />
          <div class="col-md-8">
            <label class="form-label" for="reason">Motivo dell'esenzione</label>
            <input class="form-control" id="reason" name="reason" required maxLength={200} />
          </div>
          <div class="col-md-4">
            <button type="submit" class="btn btn-primary">Aggiungi esenzione</button>
          </div>
        </form>
      )
      : null}
    {p.pagopa ? <PagopaPanel o={p.pagopa} /> : null}
  </Layout>
);

const PagopaPanel: FC<{ o: PagopaOverview }> = ({ o }) => (
  <section aria-labelledby="pagopa-title" data-testid="pagopa-panel">
    <h2 id="pagopa-title" class="h4">Avvisi pagoPA</h2>
    <dl>
      <dt>Codice fiscale dell'ente</dt>
      <dd>{o.enteFiscalCode ?? "non impostato (FALDONE_ENTE_CF)"}</dd>
      <dt>Codice di segregazione</dt>
      <dd>{o.segregationCode ?? "non impostato (FALDONE_PAGOPA_SEGREGAZIONE)"}</dd>
      <dt>Servizio posizioni debitorie (GPD)</dt>
      <dd>
        {o.gpdConfigured
          ? "configurato"
          : "non configurato: gli avvisi restano in attesa di registrazione"}
      </dd>
      <dt>Avvisi</dt>
      <dd>
        {o.counts.pending} in attesa di registrazione, {o.counts.registered} registrati,{" "}
        {o.counts.paid} pagati
      </dd>
    </dl>
    {o.failing.length > 0
      ? (
        <div class="alert alert-warning" role="alert">
          <p>Registrazioni o verifiche non riuscite:</p>
          <ul class="mb-0">
            {o.failing.map((f) => (
              <li key={f.noticeNumber}>
                Richiesta {f.receiptCode}: {f.lastError} (tentativi: {f.attempts})
              </li>
            ))}
          </ul>
        </div>
      )
      : null}
  </section>
);

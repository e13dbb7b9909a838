/**
 * The citizen's area on the archive's public site: the sign-in page (SPID or CIE through the
 * town's broker, no password of ours) and "Le mie richieste" once signed in.
 */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { italianDate, italianDateTime } from "./request_receipt.tsx";
import type { RecordLabel } from "../routes/_record_labels.ts";
import type { AttachmentInfo } from "../db/request_attachments.ts";
import { ATTACHMENT_LABELS } from "../db/request_attachments.ts";
import type { ConsultOverview } from "../routes/_consult.ts";
import { ConsultPanel } from "./consult.tsx";
import { type FeeStatus, FeeStatusBlock } from "./payment_notice.tsx";

/** Who is signed in, as the bar shows it (code masked against a look over the shoulder). */
export interface CitizenBarProps {
  displayName: string | undefined;
  maskedTaxCode: string;
  csrfToken: string;
}

/** The bar above every signed-in page: who, the sections, sign-out. */
export const CitizenBar: FC<CitizenBarProps> = (p) => (
  <nav
    class="citizen-bar d-flex flex-wrap gap-3 align-items-center mb-4"
    aria-label="Area personale"
  >
    <a href="/area-personale">Le mie richieste</a>
    <a href="/area-personale/nuova">Nuova richiesta</a>
    <a href="/prenota">Prenota un appuntamento</a>
    <span class="ms-auto" data-testid="citizen-who">
      {p.displayName ? `${p.displayName} · ` : ""}
      {p.maskedTaxCode}
    </span>
    <form method="post" action="/area-personale/esci">
      <input type="hidden" name="_csrf" value={p.csrfToken} />
      <button type="submit" class="btn btn-outline-secondary btn-sm">Esci</button>
    </form>
  </nav>
);

/** The page before sign-in. */
export const SignInPage: FC<{ csrfToken: string }> = ({ csrfToken }) => (
  <Layout title="Area personale">
    <h1>Area personale</h1>
    <p class="lead">
      Entra con la tua identità digitale per vedere le tue richieste di accesso agli atti e
      presentarne di nuove da casa.
    </p>
    <form method="post" action="/area-personale/accedi">
      <input type="hidden" name="_csrf" value={csrfToken} />
      <button type="submit" class="btn btn-primary btn-lg">Entra con SPID o CIE</button>
    </form>
    <p class="mt-4">
      L'accesso passa dal servizio di identità del Comune: Faldone non chiede né conserva password.
      Le richieste presentate a uno sportello con il tuo codice fiscale compaiono qui.
    </p>
  </Layout>
);

/** One request as its citizen sees it. */
export interface CitizenRequestItem {
  id: string;
  code: string;
  filedAt: string;
  regimeLabel: string;
  stateLabel: string;
  dueOn: string;
  daysLeft: number;
  overdue: boolean;
  /** The clock runs: the due date is a promise still to keep. */
  clockRunning: boolean;
  records: RecordLabel[];
  recordsDescription: string | null;
  decidedOn: string | null;
  outcomeReason: string | null;
  grantedScope: string | null;
  consultation: { place: string; from: string | null; to: string | null } | undefined;
  fees: string | null;
  attachments: AttachmentInfo[];
  /** The fee and its pagoPA notice, as the kiosk's status page shows it. */
  fee: FeeStatus;
  awaitingPayment: boolean;
  /** Grants, documents to open and who opened them (documentale requests). */
  consult: ConsultOverview | undefined;
}

function kib(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString("it-IT")} KB`;
}

const Due: FC<{ item: CitizenRequestItem }> = ({ item }) => {
  if (!item.clockRunning) return <>{italianDate(item.dueOn)}</>;
  if (item.overdue) {
    return (
      <>
        {italianDate(item.dueOn)}{" "}
        <strong class="overdue-label">(termine superato: rivolgiti allo sportello)</strong>
      </>
    );
  }
  return <>{italianDate(item.dueOn)} ({item.daysLeft} giorni)</>;
};

const RequestCard: FC<{ item: CitizenRequestItem; fresh: boolean }> = ({ item, fresh }) => (
  <article
    class={`card mb-4 citizen-request${fresh ? " border-success" : ""}`}
    aria-labelledby={`req-${item.id}`}
  >
    <div class="card-body">
      <h2 class="h4 card-title" id={`req-${item.id}`}>
        Richiesta <span data-testid="request-code">{item.code}</span>
      </h2>
      <dl class="row mb-0">
        <dt class="col-sm-4">Stato</dt>
        <dd class="col-sm-8" data-testid="request-state">{item.stateLabel}</dd>
        <dt class="col-sm-4">Tipo di accesso</dt>
        <dd class="col-sm-8">{item.regimeLabel}</dd>
        <dt class="col-sm-4">Presentata</dt>
        <dd class="col-sm-8">{italianDateTime(item.filedAt)}</dd>
        <dt class="col-sm-4">Termine per la risposta</dt>
        <dd class="col-sm-8" data-testid="request-due">
          <Due item={item} />
        </dd>
        <dt class="col-sm-4">Documenti richiesti</dt>
        <dd class="col-sm-8">
          <ul class="list-unstyled mb-0">
            {item.records.map((r) => (
              <li key={r.ref}>{r.label}{r.subject ? ` — ${r.subject}` : ""}</li>
            ))}
            {item.recordsDescription ? <li>{item.recordsDescription}</li> : null}
          </ul>
        </dd>
        {item.decidedOn
          ? (
            <>
              <dt class="col-sm-4">Decisione</dt>
              <dd class="col-sm-8">
                del {italianDate(item.decidedOn)}
                {item.outcomeReason ? `: ${item.outcomeReason}` : ""}
              </dd>
            </>
          )
          : null}
        {item.consultation
          ? (
            <>
              <dt class="col-sm-4">Consultazione</dt>
              <dd class="col-sm-8">
                {item.consultation.place}
                {item.consultation.from && item.consultation.to
                  ? `, dal ${italianDate(item.consultation.from)} al ${
                    italianDate(item.consultation.to)
                  }`
                  : ""}
              </dd>
            </>
          )
          : null}
        <dt class="col-sm-4">Diritti e pagamenti</dt>
        <dd class="col-sm-8" data-testid="request-fees">
          {item.fee.kind === "none"
            ? (item.fees ?? "Nessun importo dovuto")
            : <FeeStatusBlock fee={item.fee} awaitingPayment={item.awaitingPayment} />}
        </dd>
        {item.consult ? null : (
          <>
            <dt class="col-sm-4">Documenti concessi</dt>
            <dd class="col-sm-8" data-testid="request-granted">
              {item.grantedScope ?? "Nessuno per ora"}
            </dd>
          </>
        )}
        <dt class="col-sm-4">Allegati</dt>
        <dd class="col-sm-8">
          {item.attachments.length === 0 ? "Nessuno" : (
            <ul class="list-unstyled mb-0">
              {item.attachments.map((a) => (
                <li key={a.id}>
                  {ATTACHMENT_LABELS[a.kind]}{" "}
                  ({a.mime === "application/pdf" ? "PDF" : a.mime === "image/png" ? "PNG" : "JPEG"},
                  {" "}
                  {kib(a.bytes)})
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {item.consult ? <ConsultPanel overview={item.consult} headingLevel={3} /> : null}
    </div>
  </article>
);

/** "Le mie richieste". */
export const MyRequestsPage: FC<
  { bar: CitizenBarProps; items: CitizenRequestItem[]; freshCode: string | undefined }
> = ({ bar, items, freshCode }) => (
  <Layout title="Le mie richieste">
    <CitizenBar {...bar} />
    <h1>Le mie richieste</h1>
    {freshCode
      ? (
        <div class="alert alert-success" role="status">
          Richiesta presentata: il codice è{" "}
          <strong>{freshCode}</strong>. La trovi qui sotto; il Comune risponde entro il termine
          indicato.
        </div>
      )
      : null}
    <p>
      <a class="btn btn-primary" href="/area-personale/nuova">Presenta una nuova richiesta</a>
    </p>
    {items.length === 0
      ? <p>Non risultano richieste presentate con il tuo codice fiscale.</p>
      : items.map((item) => (
        <RequestCard key={item.id} item={item} fresh={item.code === freshCode} />
      ))}
  </Layout>
);

/**
 * The citizen's area on the archive's public site: the sign-in page (SPID or CIE through the
 * town's broker, no password of ours) and "Le mie richieste" once signed in.
 */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import type { RecordLabel } from "../routes/_record_labels.ts";
import type { AttachmentInfo } from "../db/request_attachments.ts";
import type { AccessState } from "../domain/access_states.ts";
import type { Regime } from "../domain/access_deadline.ts";
import type { ConsultOverview } from "../routes/_consult.ts";
import { ConsultPanel } from "./consult.tsx";
import { type FeeStatus, FeeStatusBlock } from "./payment_notice.tsx";
import { useI18n } from "../i18n/context.tsx";

/** Who is signed in, as the bar shows it (code masked against a look over the shoulder). */
export interface CitizenBarProps {
  displayName: string | undefined;
  maskedTaxCode: string;
  csrfToken: string;
}

/** The bar above every signed-in page: who, the sections, sign-out. */
export const CitizenBar: FC<CitizenBarProps> = (p) => {
  const a = useI18n().t.citizenArea;
  return (
    <nav
      class="citizen-bar d-flex flex-wrap gap-3 align-items-center mb-4"
      aria-label={a.nav}
    >
      <a href="/area-personale">{a.myRequests}</a>
      <a href="/area-personale/nuova">{a.newRequest}</a>
      <a href="/prenota">{a.book}</a>
      <span class="ms-auto" data-testid="citizen-who">
        {p.displayName ? `${p.displayName} · ` : ""}
        {p.maskedTaxCode}
      </span>
      <form method="post" action="/area-personale/esci">
        <input type="hidden" name="_csrf" value={p.csrfToken} />
        <button type="submit" class="btn btn-outline-secondary btn-sm">{a.signOut}</button>
      </form>
    </nav>
  );
};

/** The page before sign-in. */
export const SignInPage: FC<{ csrfToken: string }> = ({ csrfToken }) => {
  const a = useI18n().t.citizenArea;
  return (
    <Layout title={a.title}>
      <h1>{a.title}</h1>
      <p class="lead">{a.lead}</p>
      <form method="post" action="/area-personale/accedi">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <button type="submit" class="btn btn-primary btn-lg">{a.signIn}</button>
      </form>
      <p class="mt-4">{a.signInNote}</p>
    </Layout>
  );
};

/** One request as its citizen sees it. */
export interface CitizenRequestItem {
  id: string;
  code: string;
  filedAt: string;
  regime: Regime;
  state: AccessState;
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

const Due: FC<{ item: CitizenRequestItem }> = ({ item }) => {
  const { t, longDay } = useI18n();
  if (!item.clockRunning) return <>{longDay(item.dueOn)}</>;
  if (item.overdue) {
    return (
      <>
        {longDay(item.dueOn)} <strong class="overdue-label">{t.citizenArea.overdue}</strong>
      </>
    );
  }
  return <>{longDay(item.dueOn)}{t.citizenArea.daysLeft(item.daysLeft)}</>;
};

const RequestCard: FC<{ item: CitizenRequestItem; fresh: boolean }> = ({ item, fresh }) => {
  const { t, longDay, dateTime, number } = useI18n();
  const a = t.citizenArea;
  const kib = (bytes: number) => `${number(Math.max(1, Math.round(bytes / 1024)))} KB`;
  return (
    <article
      class={`card mb-4 citizen-request${fresh ? " border-success" : ""}`}
      aria-labelledby={`req-${item.id}`}
    >
      <div class="card-body">
        <h2 class="h4 card-title" id={`req-${item.id}`}>
          {a.request}
          <span data-testid="request-code">{item.code}</span>
        </h2>
        <dl class="row mb-0">
          <dt class="col-sm-4">{a.state}</dt>
          <dd class="col-sm-8" data-testid="request-state">{t.request.states[item.state]}</dd>
          <dt class="col-sm-4">{a.regime}</dt>
          <dd class="col-sm-8">{t.request.regimes[item.regime]}</dd>
          <dt class="col-sm-4">{a.filed}</dt>
          <dd class="col-sm-8">{dateTime(item.filedAt)}</dd>
          <dt class="col-sm-4">{a.due}</dt>
          <dd class="col-sm-8" data-testid="request-due">
            <Due item={item} />
          </dd>
          <dt class="col-sm-4">{a.documents}</dt>
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
                <dt class="col-sm-4">{a.decision}</dt>
                <dd class="col-sm-8">
                  {a.decidedOn(longDay(item.decidedOn))}
                  {item.outcomeReason ? `: ${item.outcomeReason}` : ""}
                </dd>
              </>
            )
            : null}
          {item.consultation
            ? (
              <>
                <dt class="col-sm-4">{a.consultation}</dt>
                <dd class="col-sm-8">
                  {item.consultation.place}
                  {item.consultation.from && item.consultation.to
                    ? a.consultationDates(
                      longDay(item.consultation.from),
                      longDay(item.consultation.to),
                    )
                    : ""}
                </dd>
              </>
            )
            : null}
          <dt class="col-sm-4">{a.fees}</dt>
          <dd class="col-sm-8" data-testid="request-fees">
            {item.fee.kind === "none"
              ? (item.fees ?? a.noFees)
              : <FeeStatusBlock fee={item.fee} awaitingPayment={item.awaitingPayment} />}
          </dd>
          {
            /* A documentale request lists its grants and documents below (ConsultPanel); the
               others say what the desk recorded, or that nothing is granted yet. */
          }
          {item.consult ? null : (
            <>
              <dt class="col-sm-4">{a.granted}</dt>
              <dd class="col-sm-8" data-testid="request-granted">
                {item.grantedScope ?? a.noneYet}
              </dd>
            </>
          )}
          <dt class="col-sm-4">{a.attachments}</dt>
          <dd class="col-sm-8">
            {item.attachments.length === 0 ? a.none : (
              <ul class="list-unstyled mb-0">
                {item.attachments.map((f) => (
                  <li key={f.id}>
                    {a.attachmentKinds[f.kind]}{" "}
                    ({f.mime === "application/pdf"
                      ? "PDF"
                      : f.mime === "image/png"
                      ? "PNG"
                      : "JPEG"}, {kib(f.bytes)})
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
};

/** "Le mie richieste". */
export const MyRequestsPage: FC<
  { bar: CitizenBarProps; items: CitizenRequestItem[]; freshCode: string | undefined }
> = ({ bar, items, freshCode }) => {
  const a = useI18n().t.citizenArea;
  return (
    <Layout title={a.myRequests}>
      <CitizenBar {...bar} />
      <h1>{a.myRequests}</h1>
      {freshCode
        ? (
          <div class="alert alert-success" role="status">
            {a.filedFresh}
            <strong>{freshCode}</strong>
            {a.filedFreshAfter}
          </div>
        )
        : null}
      <p>
        <a class="btn btn-primary" href="/area-personale/nuova">{a.fileNew}</a>
      </p>
      {items.length === 0
        ? <p>{a.noRequests}</p>
        : items.map((item) => (
          <RequestCard key={item.id} item={item} fresh={item.code === freshCode} />
        ))}
    </Layout>
  );
};

/** One request at the desk: records, requester (an audited view), history and the actions. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { italianDate, italianDateTime } from "./request_receipt.tsx";
import type { AccessRequestSnapshot } from "../db/access_requests.ts";
import { REGIME_LABELS } from "../db/registro.ts";
import {
  ACCESS_STATE_LABELS,
  type AccessState,
  isAccessState,
  nextStates,
} from "../domain/access_states.ts";
import type { RecordLabel } from "../routes/_record_labels.ts";
import { ATTACHMENT_LABELS, type AttachmentInfo } from "../db/request_attachments.ts";
import {
  type FormDraft,
  type GrantChoices,
  GrantFields,
  type GrantItem,
  GrantsSection,
  TitleSection,
} from "./desk_grants.tsx";

/** Legal bases offered in the decision form (free text is accepted too). */
export const LEGAL_BASES = [
  "L. 241/1990 art. 24 (casi di esclusione)",
  "DPR 184/2006 art. 9 (differimento)",
  "d.lgs. 33/2013 art. 5-bis c.1 (interessi pubblici)",
  "d.lgs. 33/2013 art. 5-bis c.2 lett. a (protezione dei dati personali)",
  "d.lgs. 33/2013 art. 5-bis c.3 (divieti di legge)",
  "Regolamento comunale sull'accesso",
] as const;

const MODE_LABELS = { view: "Visione", copy: "Copia semplice", certified_copy: "Copia conforme" };

/** Page props. */
export interface DeskRequestProps {
  snap: AccessRequestSnapshot;
  records: RecordLabel[];
  /** Files attached to a request filed online (archive only). */
  attachments?: AttachmentInfo[] | undefined;
  today: string;
  daysLeft: number;
  overdue: boolean;
  /** Last day to ask for completion (documentale only, DPR 184/2006 art. 6). */
  completionBy?: string | undefined;
  error?: { message: string; field?: string | undefined } | undefined;
  /** The fields of the refused form, so nothing typed is lost (empty on a first view). */
  values?: Record<string, string> | undefined;
  /** Which form the refused submit came from (its `action`). */
  failedAction?: string | undefined;
  staff: { username: string; role: string; csrfToken: string };
  /** The fee and its pagoPA notice, in one sentence (none when nothing is charged). */
  payment?: string | undefined;
  /** A documentale request: the title check and the grants (issue 11). */
  documentale?: {
    grants: GrantItem[];
    /** The grant's fields in the acceptance (requests that name records). */
    decisionChoices?: GrantChoices | undefined;
    /** A new grant may be made now (accepted, title recorded). */
    newGrantChoices?: GrantChoices | undefined;
    /** Lists the refused form sent (the chosen documents), beside `values`. */
    lists?: Record<string, string[]> | undefined;
  } | undefined;
}

const ActionButton: FC<{ id: string; csrf: string; action: string; label: string }> = (p) => (
  <form method="post" action={`/sportello/richieste/${p.id}/azione`} class="d-inline">
    <input type="hidden" name="_csrf" value={p.csrf} />
    <input type="hidden" name="action" value={p.action} />
    <button type="submit" class="btn btn-outline-primary">{p.label}</button>
  </form>
);

const DateAction: FC<{ id: string; csrf: string; action: string; label: string; today: string }> = (
  p,
) => (
  <form
    method="post"
    action={`/sportello/richieste/${p.id}/azione`}
    class="d-flex gap-2 align-items-end mb-2"
  >
    <input type="hidden" name="_csrf" value={p.csrf} />
    <input type="hidden" name="action" value={p.action} />
    <div>
      <label class="form-label" for={`${p.action}-on`}>Data</label>
      <input class="form-control" type="date" id={`${p.action}-on`} name="on" value={p.today} />
    </div>
    <button type="submit" class="btn btn-outline-primary">{p.label}</button>
  </form>
);

// Which outcomes each field group serves (static/page.js hides the others).
const NOT_FULL = "partially_accepted deferred refused";
const GRANTED = "accepted partially_accepted";

/** What the clerk typed, and the field the last refusal was about. */
interface DecisionDraft {
  values: Record<string, string>;
  field?: string | undefined;
}

const DecisionField: FC<{
  name: string;
  label: string;
  draft: DecisionDraft;
  type?: string;
  multiline?: boolean;
}> = ({ name, label, draft, type, multiline }) => {
  const invalid = draft.field === name;
  const cls = `form-control${invalid ? " is-invalid" : ""}`;
  const aria = {
    "aria-invalid": invalid ? "true" : undefined,
    "aria-describedby": invalid ? "decision-error" : undefined,
    // The refused form may sit below the fold: the field to fix takes the focus.
    autofocus: invalid,
  };
  return (
    <>
      <label class="form-label mt-2" for={name}>{label}</label>
      {multiline
        ? (
          <textarea class={cls} id={name} name={name} rows={3} {...aria}>
            {draft.values[name] ?? ""}
          </textarea>
        )
        : (
          <input
            class={cls}
            type={type ?? "text"}
            id={name}
            name={name}
            value={draft.values[name] ?? ""}
            {...aria}
          />
        )}
    </>
  );
};

const DecisionForm: FC<
  {
    id: string;
    csrf: string;
    states: readonly AccessState[];
    draft: DecisionDraft;
    error?: string | undefined;
    /** Documentale: the grant an acceptance creates. */
    grant?: { choices: GrantChoices; draft: FormDraft } | undefined;
  }
> = (p) => {
  const outcomes = (["accepted", "partially_accepted", "deferred", "refused"] as const)
    .filter((s) => p.states.includes(s));
  const v = p.draft.values;
  return (
    <form method="post" action={`/sportello/richieste/${p.id}/azione`} class="decision-form mt-3">
      <input type="hidden" name="_csrf" value={p.csrf} />
      <input type="hidden" name="action" value="decide" />
      <h3 class="h5">Decisione</h3>
      {p.error
        ? <div class="alert alert-danger" role="alert" id="decision-error">{p.error}</div>
        : null}
      <div class="mb-3">
        <label class="form-label" for="outcome">Esito</label>
        <select class="form-select" id="outcome" name="outcome">
          {outcomes.map((o) => (
            <option key={o} value={o} selected={v.outcome === o}>{ACCESS_STATE_LABELS[o]}</option>
          ))}
        </select>
      </div>
      <div class="mb-3" data-outcomes={NOT_FULL}>
        <DecisionField
          name="reason"
          label="Motivazione (obbligatoria salvo accoglimento pieno)"
          draft={p.draft}
          multiline
        />
      </div>
      <div class="mb-3" data-outcomes={NOT_FULL}>
        <label class="form-label" for="legalBasis">Riferimento normativo</label>
        <select class="form-select" id="legalBasis" name="legalBasis">
          <option value="">—</option>
          {LEGAL_BASES.map((b) => (
            <option key={b} value={b} selected={v.legalBasis === b}>{b}</option>
          ))}
        </select>
        <DecisionField name="legalBasisText" label="oppure scrivi il riferimento" draft={p.draft} />
      </div>
      <div class="mb-3" data-outcomes={GRANTED}>
        <DecisionField name="grantedScope" label="Documenti e pagine concessi" draft={p.draft} />
      </div>
      {p.grant
        ? (
          <div class="mb-3" data-outcomes={GRANTED}>
            <GrantFields
              choices={p.grant.choices}
              draft={p.grant.draft}
              errorId="decision-error"
              prefix="decision-"
            />
          </div>
        )
        : null}
      <div class="mb-3" data-outcomes="deferred">
        <DecisionField name="deferredUntil" label="Differito fino al" draft={p.draft} type="date" />
      </div>
      <fieldset class="mb-3" data-outcomes={GRANTED}>
        <legend class="h6">Consultazione (almeno 15 giorni)</legend>
        <DecisionField name="consultationPlace" label="Luogo" draft={p.draft} />
        <DecisionField name="consultationFrom" label="Dal" draft={p.draft} type="date" />
        <DecisionField name="consultationTo" label="Al" draft={p.draft} type="date" />
      </fieldset>
      <button type="submit" class="btn btn-primary">Registra la decisione</button>
    </form>
  );
};

/** The request page. */
export const DeskRequestPage: FC<DeskRequestProps> = (p) => {
  const r = p.snap.request;
  const state: AccessState = isAccessState(r.state) ? r.state : "received";
  const next = nextStates(state);
  const csrf = p.staff.csrfToken;
  // Where a refused decision's message goes: inside the decision form when it is shown.
  const decisionShown = next.some((s) => s === "accepted" || s === "refused") &&
    state !== "received";
  return (
    <Layout title={`Richiesta ${r.receiptCode}`}>
      <StaffBar {...p.staff} />
      <h1>Richiesta {r.receiptCode}</h1>
      {p.error && (p.failedAction !== "decide" || !decisionShown) &&
          !(p.documentale && p.failedAction === "record_title")
        ? <div class="alert alert-danger" role="alert">{p.error.message}</div>
        : null}
      <p>
        <strong>{ACCESS_STATE_LABELS[state]}</strong> · {REGIME_LABELS[r.regime]} · scadenza{" "}
        {italianDate(r.dueOn)} {p.overdue
          ? <strong class="overdue-label">(scaduta da {-p.daysLeft} giorni)</strong>
          : `(${p.daysLeft} giorni)`}
      </p>
      {p.payment ? <p data-testid="desk-payment">{p.payment}</p> : null}
      <h2 class="h4">Documenti richiesti</h2>
      <ul>
        {p.records.map((l) => (
          <li key={l.ref}>
            <a href={`/sportello/pratiche/${encodeURIComponent(l.ref)}`}>{l.label}</a>
            {l.subject ? ` — ${l.subject}` : ""}
          </li>
        ))}
        {r.recordsDescription ? <li>Descritti: {r.recordsDescription}</li> : null}
      </ul>
      <h2 class="h4">Richiedente</h2>
      <dl class="requester">
        <dt>Nome</dt>
        <dd>{r.requesterName}</dd>
        <dt>Codice fiscale</dt>
        <dd>{r.taxCode}</dd>
        {r.email
          ? (
            <>
              <dt>E-mail</dt>
              <dd>{r.email}</dd>
            </>
          )
          : null}
        {r.phone
          ? (
            <>
              <dt>Telefono</dt>
              <dd>{r.phone}</dd>
            </>
          )
          : null}
        {r.requesterTitle
          ? (
            <>
              <dt>Titolo</dt>
              <dd>{r.requesterTitle}</dd>
            </>
          )
          : null}
        {r.motivation
          ? (
            <>
              <dt>Motivazione</dt>
              <dd>{r.motivation}</dd>
            </>
          )
          : null}
        <dt>Modalità</dt>
        <dd>{MODE_LABELS[r.mode]}</dd>
        <dt>Presentata</dt>
        <dd>{italianDateTime(r.filedAt)} ({r.branch})</dd>
      </dl>
      {p.attachments && p.attachments.length > 0
        ? (
          <>
            <h2 class="h4">Allegati</h2>
            <ul>
              {p.attachments.map((a) => (
                <li key={a.id}>
                  <a href={`/sportello/richieste/${r.id}/allegati/${a.id}`}>
                    {ATTACHMENT_LABELS[a.kind]}
                  </a>{" "}
                  ({a.mime}, {Math.max(1, Math.round(a.bytes / 1024))} KB)
                </li>
              ))}
            </ul>
          </>
        )
        : null}
      {p.documentale
        ? (
          <>
            <TitleSection
              requestId={r.id}
              csrf={csrf}
              title={{
                kind: r.titleKind,
                basis: r.titleBasis,
                by: r.titleRecordedBy,
                at: r.titleRecordedAt,
              }}
              editable={state !== "withdrawn" && state !== "refused"}
              draft={p.failedAction === "record_title"
                ? { values: p.values ?? {}, error: p.error?.message, field: p.error?.field }
                : undefined}
            />
            <GrantsSection
              requestId={r.id}
              csrf={csrf}
              grants={p.documentale.grants}
              choices={p.documentale.newGrantChoices}
            />
          </>
        )
        : null}
      <h2 class="h4">Azioni</h2>
      {next.includes("awaiting_completion") && p.completionBy && p.today > p.completionBy
        ? (
          <p>
            Termine per chiedere l'integrazione scaduto il{" "}
            {italianDate(p.completionBy)}: la richiesta si considera completa.
          </p>
        )
        : null}
      <div class="d-flex flex-wrap gap-2 mb-3">
        {next.includes("in_review") && state === "received"
          ? <ActionButton id={r.id} csrf={csrf} action="start_review" label="Avvia istruttoria" />
          : null}
        {next.includes("awaiting_completion") &&
            (p.completionBy === undefined || p.today <= p.completionBy)
          ? (
            <ActionButton
              id={r.id}
              csrf={csrf}
              action="request_completion"
              label={p.completionBy
                ? `Chiedi integrazione (entro il ${italianDate(p.completionBy)})`
                : "Chiedi integrazione"}
            />
          )
          : null}
        {next.includes("withdrawn")
          ? <ActionButton id={r.id} csrf={csrf} action="withdraw" label="Segna come ritirata" />
          : null}
      </div>
      {next.includes("awaiting_counterparties")
        ? (
          <DateAction
            id={r.id}
            csrf={csrf}
            action="notify_counterparties"
            label="Notifica ai controinteressati"
            today={p.today}
          />
        )
        : null}
      {state === "awaiting_counterparties"
        ? (
          <DateAction
            id={r.id}
            csrf={csrf}
            action="counterparties_resolved"
            label="Opposizione ricevuta / termine decorso"
            today={p.today}
          />
        )
        : null}
      {state === "awaiting_completion"
        ? (
          <DateAction
            id={r.id}
            csrf={csrf}
            action="completed"
            label="Integrazione ricevuta"
            today={p.today}
          />
        )
        : null}
      {state === "accepted" || state === "partially_accepted"
        ? (
          <DateAction
            id={r.id}
            csrf={csrf}
            action="consultation_done"
            label="Consultazione avvenuta"
            today={p.today}
          />
        )
        : null}
      {next.some((s) => s === "accepted" || s === "refused") && state !== "received"
        ? (
          <DecisionForm
            id={r.id}
            csrf={csrf}
            states={next}
            draft={p.failedAction === "decide"
              ? { values: p.values ?? {}, field: p.error?.field }
              : { values: {} }}
            error={p.failedAction === "decide" ? p.error?.message : undefined}
            grant={p.documentale?.decisionChoices
              ? {
                choices: p.documentale.decisionChoices,
                draft: p.failedAction === "decide"
                  ? {
                    values: { ...p.values, ...p.documentale.lists },
                    field: p.error?.field,
                  }
                  : { values: {} },
              }
              : undefined}
          />
        )
        : null}
      {r.decidedOn
        ? (
          <p class="mt-3">
            Decisa il {italianDate(r.decidedOn)} da {r.decidedBy ?? "—"}
            {r.legalBasis ? ` · ${r.legalBasis}` : ""}
            {r.consultationPlace
              ? ` · consultazione: ${r.consultationPlace}, dal ${
                italianDate(r.consultationFrom ?? r.decidedOn)
              } al ${italianDate(r.consultationTo ?? r.decidedOn)}`
              : ""}
          </p>
        )
        : null}
      {r.decidedOn
        ? (
          <form method="post" action={`/sportello/richieste/${r.id}/azione`} class="mt-3">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="action" value="record_appeal" />
            <label class="form-label" for="appeal">
              Riesame o ricorso (RPCT, TAR, difensore civico)
            </label>
            <input class="form-control" id="appeal" name="appeal" value={r.appeal ?? ""} />
            <button type="submit" class="btn btn-outline-primary mt-2">
              Registra riesame / ricorso
            </button>
          </form>
        )
        : null}
      <h2 class="h4 mt-4">Cronologia</h2>
      <ol>
        {p.snap.events.map((e) => (
          <li key={e.id}>
            {italianDateTime(e.at)}:{" "}
            {isAccessState(e.toState) ? ACCESS_STATE_LABELS[e.toState] : e.toState}
            {e.actor ? ` (${e.actor})` : ""}
          </li>
        ))}
      </ol>
    </Layout>
  );
};

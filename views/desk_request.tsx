/** One request at the desk: records, requester (an audited view), history and the actions. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import type { AccessRequestSnapshot } from "../db/access_requests.ts";
import { type AccessState, isAccessState, nextStates } from "../domain/access_states.ts";
import type { RecordLabel } from "../routes/_record_labels.ts";
import type { AttachmentInfo } from "../db/request_attachments.ts";
import { useI18n } from "../i18n/context.tsx";
import { labelOf } from "../i18n/i18n.ts";
import {
  type FormDraft,
  type GrantChoices,
  GrantFields,
  type GrantItem,
  GrantsSection,
  TitleSection,
} from "./desk_grants.tsx";

/**
 * Legal bases offered in the decision form (free text is accepted too); the Italian text is
 * the value stored, the option shows it in the clerk's language (`t.deskRequest.legalBases`).
 */
export const LEGAL_BASES = [
  "L. 241/1990 art. 24 (casi di esclusione)",
  "DPR 184/2006 art. 9 (differimento)",
  "d.lgs. 33/2013 art. 5-bis c.1 (interessi pubblici)",
  "d.lgs. 33/2013 art. 5-bis c.2 lett. a (protezione dei dati personali)",
  "d.lgs. 33/2013 art. 5-bis c.3 (divieti di legge)",
  "Regolamento comunale sull'accesso",
] as const;

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
) => {
  const { t } = useI18n();
  return (
    <form
      method="post"
      action={`/sportello/richieste/${p.id}/azione`}
      class="d-flex gap-2 align-items-end mb-2"
    >
      <input type="hidden" name="_csrf" value={p.csrf} />
      <input type="hidden" name="action" value={p.action} />
      <div>
        <label class="form-label" for={`${p.action}-on`}>{t.deskRequest.date}</label>
        <input class="form-control" type="date" id={`${p.action}-on`} name="on" value={p.today} />
      </div>
      <button type="submit" class="btn btn-outline-primary">{p.label}</button>
    </form>
  );
};

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
  const { t } = useI18n();
  const d = t.deskRequest;
  const outcomes = (["accepted", "partially_accepted", "deferred", "refused"] as const)
    .filter((s) => p.states.includes(s));
  const v = p.draft.values;
  return (
    <form method="post" action={`/sportello/richieste/${p.id}/azione`} class="decision-form mt-3">
      <input type="hidden" name="_csrf" value={p.csrf} />
      <input type="hidden" name="action" value="decide" />
      <h3 class="h5">{d.decision}</h3>
      {p.error
        ? <div class="alert alert-danger" role="alert" id="decision-error">{p.error}</div>
        : null}
      <div class="mb-3">
        <label class="form-label" for="outcome">{d.outcome}</label>
        <select class="form-select" id="outcome" name="outcome">
          {outcomes.map((o) => (
            <option key={o} value={o} selected={v.outcome === o}>{t.request.states[o]}</option>
          ))}
        </select>
      </div>
      <div class="mb-3" data-outcomes={NOT_FULL}>
        <DecisionField
          name="reason"
          label={d.reasonLabel}
          draft={p.draft}
          multiline
        />
      </div>
      <div class="mb-3" data-outcomes={NOT_FULL}>
        <label class="form-label" for="legalBasis">{d.legalBasis}</label>
        <select class="form-select" id="legalBasis" name="legalBasis">
          <option value="">—</option>
          {LEGAL_BASES.map((b) => (
            <option key={b} value={b} selected={v.legalBasis === b}>
              {labelOf(d.legalBases, b) ?? b}
            </option>
          ))}
        </select>
        <DecisionField name="legalBasisText" label={d.legalBasisText} draft={p.draft} />
      </div>
      <div class="mb-3" data-outcomes={GRANTED}>
        <DecisionField name="grantedScope" label={d.grantedScope} draft={p.draft} />
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
        <DecisionField name="deferredUntil" label={d.deferredUntil} draft={p.draft} type="date" />
      </div>
      <fieldset class="mb-3" data-outcomes={GRANTED}>
        <legend class="h6">{d.consultation}</legend>
        <DecisionField name="consultationPlace" label={d.place} draft={p.draft} />
        <DecisionField name="consultationFrom" label={d.from} draft={p.draft} type="date" />
        <DecisionField name="consultationTo" label={d.to} draft={p.draft} type="date" />
      </fieldset>
      <button type="submit" class="btn btn-primary">{d.recordDecision}</button>
    </form>
  );
};

/** The request page. */
export const DeskRequestPage: FC<DeskRequestProps> = (p) => {
  const { t, longDay, dateTime } = useI18n();
  const d = t.deskRequest;
  const r = p.snap.request;
  const state: AccessState = isAccessState(r.state) ? r.state : "received";
  const next = nextStates(state);
  const csrf = p.staff.csrfToken;
  // Where a refused decision's message goes: inside the decision form when it is shown.
  const decisionShown = next.some((s) => s === "accepted" || s === "refused") &&
    state !== "received";
  return (
    <Layout title={d.title(r.receiptCode)}>
      <StaffBar {...p.staff} />
      <h1>{d.title(r.receiptCode)}</h1>
      {p.error && (p.failedAction !== "decide" || !decisionShown) &&
          !(p.documentale && p.failedAction === "record_title")
        ? <div class="alert alert-danger" role="alert">{p.error.message}</div>
        : null}
      <p>
        <strong>{t.request.states[state]}</strong> · {t.request.regimes[r.regime]} ·{" "}
        {d.due(longDay(r.dueOn))} {p.overdue
          ? <strong class="overdue-label">{d.overdueDays(-p.daysLeft)}</strong>
          : d.daysLeft(p.daysLeft)}
      </p>
      {p.payment ? <p data-testid="desk-payment">{p.payment}</p> : null}
      <h2 class="h4">{d.requestedRecords}</h2>
      <ul>
        {p.records.map((l) => (
          <li key={l.ref}>
            <a href={`/sportello/pratiche/${encodeURIComponent(l.ref)}`}>{l.label}</a>
            {l.subject ? ` — ${l.subject}` : ""}
          </li>
        ))}
        {r.recordsDescription ? <li>{d.described(r.recordsDescription)}</li> : null}
      </ul>
      <h2 class="h4">{d.requester}</h2>
      <dl class="requester">
        <dt>{d.name}</dt>
        <dd>{r.requesterName}</dd>
        <dt>{d.taxCode}</dt>
        <dd>{r.taxCode}</dd>
        {r.email
          ? (
            <>
              <dt>{d.email}</dt>
              <dd>{r.email}</dd>
            </>
          )
          : null}
        {r.phone
          ? (
            <>
              <dt>{d.phone}</dt>
              <dd>{r.phone}</dd>
            </>
          )
          : null}
        {r.requesterTitle
          ? (
            <>
              <dt>{d.requesterTitle}</dt>
              <dd>{r.requesterTitle}</dd>
            </>
          )
          : null}
        {r.motivation
          ? (
            <>
              <dt>{d.motivation}</dt>
              <dd>{r.motivation}</dd>
            </>
          )
          : null}
        <dt>{d.mode}</dt>
        <dd>{d.modes[r.mode]}</dd>
        <dt>{d.filed}</dt>
        <dd>{dateTime(r.filedAt)} ({r.branch})</dd>
      </dl>
      {p.attachments && p.attachments.length > 0
        ? (
          <>
            <h2 class="h4">{d.attachments}</h2>
            <ul>
              {p.attachments.map((a) => (
                <li key={a.id}>
                  <a href={`/sportello/richieste/${r.id}/allegati/${a.id}`}>
                    {t.citizenArea.attachmentKinds[a.kind]}
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
      <h2 class="h4">{d.actions}</h2>
      {next.includes("awaiting_completion") && p.completionBy && p.today > p.completionBy
        ? <p>{d.completionLate(longDay(p.completionBy))}</p>
        : null}
      <div class="d-flex flex-wrap gap-2 mb-3">
        {next.includes("in_review") && state === "received"
          ? <ActionButton id={r.id} csrf={csrf} action="start_review" label={d.startReview} />
          : null}
        {next.includes("awaiting_completion") &&
            (p.completionBy === undefined || p.today <= p.completionBy)
          ? (
            <ActionButton
              id={r.id}
              csrf={csrf}
              action="request_completion"
              label={p.completionBy ? d.askCompletionBy(longDay(p.completionBy)) : d.askCompletion}
            />
          )
          : null}
        {next.includes("withdrawn")
          ? <ActionButton id={r.id} csrf={csrf} action="withdraw" label={d.withdraw} />
          : null}
      </div>
      {next.includes("awaiting_counterparties")
        ? (
          <DateAction
            id={r.id}
            csrf={csrf}
            action="notify_counterparties"
            label={d.notifyCounterparties}
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
            label={d.counterpartiesResolved}
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
            label={d.completed}
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
            label={d.consultationDone}
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
            {d.decided(longDay(r.decidedOn), r.decidedBy ?? "—")}
            {r.legalBasis ? ` · ${r.legalBasis}` : ""}
            {r.consultationPlace
              ? d.consultationAt(
                r.consultationPlace,
                longDay(r.consultationFrom ?? r.decidedOn),
                longDay(r.consultationTo ?? r.decidedOn),
              )
              : ""}
          </p>
        )
        : null}
      {r.decidedOn
        ? (
          <form method="post" action={`/sportello/richieste/${r.id}/azione`} class="mt-3">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="action" value="record_appeal" />
            <label class="form-label" for="appeal">{d.appeal}</label>
            <input class="form-control" id="appeal" name="appeal" value={r.appeal ?? ""} />
            <button type="submit" class="btn btn-outline-primary mt-2">{d.recordAppeal}</button>
          </form>
        )
        : null}
      <h2 class="h4 mt-4">{d.history}</h2>
      <ol>
        {p.snap.events.map((e) => (
          <li key={e.id}>
            {dateTime(e.at)}: {isAccessState(e.toState) ? t.request.states[e.toState] : e.toState}
            {e.actor ? ` (${e.actor})` : ""}
          </li>
        ))}
      </ol>
    </Layout>
  );
};

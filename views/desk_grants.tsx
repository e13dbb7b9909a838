/**
 * The desk's title check and grants on a documentale request: the title form, the grant's
 * fields (also inside the acceptance), the grants with their state and the revocation form.
 * Each section is an htmx target of its own: a refused form comes back in place, with its
 * message and what the clerk typed.
 */
import type { FC } from "hono/jsx";
import type { AccessGrantSnapshot, RequestDocument } from "../db/access_grants.ts";
import {
  GRANT_MODES,
  type GrantMode,
  type GrantState,
  TITLE_KINDS,
} from "../domain/access_grants.ts";
import { useI18n } from "../i18n/context.tsx";
import { labelOf } from "../i18n/i18n.ts";

/** A form's refusal: the message, the field it is about, and what was typed. */
export interface FormDraft {
  values: Record<string, string | string[]>;
  error?: string | undefined;
  field?: string | undefined;
}

const EMPTY: FormDraft = { values: {} };

function one(draft: FormDraft, name: string): string {
  const v = draft.values[name];
  return Array.isArray(v) ? v[0] ?? "" : v ?? "";
}

function all(draft: FormDraft, name: string): string[] {
  const v = draft.values[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The value of a document's checkbox: record and content hash. */
export function documentChoice(d: { recordKind: string; recordId: string; sha256: string }) {
  return `${d.recordKind}:${d.recordId}:${d.sha256}`;
}

const ErrorLine: FC<{ id: string; draft: FormDraft }> = ({ id, draft }) =>
  draft.error ? <div class="alert alert-danger" role="alert" id={id}>{draft.error}</div> : null;

const invalid = (draft: FormDraft, field: string, errorId: string) =>
  draft.field === field
    ? { "aria-invalid": "true", "aria-describedby": errorId, autofocus: true }
    : {};

/** The title the desk recorded, and the form to record (or correct) it. */
export const TitleSection: FC<{
  requestId: string;
  csrf: string;
  title: {
    kind: string | null;
    basis: string | null;
    by: string | null;
    at: string | null;
  };
  /** The form is offered while the request is open. */
  editable: boolean;
  draft?: FormDraft | undefined;
  notice?: string | undefined;
}> = (p) => {
  const { t, dateTime } = useI18n();
  const d = t.deskRequest;
  const draft = p.draft ?? EMPTY;
  const kind = one(draft, "titleKind") || p.title.kind || "";
  const url = `/sportello/richieste/${p.requestId}/titolo`;
  return (
    <section id="titolo" aria-labelledby="titolo-title" class="mb-3">
      <h2 class="h4" id="titolo-title">{d.titleHeading}</h2>
      {p.notice ? <p class="alert alert-success" role="status">{p.notice}</p> : null}
      {p.title.kind
        ? (
          <p data-testid="title-recorded">
            {labelOf(d.titleKinds, p.title.kind) ?? p.title.kind}
            {" — "}
            {p.title.basis}
            {p.title.by && p.title.at ? d.titleVerified(p.title.by, dateTime(p.title.at)) : ""}
          </p>
        )
        : <p>{d.titleMissing}</p>}
      {p.editable ? null : <ErrorLine id="titolo-error" draft={draft} />}
      {p.editable
        ? (
          <form method="post" action={url} hx-post={url} hx-target="#titolo" hx-swap="outerHTML">
            <input type="hidden" name="_csrf" value={p.csrf} />
            <ErrorLine id="titolo-error" draft={draft} />
            <label class="form-label" for="titleKind">{d.titleKind}</label>
            <select
              class={`form-select${draft.field === "titleKind" ? " is-invalid" : ""}`}
              id="titleKind"
              name="titleKind"
              {...invalid(draft, "titleKind", "titolo-error")}
            >
              <option value="">{d.choose}</option>
              {TITLE_KINDS.map((k) => (
                <option key={k} value={k} selected={kind === k}>{d.titleKinds[k]}</option>
              ))}
            </select>
            <label class="form-label mt-2" for="titleBasis">{d.titleBasis}</label>
            <input
              class={`form-control${draft.field === "titleBasis" ? " is-invalid" : ""}`}
              id="titleBasis"
              name="titleBasis"
              value={one(draft, "titleBasis") || (p.title.basis ?? "")}
              {...invalid(draft, "titleBasis", "titolo-error")}
            />
            <button type="submit" class="btn btn-outline-primary mt-2">{d.recordTitle}</button>
          </form>
        )
        : null}
    </section>
  );
};

/** What the grant fields need. */
export interface GrantChoices {
  documents: RequestDocument[];
  defaultMode: GrantMode;
  defaultValidUntil: string;
}

/** Scope, documents, mode and validity of a grant (in the acceptance and on their own). */
export const GrantFields: FC<
  { choices: GrantChoices; draft: FormDraft; errorId: string; prefix: string }
> = ({ choices, draft, errorId, prefix }) => {
  const { t } = useI18n();
  const d = t.deskRequest;
  const scope = one(draft, "grantScope") || "whole";
  const picked = new Set(all(draft, "grantDocuments"));
  const mode = one(draft, "grantMode") || choices.defaultMode;
  return (
    <>
      <fieldset class="mb-2">
        <legend class="h6">{d.grantDocuments}</legend>
        <div class="form-check">
          <input
            class="form-check-input"
            type="radio"
            name="grantScope"
            id={`${prefix}grantScope-whole`}
            value="whole"
            checked={scope !== "documents"}
          />
          <label class="form-check-label" for={`${prefix}grantScope-whole`}>{d.grantWhole}</label>
        </div>
        <div class="form-check">
          <input
            class="form-check-input"
            type="radio"
            name="grantScope"
            id={`${prefix}grantScope-documents`}
            value="documents"
            checked={scope === "documents"}
          />
          <label class="form-check-label" for={`${prefix}grantScope-documents`}>
            {d.grantChosen}
          </label>
        </div>
        {choices.documents.length === 0
          ? <p class="small">{d.noDigitised}</p>
          : (
            <ul class="list-unstyled ms-4">
              {choices.documents.map((d, i) => (
                <li key={documentChoice(d)} class="form-check">
                  <input
                    class="form-check-input"
                    type="checkbox"
                    name="grantDocuments"
                    id={`${prefix}grantDocuments-${i}`}
                    value={documentChoice(d)}
                    checked={picked.has(documentChoice(d))}
                  />
                  <label class="form-check-label" for={`${prefix}grantDocuments-${i}`}>
                    {d.title ?? d.file} ({d.pages} pp.)
                  </label>
                </li>
              ))}
            </ul>
          )}
      </fieldset>
      <label class="form-label" for={`${prefix}grantMode`}>{d.grantMode}</label>
      <select class="form-select" id={`${prefix}grantMode`} name="grantMode">
        {GRANT_MODES.map((m) => (
          <option key={m} value={m} selected={mode === m}>{d.grantModes[m]}</option>
        ))}
      </select>
      <label class="form-label mt-2" for={`${prefix}grantValidUntil`}>{d.validUntil}</label>
      <input
        class={`form-control${draft.field === "grantValidUntil" ? " is-invalid" : ""}`}
        type="date"
        id={`${prefix}grantValidUntil`}
        name="grantValidUntil"
        value={one(draft, "grantValidUntil") || choices.defaultValidUntil}
        {...invalid(draft, "grantValidUntil", errorId)}
      />
    </>
  );
};

/** A grant as listed: its snapshot, its state now, and its documents' names. */
export interface GrantItem {
  snap: AccessGrantSnapshot;
  state: GrantState;
  /** Names of the listed documents (a `documents` grant). */
  documentNames: string[];
}

/** The request's grants with their state, revocation forms and, when allowed, a new grant. */
export const GrantsSection: FC<{
  requestId: string;
  csrf: string;
  grants: GrantItem[];
  /** Set when a new grant may be made (accepted documentale request, title recorded). */
  choices?: GrantChoices | undefined;
  /** The form a refusal came from: `new`, or the id of the grant being revoked. */
  failed?: string | undefined;
  draft?: FormDraft | undefined;
  notice?: string | undefined;
}> = (p) => {
  const { t, longDay, dateTime } = useI18n();
  const d = t.deskRequest;
  const draft = p.draft ?? EMPTY;
  const base = `/sportello/richieste/${p.requestId}/concessioni`;
  // A refusal whose form is no longer shown (a grant revoked meanwhile) is said on top.
  const inline = p.failed === "new"
    ? p.choices !== undefined
    : p.grants.some((g) => g.snap.grant.id === p.failed && g.snap.grant.revokedAt === null);
  return (
    <section id="concessioni" aria-labelledby="concessioni-title" class="mb-3">
      <h2 class="h4" id="concessioni-title">{d.grantsHeading}</h2>
      {p.notice ? <p class="alert alert-success" role="status">{p.notice}</p> : null}
      {p.failed && !inline ? <ErrorLine id="concessioni-error" draft={draft} /> : null}
      {p.grants.length === 0 ? <p>{d.noGrants}</p> : (
        <ul class="list-unstyled">
          {p.grants.map(({ snap: { grant: g }, state, documentNames }) => (
            <li key={g.id} class="mb-3" data-testid="grant" data-state={state}>
              <strong>{d.grantStates[state]}</strong>
              {" · "}
              {g.scope === "whole"
                ? d.scopeWhole
                : d.scopeDocuments(documentNames.length, documentNames.join(", "))}
              {" · "}
              {d.grantModes[g.mode]} · {d.validUntilOn(longDay(g.validUntil))}
              <br />
              <span class="small">
                {d.grantedBy(g.createdBy, g.branch, dateTime(g.createdAt))}
                {g.revokedAt
                  ? d.revokedBy(g.revokedBy ?? "—", dateTime(g.revokedAt), g.revocationReason ?? "")
                  : ""}
              </span>
              {g.revokedAt === null
                ? (
                  <form
                    method="post"
                    action={`${base}/${g.id}/revoca`}
                    hx-post={`${base}/${g.id}/revoca`}
                    hx-target="#concessioni"
                    hx-swap="outerHTML"
                    class="mt-1"
                  >
                    <input type="hidden" name="_csrf" value={p.csrf} />
                    {p.failed === g.id
                      ? <ErrorLine id={`revoca-error-${g.id}`} draft={draft} />
                      : null}
                    <label class="form-label" for={`reason-${g.id}`}>{d.revokeReason}</label>
                    <input
                      class={`form-control${p.failed === g.id ? " is-invalid" : ""}`}
                      id={`reason-${g.id}`}
                      name="reason"
                      value={p.failed === g.id ? one(draft, "reason") : ""}
                      {...(p.failed === g.id
                        ? invalid(draft, "reason", `revoca-error-${g.id}`)
                        : {})}
                    />
                    <button type="submit" class="btn btn-outline-danger mt-1">{d.revoke}</button>
                  </form>
                )
                : null}
            </li>
          ))}
        </ul>
      )}
      {p.choices
        ? (
          <form
            method="post"
            action={base}
            hx-post={base}
            hx-target="#concessioni"
            hx-swap="outerHTML"
          >
            <input type="hidden" name="_csrf" value={p.csrf} />
            <h3 class="h5">{d.newGrant}</h3>
            {p.failed === "new" ? <ErrorLine id="concessione-error" draft={draft} /> : null}
            <GrantFields
              choices={p.choices}
              draft={p.failed === "new" ? draft : EMPTY}
              errorId="concessione-error"
              prefix="new-"
            />
            <button type="submit" class="btn btn-outline-primary mt-2">{d.grant}</button>
          </form>
        )
        : null}
    </section>
  );
};

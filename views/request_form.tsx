/** The kiosk's access-request form (DOMAIN §5 "Citizen gives"), with errors beside each field. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { useSite } from "./site.tsx";
import { useI18n } from "../i18n/context.tsx";
import { translate, translateAll } from "../i18n/local_message.ts";
import { labelOf } from "../i18n/i18n.ts";

/** A record the request is about, as the citizen sees it. */
export interface RequestedLabel {
  ref: string;
  label: string;
  subject?: string | undefined;
}

/** What the form shows: typed values, per-field errors, the records, the CSRF token. */
export interface RequestFormProps {
  records: RequestedLabel[];
  /** The record this form was opened from, when not yet in the basket. */
  addable?: RequestedLabel | undefined;
  values: Record<string, string>;
  errors: Record<string, string>;
  csrfToken: string;
  /** What the fee table lets the citizen ask: urgency, and the exemptions with their reasons. */
  feeOptions?: { urgent: boolean; exemptions: { id: string; reason: string }[] } | undefined;
}

/** Titles a requester may state for documentale access. */
export const REQUESTER_TITLES = [
  "Proprietario",
  "Acquirente (compromesso o preliminare)",
  "Confinante",
  "Tecnico incaricato con delega",
  "Altro interessato",
] as const;

const REGIMES = [
  ["documentale", "regimeDocumentale", "regimeDocumentaleHelp"],
  ["civico_generalizzato", "regimeCivico", "regimeCivicoHelp"],
] as const;

const MODES = [
  ["view", "modeView"],
  ["copy", "modeCopy"],
  ["certified_copy", "modeCertified"],
] as const;

/** One labelled text input with its error (aria-invalid + aria-describedby). */
export const Field: FC<{
  name: string;
  label: string;
  value: string | undefined;
  error: string | undefined;
  hint?: string;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  extra?: Record<string, string>;
}> = (p) => {
  const { t } = useI18n();
  const error = p.error === undefined ? undefined : translate(p.error, t);
  const errId = `${p.name}-error`;
  const hintId = `${p.name}-hint`;
  const described = [p.hint ? hintId : "", error ? errId : ""].filter(Boolean).join(" ");
  return (
    <div class="form-field mb-4" id={`${p.name}-field`}>
      <label class="form-label" for={p.name}>{p.label}{p.required ? t.request.required : ""}</label>
      <input
        class={`form-control${error ? " is-invalid" : ""}`}
        id={p.name}
        name={p.name}
        type={p.type ?? "text"}
        value={p.value ?? ""}
        autocomplete={p.autocomplete ?? "off"}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described || undefined}
        {...(p.extra ?? {})}
      />
      {p.hint ? <small id={hintId} class="form-text">{p.hint}</small> : null}
      {error ? <div id={errId} class="invalid-feedback d-block">{error}</div> : null}
    </div>
  );
};

/** The codice fiscale field alone: htmx swaps it after the server checks it. */
export const TaxCodeField: FC<{ value: string | undefined; error: string | undefined }> = (p) => (
  <Field
    name="taxCode"
    label={useI18n().t.request.taxCodeLabel}
    value={p.value}
    error={p.error}
    required
    hint={useI18n().t.request.taxCodeHint}
    extra={{
      "hx-post": "/richieste/verifica-cf",
      "hx-trigger": "change",
      "hx-include": "closest form",
      "hx-target": "#taxCode-field",
      "hx-swap": "outerHTML",
    }}
  />
);

/** The information notice of GDPR art. 13, and the box to say it was read (checked by the server). */
/** The privacy notice and its mandatory tick (also on the online form). */
export const PrivacyNotice: FC<{ checked: boolean; error: string | undefined }> = (p) => {
  const site = useSite();
  const { t } = useI18n();
  const r = t.request;
  const error = p.error === undefined ? undefined : translate(p.error, t);
  return (
    <fieldset class="mb-4" aria-describedby={error ? "privacyAck-error" : undefined}>
      <legend class="h4">{r.privacyTitle}</legend>
      <div class="privacy-notice" id="privacy-text" tabindex={0}>
        <p>
          <strong>{r.privacyController}</strong>: {r.privacyControllerText(site.comuneName)}
        </p>
        <p>
          <strong>{r.privacyPurpose}</strong>: {r.privacyPurposeText}
        </p>
        <p>
          <strong>{r.privacyData}</strong>: {r.privacyDataText}
        </p>
        <p>
          <strong>{r.privacyRetention}</strong>: {r.privacyRetentionText}{" "}
          <strong>{r.privacyRights}</strong>: {r.privacyRightsText}
        </p>
      </div>
      <div class="form-check">
        <input
          class="form-check-input"
          type="checkbox"
          id="privacyAck"
          name="privacyAck"
          value="1"
          checked={p.checked}
          aria-invalid={error ? "true" : undefined}
          aria-describedby="privacy-text"
        />
        <label class="form-check-label" for="privacyAck">
          {r.privacyAck}
        </label>
      </div>
      {error ? <div id="privacyAck-error" class="invalid-feedback d-block">{error}</div> : null}
    </fieldset>
  );
};

/**
 * "Avvisami su App IO": the notices then go to the app too, to the codice fiscale above.
 * With neither this nor an e-mail no notice is sent; the status page shows everything anyway.
 */
export const AppIoChoice: FC<{ checked: boolean }> = (p) => {
  const { t } = useI18n();
  return (
    <div class="form-check mb-3">
      <input
        class="form-check-input"
        type="checkbox"
        name="notifyAppIo"
        id="notifyAppIo"
        value="1"
        checked={p.checked}
      />
      <label class="form-check-label" for="notifyAppIo">{t.request.appIoChoice}</label>
      <div class="form-text">{t.request.appIoHelp}</div>
    </div>
  );
};

// Fields that show their message beside the input; any other message goes in the alert.
const PLACED = new Set([
  "recordsDescription",
  "requesterName",
  "taxCode",
  "email",
  "phone",
  "regime",
  "motivation",
  "privacyAck",
  "feeExemptionId",
]);

function unplacedMessages(errors: Record<string, string>): string[] {
  return [...new Set(Object.entries(errors).filter(([k]) => !PLACED.has(k)).map(([, m]) => m))];
}

/** Urgency and exemption, when the fee table has them; the amount comes on the summary. */
const FeeOptions: FC<{
  urgent: boolean;
  exemptions: { id: string; reason: string }[];
  values: Record<string, string>;
  error: string | undefined;
}> = (p) => {
  const { t } = useI18n();
  if (!p.urgent && p.exemptions.length === 0) return null;
  return (
    <fieldset class="mb-4">
      <legend class="h4">{t.request.fees}</legend>
      <p class="form-text">{t.request.feesHint}</p>
      {p.urgent
        ? (
          <div class="form-check mb-3">
            <input
              class="form-check-input"
              type="checkbox"
              name="urgent"
              id="urgent"
              value="1"
              checked={p.values.urgent === "1"}
            />
            <label class="form-check-label" for="urgent">
              {t.request.urgent}
            </label>
          </div>
        )
        : null}
      {p.exemptions.length > 0
        ? (
          <div class="mb-3">
            <label class="form-label" for="feeExemptionId">{t.request.exemption}</label>
            <select
              class={`form-select${p.error ? " is-invalid" : ""}`}
              id="feeExemptionId"
              name="feeExemptionId"
              aria-invalid={p.error ? "true" : undefined}
              aria-describedby={p.error ? "feeExemptionId-error" : undefined}
            >
              <option value="">{t.request.noExemption}</option>
              {p.exemptions.map((e) => (
                <option key={e.id} value={e.id} selected={p.values.feeExemptionId === e.id}>
                  {e.reason}
                </option>
              ))}
            </select>
            {p.error
              ? <div id="feeExemptionId-error" class="invalid-feedback d-block">{p.error}</div>
              : null}
          </div>
        )
        : null}
    </fieldset>
  );
};

/** The form body (also the htmx partial after a failed submit). */
export const RequestForm: FC<RequestFormProps> = (
  { records, addable, values, errors: given, csrfToken, feeOptions },
) => {
  const { t } = useI18n();
  const r = t.request;
  const errors = translateAll(given, t);
  return (
    <form
      method="post"
      action="/richieste/nuova"
      id="request-form"
      class="request-form"
      hx-post="/richieste/nuova"
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <input type="hidden" name="_csrf" value={csrfToken} />
      {Object.keys(errors).length > 0
        ? (
          <div class="alert alert-warning" role="alert">
            {r.checkFields}
            {unplacedMessages(errors).map((m) => <p key={m} class="mb-0 mt-2">{m}</p>)}
          </div>
        )
        : null}
      <fieldset class="mb-4">
        <legend class="h4">{r.documentsAsked}</legend>
        {records.length > 0
          ? (
            <ul class="list-unstyled">
              {records.map((r) => (
                <li key={r.ref}>
                  <input type="hidden" name="record" value={r.ref} />
                  <strong>{r.label}</strong>
                  {r.subject ? ` — ${r.subject}` : ""}
                </li>
              ))}
            </ul>
          )
          : <p>{r.noRecords}</p>}
        {addable
          ? (
            // Inside the form, so what was typed travels with it and is kept as a draft.
            <p>
              <button
                type="submit"
                class="btn btn-outline-primary"
                formaction="/richieste/cestino"
                name="action"
                value="add_and_search"
                hx-post="/richieste/cestino"
                hx-include="closest form"
              >
                {r.addAndSearch}
              </button>
            </p>
          )
          : null}
        <div class="mb-3">
          <label class="form-label" for="recordsDescription">
            {r.otherDocuments}
          </label>
          <textarea
            class={`form-control${errors.recordsDescription ? " is-invalid" : ""}`}
            id="recordsDescription"
            name="recordsDescription"
            rows={2}
            aria-invalid={errors.recordsDescription ? "true" : undefined}
            aria-describedby={errors.recordsDescription ? "recordsDescription-error" : undefined}
          >
            {values.recordsDescription ?? ""}
          </textarea>
          {errors.recordsDescription
            ? (
              <div id="recordsDescription-error" class="invalid-feedback d-block">
                {errors.recordsDescription}
              </div>
            )
            : null}
        </div>
      </fieldset>
      <fieldset class="mb-4">
        <legend class="h4">{r.who}</legend>
        <Field
          name="requesterName"
          label={r.name}
          value={values.requesterName}
          error={errors.requesterName}
          required
        />
        <TaxCodeField value={values.taxCode} error={errors.taxCode} />
        <Field
          name="email"
          label={r.email}
          type="email"
          value={values.email}
          error={errors.email}
        />
        <AppIoChoice checked={values.notifyAppIo === "1"} />
        <Field
          name="phone"
          label={r.phone}
          type="tel"
          value={values.phone}
          error={errors.phone}
        />
      </fieldset>
      <fieldset class="mb-4" aria-describedby={errors.regime ? "regime-error" : undefined}>
        <legend class="h4">{r.regime}</legend>
        {REGIMES.map(([value, label, help]) => (
          <div class="form-check mb-2" key={value}>
            <input
              class="form-check-input"
              type="radio"
              name="regime"
              id={`regime-${value}`}
              value={value}
              checked={values.regime === value}
              aria-describedby={`regime-${value}-help`}
            />
            <label class="form-check-label" for={`regime-${value}`}>{r[label]}</label>
            <small id={`regime-${value}-help`} class="form-text d-block">{r[help]}</small>
          </div>
        ))}
        {errors.regime
          ? <div id="regime-error" class="invalid-feedback d-block">{errors.regime}</div>
          : null}
      </fieldset>
      <fieldset class="mb-4 documentale-fields">
        <legend class="h4">{r.forDocumentale}</legend>
        <div class="mb-3">
          <label class="form-label" for="requesterTitle">{r.titleAsked}</label>
          <select class="form-select" id="requesterTitle" name="requesterTitle">
            <option value="">—</option>
            {REQUESTER_TITLES.map((title) => (
              <option key={title} value={title} selected={values.requesterTitle === title}>
                {labelOf(r.requesterTitles, title) ?? title}
              </option>
            ))}
          </select>
        </div>
        <div class="mb-3">
          <label class="form-label" for="motivation">
            {r.motivation}
          </label>
          <textarea
            class={`form-control${errors.motivation ? " is-invalid" : ""}`}
            id="motivation"
            name="motivation"
            rows={3}
            aria-invalid={errors.motivation ? "true" : undefined}
            aria-describedby={errors.motivation ? "motivation-error" : undefined}
          >
            {values.motivation ?? ""}
          </textarea>
          {errors.motivation
            ? <div id="motivation-error" class="invalid-feedback d-block">{errors.motivation}</div>
            : null}
        </div>
      </fieldset>
      <fieldset class="mb-4">
        <legend class="h4">{r.howToConsult}</legend>
        {MODES.map(([value, label]) => (
          <div class="form-check" key={value}>
            <input
              class="form-check-input"
              type="radio"
              name="mode"
              id={`mode-${value}`}
              value={value}
              checked={(values.mode ?? "view") === value}
            />
            <label class="form-check-label" for={`mode-${value}`}>{r[label]}</label>
          </div>
        ))}
      </fieldset>
      {feeOptions
        ? <FeeOptions {...feeOptions} values={values} error={errors.feeExemptionId} />
        : null}
      <p>{r.identity}</p>
      <PrivacyNotice checked={values.privacyAck === "1"} error={errors.privacyAck} />
      <button type="submit" class="btn btn-primary btn-lg">{r.next}</button>
    </form>
  );
};

/** The whole page. */
export const RequestFormPage: FC<RequestFormProps> = (props) => {
  const { t } = useI18n();
  return (
    <Layout title={t.request.title}>
      <h1>{t.request.heading}</h1>
      <p class="lead">
        {t.request.lead}
      </p>
      <RequestForm {...props} />
    </Layout>
  );
};

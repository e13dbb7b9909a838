/** The kiosk's access-request form (DOMAIN §5 "Citizen gives"), with errors beside each field. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { useSite } from "./site.tsx";

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
  [
    "documentale",
    "Accesso documentale",
    "Per chi ha un interesse diretto, concreto e attuale (ad esempio proprietario, acquirente, confinante): va motivato.",
  ],
  [
    "civico_generalizzato",
    "Accesso civico generalizzato",
    "Chiunque può chiedere documenti del Comune, senza motivazione; sono tutelati i dati delle persone coinvolte.",
  ],
] as const;

const MODES = [
  ["view", "Visione allo sportello (gratuita)"],
  ["copy", "Copia semplice"],
  ["certified_copy", "Copia conforme (con marca da bollo)"],
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
  const errId = `${p.name}-error`;
  const hintId = `${p.name}-hint`;
  const described = [p.hint ? hintId : "", p.error ? errId : ""].filter(Boolean).join(" ");
  return (
    <div class="form-field mb-4" id={`${p.name}-field`}>
      <label class="form-label" for={p.name}>{p.label}{p.required ? " (obbligatorio)" : ""}</label>
      <input
        class={`form-control${p.error ? " is-invalid" : ""}`}
        id={p.name}
        name={p.name}
        type={p.type ?? "text"}
        value={p.value ?? ""}
        autocomplete={p.autocomplete ?? "off"}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={described || undefined}
        {...(p.extra ?? {})}
      />
      {p.hint ? <small id={hintId} class="form-text">{p.hint}</small> : null}
      {p.error ? <div id={errId} class="invalid-feedback d-block">{p.error}</div> : null}
    </div>
  );
};

/** The codice fiscale field alone: htmx swaps it after the server checks it. */
export const TaxCodeField: FC<{ value: string | undefined; error: string | undefined }> = (p) => (
  <Field
    name="taxCode"
    label="Codice fiscale (o partita IVA per ditte ed enti)"
    value={p.value}
    error={p.error}
    required
    hint="16 caratteri, oppure 11 cifre per ditte ed enti."
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
  return (
    <fieldset class="mb-4" aria-describedby={p.error ? "privacyAck-error" : undefined}>
      <legend class="h4">Informativa sul trattamento dei dati personali</legend>
      <div class="privacy-notice" id="privacy-text" tabindex={0}>
        <p>
          <strong>Titolare del trattamento</strong>:{" "}
          {site.comuneName}. Il responsabile della protezione dei dati si contatta all'ufficio
          protocollo del Comune.
        </p>
        <p>
          <strong>Finalità e base giuridica</strong>: gestire questa richiesta di accesso (L.
          241/1990, DPR 184/2006, d.lgs. 33/2013), per adempiere un obbligo di legge e svolgere un
          compito di interesse pubblico (art. 6, par. 1, lett. c ed e, Regolamento UE 2016/679).
        </p>
        <p>
          <strong>Dati trattati</strong>: nome, codice fiscale, recapiti e quanto scritto nel
          modulo. Possono conoscerli gli operatori dell'ufficio e, per l'accesso documentale, gli
          eventuali controinteressati a cui la legge impone di comunicare la richiesta. Nel registro
          pubblico degli accessi non compaiono dati personali.
        </p>
        <p>
          <strong>Conservazione</strong>: per il tempo previsto dalle regole di conservazione degli
          archivi comunali.{" "}
          <strong>Diritti</strong>: accesso, rettifica, limitazione e opposizione (artt. 15–22), e
          reclamo al Garante per la protezione dei dati personali.
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
          aria-invalid={p.error ? "true" : undefined}
          aria-describedby="privacy-text"
        />
        <label class="form-check-label" for="privacyAck">
          Ho letto l'informativa sul trattamento dei dati personali (obbligatorio)
        </label>
      </div>
      {p.error ? <div id="privacyAck-error" class="invalid-feedback d-block">{p.error}</div> : null}
    </fieldset>
  );
};

/**
 * "Avvisami su App IO": the notices then go to the app too, to the codice fiscale above.
 * With neither this nor an e-mail no notice is sent; the status page shows everything anyway.
 */
export const AppIoChoice: FC<{ checked: boolean }> = (p) => (
  <div class="form-check mb-3">
    <input
      class="form-check-input"
      type="checkbox"
      name="notifyAppIo"
      id="notifyAppIo"
      value="1"
      checked={p.checked}
    />
    <label class="form-check-label" for="notifyAppIo">
      Avvisami su App IO quando la richiesta va avanti (al codice fiscale indicato)
    </label>
    <div class="form-text">
      Con l'e-mail o App IO ti avvisiamo di ricevuta, pagamento e decisione. Senza, controlla lo
      stato con il codice di ricevuta.
    </div>
  </div>
);

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
  if (!p.urgent && p.exemptions.length === 0) return null;
  return (
    <fieldset class="mb-4">
      <legend class="h4">Diritti</legend>
      <p class="form-text">L'importo da pagare è indicato nel riepilogo, prima dell'invio.</p>
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
              Chiedo la procedura d'urgenza (diritto aggiuntivo)
            </label>
          </div>
        )
        : null}
      {p.exemptions.length > 0
        ? (
          <div class="mb-3">
            <label class="form-label" for="feeExemptionId">Esenzione dai diritti</label>
            <select
              class={`form-select${p.error ? " is-invalid" : ""}`}
              id="feeExemptionId"
              name="feeExemptionId"
              aria-invalid={p.error ? "true" : undefined}
              aria-describedby={p.error ? "feeExemptionId-error" : undefined}
            >
              <option value="">Nessuna esenzione</option>
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
  { records, addable, values, errors, csrfToken, feeOptions },
) => (
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
          Controlla i campi segnalati: il resto del modulo è stato conservato.
          {unplacedMessages(errors).map((m) => <p key={m} class="mb-0 mt-2">{m}</p>)}
        </div>
      )
      : null}
    <fieldset class="mb-4">
      <legend class="h4">Documenti richiesti</legend>
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
        : <p>Nessuna pratica scelta: descrivi i documenti qui sotto.</p>}
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
              Aggiungi alla richiesta e cerca altre pratiche
            </button>
          </p>
        )
        : null}
      <div class="mb-3">
        <label class="form-label" for="recordsDescription">
          Altri documenti (descrizione, facoltativa)
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
      <legend class="h4">Chi presenta la richiesta</legend>
      <Field
        name="requesterName"
        label="Nome e cognome (o denominazione)"
        value={values.requesterName}
        error={errors.requesterName}
        required
      />
      <TaxCodeField value={values.taxCode} error={errors.taxCode} />
      <Field
        name="email"
        label="E-mail (facoltativa)"
        type="email"
        value={values.email}
        error={errors.email}
      />
      <AppIoChoice checked={values.notifyAppIo === "1"} />
      <Field
        name="phone"
        label="Telefono (facoltativo)"
        type="tel"
        value={values.phone}
        error={errors.phone}
      />
    </fieldset>
    <fieldset class="mb-4" aria-describedby={errors.regime ? "regime-error" : undefined}>
      <legend class="h4">Tipo di accesso</legend>
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
          <label class="form-check-label" for={`regime-${value}`}>{label}</label>
          <small id={`regime-${value}-help`} class="form-text d-block">{help}</small>
        </div>
      ))}
      {errors.regime
        ? <div id="regime-error" class="invalid-feedback d-block">{errors.regime}</div>
        : null}
    </fieldset>
    <fieldset class="mb-4">
      <legend class="h4">Per l'accesso documentale</legend>
      <div class="mb-3">
        <label class="form-label" for="requesterTitle">A che titolo chiedi</label>
        <select class="form-select" id="requesterTitle" name="requesterTitle">
          <option value="">—</option>
          {REQUESTER_TITLES.map((t) => (
            <option key={t} value={t} selected={values.requesterTitle === t}>{t}</option>
          ))}
        </select>
      </div>
      <div class="mb-3">
        <label class="form-label" for="motivation">
          Motivazione (obbligatoria per l'accesso documentale)
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
      <legend class="h4">Come vuoi consultare i documenti</legend>
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
          <label class="form-check-label" for={`mode-${value}`}>{label}</label>
        </div>
      ))}
    </fieldset>
    {feeOptions
      ? <FeeOptions {...feeOptions} values={values} error={errors.feeExemptionId} />
      : null}
    <p>Documento d'identità ed eventuale delega si mostrano allo sportello.</p>
    <PrivacyNotice checked={values.privacyAck === "1"} error={errors.privacyAck} />
    <button type="submit" class="btn btn-primary btn-lg">Avanti: controlla i dati</button>
  </form>
);

/** The whole page. */
export const RequestFormPage: FC<RequestFormProps> = (props) => (
  <Layout title="Richiesta di accesso agli atti">
    <h1>Richiesta di accesso agli atti</h1>
    <p class="lead">
      Compila il modulo: riceverai subito una ricevuta con un codice per seguire la richiesta.
    </p>
    <RequestForm {...props} />
  </Layout>
);

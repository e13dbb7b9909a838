/**
 * A request filed online by a signed-in citizen: the kiosk form's fields, but the codice
 * fiscale comes from the sign-in (shown, not asked) and a delegation or an ID document can be
 * attached. With htmx a refused submit leaves the form (and the chosen files) as they were
 * and shows the messages above it; without, the error page says what to fix.
 */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import {
  AppIoChoice,
  Field,
  PrivacyNotice,
  type RequestedLabel,
  REQUESTER_TITLES,
} from "./request_form.tsx";
import { CitizenBar, type CitizenBarProps } from "./citizen_area.tsx";

/** What the form shows: who, the records it was opened with, the name from the sign-in. */
export interface CitizenFormProps {
  bar: CitizenBarProps;
  records: RequestedLabel[];
  requesterName: string;
  /** Largest attachment, in MiB, as the form states it. */
  maxMiB: number;
}

const FileInput: FC<{ name: string; label: string; hint: string }> = (p) => (
  <div class="mb-4">
    <label class="form-label" for={p.name}>{p.label}</label>
    <input
      class="form-control"
      type="file"
      id={p.name}
      name={p.name}
      accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
      aria-describedby={`${p.name}-hint`}
    />
    <small id={`${p.name}-hint`} class="form-text">{p.hint}</small>
  </div>
);

/** The online request page. */
export const CitizenRequestPage: FC<CitizenFormProps> = (p) => (
  <Layout title="Nuova richiesta di accesso">
    <CitizenBar {...p.bar} />
    <h1>Nuova richiesta di accesso agli atti</h1>
    <form
      method="post"
      action="/area-personale/nuova"
      enctype="multipart/form-data"
      hx-post="/area-personale/nuova"
      hx-encoding="multipart/form-data"
      hx-swap="none"
      id="citizen-request-form"
      novalidate
    >
      <input type="hidden" name="_csrf" value={p.bar.csrfToken} />
      <fieldset class="mb-4">
        <legend class="h4">Documenti richiesti</legend>
        {p.records.length > 0
          ? (
            <ul class="list-unstyled">
              {p.records.map((r) => (
                <li key={r.ref}>
                  <input type="hidden" name="record" value={r.ref} />
                  <strong>{r.label}</strong>
                  {r.subject ? ` — ${r.subject}` : ""}
                </li>
              ))}
            </ul>
          )
          : (
            <p>
              Descrivi i documenti (indirizzo, numero e anno della pratica), oppure apri una pratica
              dalla <a href="/">ricerca</a> e scegli «Richiedi accesso online».
            </p>
          )}
        <div class="mb-3">
          <label class="form-label" for="recordsDescription">Descrizione dei documenti</label>
          <textarea
            class="form-control"
            id="recordsDescription"
            name="recordsDescription"
            rows={2}
          >
          </textarea>
        </div>
      </fieldset>
      <fieldset class="mb-4">
        <legend class="h4">Chi presenta la richiesta</legend>
        <p>
          Codice fiscale: <strong>{p.bar.maskedTaxCode}</strong>{" "}
          (dalla tua identità digitale, non modificabile)
        </p>
        <Field
          name="requesterName"
          label="Nome e cognome"
          value={p.requesterName}
          error={undefined}
          required
        />
        <Field name="email" label="E-mail (facoltativa)" type="email" value="" error={undefined} />
        <AppIoChoice checked={false} />
        <Field name="phone" label="Telefono (facoltativo)" type="tel" value="" error={undefined} />
      </fieldset>
      <fieldset class="mb-4">
        <legend class="h4">Tipo di accesso</legend>
        <div class="form-check mb-2">
          <input
            class="form-check-input"
            type="radio"
            name="regime"
            id="regime-documentale"
            value="documentale"
          />
          <label class="form-check-label" for="regime-documentale">
            Accesso documentale (per chi ha un interesse diretto: va motivato)
          </label>
        </div>
        <div class="form-check mb-2">
          <input
            class="form-check-input"
            type="radio"
            name="regime"
            id="regime-civico_generalizzato"
            value="civico_generalizzato"
          />
          <label class="form-check-label" for="regime-civico_generalizzato">
            Accesso civico generalizzato (chiunque, senza motivazione)
          </label>
        </div>
      </fieldset>
      <fieldset class="mb-4">
        <legend class="h4">Per l'accesso documentale</legend>
        <div class="mb-3">
          <label class="form-label" for="requesterTitle">A che titolo chiedi</label>
          <select class="form-select" id="requesterTitle" name="requesterTitle">
            <option value="">—</option>
            {REQUESTER_TITLES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </div>
        <div class="mb-3">
          <label class="form-label" for="motivation">Motivazione</label>
          <textarea class="form-control" id="motivation" name="motivation" rows={3}></textarea>
        </div>
      </fieldset>
      <fieldset class="mb-4">
        <legend class="h4">Come vuoi consultare i documenti</legend>
        {([
          ["view", "Visione (gratuita)"],
          ["copy", "Copia semplice"],
          ["certified_copy", "Copia conforme (con marca da bollo)"],
        ] as const).map(([value, label]) => (
          <div class="form-check" key={value}>
            <input
              class="form-check-input"
              type="radio"
              name="mode"
              id={`mode-${value}`}
              value={value}
              checked={value === "view"}
            />
            <label class="form-check-label" for={`mode-${value}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <fieldset class="mb-4">
        <legend class="h4">Allegati</legend>
        <FileInput
          name="delega"
          label="Delega (se chiedi per conto di altri)"
          hint={`PDF, JPEG o PNG, al massimo ${p.maxMiB} MB.`}
        />
        <FileInput
          name="documento_identita"
          label="Documento d'identità di chi delega (facoltativo)"
          hint={`PDF, JPEG o PNG, al massimo ${p.maxMiB} MB.`}
        />
      </fieldset>
      <PrivacyNotice checked={false} error={undefined} />
      <button type="submit" class="btn btn-primary btn-lg">Presenta la richiesta</button>
    </form>
  </Layout>
);

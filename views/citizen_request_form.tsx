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
import { useI18n } from "../i18n/context.tsx";

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
export const CitizenRequestPage: FC<CitizenFormProps> = (p) => {
  const { t } = useI18n();
  const a = t.citizenArea;
  return (
    <Layout title={a.formTitle}>
      <CitizenBar {...p.bar} />
      <h1>{a.formHeading}</h1>
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
          <legend class="h4">{a.documents}</legend>
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
                {a.describeBefore}
                <a href="/">{a.describeLink}</a>
                {a.describeAfter}
              </p>
            )}
          <div class="mb-3">
            <label class="form-label" for="recordsDescription">{a.description}</label>
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
          <legend class="h4">{a.who}</legend>
          <p>
            {a.taxCode}
            <strong>{p.bar.maskedTaxCode}</strong>
            {a.taxCodeFixed}
          </p>
          <Field
            name="requesterName"
            label={a.name}
            value={p.requesterName}
            error={undefined}
            required
          />
          <Field name="email" label={a.email} type="email" value="" error={undefined} />
          <AppIoChoice checked={false} />
          <Field name="phone" label={a.phone} type="tel" value="" error={undefined} />
        </fieldset>
        <fieldset class="mb-4">
          <legend class="h4">{a.regime}</legend>
          <div class="form-check mb-2">
            <input
              class="form-check-input"
              type="radio"
              name="regime"
              id="regime-documentale"
              value="documentale"
            />
            <label class="form-check-label" for="regime-documentale">
              {a.regimeDocumentale}
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
              {a.regimeCivico}
            </label>
          </div>
        </fieldset>
        <fieldset class="mb-4">
          <legend class="h4">{a.forDocumentale}</legend>
          <div class="mb-3">
            <label class="form-label" for="requesterTitle">{a.titleAsked}</label>
            <select class="form-select" id="requesterTitle" name="requesterTitle">
              <option value="">—</option>
              {REQUESTER_TITLES.map((v) => (
                <option key={v} value={v}>{t.request.requesterTitles[v]}</option>
              ))}
            </select>
          </div>
          <div class="mb-3">
            <label class="form-label" for="motivation">{a.motivation}</label>
            <textarea class="form-control" id="motivation" name="motivation" rows={3}></textarea>
          </div>
        </fieldset>
        <fieldset class="mb-4">
          <legend class="h4">{a.howToConsult}</legend>
          {([
            ["view", a.modeView],
            ["copy", a.modeCopy],
            ["certified_copy", a.modeCertified],
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
          <legend class="h4">{a.attachments}</legend>
          <FileInput name="delega" label={a.delega} hint={a.fileHint(p.maxMiB)} />
          <FileInput
            name="documento_identita"
            label={a.idDocument}
            hint={a.fileHint(p.maxMiB)}
          />
        </fieldset>
        <PrivacyNotice checked={false} error={undefined} />
        <button type="submit" class="btn btn-primary btn-lg">{a.submit}</button>
      </form>
    </Layout>
  );
};

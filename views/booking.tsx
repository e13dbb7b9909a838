/**
 * Booking a time at the counter (`/prenota`), at the kiosk and online: service, day, slot,
 * who comes, then the slip with its code; and finding a booking again by code + codice
 * fiscale to cancel or move it.
 */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { Field } from "./request_form.tsx";
import { assetUrl } from "./assets.ts";
import { localTime } from "../domain/booking_slots.ts";
import { localDate } from "../domain/access_deadline.ts";
import type { BookingService } from "../db/booking_config.ts";
import type { Booking, SlotOffer } from "../db/bookings.ts";

const WEEKDAYS = ["domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"];
const MONTHS = [
  "gennaio",
  "febbraio",
  "marzo",
  "aprile",
  "maggio",
  "giugno",
  "luglio",
  "agosto",
  "settembre",
  "ottobre",
  "novembre",
  "dicembre",
];

/** "martedì 4 marzo 2025" of an ISO date. */
export function longDate(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${
    MONTHS[d.getUTCMonth()]
  } ${d.getUTCFullYear()}`;
}

/** The query string of a step, with only the parts given. */
export function stepUrl(path: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

const Styles: FC = () => <link rel="stylesheet" href={assetUrl("booking.css")} />;

/** What the picking page shows: the step reached and its choices. */
export interface PickProps {
  branches: { code: string; name: string }[];
  branch?: { code: string; name: string } | undefined;
  services: BookingService[];
  service?: BookingService | undefined;
  days: { date: string; free: number }[];
  day?: string | undefined;
  slots: SlotOffer[];
  dossierId?: string | undefined;
  online: boolean;
}

/** Step by step: sede (online), servizio, giorno, orario. */
export const BookingPickPage: FC<PickProps> = (p) => {
  const base = { sede: p.online ? p.branch?.code : undefined, pratica: p.dossierId };
  return (
    <Layout title="Prenota un appuntamento">
      <Styles />
      <h1>Prenota un appuntamento allo sportello</h1>
      <p class="no-print">
        <a href="/prenota/gestisci">Hai già una prenotazione? Annullala o spostala</a>
      </p>
      {p.online && !p.branch
        ? (
          <section aria-labelledby="pick-branch">
            <h2 id="pick-branch">Scegli la sede</h2>
            {p.branches.length === 0
              ? <p>Nessuna sede accetta prenotazioni in questo momento.</p>
              : (
                <ul class="booking-choices">
                  {p.branches.map((b) => (
                    <li key={b.code}>
                      <a class="btn btn-primary" href={stepUrl("/prenota", { sede: b.code })}>
                        {b.name}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
          </section>
        )
        : null}
      {!p.online && !p.branch
        ? <p>Le prenotazioni non sono ancora attive in questa sede: rivolgiti allo sportello.</p>
        : null}
      {p.branch && !p.service
        ? (
          <section aria-labelledby="pick-service">
            <h2 id="pick-service">Per che cosa vieni?</h2>
            {p.services.length === 0
              ? <p>Nessun servizio prenotabile in questa sede.</p>
              : (
                <ul class="booking-choices">
                  {p.services.map((s) => (
                    <li key={s.id}>
                      <a
                        class="btn btn-primary"
                        href={stepUrl("/prenota", { ...base, servizio: s.id })}
                      >
                        {s.name}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
          </section>
        )
        : null}
      {p.service && !p.day
        ? (
          <section aria-labelledby="pick-day">
            <h2 id="pick-day">{p.service.name}: scegli il giorno</h2>
            {p.days.length === 0
              ? <p>Nessun giorno disponibile nelle prossime settimane.</p>
              : (
                <ul class="booking-choices">
                  {p.days.map((d) =>
                    d.free > 0
                      ? (
                        <li key={d.date}>
                          <a
                            class="btn btn-primary"
                            href={stepUrl("/prenota", {
                              ...base,
                              servizio: p.service?.id,
                              giorno: d.date,
                            })}
                          >
                            {longDate(d.date)}
                          </a>
                        </li>
                      )
                      : (
                        <li key={d.date}>
                          <span class="booking-full">{longDate(d.date)}: completo</span>
                        </li>
                      )
                  )}
                </ul>
              )}
            <p>
              <a href={stepUrl("/prenota", base)}>Cambia servizio</a>
            </p>
          </section>
        )
        : null}
      {p.service && p.day
        ? (
          <section aria-labelledby="pick-slot">
            <h2 id="pick-slot">{p.service.name}, {longDate(p.day)}: scegli l'orario</h2>
            {p.slots.length === 0
              ? <p>Nessun orario in questo giorno.</p>
              : (
                <ul class="booking-choices">
                  {p.slots.map((s) =>
                    s.free > 0
                      ? (
                        <li key={s.startsAt}>
                          <a
                            class="btn btn-primary"
                            href={stepUrl("/prenota/dati", {
                              ...base,
                              sede: p.branch?.code,
                              servizio: p.service?.id,
                              inizio: s.startsAt,
                            })}
                          >
                            ore {localTime(s.startsAt)}
                          </a>
                        </li>
                      )
                      : (
                        <li key={s.startsAt}>
                          <span class="booking-full">ore {localTime(s.startsAt)}: completo</span>
                        </li>
                      )
                  )}
                </ul>
              )}
            <p>
              <a href={stepUrl("/prenota", { ...base, servizio: p.service.id })}>
                Cambia giorno
              </a>
            </p>
          </section>
        )
        : null}
    </Layout>
  );
};

/** The "who comes" form. */
export interface BookingFormProps {
  branchCode: string;
  serviceId: string;
  serviceName: string;
  startsAt: string;
  dossierId: string;
  values: Record<string, string>;
  errors: Record<string, string>;
  csrfToken: string;
  emailRequired: boolean;
  /** The masked codice fiscale of a citizen signed in online: no field to fill then. */
  signedInAs?: string | undefined;
}

/** Who comes: codice fiscale, name, e-mail, and what to have ready. */
export const BookingFormPage: FC<BookingFormProps> = (p) => (
  <Layout title="I tuoi dati per la prenotazione">
    <Styles />
    <h1>I tuoi dati</h1>
    <p>
      {p.serviceName}, {longDate(localDate(new Date(p.startsAt)))} ore {localTime(p.startsAt)}.{" "}
      <a href="/prenota">Cambia</a>
    </p>
    {p.errors.slot ? <div class="alert alert-danger" role="alert">{p.errors.slot}</div> : null}
    <form method="post" action="/prenota/dati" novalidate>
      <input type="hidden" name="_csrf" value={p.csrfToken} />
      <input type="hidden" name="sede" value={p.branchCode} />
      <input type="hidden" name="servizio" value={p.serviceId} />
      <input type="hidden" name="inizio" value={p.startsAt} />
      <input type="hidden" name="pratica" value={p.dossierId} />
      {p.signedInAs
        ? <p data-testid="signed-in-cf">Codice fiscale: {p.signedInAs} (dal tuo accesso)</p>
        : (
          <Field
            name="taxCode"
            label="Codice fiscale"
            value={p.values.taxCode}
            error={p.errors.taxCode}
            required
            hint="Ti servirà, con il codice della prenotazione, per annullarla o spostarla."
          />
        )}
      <Field
        name="name"
        label="Nome e cognome"
        value={p.values.name}
        error={p.errors.name}
        required
      />
      <Field
        name="email"
        label="E-mail"
        type="email"
        value={p.values.email}
        error={p.errors.email}
        required={p.emailRequired}
        hint="Per ricevere la conferma e il promemoria."
      />
      <div class="form-check mb-3">
        <input
          class="form-check-input"
          type="checkbox"
          name="notifyAppIo"
          id="notifyAppIo"
          value="1"
          checked={p.values.notifyAppIo === "1"}
        />
        <label class="form-check-label" for="notifyAppIo">
          Avvisami anche su App IO
        </label>
        <div class="form-text">
          Conferma e promemoria arrivano nell'app IO del tuo codice fiscale.
        </div>
      </div>
      <Field
        name="requestCode"
        label="Codice della richiesta di accesso, se ne hai una"
        value={p.values.requestCode}
        error={p.errors.requestCode}
        hint="Come K2AB-CD7E: lo sportello preparerà i documenti."
      />
      <button type="submit" class="btn btn-primary btn-lg">Conferma la prenotazione</button>
    </form>
  </Layout>
);

/** The slip. */
export const BookingSlipPage: FC<{ booking: Booking; place: string; moved: boolean }> = (
  { booking, place, moved },
) => (
  <Layout title="Prenotazione confermata">
    <Styles />
    <section aria-labelledby="slip-title">
      <h1 id="slip-title">{moved ? "Prenotazione spostata" : "Prenotazione confermata"}</h1>
      <p>Codice della prenotazione</p>
      <p class="booking-code" data-testid="booking-code">{booking.code}</p>
      <dl>
        <dt>Servizio</dt>
        <dd>{booking.serviceName}</dd>
        <dt>Quando</dt>
        <dd data-testid="booking-when">
          {longDate(localDate(new Date(booking.startsAt)))}, ore {localTime(booking.startsAt)}
        </dd>
        <dt>Dove</dt>
        <dd>{place}</dd>
      </dl>
      <p>
        Porta un documento d'identità. Per annullare o spostare l'appuntamento servono questo codice
        e il tuo codice fiscale.
      </p>
    </section>
    <p class="no-print d-flex gap-3 flex-wrap">
      <button type="button" class="btn btn-primary" data-print>Stampa il promemoria</button>
      <a class="btn btn-outline-primary" href="/prenota/ricevuta.ics" download>
        Aggiungi al calendario (.ics)
      </a>
      <a class="btn btn-outline-primary" href="/richieste/azzera">Fine</a>
    </p>
  </Layout>
);

/** Finding a booking again, and what can be done with it. */
export interface ManageProps {
  values: Record<string, string>;
  errors: Record<string, string>;
  csrfToken: string;
  booking?: Booking | undefined;
  days?: { date: string; free: number }[] | undefined;
  day?: string | undefined;
  slots?: SlotOffer[] | undefined;
  cancelled?: boolean | undefined;
}

const Hidden: FC<{ code: string; taxCode: string; csrfToken: string }> = (p) => (
  <>
    <input type="hidden" name="_csrf" value={p.csrfToken} />
    <input type="hidden" name="code" value={p.code} />
    <input type="hidden" name="taxCode" value={p.taxCode} />
  </>
);

/** Code + codice fiscale, then cancel or pick another slot. */
export const BookingManagePage: FC<ManageProps> = (p) => {
  const b = p.booking;
  const code = p.values.code ?? "";
  const taxCode = p.values.taxCode ?? "";
  return (
    <Layout title="La tua prenotazione">
      <Styles />
      <h1>La tua prenotazione</h1>
      {p.cancelled
        ? (
          <div class="alert alert-success" role="status" data-testid="booking-cancelled">
            Prenotazione annullata.
          </div>
        )
        : null}
      {!b
        ? (
          <form method="post" action="/prenota/gestisci" novalidate>
            <input type="hidden" name="_csrf" value={p.csrfToken} />
            <Field
              name="code"
              label="Codice della prenotazione"
              value={p.values.code}
              error={p.errors.code}
              required
              hint="8 caratteri, come K2AB-CD7E, stampato sul promemoria."
            />
            <Field
              name="taxCode"
              label="Codice fiscale"
              value={p.values.taxCode}
              error={p.errors.taxCode}
              required
            />
            <button type="submit" class="btn btn-primary btn-lg">Cerca</button>
          </form>
        )
        : (
          <>
            <p data-testid="booking-found">
              {b.serviceName}, {longDate(localDate(new Date(b.startsAt)))}, ore{" "}
              {localTime(b.startsAt)} (codice {b.code})
            </p>
            <form method="post" action="/prenota/annulla">
              <Hidden code={code} taxCode={taxCode} csrfToken={p.csrfToken} />
              <button type="submit" class="btn btn-outline-danger btn-lg">
                Annulla la prenotazione
              </button>
            </form>
            <h2 class="mt-4">Sposta a un altro orario</h2>
            {p.day && p.slots
              ? (
                <form method="post" action="/prenota/sposta">
                  <Hidden code={code} taxCode={taxCode} csrfToken={p.csrfToken} />
                  <p>{longDate(p.day)}</p>
                  <ul class="booking-choices">
                    {p.slots.map((s) =>
                      s.free > 0
                        ? (
                          <li key={s.startsAt}>
                            <button
                              type="submit"
                              class="btn btn-primary"
                              name="inizio"
                              value={s.startsAt}
                            >
                              ore {localTime(s.startsAt)}
                            </button>
                          </li>
                        )
                        : (
                          <li key={s.startsAt}>
                            <span class="booking-full">ore {localTime(s.startsAt)}: completo</span>
                          </li>
                        )
                    )}
                  </ul>
                </form>
              )
              : null}
            <form method="post" action="/prenota/gestisci">
              <Hidden code={code} taxCode={taxCode} csrfToken={p.csrfToken} />
              <ul class="booking-choices">
                {(p.days ?? []).filter((d) => d.free > 0).map((d) => (
                  <li key={d.date}>
                    <button
                      type="submit"
                      class="btn btn-outline-primary"
                      name="giorno"
                      value={d.date}
                    >
                      {longDate(d.date)}
                    </button>
                  </li>
                ))}
              </ul>
            </form>
          </>
        )}
    </Layout>
  );
};

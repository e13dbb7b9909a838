/** `/admin/prenotazioni`: a branch's services, opening hours, closures and split rule. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import type { BookingConfig } from "../db/booking_config.ts";

const WEEKDAY_NAMES = [
  "lunedì",
  "martedì",
  "mercoledì",
  "giovedì",
  "venerdì",
  "sabato",
  "domenica",
];

/** Admin page props. */
export interface BookingAdminProps {
  branches: { code: string; name: string }[];
  code: string;
  config: BookingConfig | undefined;
  /** False at a branch whose setup comes from the archive. */
  editable: boolean;
  staff: { username: string; role: string; csrfToken: string };
}

const Csrf: FC<{ token: string; code: string }> = (p) => (
  <>
    <input type="hidden" name="_csrf" value={p.token} />
    <input type="hidden" name="sede" value={p.code} />
  </>
);

const Num: FC<{ name: string; label: string; value: number | undefined; hint: string }> = (p) => (
  <div class="form-field mb-3">
    <label class="form-label" for={p.name}>{p.label}</label>
    <input
      class="form-control"
      id={p.name}
      name={p.name}
      inputmode="numeric"
      value={p.value === undefined ? "" : String(p.value)}
      aria-describedby={`${p.name}-hint`}
    />
    <small id={`${p.name}-hint`} class="form-text">{p.hint}</small>
  </div>
);

/** The page. */
export const BookingAdminPage: FC<BookingAdminProps> = (
  { branches, code, config, editable, staff },
) => {
  const token = staff.csrfToken;
  return (
    <Layout title="Prenotazioni: impostazioni">
      <StaffBar {...staff} />
      <h1>Prenotazioni allo sportello</h1>
      {!editable
        ? (
          <p class="alert alert-info" role="status">
            Le impostazioni si modificano all'archivio centrale: qui arrivano con la
            sincronizzazione.
          </p>
        )
        : null}
      {branches.length > 0
        ? (
          <p>
            Sedi:{" "}
            {branches.map((b) => (
              <a key={b.code} class="me-3" href={`/admin/prenotazioni?sede=${b.code}`}>
                {b.name} ({b.code})
              </a>
            ))}
          </p>
        )
        : null}
      <h2>Sede {code}: sportelli e quota online</h2>
      <p>
        Ogni orario ha tanti posti quanti gli sportelli aperti. La quota online è riservata alle
        prenotazioni fatte sul sito dell'archivio; gli altri posti sono della sede (chiosco e
        sportello). Entro le ore indicate prima dell'orario, i posti online rimasti liberi passano
        alla sede.
      </p>
      <form method="post" action="/admin/prenotazioni/regola" novalidate>
        <Csrf token={token} code={code} />
        <div class="form-field mb-3">
          <label class="form-label" for="name">Nome della sede</label>
          <input class="form-control" id="name" name="name" value={config?.name ?? ""} />
        </div>
        <div class="form-field mb-3">
          <label class="form-label" for="place">Dove si trova lo sportello</label>
          <input class="form-control" id="place" name="place" value={config?.place ?? ""} />
        </div>
        <Num
          name="capacity"
          label="Sportelli aperti"
          value={config?.capacity}
          hint="Persone ricevute nello stesso momento."
        />
        <Num
          name="onlineShare"
          label="Posti per orario riservati alle prenotazioni online"
          value={config?.onlineShare}
          hint="Da 0 al numero di sportelli."
        />
        <Num
          name="releaseHours"
          label="Ore prima dell'orario in cui i posti online liberi passano alla sede"
          value={config?.releaseHours}
          hint="Per esempio 24: il giorno prima."
        />
        <button type="submit" class="btn btn-primary" disabled={!editable}>Salva</button>
      </form>
      {config
        ? (
          <>
            <h2 class="mt-5">Servizi</h2>
            <ul>
              {config.services.map((s) => (
                <li key={s.id}>
                  {s.name}, {s.slotMinutes} minuti{s.active ? "" : " (sospeso)"}{" "}
                  <form method="post" action="/admin/prenotazioni/servizi/stato" class="d-inline">
                    <Csrf token={token} code={code} />
                    <input type="hidden" name="id" value={s.id} />
                    <input type="hidden" name="active" value={s.active ? "0" : "1"} />
                    <button
                      type="submit"
                      class="btn btn-sm btn-outline-primary"
                      disabled={!editable}
                    >
                      {s.active ? "Sospendi" : "Riattiva"}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
            <form method="post" action="/admin/prenotazioni/servizi" novalidate>
              <Csrf token={token} code={code} />
              <div class="form-field mb-3">
                <label class="form-label" for="service-name">Nuovo servizio</label>
                <input class="form-control" id="service-name" name="name" />
              </div>
              <Num
                name="slotMinutes"
                label="Durata di un appuntamento (minuti)"
                value={30}
                hint="Da 5 a 240."
              />
              <button type="submit" class="btn btn-primary" disabled={!editable}>Aggiungi</button>
            </form>
            <h2 class="mt-5">Orari di apertura</h2>
            {WEEKDAY_NAMES.map((name, i) => {
              const weekday = i + 1;
              const value = config.hours.filter((h) => h.weekday === weekday)
                .map((h) => `${h.opens}-${h.closes}`).join(", ");
              return (
                <form
                  key={name}
                  method="post"
                  action="/admin/prenotazioni/orari"
                  class="mb-3"
                  novalidate
                >
                  <Csrf token={token} code={code} />
                  <input type="hidden" name="weekday" value={String(weekday)} />
                  <label class="form-label" for={`hours-${weekday}`}>{name}</label>
                  <div class="d-flex gap-2">
                    <input
                      class="form-control"
                      id={`hours-${weekday}`}
                      name="intervals"
                      value={value}
                      aria-describedby="hours-hint"
                    />
                    <button type="submit" class="btn btn-outline-primary" disabled={!editable}>
                      Salva
                    </button>
                  </div>
                </form>
              );
            })}
            <small id="hours-hint" class="form-text">
              Intervalli come 09:00-12:30, 15:00-17:00; vuoto: chiuso.
            </small>
            <h2 class="mt-5">Chiusure</h2>
            <p>
              Le festività nazionali (Pasquetta compresa) e il santo patrono (impostazioni dei
              termini) sono già escluse.
            </p>
            <ul>
              {config.closures.map((cl) => (
                <li key={cl.date}>
                  {cl.date} {cl.note}{" "}
                  <form method="post" action="/admin/prenotazioni/chiusure" class="d-inline">
                    <Csrf token={token} code={code} />
                    <input type="hidden" name="date" value={cl.date} />
                    <input type="hidden" name="action" value="remove" />
                    <button
                      type="submit"
                      class="btn btn-sm btn-outline-danger"
                      disabled={!editable}
                    >
                      Togli
                    </button>
                  </form>
                </li>
              ))}
            </ul>
            <form method="post" action="/admin/prenotazioni/chiusure" novalidate>
              <Csrf token={token} code={code} />
              <input type="hidden" name="action" value="add" />
              <div class="form-field mb-3">
                <label class="form-label" for="closure-date">Giorno di chiusura (AAAA-MM-GG)</label>
                <input class="form-control" id="closure-date" name="date" />
              </div>
              <div class="form-field mb-3">
                <label class="form-label" for="closure-note">Motivo</label>
                <input class="form-control" id="closure-note" name="note" />
              </div>
              <button type="submit" class="btn btn-primary" disabled={!editable}>Aggiungi</button>
            </form>
          </>
        )
        : null}
    </Layout>
  );
};

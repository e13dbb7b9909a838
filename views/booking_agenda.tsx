/** `/sportello/agenda`: the counter's day, bookings by time, arrived / no-show, walk-ins. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { localTime } from "../domain/booking_slots.ts";
import type { Booking } from "../db/bookings.ts";
import type { BookingService } from "../db/booking_config.ts";
import { longDate } from "./booking.tsx";

const STATE_LABELS: Record<Booking["state"], string> = {
  booked: "Prenotato",
  cancelled: "Annullato",
  arrived: "Arrivato",
  no_show: "Non presentato",
};

/** Agenda props. */
export interface AgendaProps {
  day: string;
  items: Booking[];
  services: BookingService[];
  staff: { username: string; role: string; csrfToken: string };
}

const Mark: FC<{ id: string; state: string; label: string; csrf: string }> = (p) => (
  <form method="post" action="/sportello/agenda/stato" class="d-inline">
    <input type="hidden" name="_csrf" value={p.csrf} />
    <input type="hidden" name="id" value={p.id} />
    <input type="hidden" name="state" value={p.state} />
    <button type="submit" class="btn btn-sm btn-outline-primary">{p.label}</button>
  </form>
);

/** The day view. */
export const AgendaPage: FC<AgendaProps> = ({ day, items, services, staff }) => (
  <Layout title="Agenda dello sportello">
    <StaffBar {...staff} />
    <h1>Agenda di {longDate(day)}</h1>
    <p>
      <a href="/prenota">Prenota per chi telefona o è allo sportello</a>
    </p>
    {items.length === 0
      ? <p>Nessuna prenotazione per questo giorno.</p>
      : (
        <table class="table" data-testid="agenda">
          <caption class="visually-hidden">Prenotazioni del giorno per orario</caption>
          <thead>
            <tr>
              <th scope="col">Ora</th>
              <th scope="col">Servizio</th>
              <th scope="col">Persona</th>
              <th scope="col">Da preparare</th>
              <th scope="col">Stato</th>
              <th scope="col">Azioni</th>
            </tr>
          </thead>
          <tbody>
            {items.map((b) => (
              <tr key={b.id}>
                <td>{localTime(b.startsAt)}</td>
                <td>{b.serviceName}{b.walkIn ? " (senza prenotazione)" : ""}</td>
                <td>{b.name} · {b.code}{b.side === "archive" ? " · online" : ""}</td>
                <td>
                  {[b.requestCode ? `richiesta ${b.requestCode}` : "", b.dossierId ?? ""]
                    .filter(Boolean).join(", ")}
                </td>
                <td>{STATE_LABELS[b.state]}</td>
                <td>
                  {b.state === "booked"
                    ? (
                      <>
                        <Mark id={b.id} state="arrived" label="Arrivato" csrf={staff.csrfToken} />
                        {" "}
                        <Mark
                          id={b.id}
                          state="no_show"
                          label="Non presentato"
                          csrf={staff.csrfToken}
                        />
                      </>
                    )
                    : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    <h2>Arrivato senza prenotazione</h2>
    <form method="post" action="/sportello/agenda/accesso" novalidate>
      <input type="hidden" name="_csrf" value={staff.csrfToken} />
      <div class="form-field mb-3">
        <label class="form-label" for="serviceId">Servizio</label>
        <select class="form-select" id="serviceId" name="serviceId">
          {services.filter((s) => s.active).map((s) => (
            <option key={s.id} value={s.id}>{s.name}</option>
          ))}
        </select>
      </div>
      <div class="form-field mb-3">
        <label class="form-label" for="walkin-name">Nome e cognome (obbligatorio)</label>
        <input class="form-control" id="walkin-name" name="name" autocomplete="off" />
      </div>
      <div class="form-field mb-3">
        <label class="form-label" for="walkin-cf">Codice fiscale</label>
        <input class="form-control" id="walkin-cf" name="taxCode" autocomplete="off" />
      </div>
      <button type="submit" class="btn btn-primary">Registra l'arrivo</button>
    </form>
  </Layout>
);

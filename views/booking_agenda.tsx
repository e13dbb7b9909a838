/** `/sportello/agenda`: the counter's day, bookings by time, arrived / no-show, walk-ins. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import { localTime } from "../domain/booking_slots.ts";
import type { Booking } from "../db/bookings.ts";
import type { BookingService } from "../db/booking_config.ts";
import { longDate } from "./booking.tsx";
import { useI18n } from "../i18n/context.tsx";

// The day with its weekday: Italian as the booking pages write it, English from Intl.
const EN_DAY = new Intl.DateTimeFormat("en-GB", {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

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
export const AgendaPage: FC<AgendaProps> = ({ day, items, services, staff }) => {
  const { t, locale } = useI18n();
  const dayText = locale === "it" ? longDate(day) : EN_DAY.format(new Date(`${day}T12:00:00Z`));
  return (
    <Layout title={t.agenda.title}>
      <StaffBar {...staff} />
      <h1>{t.agenda.heading(dayText)}</h1>
      <p>
        <a href="/prenota">{t.agenda.bookForCaller}</a>
      </p>
      {items.length === 0 ? <p>{t.agenda.none}</p> : (
        <table class="table" data-testid="agenda">
          <caption class="visually-hidden">{t.agenda.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.agenda.colTime}</th>
              <th scope="col">{t.agenda.colService}</th>
              <th scope="col">{t.agenda.colPerson}</th>
              <th scope="col">{t.agenda.colPrepare}</th>
              <th scope="col">{t.agenda.colState}</th>
              <th scope="col">{t.agenda.colActions}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((b) => (
              <tr key={b.id}>
                <td>{localTime(b.startsAt)}</td>
                <td>{b.serviceName}{b.walkIn ? t.agenda.walkInMark : ""}</td>
                <td>{b.name} · {b.code}{b.side === "archive" ? " · online" : ""}</td>
                <td>
                  {[b.requestCode ? t.agenda.request(b.requestCode) : "", b.dossierId ?? ""]
                    .filter(Boolean).join(", ")}
                </td>
                <td>{t.agenda.states[b.state]}</td>
                <td>
                  {b.state === "booked"
                    ? (
                      <>
                        <Mark
                          id={b.id}
                          state="arrived"
                          label={t.agenda.states.arrived}
                          csrf={staff.csrfToken}
                        />{" "}
                        <Mark
                          id={b.id}
                          state="no_show"
                          label={t.agenda.states.no_show}
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
      <h2>{t.agenda.walkIn}</h2>
      <form method="post" action="/sportello/agenda/accesso" novalidate>
        <input type="hidden" name="_csrf" value={staff.csrfToken} />
        <div class="form-field mb-3">
          <label class="form-label" for="serviceId">{t.agenda.service}</label>
          <select class="form-select" id="serviceId" name="serviceId">
            {services.filter((s) => s.active).map((s) => (
              <option key={s.id} value={s.id}>{s.name}</option>
            ))}
          </select>
        </div>
        <div class="form-field mb-3">
          <label class="form-label" for="walkin-name">{t.agenda.name}</label>
          <input class="form-control" id="walkin-name" name="name" autocomplete="off" />
        </div>
        <div class="form-field mb-3">
          <label class="form-label" for="walkin-cf">{t.agenda.taxCode}</label>
          <input class="form-control" id="walkin-cf" name="taxCode" autocomplete="off" />
        </div>
        <button type="submit" class="btn btn-primary">{t.agenda.register}</button>
      </form>
    </Layout>
  );
};

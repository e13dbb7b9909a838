/** `/admin/prenotazioni`: a branch's services, opening hours, closures and split rule. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { StaffBar } from "./login.tsx";
import type { BookingConfig } from "../db/booking_config.ts";
import { useI18n } from "../i18n/context.tsx";

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
  const { t } = useI18n();
  const b = t.bookingAdmin;
  return (
    <Layout title={b.title}>
      <StaffBar {...staff} />
      <h1>{b.heading}</h1>
      {!editable ? <p class="alert alert-info" role="status">{b.archiveOnly}</p> : null}
      {branches.length > 0
        ? (
          <p>
            {b.branches}{" "}
            {branches.map((br) => (
              <a key={br.code} class="me-3" href={`/admin/prenotazioni?sede=${br.code}`}>
                {br.name} ({br.code})
              </a>
            ))}
          </p>
        )
        : null}
      <h2>{b.branchHeading(code)}</h2>
      <p>{b.lead}</p>
      <form method="post" action="/admin/prenotazioni/regola" novalidate>
        <Csrf token={token} code={code} />
        <div class="form-field mb-3">
          <label class="form-label" for="name">{b.branchName}</label>
          <input class="form-control" id="name" name="name" value={config?.name ?? ""} />
        </div>
        <div class="form-field mb-3">
          <label class="form-label" for="place">{b.place}</label>
          <input class="form-control" id="place" name="place" value={config?.place ?? ""} />
        </div>
        <Num
          name="capacity"
          label={b.capacity}
          value={config?.capacity}
          hint={b.capacityHint}
        />
        <Num
          name="onlineShare"
          label={b.onlineShare}
          value={config?.onlineShare}
          hint={b.onlineShareHint}
        />
        <Num
          name="releaseHours"
          label={b.releaseHours}
          value={config?.releaseHours}
          hint={b.releaseHoursHint}
        />
        <button type="submit" class="btn btn-primary" disabled={!editable}>{b.save}</button>
      </form>
      {config
        ? (
          <>
            <h2 class="mt-5">{b.services}</h2>
            <ul>
              {config.services.map((s) => (
                <li key={s.id}>
                  {s.name}, {b.minutes(s.slotMinutes)}
                  {s.active ? "" : b.suspended}{" "}
                  <form method="post" action="/admin/prenotazioni/servizi/stato" class="d-inline">
                    <Csrf token={token} code={code} />
                    <input type="hidden" name="id" value={s.id} />
                    <input type="hidden" name="active" value={s.active ? "0" : "1"} />
                    <button
                      type="submit"
                      class="btn btn-sm btn-outline-primary"
                      disabled={!editable}
                    >
                      {s.active ? b.suspend : b.resume}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
            <form method="post" action="/admin/prenotazioni/servizi" novalidate>
              <Csrf token={token} code={code} />
              <div class="form-field mb-3">
                <label class="form-label" for="service-name">{b.newService}</label>
                <input class="form-control" id="service-name" name="name" />
              </div>
              <Num
                name="slotMinutes"
                label={b.slotMinutes}
                value={30}
                hint={b.slotMinutesHint}
              />
              <button type="submit" class="btn btn-primary" disabled={!editable}>{b.add}</button>
            </form>
            <h2 class="mt-5">{b.hours}</h2>
            {b.weekdays.map((name, i) => {
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
                      {b.save}
                    </button>
                  </div>
                </form>
              );
            })}
            <small id="hours-hint" class="form-text">{b.hoursHint}</small>
            <h2 class="mt-5">{b.closures}</h2>
            <p>{b.closuresLead}</p>
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
                      {b.remove}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
            <form method="post" action="/admin/prenotazioni/chiusure" novalidate>
              <Csrf token={token} code={code} />
              <input type="hidden" name="action" value="add" />
              <div class="form-field mb-3">
                <label class="form-label" for="closure-date">{b.closureDate}</label>
                <input class="form-control" id="closure-date" name="date" />
              </div>
              <div class="form-field mb-3">
                <label class="form-label" for="closure-note">{b.closureNote}</label>
                <input class="form-control" id="closure-note" name="note" />
              </div>
              <button type="submit" class="btn btn-primary" disabled={!editable}>{b.add}</button>
            </form>
          </>
        )
        : null}
    </Layout>
  );
};

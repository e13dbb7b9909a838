/**
 * Booking a time at the counter (`/prenota`), at the kiosk and online: service, day, slot,
 * who comes, then the slip with its code; and finding a booking again by code + codice
 * fiscale to cancel or move it.
 */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { Field } from "./request_form.tsx";
import { translateAll } from "../i18n/local_message.ts";
import { assetUrl } from "./assets.ts";
import { localTime } from "../domain/booking_slots.ts";
import { localDate } from "../domain/access_deadline.ts";
import type { BookingService } from "../db/booking_config.ts";
import type { Booking, SlotOffer } from "../db/bookings.ts";
import { useI18n } from "../i18n/context.tsx";
import type { Locale } from "../i18n/locale.ts";
import { INTL_TAG } from "../i18n/locale.ts";

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

const WEEKDAY_DATE_EN = new Intl.DateTimeFormat(INTL_TAG.en, {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** "martedì 4 marzo 2025" / "Tuesday 4 March 2025" of an ISO date. */
export function weekdayDate(locale: Locale, date: string): string {
  return locale === "it" ? longDate(date) : WEEKDAY_DATE_EN.format(new Date(`${date}T12:00:00Z`));
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
  const { t, locale } = useI18n();
  const b = t.booking;
  const longDate = (date: string) => weekdayDate(locale, date);
  return (
    <Layout title={b.pickTitle}>
      <Styles />
      <h1>{b.pickHeading}</h1>
      <p class="no-print">
        <a href="/prenota/gestisci">{b.manageLink}</a>
      </p>
      {p.online && !p.branch
        ? (
          <section aria-labelledby="pick-branch">
            <h2 id="pick-branch">{b.pickBranch}</h2>
            {p.branches.length === 0 ? <p>{b.noBranches}</p> : (
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
      {!p.online && !p.branch ? <p>{b.notActive}</p> : null}
      {p.branch && !p.service
        ? (
          <section aria-labelledby="pick-service">
            <h2 id="pick-service">{b.pickService}</h2>
            {p.services.length === 0 ? <p>{b.noServices}</p> : (
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
            <h2 id="pick-day">{b.pickDay(p.service.name)}</h2>
            {p.days.length === 0 ? <p>{b.noDays}</p> : (
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
                        <span class="booking-full">{b.full(longDate(d.date))}</span>
                      </li>
                    )
                )}
              </ul>
            )}
            <p>
              <a href={stepUrl("/prenota", base)}>{b.changeService}</a>
            </p>
          </section>
        )
        : null}
      {p.service && p.day
        ? (
          <section aria-labelledby="pick-slot">
            <h2 id="pick-slot">{b.pickSlot(p.service.name, longDate(p.day))}</h2>
            {p.slots.length === 0 ? <p>{b.noSlots}</p> : (
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
                          {b.at(localTime(s.startsAt))}
                        </a>
                      </li>
                    )
                    : (
                      <li key={s.startsAt}>
                        <span class="booking-full">{b.full(b.at(localTime(s.startsAt)))}</span>
                      </li>
                    )
                )}
              </ul>
            )}
            <p>
              <a href={stepUrl("/prenota", { ...base, servizio: p.service.id })}>
                {b.changeDay}
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
export const BookingFormPage: FC<BookingFormProps> = (p) => {
  const { t, locale } = useI18n();
  const b = t.booking;
  const errors = translateAll(p.errors, t);
  return (
    <Layout title={b.formTitle}>
      <Styles />
      <h1>{b.formHeading}</h1>
      <p>
        {b.when(
          p.serviceName,
          weekdayDate(locale, localDate(new Date(p.startsAt))),
          localTime(p.startsAt),
        )} <a href="/prenota">{b.change}</a>
      </p>
      {errors.slot ? <div class="alert alert-danger" role="alert">{errors.slot}</div> : null}
      <form method="post" action="/prenota/dati" novalidate>
        <input type="hidden" name="_csrf" value={p.csrfToken} />
        <input type="hidden" name="sede" value={p.branchCode} />
        <input type="hidden" name="servizio" value={p.serviceId} />
        <input type="hidden" name="inizio" value={p.startsAt} />
        <input type="hidden" name="pratica" value={p.dossierId} />
        {p.signedInAs ? <p data-testid="signed-in-cf">{b.signedInAs(p.signedInAs)}</p> : (
          <Field
            name="taxCode"
            label={b.taxCode}
            value={p.values.taxCode}
            error={errors.taxCode}
            required
            hint={b.taxCodeHint}
          />
        )}
        <Field
          name="name"
          label={b.name}
          value={p.values.name}
          error={errors.name}
          required
        />
        <Field
          name="email"
          label={b.email}
          type="email"
          value={p.values.email}
          error={errors.email}
          required={p.emailRequired}
          hint={b.emailHint}
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
          <label class="form-check-label" for="notifyAppIo">{b.appIoChoice}</label>
          <div class="form-text">{b.appIoHelp}</div>
        </div>
        <Field
          name="requestCode"
          label={b.requestCode}
          value={p.values.requestCode}
          error={errors.requestCode}
          hint={b.requestCodeHint}
        />
        <button type="submit" class="btn btn-primary btn-lg">{b.confirm}</button>
      </form>
    </Layout>
  );
};

/** The slip. */
export const BookingSlipPage: FC<{ booking: Booking; place: string; moved: boolean }> = (
  { booking, place, moved },
) => {
  const { t, locale } = useI18n();
  const b = t.booking;
  return (
    <Layout title={b.slipTitle}>
      <Styles />
      <section aria-labelledby="slip-title">
        <h1 id="slip-title">{moved ? b.slipMoved : b.slipTitle}</h1>
        <p>{b.slipCode}</p>
        <p class="booking-code" data-testid="booking-code">{booking.code}</p>
        <dl>
          <dt>{b.service}</dt>
          <dd>{booking.serviceName}</dd>
          <dt>{b.whenLabel}</dt>
          <dd data-testid="booking-when">
            {b.slipWhen(
              weekdayDate(locale, localDate(new Date(booking.startsAt))),
              localTime(booking.startsAt),
            )}
          </dd>
          <dt>{b.where}</dt>
          <dd>{place}</dd>
        </dl>
        <p>{b.bring}</p>
      </section>
      <p class="no-print d-flex gap-3 flex-wrap">
        <button type="button" class="btn btn-primary" data-print>{b.print}</button>
        <a class="btn btn-outline-primary" href="/prenota/ricevuta.ics" download>
          {b.calendar}
        </a>
        <a class="btn btn-outline-primary" href="/richieste/azzera">{b.done}</a>
      </p>
    </Layout>
  );
};

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
  const { t, locale } = useI18n();
  const m = t.booking;
  const errors = translateAll(p.errors, t);
  const longDate = (date: string) => weekdayDate(locale, date);
  return (
    <Layout title={m.manageTitle}>
      <Styles />
      <h1>{m.manageTitle}</h1>
      {p.cancelled
        ? (
          <div class="alert alert-success" role="status" data-testid="booking-cancelled">
            {m.cancelled}
          </div>
        )
        : null}
      {!b
        ? (
          <form method="post" action="/prenota/gestisci" novalidate>
            <input type="hidden" name="_csrf" value={p.csrfToken} />
            <Field
              name="code"
              label={m.code}
              value={p.values.code}
              error={errors.code}
              required
              hint={m.codeHint}
            />
            <Field
              name="taxCode"
              label={m.taxCode}
              value={p.values.taxCode}
              error={errors.taxCode}
              required
            />
            <button type="submit" class="btn btn-primary btn-lg">{m.find}</button>
          </form>
        )
        : (
          <>
            <p data-testid="booking-found">
              {m.found(
                b.serviceName,
                longDate(localDate(new Date(b.startsAt))),
                localTime(b.startsAt),
                b.code,
              )}
            </p>
            <form method="post" action="/prenota/annulla">
              <Hidden code={code} taxCode={taxCode} csrfToken={p.csrfToken} />
              <button type="submit" class="btn btn-outline-danger btn-lg">
                {m.cancel}
              </button>
            </form>
            <h2 class="mt-4">{m.move}</h2>
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
                              {m.at(localTime(s.startsAt))}
                            </button>
                          </li>
                        )
                        : (
                          <li key={s.startsAt}>
                            <span class="booking-full">{m.full(m.at(localTime(s.startsAt)))}</span>
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

/**
 * The citizen's side of access requests at the kiosk (no login): the form (from a record page
 * or from a basket of records), the receipt, the status lookup.
 */
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { AppDeps } from "../app_deps.ts";
import {
  createAccessRequest,
  findByReceiptCode,
  readAccessRequest,
  type RequestedRecord,
} from "../db/access_requests.ts";
import { readDeadlineSettings } from "../db/access_settings.ts";
import { localDate } from "../domain/access_deadline.ts";
import { isAccessState, isOverdue } from "../domain/access_states.ts";
import { maskTaxCode, validateTaxCode } from "../domain/codice_fiscale.ts";
import { parseReceiptCode } from "../domain/receipt_code.ts";
import type { AccessLimiters } from "../middleware/rate_limit.ts";
import { clientIp, cookieOptions } from "../middleware/session.ts";
import { RequestForm, RequestFormPage, TaxCodeField } from "../views/request_form.tsx";
import { ReceiptPage } from "../views/request_receipt.tsx";
import { RequestConfirmPage } from "../views/request_confirm.tsx";
import { type StatusAnswer, StatusPage, StatusPanel } from "../views/request_status.tsx";
import { BasketPage } from "../views/request_basket.tsx";
import { receiptQrDataUri } from "../views/receipt_qr.ts";
import { labelRecords } from "./_record_labels.ts";
import { feeStatusOf } from "./_fee_status.ts";
import { readFeeTable } from "../db/fees.ts";
import { quoteFee } from "../db/payment_notices.ts";
import type { NewAccessRequest } from "../db/access_requests.ts";
import type { FeeQuote } from "../domain/fees.ts";
import {
  CONSULT_COOKIE,
  dropDraft,
  readBasket,
  readDraft,
  writeBasket,
  writeDraft,
} from "./_kiosk_cookies.ts";
import {
  basketForm,
  MAX_RECORDS,
  rawRequestValues,
  recordRef,
  requestForm,
  type RequestValues,
  requestValues,
} from "./_request_input.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { optionalCode } from "./_fields.ts";
import { validate } from "./_validate.ts";
import { BOOKING_COOKIE } from "./booking.tsx";
import { LOCALE_COOKIE } from "../i18n/locale.ts";
import { i18nOf } from "../i18n/context.tsx";
import { localMessage } from "../i18n/local_message.ts";
import { filingOnce } from "./_filing_once.ts";

const RECEIPT_COOKIE = "faldone_receipt";
// Long enough to print the slip, short enough that the next person at the kiosk cannot.
const RECEIPT_SECONDS = 15 * 60;

/** Every record of the basket, the draft and `extra`, once each, basket order first. */
function mergeRefs(...lists: RequestedRecord[][]): RequestedRecord[] {
  const seen = new Set<string>();
  const out: RequestedRecord[] = [];
  for (const r of lists.flat()) {
    const key = `${r.kind}:${r.id}`;
    if (!seen.has(key)) out.push(r);
    seen.add(key);
  }
  return out.slice(0, MAX_RECORDS);
}

/** "Mario Rossi" → "M. R.": enough for the citizen to recognise the slip as theirs. */
export function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).map((w) => `${w.charAt(0).toUpperCase()}.`).join(" ");
}

function isHtmx(c: Context): boolean {
  return c.req.header("HX-Request") === "true";
}

const recordQuery = z.object({ record: recordRef.optional() });
const taxCodeForm = z.object({
  taxCode: optionalCode((t) => t.request.labelTaxCode, { max: 40 }),
});
const statusForm = z.object({
  code: optionalCode((t) => t.kiosk.receiptCode, { max: 40 }),
  taxCode: optionalCode((t) => t.request.labelTaxCode, { max: 40 }),
});
// The receipt's QR lands on the status page with the code: only a well-formed one fills the box.
const statusQuery = z.object({
  codice: optionalCode((t) => t.kiosk.receiptCode, { max: 40 }),
});

/** The citizen's routes, mounted at /richieste. */
export function requestRoutes(deps: AppDeps, limiters: AccessLimiters): Hono {
  const { db, clock, config } = deps;
  const fileOnce = filingOnce<Awaited<ReturnType<typeof createAccessRequest>>>();
  // What the fee table lets a citizen ask for on the form.
  const feeOptions = async () => {
    const table = await readFeeTable(db);
    return { urgent: table.rules.some((r) => r.item === "urgent"), exemptions: table.exemptions };
  };
  // The bill of the request as typed, or the form's message when its exemption is gone.
  const quote = async (
    input: NewAccessRequest,
    exemptionId: string,
  ): Promise<{ fee?: FeeQuote; error?: string }> => {
    const fee = await quoteFee(db, { ...input, urgent: input.urgent ?? false, exemptionId });
    if (exemptionId && !fee.exemption) {
      return { error: localMessage((t) => t.request.errExemption) };
    }
    return { fee };
  };
  // The form again, 422, with a message beside each refused field and the rest as typed.
  const refusedForm = async (
    c: Context,
    read: { values: RequestValues; records: RequestedRecord[] },
    errors: Record<string, string>,
  ) => {
    const labels = await labelRecords(db, read.records);
    const found = labels.filter((l) => l.found);
    const props = {
      records: found,
      values: read.values,
      errors,
      csrfToken: c.get("csrfToken"),
      feeOptions: await feeOptions(),
    };
    if (isHtmx(c)) return c.html(<RequestForm {...props} />, 422);
    return c.html(<RequestFormPage {...props} />, 422);
  };
  return new Hono()
    .get("/nuova", validate("query", recordQuery), async (c) => {
      // Back from the summary, or back from "cerca altre pratiche": the draft refills the form.
      const draft = readDraft(c);
      const basket = readBasket(c);
      const one = c.req.valid("query").record;
      const refs = mergeRefs(basket, draft?.records ?? [], one ? [one] : []);
      const labels = (await labelRecords(db, refs)).filter((l) => l.found);
      const inBasket = one && basket.some((r) => r.kind === one.kind && r.id === one.id);
      const addable = one && !inBasket
        ? labels.find((l) => l.ref === `${one.kind}:${one.id}`)
        : undefined;
      c.header("Cache-Control", "no-store");
      return c.html(
        <RequestFormPage
          records={labels}
          addable={addable}
          values={draft?.values ?? {}}
          errors={{}}
          csrfToken={c.get("csrfToken")}
          feeOptions={await feeOptions()}
        />,
      );
    })
    .get("/conferma", async (c) => {
      // The summary step has a URL of its own, so Back and Forward move between the steps.
      const draft = readDraft(c);
      const parsed = draft
        ? requestForm.safeParse({
          ...draft.values,
          record: draft.records.map((r) => `${r.kind}:${r.id}`),
        })
        : undefined;
      if (!parsed?.success) return c.redirect("/richieste/nuova", 303);
      const read = parsed.data;
      const priced = await quote(read.input, read.values.feeExemptionId);
      if (!priced.fee) return c.redirect("/richieste/nuova", 303);
      const found = (await labelRecords(db, read.records)).filter((l) => l.found);
      c.header("Cache-Control", "no-store");
      return c.html(
        <RequestConfirmPage
          records={found}
          values={read.values}
          maskedTaxCode={maskTaxCode(read.input.taxCode)}
          regimeLabel={i18nOf(c).t.request.regimes[read.input.regime]}
          modeLabel={i18nOf(c).t.request.modes[read.input.mode]}
          csrfToken={c.get("csrfToken")}
          fee={priced.fee}
          filingKey={crypto.randomUUID()}
        />,
      );
    })
    .post(
      "/nuova",
      validate("form", requestForm, {
        onInvalid: (c, error, raw) => refusedForm(c, rawRequestValues(raw), { ...error.fields }),
      }),
      async (c) => {
        const read = c.req.valid("form");
        const labels = await labelRecords(db, read.records);
        if (labels.some((l) => !l.found)) {
          return refusedForm(c, read, {
            recordsDescription: localMessage((t) => t.citizenArea.recordGone),
          });
        }
        const priced = await quote(read.input, read.values.feeExemptionId);
        if (!priced.fee) return refusedForm(c, read, { feeExemptionId: priced.error ?? "" });
        const found = labels.filter((l) => l.found);
        if (!read.confirm) {
          // First submit: show what will be filed, tax code masked, and ask to confirm.
          writeDraft(c, { values: read.values, records: read.records });
          if (isHtmx(c)) {
            // A full navigation to the summary's own URL: a history entry per step.
            c.header("HX-Redirect", "/richieste/conferma");
            return c.body(null, 204);
          }
          const props = {
            records: found,
            values: read.values,
            maskedTaxCode: maskTaxCode(read.input.taxCode),
            regimeLabel: i18nOf(c).t.request.regimes[read.input.regime],
            modeLabel: i18nOf(c).t.request.modes[read.input.mode],
            csrfToken: c.get("csrfToken"),
            fee: priced.fee,
            filingKey: crypto.randomUUID(),
          };
          c.header("Cache-Control", "no-store");
          return c.html(<RequestConfirmPage {...props} />);
        }
        const body = await c.req.parseBody();
        const key = typeof body.filing === "string" ? body.filing.slice(0, 64) : undefined;
        const now = clock();
        const row = await fileOnce(
          key,
          now.getTime(),
          async () =>
            // The visitor's language goes on the row: their notices are written in it.
            createAccessRequest(db, {
              ...read.input,
              fee: priced.fee,
              locale: c.get("i18n").locale,
            }, {
              now,
              branch: config.branchName,
              branchCode: config.branchCode,
              outbox: config.role === "branch",
              settings: await readDeadlineSettings(db),
            }),
        );
        writeBasket(c, []);
        dropDraft(c);
        setCookie(c, RECEIPT_COOKIE, row.receiptCode, cookieOptions(c, RECEIPT_SECONDS));
        if (isHtmx(c)) {
          c.header("HX-Redirect", "/richieste/ricevuta");
          return c.body(null, 204);
        }
        return c.redirect("/richieste/ricevuta", 303);
      },
    )
    .post("/modifica", validate("form", requestValues), async (c) => {
      // "Modifica i dati": the form again with everything as typed.
      const read = c.req.valid("form");
      const records = (await labelRecords(db, read.records)).filter((l) => l.found);
      c.header("Cache-Control", "no-store");
      return c.html(
        <RequestFormPage
          records={records}
          values={read.values}
          errors={{}}
          csrfToken={c.get("csrfToken")}
          feeOptions={await feeOptions()}
        />,
      );
    })
    .post("/verifica-cf", validate("form", taxCodeForm), (c) => {
      const value = c.req.valid("form").taxCode;
      const result = validateTaxCode(value);
      return c.html(<TaxCodeField value={value} error={result.ok ? undefined : result.message} />);
    })
    .get("/ricevuta", async (c) => {
      const code = getCookie(c, RECEIPT_COOKIE);
      const row = code ? await findByReceiptCode(db, code) : undefined;
      if (!row) {
        throw new UserFacingError((t) => t.kiosk.noReceipt, { status: 404 });
      }
      const snap = await readAccessRequest(db, row.id);
      const records = (await labelRecords(db, snap?.records ?? [])).filter((l) => l.found);
      // The QR opens the status page with the code filled in, from a phone as well.
      const base = config.publicUrl ?? new URL(c.req.url).origin;
      const statusUrl = `${base.replace(/\/+$/, "")}/richieste/stato?codice=${row.receiptCode}`;
      c.header("Cache-Control", "no-store");
      return c.html(
        <ReceiptPage
          code={row.receiptCode}
          qrDataUri={await receiptQrDataUri(statusUrl)}
          statusUrl={statusUrl}
          filedAt={row.filedAt}
          dueOn={row.dueOn}
          regimeLabel={i18nOf(c).t.request.regimes[row.regime]}
          modeLabel={i18nOf(c).t.request.modes[row.mode]}
          branchName={config.branchName}
          requester={`${initials(row.requesterName)} (codice fiscale ${maskTaxCode(row.taxCode)})`}
          records={records}
          recordsDescription={row.recordsDescription ?? undefined}
        />,
      );
    })
    .get("/stato", validate("query", statusQuery), (c) => {
      const code = parseReceiptCode(c.req.valid("query").codice);
      const values = code.ok ? { code: code.code } : {};
      return c.html(<StatusPage values={values} errors={{}} csrfToken={c.get("csrfToken")} />);
    })
    .post("/stato", validate("form", statusForm), async (c) => {
      const values = { ...c.req.valid("form") };
      const render = (
        errors: Record<string, string>,
        status: 200 | 404 | 422 | 429,
        answer?: StatusAnswer,
      ) => {
        const props = { values, errors, answer, csrfToken: c.get("csrfToken") };
        return isHtmx(c)
          ? c.html(<StatusPanel {...props} />, status)
          : c.html(<StatusPage {...props} />, status);
      };
      const byIp = await limiters.lookupByIp.hit(clientIp(c));
      if (!byIp.allowed) {
        c.header("Retry-After", String(byIp.retryAfter));
        const minutes = Math.ceil(byIp.retryAfter / 60);
        return render({ code: localMessage((t) => t.attempts.tooMany(minutes)) }, 429);
      }
      const code = parseReceiptCode(values.code);
      const cf = validateTaxCode(values.taxCode);
      const errors: Record<string, string> = {};
      if (!code.ok) errors.code = code.message;
      if (!cf.ok) errors.taxCode = cf.message;
      if (!code.ok || !cf.ok) return render(errors, 422);
      const byCode = await limiters.lookupByCode.hit(code.code);
      if (!byCode.allowed) {
        c.header("Retry-After", String(byCode.retryAfter));
        const minutes = Math.ceil(byCode.retryAfter / 60);
        return render({ code: localMessage((t) => t.attempts.tooManyForCode(minutes)) }, 429);
      }
      const row = await findByReceiptCode(db, code.code);
      // One answer for "no such code" and "wrong tax code": neither tells which it was.
      if (!row || row.taxCode !== cf.normalized || !isAccessState(row.state)) {
        return render({ code: localMessage((t) => t.attempts.noSuchRequest) }, 404);
      }
      const today = localDate(clock());
      // The answer is on screen: the tax code typed for it is not left in the field.
      values.taxCode = "";
      return render({}, 200, {
        stateLabel: i18nOf(c).t.request.states[row.state],
        dueOn: row.dueOn,
        overdue: isOverdue(row.state, row.dueOn, today),
        fee: await feeStatusOf(db, row),
        awaitingPayment: row.state === "awaiting_payment",
      });
    })
    .get("/cestino", async (c) => {
      const labels = (await labelRecords(db, readBasket(c))).filter((l) => l.found);
      return c.html(<BasketPage records={labels} csrfToken={c.get("csrfToken")} />);
    })
    .post("/cestino", validate("form", basketForm), async (c) => {
      const { action, ref, records, values } = c.req.valid("form");
      if (action === "add_and_search") {
        // From the request form: keep what was typed and every record listed, then search.
        const refs = mergeRefs(readBasket(c), records, [ref]);
        const found = (await labelRecords(db, refs)).filter((l) => l.found);
        const kept = refs.filter((r) => found.some((l) => l.ref === `${r.kind}:${r.id}`));
        writeBasket(c, kept);
        writeDraft(c, { values, records: kept });
        if (isHtmx(c)) {
          c.header("HX-Redirect", "/");
          return c.body(null, 204);
        }
        return c.redirect("/", 303);
      }
      const basket = readBasket(c).filter((r) => !(r.kind === ref.kind && r.id === ref.id));
      if (action !== "remove") {
        const [label] = await labelRecords(db, [ref]);
        if (!label?.found) {
          throw new UserFacingError((t) => t.errors.recordUnavailable, { status: 404 });
        }
        if (basket.length >= MAX_RECORDS) {
          throw new UserFacingError((t) => t.errors.basketFull(MAX_RECORDS));
        }
        basket.push(ref);
      }
      writeBasket(c, basket);
      // After "add and search more" the citizen goes back to the search; else to the basket.
      return c.redirect(action === "remove" ? "/richieste/cestino" : "/", 303);
    })
    .get("/azzera", (c) => {
      // The idle reset and "Fine" land here: nothing of this visitor stays on the kiosk.
      writeBasket(c, []);
      dropDraft(c);
      deleteCookie(c, RECEIPT_COOKIE, { path: "/" });
      deleteCookie(c, CONSULT_COOKIE, { path: "/" });
      deleteCookie(c, BOOKING_COOKIE, { path: "/prenota" });
      // The next visitor meets the kiosk in Italian again.
      deleteCookie(c, LOCALE_COOKIE, { path: "/" });
      return c.redirect("/", 303);
    });
}

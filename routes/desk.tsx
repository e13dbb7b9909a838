/**
 * The clerk's desk: the queue by days left, a request page (an audited view of the
 * requester's data) and the actions on it.
 */
import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppDeps } from "../app.ts";
import { type AccessRequestRow, listQueue, readAccessRequest } from "../db/access_requests.ts";
import type { Db } from "../db/client.ts";
import { findNotice } from "../db/payment_notices.ts";
import { formatEuro, formatNoticeNumber } from "../domain/pagopa_notice.ts";
import { applyDeskAction, type DeskAction } from "../db/access_decisions.ts";
import { readDeadlineSettings } from "../db/access_settings.ts";
import { appendAudit } from "../db/audit.ts";
import { completionNoticeBy, daysLeft, localDate, type Regime } from "../domain/access_deadline.ts";
import {
  ACCESS_STATE_LABELS,
  AccessRuleError,
  isAccessState,
  isDecisionOutcome,
  isOverdue,
} from "../domain/access_states.ts";
import { requireRole } from "../middleware/session.ts";
import { QueuePage } from "../views/desk_queue.tsx";
import { DeskRequestPage } from "../views/desk_request.tsx";
import { labelRecords } from "./_record_labels.ts";
import { readRecord } from "../db/records.ts";
import { readVocabularies } from "../db/vocabularies.ts";
import { searchRecords } from "../search/search_records.ts";
import { DeskRecordPage } from "../views/desk_record.tsx";
import { DeskSearchPage } from "../views/desk_search.tsx";
import { readSearchInput } from "./search.tsx";
import { parseRecordRef } from "./_request_input.ts";
import { type FormBody, text } from "./_request_input.ts";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const REGIMES: Regime[] = ["documentale", "civico_generalizzato", "civico_semplice"];

function date(body: FormBody, name: string, label: string): string {
  const v = text(body, name);
  if (!ISO_DATE.test(v)) throw new AccessRuleError(`${label}: indica una data valida.`, name);
  return v;
}

function optional(body: FormBody, name: string, max = 2000): string | undefined {
  const v = text(body, name).slice(0, max);
  return v === "" ? undefined : v;
}

/** What the desk reads about a request's fee: exemption to check, notice, payment. */
async function paymentLine(db: Db, r: AccessRequestRow): Promise<string | undefined> {
  if (r.feeExemptionReason) {
    return `Esenzione dai diritti da verificare: ${r.feeExemptionReason}.`;
  }
  const n = await findNotice(db, r.id);
  if (n) {
    const amount = `€ ${formatEuro(n.amountCents)}`;
    const code = formatNoticeNumber(n.noticeNumber);
    if (n.status === "paid") return `Diritti pagati (${amount}, avviso pagoPA ${code}).`;
    if (n.status === "registered") return `Diritti da pagare: ${amount}, avviso pagoPA ${code}.`;
    return `Diritti da pagare: ${amount}; avviso in registrazione presso pagoPA.`;
  }
  if (r.state === "awaiting_payment") {
    return `Diritti da pagare${
      r.feeCents ? `: € ${formatEuro(r.feeCents)}` : ""
    }; l'avviso pagoPA sarà emesso dall'archivio centrale.`;
  }
  return undefined;
}

/** Reads the action form into a DeskAction (throws AccessRuleError on bad input). */
export function readAction(body: FormBody): DeskAction {
  const kind = text(body, "action");
  switch (kind) {
    case "start_review":
    case "withdraw":
      return { kind };
    case "request_completion":
      return { kind, note: optional(body, "note") };
    case "notify_counterparties":
    case "counterparties_resolved":
    case "completed":
      return { kind, on: date(body, "on", "Data") };
    case "consultation_done":
      return { kind, on: date(body, "on", "Data"), fees: optional(body, "fees", 200) };
    case "record_appeal": {
      const text = optional(body, "appeal", 500);
      if (!text) throw new AccessRuleError("Descrivi il riesame o il ricorso.", "appeal");
      return { kind, text };
    }
    case "decide": {
      const outcome = text(body, "outcome");
      if (!isDecisionOutcome(outcome)) throw new AccessRuleError("Scegli l'esito.", "outcome");
      const optDate = (n: string) => (text(body, n) ? date(body, n, "Data") : undefined);
      return {
        kind,
        decision: {
          outcome,
          reason: optional(body, "reason"),
          legalBasis: optional(body, "legalBasisText", 300) ?? optional(body, "legalBasis", 300),
          grantedScope: optional(body, "grantedScope", 500),
          deferredUntil: optDate("deferredUntil"),
          consultationFrom: optDate("consultationFrom"),
          consultationTo: optDate("consultationTo"),
          consultationPlace: optional(body, "consultationPlace", 300),
        },
      };
    }
    default:
      throw new AccessRuleError("Azione sconosciuta.");
  }
}

// Every text field of a submitted form (the CSRF token aside), to fill the form again.
function formValues(body: FormBody): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(body)) if (name !== "_csrf") out[name] = text(body, name);
  return out;
}

function staffOf(c: Context) {
  const s = c.get("session");
  if (!s) {
    throw new HTTPException(401, { message: "Accesso riservato: entra con le tue credenziali." });
  }
  return { username: s.user.username, role: s.user.role, csrfToken: c.get("csrfToken") };
}

/** Desk routes, mounted at /sportello (clerks and admins). */
export function deskRoutes(deps: AppDeps): Hono {
  const { db, index, clock, config } = deps;
  const writeCtx = () => ({
    now: clock(),
    branch: config.branchName,
    outbox: config.role === "branch",
  });

  async function renderRequest(
    c: Context,
    id: string,
    error?: AccessRuleError,
    body?: FormBody,
  ) {
    const snap = await readAccessRequest(db, id);
    if (!snap) throw new HTTPException(404, { message: "Richiesta non trovata." });
    const staff = staffOf(c);
    // Every look at a requester's personal data is recorded (issue 5 "Audit").
    await appendAudit(db, {
      actor: staff.username,
      action: "view_request",
      recordKind: "access_request",
      recordId: id,
    }, writeCtx());
    const today = localDate(clock());
    const r = snap.request;
    const state = isAccessState(r.state) ? r.state : "received";
    c.header("Cache-Control", "no-store");
    return c.html(
      <DeskRequestPage
        snap={snap}
        records={await labelRecords(db, snap.records)}
        today={today}
        daysLeft={daysLeft(r.dueOn, today)}
        overdue={isOverdue(state, r.dueOn, today)}
        completionBy={completionNoticeBy(
          r.regime,
          r.clockStartOn,
          (await readDeadlineSettings(db)).holidays,
        )}
        error={error ? { message: error.message, field: error.field } : undefined}
        values={body ? formValues(body) : undefined}
        failedAction={body ? text(body, "action") : undefined}
        staff={staff}
        payment={await paymentLine(db, r)}
      />,
      error ? 422 : 200,
    );
  }

  return new Hono()
    .use("*", requireRole("clerk", "admin"))
    .get("/", async (c) => {
      const stateParam = c.req.query("state") ?? "";
      const regimeParam = c.req.query("regime") ?? "";
      const state = isAccessState(stateParam) ? stateParam : undefined;
      const regime = REGIMES.find((r) => r === regimeParam);
      const rows = await listQueue(db, { state, regime, all: stateParam === "all" });
      const today = localDate(clock());
      const { holidays } = await readDeadlineSettings(db);
      const items = rows.map((r) => {
        const s = isAccessState(r.state) ? r.state : "received";
        // Only while the request can still be sent back for completion.
        const completionBy = s === "received" || s === "in_review"
          ? completionNoticeBy(r.regime, r.clockStartOn, holidays)
          : undefined;
        return {
          ...(completionBy ? { completionBy, completionLate: today > completionBy } : {}),
          id: r.id,
          code: r.receiptCode,
          filedOn: localDate(new Date(r.filedAt)),
          regime: r.regime,
          stateLabel: ACCESS_STATE_LABELS[s],
          dueOn: r.dueOn,
          daysLeft: daysLeft(r.dueOn, today),
          overdue: isOverdue(s, r.dueOn, today),
        };
      });
      return c.html(
        <QueuePage
          items={items}
          filter={{ state: state ?? (stateParam === "all" ? "all" : ""), regime: regime ?? "" }}
          staff={staffOf(c)}
        />,
      );
    })
    .get("/cerca", (c) => c.html(<DeskSearchPage q="" result={undefined} staff={staffOf(c)} />))
    .post("/cerca", async (c) => {
      // POST, not GET: a surname or tax code typed here must not end up in a URL (history,
      // logs); the query string is only rebuilt inside the server for the parser.
      const q = text(await c.req.parseBody({ all: true }), "q");
      const { params } = await readSearchInput(
        () => readVocabularies(db),
        `http://desk/cerca?q=${encodeURIComponent(q)}`,
      );
      const result = params.q ? await searchRecords(db, index, params, "clerk", clock) : undefined;
      return c.html(<DeskSearchPage q={params.q} result={result} staff={staffOf(c)} />);
    })
    .get("/pratiche/:ref", async (c) => {
      const ref = parseRecordRef(c.req.param("ref"));
      const doc = ref ? await readRecord(db, ref.kind, ref.id) : undefined;
      if (!ref || !doc) throw new HTTPException(404, { message: "Pratica non trovata." });
      const staff = staffOf(c);
      // A clerk opening a record sees its people: recorded in the audit log.
      await appendAudit(db, {
        actor: staff.username,
        action: "view_people",
        recordKind: ref.kind,
        recordId: ref.id,
      }, writeCtx());
      c.header("Cache-Control", "no-store");
      return c.html(<DeskRecordPage doc={doc} staff={staff} />);
    })
    .get("/richieste/:id", (c) => renderRequest(c, c.req.param("id")))
    .post("/richieste/:id/azione", async (c) => {
      const id = c.req.param("id");
      const actor = staffOf(c).username;
      const body: FormBody = await c.req.parseBody({ all: true });
      try {
        const action = readAction(body);
        const ctx = { ...writeCtx(), settings: await readDeadlineSettings(db) };
        // The action writes its own audit entry, in its transaction.
        await applyDeskAction(db, id, action, actor, ctx);
      } catch (err) {
        // The form comes back with everything the clerk typed, the wrong field marked.
        if (err instanceof AccessRuleError) return renderRequest(c, id, err, body);
        throw err;
      }
      return c.redirect(`/sportello/richieste/${id}`, 303);
    });
}

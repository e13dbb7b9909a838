/**
 * The clerk's desk: the queue by days left, a request page (an audited view of the
 * requester's data) and the actions on it.
 */
import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppDeps } from "../app_deps.ts";
import { type AccessRequestRow, listQueue, readAccessRequest } from "../db/access_requests.ts";
import type { Db } from "../db/client.ts";
import { findNotice } from "../db/payment_notices.ts";
import { formatEuro, formatNoticeNumber } from "../domain/pagopa_notice.ts";
import { applyDeskAction, type DeskAction } from "../db/access_decisions.ts";
import { readDeadlineSettings, readUploadMaxMb } from "../db/access_settings.ts";
import { documentsOfRecord } from "../db/document_files.ts";
import { addRecordDocument, RecordMissingError } from "../db/record_documents.ts";
import { IngestError, ingestFile } from "../documents/ingest.ts";
import { DeskDocuments } from "../views/desk_record.tsx";
import { readUpload, UPLOAD_TYPES, uploadedDocument } from "./_document_upload.ts";
import { appendAudit } from "../db/audit.ts";
import { completionNoticeBy, daysLeft, localDate } from "../domain/access_deadline.ts";
import {
  ACCESS_STATES,
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
import { z } from "zod";
import { type LocalText, UserFacingError } from "../domain/user_facing_error.ts";
import { i18nOf } from "../i18n/context.tsx";
import type { Messages } from "../i18n/it.ts";
import { localMessage } from "../i18n/local_message.ts";
import { cleanLine, cleanMultiline } from "../domain/plain_text.ts";
import { optionalCode, optionalDate, optionalText } from "./_fields.ts";
import { parseRecordRef } from "./_request_input.ts";
import { searchParamsOf } from "./_search_query.ts";
import { validate } from "./_validate.ts";
import { listAttachments, readAttachment } from "../db/request_attachments.ts";
import {
  createGrant,
  createGrantIn,
  readGrant,
  recordTitle,
  revokeGrant,
} from "../db/access_grants.ts";
import {
  deskGrantsView,
  documentList,
  grantDefaults,
  grantForm,
  grantInput,
  grantShape,
  revokeForm,
  titleForm,
} from "./_desk_grants.ts";
import { type FormDraft, GrantsSection, TitleSection } from "../views/desk_grants.tsx";

const REGIMES = ["documentale", "civico_generalizzato", "civico_semplice"] as const;
const ACTIONS = [
  "start_review",
  "withdraw",
  "request_completion",
  "notify_counterparties",
  "counterparties_resolved",
  "completed",
  "consultation_done",
  "record_appeal",
  "decide",
] as const;

// The queue's filters: a state (or "all"), a regime; empty means no filter.
const queueQuery = z.object({
  state: z.enum(["", "all", ...ACCESS_STATES], {
    error: localMessage((t) => t.deskRequest.badState),
  })
    .default(""),
  regime: z.enum(["", ...REGIMES], { error: localMessage((t) => t.deskRequest.badRegime) })
    .default(""),
});

const searchForm = z.object({ q: optionalText((t) => t.desk.searchField, { max: 200 }) });

/** What the desk reads about a request's fee: exemption to check, notice, payment. */
async function paymentLine(
  db: Db,
  r: AccessRequestRow,
  t: Messages,
): Promise<string | undefined> {
  const d = t.deskRequest;
  if (r.feeExemptionReason) return d.exemptionToCheck(r.feeExemptionReason);
  const n = await findNotice(db, r.id);
  if (n) {
    const amount = `€ ${formatEuro(n.amountCents)}`;
    const code = formatNoticeNumber(n.noticeNumber);
    if (n.status === "paid") return d.feesPaid(amount, code);
    if (n.status === "registered") return d.feesDue(amount, code);
    return d.feesDueRegistering(amount);
  }
  if (r.state === "awaiting_payment") {
    return d.feesDueCentral(r.feeCents ? `€ ${formatEuro(r.feeCents)}` : undefined);
  }
  return undefined;
}

const opt = (v: string) => v === "" ? undefined : v;

// The action form's fields: free text has its control characters made spaces (text areas
// keep their line breaks), dates and the outcome refuse them.
const actionFields = z.object({
  action: z.enum(ACTIONS, { error: localMessage((t) => t.deskRequest.unknownAction) }),
  note: optionalText((t) => t.deskRequest.labelNote, { max: 2000, multiline: true }),
  on: optionalDate((t) => t.deskRequest.labelDate),
  fees: optionalText((t) => t.deskRequest.labelFees, { max: 200 }),
  appeal: optionalText((t) => t.deskRequest.labelAppeal, { max: 500, multiline: true }),
  outcome: optionalCode((t) => t.deskRequest.labelOutcome, { max: 40 }),
  reason: optionalText((t) => t.deskRequest.labelReason, { max: 2000, multiline: true }),
  legalBasis: optionalText((t) => t.deskRequest.labelLegalBasis, { max: 300 }),
  legalBasisText: optionalText((t) => t.deskRequest.labelLegalBasis, { max: 300 }),
  grantedScope: optionalText((t) => t.deskRequest.labelGrantedScope, {
    max: 500,
    multiline: true,
  }),
  deferredUntil: optionalDate((t) => t.deskRequest.labelDeferredUntil),
  consultationFrom: optionalDate((t) => t.deskRequest.labelConsultationFrom),
  consultationTo: optionalDate((t) => t.deskRequest.labelConsultationTo),
  consultationPlace: optionalText((t) => t.deskRequest.labelConsultationPlace, { max: 300 }),
  // A documentale acceptance creates its grant (issue 11): left empty, the defaults.
  ...grantShape,
});
type ActionFields = z.output<typeof actionFields>;

function deskAction(f: ActionFields, ctx: z.RefinementCtx): DeskAction {
  const fail = (message: LocalText, field: string) => {
    ctx.addIssue({ code: "custom", path: [field], message: localMessage(message) });
    return z.NEVER;
  };
  switch (f.action) {
    case "start_review":
    case "withdraw":
      return { kind: f.action };
    case "request_completion":
      return { kind: f.action, note: opt(f.note) };
    case "notify_counterparties":
    case "counterparties_resolved":
    case "completed":
      return f.on ? { kind: f.action, on: f.on } : fail((t) => t.deskRequest.badActionDate, "on");
    case "consultation_done":
      return f.on
        ? { kind: f.action, on: f.on, fees: opt(f.fees) }
        : fail((t) => t.deskRequest.badActionDate, "on");
    case "record_appeal":
      return f.appeal
        ? { kind: f.action, text: f.appeal }
        : fail((t) => t.deskRequest.describeAppeal, "appeal");
    case "decide": {
      if (!isDecisionOutcome(f.outcome)) return fail((t) => t.deskRequest.chooseOutcome, "outcome");
      return {
        kind: f.action,
        decision: {
          outcome: f.outcome,
          // Text areas: their line breaks stay.
          reason: opt(f.reason),
          legalBasis: opt(f.legalBasisText) ?? opt(f.legalBasis),
          grantedScope: opt(f.grantedScope),
          deferredUntil: f.deferredUntil,
          consultationFrom: f.consultationFrom,
          consultationTo: f.consultationTo,
          consultationPlace: opt(f.consultationPlace),
        },
      };
    }
  }
}

/**
 * The action form as a DeskAction (the rules of each move are applyDeskAction's), with the
 * values as typed (cleaned) to fill the form again if the action is refused.
 */
export const actionForm = actionFields.transform((f, ctx) => {
  const values: Record<string, string> = {};
  for (const [name, v] of Object.entries(f)) {
    if (typeof v === "string" || v === undefined) values[name] = v ?? "";
  }
  return {
    action: deskAction(f, ctx),
    values,
    lists: { grantDocuments: documentList(f.grantDocuments) },
    grant: f,
  };
});

const MULTILINE_FIELDS = new Set(["note", "appeal", "reason", "grantedScope"]);

// A refused form's fields as typed (first value of each, bounded, cleaned), to fill it again.
function typedForm(
  raw: Record<string, unknown>,
): { action: string; values: Record<string, string>; lists: Record<string, string[]> } {
  const values: Record<string, string> = {};
  const chosen = raw.grantDocuments;
  const lists = {
    grantDocuments: (Array.isArray(chosen) ? chosen : [chosen])
      .filter((v): v is string => typeof v === "string").slice(0, 500).map((v) => v.slice(0, 200)),
  };
  for (const [name, v] of Object.entries(raw)) {
    const one = Array.isArray(v) ? v[0] : v;
    if (name === "_csrf" || typeof one !== "string") continue;
    const cut = one.slice(0, 2000);
    values[name] = (MULTILINE_FIELDS.has(name) ? cleanMultiline(cut) : cleanLine(cut)).trim();
  }
  return { action: values.action ?? "", values, lists };
}

/** The counter upload's path, limited by its own setting before anything reads the body. */
export function isUploadPath(path: string): boolean {
  return /^\/sportello\/pratiche\/[^/]+\/documenti$/.test(path);
}

function staffOf(c: Context) {
  const s = c.get("session");
  if (!s) {
    throw new UserFacingError((t) => t.deskRequest.signInFirst, { status: 401 });
  }
  return { username: s.user.username, role: s.user.role, csrfToken: c.get("csrfToken") };
}

/** Desk routes, mounted at /sportello (clerks and admins). */
export function deskRoutes(deps: AppDeps): Hono {
  const { db, index, clock, config, fileStore, cardReader } = deps;
  const writeCtx = () => ({
    now: clock(),
    branch: config.branchName,
    outbox: config.role === "branch",
  });

  /**
   * The request page; after a refused action, `form` is what the clerk typed, to fill the
   * decision form again with the wrong field marked.
   */
  async function renderRequest(
    c: Context,
    id: string,
    error?: UserFacingError,
    form?: { action: string; values: Record<string, string>; lists?: Record<string, string[]> },
  ) {
    const snap = await readAccessRequest(db, id);
    if (!snap) throw new UserFacingError((t) => t.deskRequest.requestNotFound, { status: 404 });
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
    const { t } = i18nOf(c);
    c.header("Cache-Control", "no-store");
    return c.html(
      <DeskRequestPage
        snap={snap}
        records={await labelRecords(db, snap.records)}
        attachments={await listAttachments(db, id)}
        today={today}
        daysLeft={daysLeft(r.dueOn, today)}
        overdue={isOverdue(state, r.dueOn, today)}
        completionBy={completionNoticeBy(
          r.regime,
          r.clockStartOn,
          (await readDeadlineSettings(db)).holidays,
        )}
        error={error ? { message: error.messageIn(t), field: error.field } : undefined}
        values={form?.values}
        failedAction={form?.action}
        staff={staff}
        payment={await paymentLine(db, r, t)}
        documentale={r.regime === "documentale"
          ? await documentaleView(r, snap.records.length > 0, t, form?.lists)
          : undefined}
      />,
      error ? 422 : 200,
    );
  }

  async function documentaleView(
    r: AccessRequestRow,
    hasRecords: boolean,
    t: Messages,
    lists?: Record<string, string[]>,
  ) {
    const view = await deskGrantsView(db, r, hasRecords, clock(), t);
    return {
      grants: view.grants,
      decisionChoices: view.choices,
      newGrantChoices: view.canGrant ? view.choices : undefined,
      lists,
    };
  }

  /** The request, or a 404 (a path parameter nobody can act on). */
  async function requestOr404(id: string) {
    const snap = await readAccessRequest(db, id);
    if (!snap) throw new UserFacingError((t) => t.deskRequest.requestNotFound, { status: 404 });
    return snap;
  }

  const isHtmx = (c: Context) => c.req.header("HX-Request") === "true";

  /** The title section alone (htmx), with a notice or a refusal. */
  async function titlePartial(
    c: Context,
    id: string,
    extra: { notice?: string; draft?: FormDraft },
    status: 200 | 422 = 200,
  ) {
    const r = (await requestOr404(id)).request;
    c.header("Cache-Control", "no-store");
    c.header("Vary", "HX-Request");
    return c.html(
      <TitleSection
        requestId={id}
        csrf={staffOf(c).csrfToken}
        title={{
          kind: r.titleKind,
          basis: r.titleBasis,
          by: r.titleRecordedBy,
          at: r.titleRecordedAt,
        }}
        editable={r.state !== "withdrawn" && r.state !== "refused"}
        draft={extra.draft}
        notice={extra.notice}
      />,
      status,
    );
  }

  /** The grants section alone (htmx), with a notice or the refusal of one of its forms. */
  async function grantsPartial(
    c: Context,
    id: string,
    extra: { notice?: string; failed?: string; draft?: FormDraft },
    status: 200 | 422 = 200,
  ) {
    const snap = await requestOr404(id);
    const view = await deskGrantsView(
      db,
      snap.request,
      snap.records.length > 0,
      clock(),
      i18nOf(c).t,
    );
    c.header("Cache-Control", "no-store");
    c.header("Vary", "HX-Request");
    return c.html(
      <GrantsSection
        requestId={id}
        csrf={staffOf(c).csrfToken}
        grants={view.grants}
        choices={view.canGrant ? view.choices : undefined}
        failed={extra.failed}
        draft={extra.draft}
        notice={extra.notice}
      />,
      status,
    );
  }

  // A refused title or grant form: in place for htmx, the whole page otherwise.
  async function refused(
    c: Context,
    id: string,
    form: "record_title" | "grant",
    err: UserFacingError,
    raw: Record<string, unknown>,
    failed = "new",
  ) {
    const typed = typedForm(raw);
    const draft: FormDraft = {
      values: { ...typed.values, ...typed.lists },
      error: err.messageIn(i18nOf(c).t),
      field: err.field,
    };
    if (isHtmx(c)) {
      return form === "record_title"
        ? titlePartial(c, id, { draft }, 422)
        : grantsPartial(c, id, { failed, draft }, 422);
    }
    await requestOr404(id);
    return renderRequest(c, id, err, { action: form, values: typed.values, lists: typed.lists });
  }

  return new Hono()
    .use("*", requireRole("clerk", "admin"))
    .get("/", validate("query", queueQuery), async (c) => {
      const { state: stateParam, regime: regimeParam } = c.req.valid("query");
      const state = isAccessState(stateParam) ? stateParam : undefined;
      const regime = regimeParam === "" ? undefined : regimeParam;
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
          state: s,
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
    .post("/cerca", validate("form", searchForm), async (c) => {
      // POST, not GET: a surname or tax code typed here must not end up in a URL (history,
      // logs); the query string is only rebuilt inside the server for the parser.
      const { q } = c.req.valid("form");
      const params = searchParamsOf(new URLSearchParams({ q }), await readVocabularies(db));
      const result = params.q
        ? await searchRecords(db, index, params, "clerk", clock, cardReader)
        : undefined;
      return c.html(<DeskSearchPage q={params.q} result={result} staff={staffOf(c)} />);
    })
    .get("/pratiche/:ref", async (c) => {
      const ref = parseRecordRef(c.req.param("ref"));
      const doc = ref ? await readRecord(db, ref.kind, ref.id) : undefined;
      if (!ref || !doc) {
        throw new UserFacingError((t) => t.deskRequest.recordNotFound, { status: 404 });
      }
      const staff = staffOf(c);
      // A clerk opening a record sees its people: recorded in the audit log.
      await appendAudit(db, {
        actor: staff.username,
        action: "view_people",
        recordKind: ref.kind,
        recordId: ref.id,
      }, writeCtx());
      c.header("Cache-Control", "no-store");
      return c.html(
        <DeskRecordPage
          doc={doc}
          refText={`${ref.kind}:${ref.id}`}
          documents={await documentsOfRecord(db, ref.kind, ref.id)}
          canUpload={fileStore !== undefined && ref.kind === "dossier"}
          staff={staff}
        />,
      );
    })
    .post("/pratiche/:ref/documenti", async (c) => {
      const ref = parseRecordRef(c.req.param("ref"));
      if (!ref || ref.kind !== "dossier" || !await readRecord(db, ref.kind, ref.id)) {
        throw new UserFacingError((t) => t.deskRequest.recordNotFound, { status: 404 });
      }
      if (!fileStore) {
        throw new HTTPException(503, {
          message: localMessage((t) => t.deskRequest.noFileStore),
        });
      }
      const staff = staffOf(c);
      const maxBytes = (await readUploadMaxMb(db)) * 1_000_000;
      const upload = await readUpload(await c.req.parseBody({ all: true }), maxBytes);
      const now = clock();
      let stored;
      try {
        stored = await ingestFile(fileStore, { bytes: upload.bytes }, {
          accept: UPLOAD_TYPES,
          clock,
          maxBytes,
        });
      } catch (err) {
        if (err instanceof IngestError) {
          const { reason, message } = err;
          throw new UserFacingError((t) => t.deskRequest.uploadRefused(reason, message), {
            field: "file",
          });
        }
        throw err;
      }
      const document = uploadedDocument(upload, stored.sha256, localDate(now));
      try {
        await addRecordDocument(db, ref, document, stored, {
          ...writeCtx(),
          now,
          actor: staff.username,
        });
      } catch (err) {
        // The record went away meanwhile: the bytes just stored belong to nothing.
        if (stored.created) await fileStore.remove(stored.sha256);
        if (err instanceof RecordMissingError) {
          throw new UserFacingError((t) => t.deskRequest.recordNotFound, { status: 404 });
        }
        throw err;
      }
      const refText = `${ref.kind}:${ref.id}`;
      if (c.req.header("HX-Request") !== "true") {
        return c.redirect(`/sportello/pratiche/${encodeURIComponent(refText)}`, 303);
      }
      return c.html(
        <DeskDocuments
          refText={refText}
          documents={await documentsOfRecord(db, ref.kind, ref.id)}
          canUpload
          staff={staff}
          notice={i18nOf(c).t.deskRequest.scanAdded(upload.title, document.pages)}
        />,
      );
    })
    .get("/richieste/:id", (c) => renderRequest(c, c.req.param("id")))
    .get("/richieste/:id/allegati/:attachment", async (c) => {
      const file = await readAttachment(db, c.req.param("attachment"));
      if (!file || file.requestId !== c.req.param("id")) {
        throw new UserFacingError((t) => t.deskRequest.attachmentNotFound, { status: 404 });
      }
      // A delegation or an ID document is personal data: each opening is recorded.
      await appendAudit(db, {
        actor: staffOf(c).username,
        action: "view_attachment",
        recordKind: "access_request",
        recordId: file.requestId,
        detail: file.id,
      }, writeCtx());
      const extension = file.mime === "application/pdf" ? "pdf" : file.mime.slice(6);
      c.header("Content-Type", file.mime);
      // Downloaded, never rendered in the desk's origin (a PDF can carry scripts).
      c.header("Content-Disposition", `attachment; filename="${file.kind}.${extension}"`);
      c.header("Content-Security-Policy", "sandbox; default-src 'none'");
      c.header("Cache-Control", "no-store");
      return c.body(file.content);
    })
    .post(
      "/richieste/:id/azione",
      // A refused action shows the request again with the message beside its field and
      // everything the clerk typed.
      validate("form", actionForm, {
        onInvalid: (c, err, raw) => renderRequest(c, c.req.param("id") ?? "", err, typedForm(raw)),
      }),
      async (c) => {
        const id = c.req.param("id");
        const actor = staffOf(c).username;
        const { action, values, lists, grant } = c.req.valid("form");
        try {
          const ctx = { ...writeCtx(), settings: await readDeadlineSettings(db) };
          const within = await acceptanceGrant(id, action, grant);
          // The action writes its own audit entry, in its transaction, and an acceptance
          // its grant with it: neither is kept without the other.
          await applyDeskAction(db, id, action, actor, {
            ...ctx,
            ...(within
              ? {
                within: (tx: Parameters<typeof createGrantIn>[0]) =>
                  createGrantIn(tx, id, within, { ...ctx, actor }).then(() => {}),
              }
              : {}),
          });
        } catch (err) {
          // The form comes back with everything the clerk typed, the wrong field marked.
          if (err instanceof AccessRuleError) {
            return renderRequest(c, id, err, { action: action.kind, values, lists });
          }
          throw err;
        }
        return c.redirect(`/sportello/richieste/${id}`, 303);
      },
    )
    .post(
      "/richieste/:id/titolo",
      validate("form", titleForm, {
        onInvalid: (c, err, raw) => refused(c, c.req.param("id") ?? "", "record_title", err, raw),
      }),
      async (c) => {
        const id = c.req.param("id");
        await requestOr404(id);
        const { titleKind, titleBasis } = c.req.valid("form");
        try {
          await recordTitle(db, id, { kind: titleKind, basis: titleBasis }, {
            ...writeCtx(),
            actor: staffOf(c).username,
          });
        } catch (err) {
          if (err instanceof AccessRuleError) {
            return refused(c, id, "record_title", err, { titleKind, titleBasis });
          }
          throw err;
        }
        if (!isHtmx(c)) return c.redirect(`/sportello/richieste/${id}`, 303);
        return titlePartial(c, id, { notice: i18nOf(c).t.deskRequest.titleRecorded });
      },
    )
    .post(
      "/richieste/:id/concessioni",
      validate("form", grantForm, {
        onInvalid: (c, err, raw) => refused(c, c.req.param("id") ?? "", "grant", err, raw),
      }),
      async (c) => {
        const id = c.req.param("id");
        const snap = await requestOr404(id);
        const fields = c.req.valid("form");
        const now = clock();
        try {
          await createGrant(
            db,
            id,
            grantInput(fields, await grantDefaults(db, snap.request, now)),
            {
              ...writeCtx(),
              now,
              actor: staffOf(c).username,
            },
          );
        } catch (err) {
          if (err instanceof AccessRuleError) {
            return refused(c, id, "grant", err, {
              ...fields,
              grantValidUntil: fields.grantValidUntil ?? "",
            });
          }
          throw err;
        }
        if (!isHtmx(c)) return c.redirect(`/sportello/richieste/${id}`, 303);
        return grantsPartial(c, id, { notice: i18nOf(c).t.deskRequest.grantRecorded });
      },
    )
    .post(
      "/richieste/:id/concessioni/:grant/revoca",
      validate("form", revokeForm, {
        onInvalid: (c, err, raw) =>
          refused(c, c.req.param("id") ?? "", "grant", err, raw, c.req.param("grant")),
      }),
      async (c) => {
        const id = c.req.param("id");
        const grantId = c.req.param("grant");
        await requestOr404(id);
        const found = await readGrant(db, grantId);
        if (!found || found.grant.requestId !== id) {
          throw new UserFacingError((t) => t.deskRequest.grantNotFound, { status: 404 });
        }
        const { reason } = c.req.valid("form");
        try {
          await revokeGrant(db, grantId, reason, { ...writeCtx(), actor: staffOf(c).username });
        } catch (err) {
          if (err instanceof AccessRuleError) {
            return refused(c, id, "grant", err, { reason }, grantId);
          }
          throw err;
        }
        if (!isHtmx(c)) return c.redirect(`/sportello/richieste/${id}`, 303);
        return grantsPartial(c, id, { notice: i18nOf(c).t.deskRequest.grantRevoked });
      },
    );

  /**
   * The grant an acceptance of a documentale request creates, from the decision form's grant
   * fields (defaults for what was left empty); none for other requests or outcomes, or when
   * the request names no records of the archive (nothing to grant).
   */
  async function acceptanceGrant(
    id: string,
    action: DeskAction,
    fields: Parameters<typeof grantInput>[0],
  ) {
    if (action.kind !== "decide") return undefined;
    const outcome = action.decision.outcome;
    if (outcome !== "accepted" && outcome !== "partially_accepted") return undefined;
    const snap = await readAccessRequest(db, id);
    if (!snap || snap.request.regime !== "documentale" || snap.records.length === 0) {
      return undefined;
    }
    return grantInput(fields, await grantDefaults(db, snap.request, clock()));
  }
}

/**
 * Issue 13 for the notices: a visitor who files at the kiosk in English is told in English
 * (by a real SMTP server on loopback, after the request has gone up to the archive by sync),
 * one who files in Italian in Italian; the request's language travels with it both ways, and
 * a push from a branch that predates it (no `locale`) is Italian.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { createSyncPair } from "./_sync_setup.ts";
import { manualClock, startChannels } from "./_notice_setup.ts";
import { dossier } from "./fixtures.ts";
import { TestClient } from "./_access_client.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { accessRequests, bookings, notices } from "../db/schema.ts";
import { seedBookingSetup } from "./_booking_world.ts";
import { zonedInstant } from "../domain/booking_slots.ts";
import { readAccessRequest } from "../db/access_requests.ts";
import { applyBranchAccessRequest } from "../db/access_request_sync.ts";
import { runNoticeSendRound } from "../notices/sender_job.ts";
import {
  APP_IO_LIMITS,
  fitForAppIo,
  NOTICE_KINDS,
  type NoticeEvent,
  noticeText,
} from "../domain/notice_texts.ts";
import type { Hono } from "hono";

/** A mail's text with quoted-printable's soft line breaks and escapes undone. */
function textOf(raw: string): string {
  const bytes = raw.replace(/=\r?\n/g, "").replace(
    /=([0-9A-F]{2})/g,
    (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
  return new TextDecoder().decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
}

const FAST = { sleep: () => Promise.resolve(), backoffBaseMs: 1, maxAttempts: 2 };

/** Files a request at `app`'s kiosk in `lang` (after the language switch); its receipt code. */
async function fileAtKiosk(
  app: Hono,
  recordId: string,
  lang: "it" | "en",
  who: { name: string; taxCode: string; email: string },
): Promise<string> {
  const kiosk = new TestClient(app);
  if (lang === "en") {
    assert.equal((await kiosk.get("/lingua/en")).status, 303);
  }
  await kiosk.get(`/richieste/nuova?record=dossier:${recordId}`);
  const fields = {
    record: `dossier:${recordId}`,
    requesterName: who.name,
    taxCode: who.taxCode,
    email: who.email,
    regime: "documentale",
    motivation: "Compravendita dell'appartamento",
    mode: "view",
    privacyAck: "1",
  };
  assert.equal((await kiosk.post("/richieste/nuova", fields)).status, 200);
  assert.equal((await kiosk.post("/richieste/nuova", { ...fields, confirm: "1" })).status, 303);
  const slip = await (await kiosk.get("/richieste/ricevuta")).text();
  const code = /data-testid="receipt-code">([^<]+)</.exec(slip)?.[1] ?? "";
  assert.match(code, /^K2[2-9A-HJ-NP-Z]{2}-[2-9A-HJ-NP-Z]{4}$/);
  return code;
}

Deno.test("filed in English at the kiosk: the e-mail is in English; filed in Italian: in Italian", async () => {
  const d = dossier({ year: 1987 });
  await using pair = await createSyncPair({ archiveRecords: [d] });
  await using ch = await startChannels();
  const { archive, branch } = pair;
  await syncOnce(pair.clientDeps(), FAST);

  const english = await fileAtKiosk(branch.app, d.id, "en", {
    name: "John Smith",
    taxCode: "RSSMRA85T10A562S",
    email: "john.smith@example.org",
  });
  const italian = await fileAtKiosk(branch.app, d.id, "it", {
    name: "Mario Rossi",
    taxCode: "MRTMTT91D08F205J",
    email: "mario.rossi@example.it",
  });
  const localeAt = async (db: typeof archive.db, code: string) =>
    (await db.select({ locale: accessRequests.locale }).from(accessRequests)
      .where(eq(accessRequests.receiptCode, code)).get())?.locale;
  assert.equal(await localeAt(branch.db, english), "en");
  assert.equal(await localeAt(branch.db, italian), "it");

  // Up to the archive (which sends), and back down to the branch with the feed.
  await syncOnce(pair.clientDeps(), FAST);
  await syncOnce(pair.clientDeps(), FAST);
  assert.equal(await localeAt(archive.db, english), "en");
  assert.equal(await localeAt(archive.db, italian), "it");
  assert.equal(await localeAt(branch.db, english), "en");
  assert.equal(await localeAt(branch.db, italian), "it");

  await runNoticeSendRound(ch.deps(archive.db, manualClock()));
  assert.equal(ch.sink.mails.length, 2);
  const mailTo = (address: string) => {
    const mail = ch.sink.mails.find((m) => m.to.includes(address));
    assert.ok(mail, `no e-mail to ${address}`);
    return mail;
  };
  const en = mailTo("john.smith@example.org");
  assert.equal(en.subject, `Access request received (${english})`);
  assert.match(textOf(en.raw), /We have received your access request \(accesso agli atti\)/);
  assert.match(textOf(en.raw), /You can check the status of the request/);
  assert.doesNotMatch(textOf(en.raw), /Abbiamo ricevuto|Puoi vedere lo stato/);
  const it = mailTo("mario.rossi@example.it");
  assert.equal(it.subject, `Richiesta di accesso ricevuta (${italian})`);
  assert.match(textOf(it.raw), /Abbiamo ricevuto la tua richiesta di accesso agli atti/);
  assert.doesNotMatch(textOf(it.raw), /We have received/);
});

Deno.test("a push without locale (a branch not yet updated) is filed, and told, in Italian", async () => {
  const d = dossier({ year: 1987 });
  await using pair = await createSyncPair({ archiveRecords: [d] });
  const { archive, branch } = pair;
  await syncOnce(pair.clientDeps(), FAST);
  const code = await fileAtKiosk(branch.app, d.id, "en", {
    name: "John Smith",
    taxCode: "RSSMRA85T10A562S",
    email: "john.smith@example.org",
  });
  const row = await branch.db.select().from(accessRequests)
    .where(eq(accessRequests.receiptCode, code)).get();
  assert.ok(row);
  const snap = await readAccessRequest(branch.db, row.id);
  assert.ok(snap);
  // What an old branch sends: the same snapshot with no `locale` key at all.
  const { locale: _dropped, ...oldRequest } = snap.request;
  await archive.db.transaction((tx) =>
    applyBranchAccessRequest(tx, { ...snap, request: oldRequest }, {
      branch: "sede-prova",
      number: 1,
      mutationId: "old-branch",
      entityId: row.id,
      now: archive.clock(),
    })
  );
  const applied = await archive.db.select().from(accessRequests)
    .where(eq(accessRequests.id, row.id)).get();
  assert.equal(applied?.locale, "it");
  const queued = await archive.db.select().from(notices).where(eq(notices.receiptCode, code));
  assert.deepEqual(queued.map((n) => n.subject), [`Richiesta di accesso ricevuta (${code})`]);
});

/** One event of every kind, with every optional part filled (the longest texts). */
function everyKind(): NoticeEvent[] {
  const base = { eventId: "e", receiptCode: "K2AB-CD3E" };
  const booking = {
    at: "2025-03-04T09:30",
    place: "Archivio, via Roma 1",
    service: "Consultazione",
  };
  const all: NoticeEvent[] = [
    { ...base, kind: "request_received", awaitingPayment: true },
    {
      ...base,
      kind: "fee_notice_issued",
      payment: { amountCents: 102_050, noticeNumber: "301000000000000017", payeeFiscalCode: "1" },
      dueOn: "2025-04-02",
    },
    { ...base, kind: "payment_received" },
    { ...base, kind: "suspended_counterparties" },
    { ...base, kind: "sent_back_for_completion", note: "Delegation missing." },
    {
      ...base,
      kind: "decision",
      outcome: "deferred",
      place: "Archivio",
      from: "2025-03-10",
      to: "2025-04-10",
      deferredUntil: "2025-06-01",
    },
    { ...base, kind: "grant_expiring", expiresOn: "2025-04-10" },
    { ...base, kind: "booking_confirmed", ...booking },
    { ...base, kind: "booking_reminder", ...booking },
    { ...base, kind: "booking_rescheduled", ...booking, previousCode: "K2ZZ-ZZZ2" },
    { ...base, kind: "booking_cancelled", ...booking },
  ];
  assert.deepEqual(all.map((e) => e.kind), [...NOTICE_KINDS]);
  return all;
}

Deno.test("every English notice fits App IO as written, with English dates and amounts", () => {
  for (const e of everyKind()) {
    const t = noticeText(e, "en");
    const fitted = fitForAppIo(t.subject, t.body);
    // Within the limits without the Italian padding line or a cut.
    assert.equal(fitted.subject, t.subject, e.kind);
    assert.equal(fitted.markdown, t.body, e.kind);
    assert.ok([...t.subject].length <= APP_IO_LIMITS.subjectMax, e.kind);
    assert.ok([...t.body].length >= APP_IO_LIMITS.markdownMin, e.kind);
    assert.ok(t.body.includes("**K2AB-CD3E**"), e.kind);
    // No Italian sentence left over (Italian legal names appear only in brackets).
    assert.doesNotMatch(t.body, /\b(la|della|richiesta|sono|il tuo|Puoi)\b/, e.kind);
    assert.deepEqual(t.payment, noticeText(e).payment, e.kind);
    assert.equal(t.dueDate, noticeText(e).dueDate, e.kind);
  }
  const [, fee, , , , decision] = everyKind().map((e) => noticeText(e, "en").body);
  assert.match(fee ?? "", /\*\*€1,020\.50\*\*/);
  assert.match(fee ?? "", /by 2 April 2025/);
  assert.match(fee ?? "", /payment notice|avviso|codice avviso/);
  assert.match(decision ?? "", /from 10 March 2025 to 10 April 2025/);
  assert.match(decision ?? "", /\*\*deferred\*\* \(differita\)/);
  const booking = noticeText(everyKind()[7] as NoticeEvent, "en").body;
  assert.match(booking, /4 March 2025 at 09:30/);
});

Deno.test("without a locale a notice is the Italian text", () => {
  for (const e of everyKind()) assert.deepEqual(noticeText(e), noticeText(e, "it"));
  const fee = noticeText(everyKind()[1] as NoticeEvent).body;
  assert.match(fee, /sono dovuti \*\*€ 1\.020,50\*\*/);
  assert.match(fee, /entro il 2 aprile 2025/);
});

Deno.test("a booking made in English at the kiosk is confirmed in English, and its move too", async () => {
  await using pair = await createSyncPair();
  await using ch = await startChannels();
  const { archive, branch } = pair;
  const serviceId = await seedBookingSetup(archive.db, archive.clock(), { capacity: 3 });
  await syncOnce(pair.clientDeps(), FAST);
  const wed = (minutes: number) => zonedInstant("2025-03-05", minutes).toISOString();
  const kiosk = new TestClient(branch.app);
  assert.equal((await kiosk.get("/lingua/en")).status, 303);
  await kiosk.get(`/prenota/dati?servizio=${serviceId}&inizio=${encodeURIComponent(wed(540))}`);
  const booked = await kiosk.post("/prenota/dati", {
    sede: "",
    servizio: serviceId,
    inizio: wed(540),
    pratica: "",
    taxCode: "RSSMRA85T10A562S",
    name: "John Smith",
    email: "john.smith@example.org",
    requestCode: "",
  });
  assert.equal(booked.status, 303);
  const code = /data-testid="booking-code">([^<]+)</
    .exec(await (await kiosk.get("/prenota/ricevuta")).text())?.[1] ?? "";
  assert.ok(code);
  // Moved: the new booking keeps the language of the one it replaces.
  assert.equal(
    (await kiosk.post("/prenota/sposta", {
      code,
      taxCode: "RSSMRA85T10A562S",
      inizio: wed(600),
    })).status,
    303,
  );
  await syncOnce(pair.clientDeps(), FAST);
  const rows = await archive.db.select({ code: bookings.code, locale: bookings.locale })
    .from(bookings);
  assert.equal(rows.length, 2);
  assert.ok(rows.every((r) => r.locale === "en"));
  await runNoticeSendRound(ch.deps(archive.db, manualClock()));
  const subjects = ch.sink.mails.map((m) => m.subject);
  assert.ok(subjects.length > 0);
  for (const s of subjects) assert.match(s, /^Booking (confirmed|moved) \(/);
  assert.ok(ch.sink.mails.some((m) => /has been moved: 5 March 2025 at 10:00/.test(textOf(m.raw))));
});

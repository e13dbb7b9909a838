/// <reference lib="dom" />
/**
 * A clerk and an admin who read no Italian, in a real Chromium: they switch to English, sign
 * in with the English form, and every staff page they reach reads in English (`<html
 * lang="en">`, the staff bar's sections by name) with no WCAG 2.1 AA violation from axe-core.
 * The desk's walk on a documentale request (open it, record the title, decide, see the
 * grant, open the dossier) is checked with axe in English and in Italian.
 * The admin pages (bookings, fees, sync, the archive's notices) pass axe in Italian too.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../_world.ts";
import { dossier } from "../fixtures.ts";
import { addUser, TEST_PASSWORD } from "../_access_client.ts";
import { createAccessRequest } from "../../db/access_requests.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../../domain/access_deadline.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";
import { wrappedLines } from "./_walk.ts";
import { fileDocumentale, scannedDossier } from "../_grant_world.ts";
import { en } from "../../i18n/en.ts";
import { it } from "../../i18n/it.ts";
import type { Messages } from "../../i18n/it.ts";
import type { Locale } from "../../i18n/locale.ts";
import { seedBookingSetup } from "../_booking_world.ts";
import { setBookingClosure } from "../../db/booking_config.ts";
import { addFeeExemption, addFeeRule } from "../../db/fees.ts";
import { fileTransfers, notices } from "../../db/schema.ts";

Deno.test("the staff pages in English pass axe for a clerk and an admin", async (t) => {
  const d = dossier();
  await using world = await createTestWorld({ records: [d] });
  await addUser(world.db, "anna", "clerk", world.clock());
  await addUser(world.db, "capo", "admin", world.clock());
  await createAccessRequest(world.db, {
    regime: "documentale",
    requesterName: "Lucia Verdi",
    taxCode: "MRTMTT91D08F205J",
    mode: "copy",
    records: [{ kind: "dossier", id: d.id }],
    motivation: "Proprietaria dell'immobile",
  }, {
    now: new Date("2025-01-20T10:00:00Z"),
    branch: "sede-K2",
    branchCode: "K2",
    outbox: true,
    settings: DEFAULT_DEADLINE_SETTINGS,
  });
  // What the admin pages list: a booking setup, a fee rule and an exemption, and a file queue
  // with a transfer moving, one stuck and one failed (each state's badge and reason).
  const now = world.clock();
  await seedBookingSetup(world.db, now);
  await setBookingClosure(world.db, "K2", { date: "2025-08-16", note: "Inventario" }, true, now);
  const by = { actor: null, now, branch: "sede-K2", outbox: false };
  await addFeeRule(world.db, {
    item: "research",
    yearFrom: null,
    yearTo: 1990,
    amountCents: 3000,
  }, by);
  await addFeeExemption(world.db, "Richiesta di un'autorità giudiziaria", by);
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  await world.db.insert(fileTransfers).values([
    ["a1", "running", 1_000, null],
    ["b2", "running", 300_000, null],
    ["c3", "failed", 1_000, "Il file da inviare non è più nel file store della sede"],
  ].map(([sha, state, age, lastError]) => ({
    sha256: String(sha).repeat(32),
    direction: "down" as const,
    total: 4_000_000,
    bytesDone: 1_000_000,
    rate: 250_000,
    state: state as "running" | "failed",
    lastError: lastError as string | null,
    createdAt: ago(600_000),
    updatedAt: ago(Number(age)),
  })));
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const signIn = async (username: string) => {
      const context = await kioskContext(browser, escaped);
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      await page.goto(`${url}/lingua/en?torna=%2Flogin`);
      await page.getByRole("heading", { level: 1, name: "Staff sign-in" }).waitFor();
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      await assertAccessible(page, "sign-in (en)");
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: "Access requests" }).waitFor();
      return page;
    };
    const visit = async (page: Awaited<ReturnType<typeof signIn>>, link: string, h1: string) => {
      await page.getByRole("navigation", { name: "Staff sections" })
        .getByRole("link", { name: link }).click();
      await page.getByRole("heading", { level: 1, name: h1 }).waitFor();
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      await assertAccessible(page, `${h1} (en)`);
    };

    await t.step("a clerk: queue, staff search, register, activity log, agenda, 403", async () => {
      const page = await signIn("anna");
      await assertAccessible(page, "queue (en)");
      await page.getByText(/Overdue by \d+ days/).waitFor();
      await visit(page, "Staff search", "Staff search");
      await page.getByRole("searchbox").fill("ampliamento");
      await page.getByRole("button", { name: "Search" }).click();
      await page.locator('main a[href^="/sportello/pratiche/"]').first().waitFor();
      await assertAccessible(page, "staff search with results (en)");
      await visit(page, "Access register", "Register of access requests");
      await visit(page, "Activity log", "Activity log");
      await visit(page, "Request queue", "Access requests");
      await page.goto(`${url}/sportello/agenda`);
      await page.getByRole("heading", { level: 1, name: /^Agenda for / }).waitFor();
      await assertAccessible(page, "counter agenda (en)");
      // An admin page refused to a clerk: the 403 page.
      const denied = await page.goto(`${url}/admin/utenti`);
      assert.equal(denied?.status(), 403);
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      await assertAccessible(page, "403 (en)");
      await page.context().close();
    });

    await t.step(
      "an admin: users, settings, fees, sync and bookings, in English and Italian",
      async () => {
        const page = await signIn("capo");
        await visit(page, "Users", "Users");
        // The English sections too fit one row on a 1366 px screen.
        await page.setViewportSize({ width: 1366, height: 768 });
        assert.deepEqual(await wrappedLines(page, true), []);
        await visit(page, "Settings", "Settings");
        await visit(page, "Fees", "Fee table (tariffario) and payments");
        await visit(page, "Synchronisation", "Synchronisation with the archive");
        await page.locator("#file-queue").getByText("No progress for over a minute").waitFor();
        await page.goto(`${url}/admin/prenotazioni`);
        await page.getByRole("heading", { level: 1, name: "Bookings at the counter" }).waitFor();
        await assertAccessible(page, "bookings admin (en)");
        // The same pages in Italian: no violation either.
        for (
          const [path, h1] of [
            ["/admin/prenotazioni", "Prenotazioni allo sportello"],
            ["/admin/tariffe", "Tariffario e pagamenti"],
            ["/admin/sync", "Sincronizzazione con l'archivio"],
          ] as const
        ) {
          await page.goto(`${url}/lingua/it?torna=${encodeURIComponent(path)}`);
          await page.getByRole("heading", { level: 1, name: h1 }).waitFor();
          assert.equal(await page.locator("html").getAttribute("lang"), "it");
          await assertAccessible(page, `${h1} (it)`);
        }
        await page.goto(`${url}/lingua/en?torna=%2Fadmin%2Fimpostazioni`);
        await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByRole("heading", { level: 1, name: "Staff sign-in" }).waitFor();
        await page.context().close();
      },
    );
    assert.deepEqual(escaped, [], "no request left this machine");
  } finally {
    await browser.close();
  }
});

Deno.test("the archive's notices and fee pages pass axe in English and in Italian", async () => {
  await using world = await createTestWorld({ config: { role: "archive" } });
  await addUser(world.db, "capo", "admin", world.clock());
  const at = world.clock().toISOString();
  const base = {
    eventId: "e1",
    receiptCode: "K2-2025-000001",
    kind: "decision",
    recipient: "mario.rossi@example.it",
    subject: "Decisione",
    body: "Testo",
    createdAt: at,
  };
  await world.db.insert(notices).values([
    {
      ...base,
      id: "n1",
      idempotencyKey: "k1",
      channel: "app_io",
      state: "failed_permanent",
      attempts: 1,
      lastError: "App IO: il destinatario non ha un profilo su IO",
    },
    {
      ...base,
      id: "n2",
      idempotencyKey: "k2",
      channel: "email",
      state: "pending",
      attempts: 2,
      nextAttemptAt: at,
      lastError: "E-mail: il server SMTP ha risposto 451",
    },
  ]);
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${url}/lingua/en?torna=%2Flogin`);
    await page.getByLabel("Username").fill("capo");
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Access requests" }).waitFor();
    const nav = page.getByRole("navigation", { name: "Staff sections" });
    await nav.getByRole("link", { name: "Notices to citizens" }).click();
    await page.getByRole("heading", { level: 1, name: "Notices to citizens" }).waitFor();
    await assertAccessible(page, "notices (en)");
    await page.getByRole("button", { name: "Retry" }).click();
    await page.getByText("Notice queued again").waitFor();
    await nav.getByRole("link", { name: "Fees" }).click();
    await page.getByRole("heading", { level: 1, name: "Fee table (tariffario) and payments" })
      .waitFor();
    await page.getByTestId("pagopa-panel").waitFor();
    await assertAccessible(page, "fees with pagoPA (en)");
    for (
      const [path, h1] of [
        ["/admin/avvisi", "Avvisi ai cittadini"],
        ["/admin/tariffe", "Tariffario e pagamenti"],
      ] as const
    ) {
      await page.goto(`${url}/lingua/it?torna=${encodeURIComponent(path)}`);
      await page.getByRole("heading", { level: 1, name: h1 }).waitFor();
      await assertAccessible(page, `${h1} (it)`);
    }
    await context.close();
    assert.deepEqual(escaped, [], "no request left this machine");
  } finally {
    await browser.close();
  }
});

Deno.test("the desk's request walk passes axe in English and in Italian", async (t) => {
  const d = scannedDossier();
  await using world = await createTestWorld({ records: [d] });
  await addUser(world.db, "anna", "clerk", world.clock());
  const requests = {
    en: await fileDocumentale(world, [d.id]),
    it: await fileDocumentale(world, [d.id]),
  };
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  const catalogues: Record<Locale, Messages> = { en, it };
  try {
    for (const locale of ["en", "it"] as const) {
      await t.step(
        `a clerk opens a request, records a title, decides, sees the grant (${locale})`,
        async () => {
          const m = catalogues[locale];
          const code = requests[locale].receiptCode;
          const context = await kioskContext(browser, escaped);
          context.setDefaultTimeout(10_000);
          const page = await context.newPage();
          await page.goto(`${url}/lingua/${locale}?torna=%2Flogin`);
          await page.getByLabel(m.staff.username).fill("anna");
          await page.getByLabel(m.staff.password).fill(TEST_PASSWORD);
          await page.getByRole("button", { name: m.staff.enter }).click();
          await page.getByRole("heading", { level: 1, name: m.desk.queueHeading }).waitFor();
          await page.getByRole("link", { name: code }).click();
          await page.getByRole("heading", { level: 1, name: m.deskRequest.title(code) }).waitFor();
          assert.equal(await page.locator("html").getAttribute("lang"), locale);
          await assertAccessible(page, `desk request, received (${locale})`);
          await page.getByRole("button", { name: m.deskRequest.startReview }).click();
          await page.getByText(m.request.states.in_review).first().waitFor();
          await assertAccessible(page, `desk request, in review (${locale})`);
          // The title check: the section comes back in place (htmx) with its notice.
          await page.locator("#titleKind").selectOption("owner");
          await page.locator("#titleBasis").fill("Atto di compravendita del 2019");
          await page.getByRole("button", { name: m.deskRequest.recordTitle }).click();
          await page.getByText(m.deskRequest.titleRecorded).waitFor();
          await assertAccessible(page, `title recorded (${locale})`);
          // The acceptance creates the grant with its defaults.
          await page.locator("#outcome").selectOption("accepted");
          await page.locator("#consultationPlace").fill("Ufficio tecnico, piano terra");
          await page.locator("#consultationFrom").fill("2025-03-10");
          await page.locator("#consultationTo").fill("2025-03-31");
          await page.getByRole("button", { name: m.deskRequest.recordDecision }).click();
          await page.getByText(
            m.deskRequest.decided(m === it ? "3 marzo 2025" : "3 March 2025", "anna"),
          )
            .waitFor();
          const grant = page.getByTestId("grant");
          assert.equal(await grant.getAttribute("data-state"), "active");
          assert.match(await grant.innerText(), new RegExp(m.deskRequest.grantStates.active));
          await assertAccessible(page, `decided request with its grant (${locale})`);
          await page.getByRole("link", { name: `${d.type} ${d.number}/${d.year}` }).click();
          await page.getByRole("heading", { level: 2, name: m.deskRequest.people }).waitFor();
          await assertAccessible(page, `clerk record page (${locale})`);
          await context.close();
        },
      );
    }
    assert.deepEqual(escaped, [], "no request left this machine");
  } finally {
    await browser.close();
  }
});

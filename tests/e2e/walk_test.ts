/// <reference lib="dom" />
/**
 * Issue 15 walked again in Chromium, on the demo archive a newcomer starts with: each place
 * where a citizen or a clerk lost work or trust is a step here, axe-core on every screen.
 * With FALDONE_SHOTS_DIR set, each screen is also saved at 1080×1920 (the portrait kiosk) and
 * 1366×768 for a person to look at.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createTestWorld } from "../_world.ts";
import { addUser, TEST_PASSWORD } from "../_access_client.ts";
import { DEMO_ARCHIVE, generateArchive, SHOWCASE } from "../../demo/demo_archive.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";

const SHOTS = Deno.env.get("FALDONE_SHOTS_DIR");
const CF = "RSSMRA85T10A562S";
const COMUNE = "Comune di Vallalta";
const DESK = "Sportello edilizia, via Dante 3";
const SHOWCASE_TITLE = `${SHOWCASE.type} ${SHOWCASE.number}/${SHOWCASE.year}`;
const SIZES = [["portrait", 1080, 1920], ["laptop", 1366, 768]] as const;

// caret "initial": see kiosk_test.ts (Playwright's caret style trips the CSP under htmx).
async function shots(page: Page, name: string): Promise<void> {
  if (SHOTS === undefined) return;
  const before = page.viewportSize();
  for (const [label, width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `${SHOTS}/walk_${name}_${label}.png`, caret: "initial" });
  }
  if (before) await page.setViewportSize(before);
}

async function login(page: Page, url: string, user: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel("Nome utente").fill(user);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Entra" }).click();
  await page.waitForURL(`${url}/sportello`);
}

// Fills the kiosk request form up to (not including) the privacy box.
async function fillRequest(page: Page): Promise<void> {
  await page.getByLabel("Nome e cognome (o denominazione) (obbligatorio)").fill("Mario Rossi");
  await page.getByLabel(/^Codice fiscale/).fill(CF);
  await page.locator(`label[for="regime-documentale"]`).click();
  await page.getByLabel(/^Motivazione/).fill("Compravendita dell'appartamento");
}

Deno.test("issue 15 walked again: nothing a citizen or a clerk stumbled on is still there", async (t) => {
  await using world = await createTestWorld({
    records: [...generateArchive(DEMO_ARCHIVE)],
    config: { comuneName: COMUNE, deskPlace: DESK, deskHours: "lunedì 9–12" },
  });
  await addUser(world.db, "anna", "clerk", world.clock());
  await addUser(world.db, "capo", "admin", world.clock());
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  const newPage = async (width = 1080, height = 1920) => {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    return page;
  };
  let code = "";
  try {
    await t.step("header names the Comune; example links all find records", async () => {
      const page = await newPage();
      await page.goto(`${url}/`);
      await page.getByText(`${COMUNE} · Ufficio Edilizia privata`).waitFor();
      const examples = await page.locator(".examples a").evaluateAll((as) =>
        as.map((a) => (a as HTMLAnchorElement).href)
      );
      assert.equal(examples.length, 5);
      for (const href of examples) {
        await page.goto(href);
        await page.getByRole("heading", { name: /\d+ risultat[oi]$/ }).waitFor();
        assert.ok(await page.locator(".result").count() > 0, `${href} finds nothing`);
      }
      await page.context().close();
    });

    await t.step("8: results: folded facets, a skip link, labels that do not overlap", async () => {
      const page = await newPage();
      await page.goto(`${url}/cerca?q=ampliamento`);
      await page.getByRole("heading", { name: /^\d[\d.]* risultati$/ }).waitFor();
      await assertAccessible(page, "results with folded facets");
      await shots(page, "results");
      const [height, facets] = await page.evaluate(() => [
        document.documentElement.scrollHeight,
        document.querySelector(".facets")?.getBoundingClientRect().height ?? 0,
      ]);
      // Folded facets take less than half a portrait screen; with compact cards the page of
      // 20 results went from 8,178 px to about 6,500.
      assert.ok(facets < 900, `facets column ${facets}px tall`);
      assert.ok(height < 7_000, `portrait results page is ${height}px long`);
      // Tab from the search box to the first result.
      await page.getByRole("searchbox").focus();
      let stops = 0;
      while (stops < 60) {
        await page.keyboard.press("Tab");
        stops++;
        const inResult = await page.evaluate(() =>
          document.activeElement?.closest(".results") !== null
        );
        if (inResult) break;
      }
      assert.ok(stops <= 15, `${stops} Tab stops before the first result`);
      // The skip link takes one.
      await page.getByRole("searchbox").focus();
      await page.keyboard.press("Tab"); // Cerca
      await page.keyboard.press("Tab"); // the skip link
      assert.equal(
        await page.evaluate(() => document.activeElement?.textContent),
        "Salta i filtri: vai ai risultati",
      );
      await page.keyboard.press("Enter");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "results-count");
      // The year range: the legend and the "Dal" label do not overlap.
      await page.locator("summary", { hasText: "Anni" }).click();
      const summary = await page.locator("summary", { hasText: "Anni" }).boundingBox();
      const dal = await page.getByText("Dal", { exact: true }).boundingBox();
      const box = await page.getByLabel("Dal").boundingBox();
      assert.ok(summary && dal && box);
      assert.ok(dal.y >= summary.y + summary.height - 1, "«Dal» below «Anni»");
      assert.ok(box.y >= dal.y + dal.height - 1, "the box below «Dal»");
      await shots(page, "results_years");
      await page.context().close();
    });

    await t.step("4: a record page leads back to the same results, filters and page", async () => {
      const page = await newPage();
      await page.goto(`${url}/cerca?q=ampliamento`);
      await page.locator("summary", { hasText: "Tipo di pratica" }).click();
      await page.getByRole("group", { name: "Tipo di pratica" }).getByText(/^CE —/).click();
      await page.waitForURL(/type=CE/);
      await page.getByRole("link", { name: "Pagina successiva" }).click();
      await page.waitForURL(/page=2/);
      const results = page.url();
      await page.locator(".results a").first().click();
      await page.waitForURL(/\/pratiche\//);
      const crumbs = page.getByRole("navigation", { name: "Percorso" });
      await crumbs.getByRole("link", { name: "Risultati per «ampliamento»" }).waitFor();
      await assertAccessible(page, "record page with breadcrumbs");
      await shots(page, "record");
      await page.getByRole("link", { name: "Torna ai risultati" }).click();
      await page.waitForURL(results);
      await page.getByText("Pagina 2 di").waitFor();
      assert.equal(
        await page.getByRole("group", { name: "Tipo di pratica" }).getByLabel(/^CE —/).isChecked(),
        true,
      );
      await page.context().close();
    });

    await t.step(
      "2 and 5: a draft survives «cerca altre pratiche», and Back/Forward between the steps",
      async () => {
        const page = await newPage();
        await page.goto(`${url}/pratiche/${SHOWCASE.id}`);
        await page.getByRole("link", { name: "Richiedi accesso" }).click();
        await page.getByLabel("Nome e cognome (o denominazione) (obbligatorio)").fill(
          "Mario Rossi",
        );
        await page.getByRole("button", { name: "Aggiungi alla richiesta e cerca altre pratiche" })
          .click();
        await page.waitForURL(`${url}/`);
        const banner = page.getByRole("region", { name: "La tua richiesta di accesso" });
        await banner.getByText("1 pratica scelta, dati già inseriti").waitFor();
        await assertAccessible(page, "home with a pending request");
        await shots(page, "basket_banner");
        // A second record, then the form again: both records, the name still there.
        await page.getByRole("searchbox").fill("ampliamento");
        await page.getByRole("button", { name: "Cerca" }).click();
        await page.locator(".results a").filter({ hasNotText: SHOWCASE_TITLE }).first().click();
        await page.getByRole("link", { name: "Richiedi accesso" }).click();
        await page.getByRole("heading", { level: 1, name: "Richiesta di accesso agli atti" })
          .waitFor();
        assert.equal(
          await page.getByLabel("Nome e cognome (o denominazione) (obbligatorio)").inputValue(),
          "Mario Rossi",
        );
        assert.equal(await page.locator('input[name="record"]').count(), 2);
        await fillRequest(page);
        // The privacy notice must be acknowledged, and the server says so.
        await page.getByRole("button", { name: "Avanti: controlla i dati" }).click();
        await page.getByText("conferma di aver letto l'informativa").waitFor();
        assert.equal(
          await page.getByLabel(/^Motivazione/).inputValue(),
          "Compravendita dell'appartamento",
        );
        await assertAccessible(page, "request form with the privacy notice");
        await shots(page, "request_form");
        await page.locator(`label[for="privacyAck"]`).click();
        await page.getByRole("button", { name: "Avanti: controlla i dati" }).click();
        await page.waitForURL(`${url}/richieste/conferma`);
        await page.getByRole("heading", { name: "Controlla i dati prima di inviare" }).waitFor();
        await page.goBack();
        await page.waitForURL(/\/richieste\/nuova/);
        assert.equal(
          await page.getByLabel("Nome e cognome (o denominazione) (obbligatorio)").inputValue(),
          "Mario Rossi",
          "Back to the form keeps what was typed",
        );
        await page.goForward();
        await page.waitForURL(`${url}/richieste/conferma`);
        await page.getByText("RSS•••••••••562S").waitFor();
        await page.getByRole("button", { name: "Conferma e invia" }).click();
        await page.waitForURL(`${url}/richieste/ricevuta`);
        code = (await page.getByTestId("receipt-code").textContent()) ?? "";
        await page.context().close();
      },
    );

    await t.step("9: the receipt says what, who, where and when, prints, and its QR", async () => {
      const page = await newPage();
      // A fresh citizen: the slip is only shown right after filing, so file once more.
      await page.goto(`${url}/richieste/nuova?record=dossier:${SHOWCASE.id}`);
      await fillRequest(page);
      await page.locator(`label[for="privacyAck"]`).click();
      await page.getByRole("button", { name: "Avanti: controlla i dati" }).click();
      await page.getByRole("button", { name: "Conferma e invia" }).click();
      await page.waitForURL(`${url}/richieste/ricevuta`);
      assert.match(
        (await page.getByTestId("receipt-records").textContent()) ?? "",
        new RegExp(SHOWCASE_TITLE),
      );
      assert.match(
        (await page.getByTestId("receipt-requester").textContent()) ?? "",
        /^M\. R\. \(codice fiscale RSS•+562S\)$/,
      );
      const where = (await page.getByTestId("receipt-where").textContent()) ?? "";
      assert.ok(where.includes(COMUNE) && where.includes(DESK), where);
      await page.getByText(`${COMUNE} · Ufficio Edilizia privata`).first().waitFor();
      const slipCode = (await page.getByTestId("receipt-code").textContent()) ?? "";
      await page.evaluate(() => {
        Reflect.set(window, "__printed", 0);
        globalThis.print = () => Reflect.set(window, "__printed", 1);
      });
      await page.getByRole("button", { name: "Stampa la ricevuta" }).click();
      assert.equal(await page.evaluate(() => Reflect.get(window, "__printed")), 1);
      await assertAccessible(page, "receipt");
      await shots(page, "receipt");
      const statusUrl = (await page.locator(".receipt-url").textContent()) ?? "";
      assert.equal(statusUrl, `${url}/richieste/stato?codice=${slipCode}`);
      await page.goto(statusUrl);
      assert.equal(await page.getByLabel(/^Codice della richiesta/).inputValue(), slipCode);
      await page.context().close();
    });

    await t.step("idle: the dialog hides the previous citizen's data completely", async () => {
      const page = await newPage();
      await page.clock.install();
      await page.goto(`${url}/richieste/nuova?record=dossier:${SHOWCASE.id}`);
      await page.getByLabel(/^Codice fiscale/).fill(CF);
      await page.clock.runFor(121_000);
      const dialog = page.getByRole("dialog", { name: "Sei ancora qui?" });
      await dialog.waitFor();
      const background = await dialog.evaluate((d) => getComputedStyle(d).backgroundColor);
      assert.equal(background, "rgb(0, 38, 77)", "opaque, not see-through");
      const covers = await dialog.evaluate((d) => {
        const r = d.getBoundingClientRect();
        return r.width >= innerWidth && r.height >= innerHeight;
      });
      assert.ok(covers, "the dialog covers the whole screen");
      await shots(page, "idle");
      await page.context().close();
    });

    await t.step(
      "1: a refused decision keeps every field and shows only the needed ones",
      async () => {
        const page = await newPage(1366, 768);
        await login(page, url, "anna");
        await page.getByRole("link", { name: code }).click();
        await page.getByRole("button", { name: "Avvia istruttoria" }).click();
        await page.getByText("In istruttoria").first().waitFor();
        // Documentale: the title is checked and recorded before any acceptance (issue 11).
        await page.getByLabel("Titolo", { exact: true }).selectOption("owner");
        await page.getByLabel(/^Su cosa si fonda/).fill("Atto di compravendita del 2019");
        await page.getByRole("button", { name: "Registra il titolo" }).click();
        await page.getByText("Titolo registrato.").waitFor();
        await page.getByLabel("Esito").selectOption("refused");
        assert.equal(await page.getByLabel("Luogo").isVisible(), false, "no place for a refusal");
        assert.equal(await page.getByLabel(/^Motivazione/).isVisible(), true);
        await page.getByLabel("Esito").selectOption("accepted");
        assert.equal(await page.getByLabel(/^Motivazione/).isVisible(), false);
        await page.getByLabel("Luogo").fill("Ufficio tecnico, piano terra");
        await page.getByLabel("Dal", { exact: true }).fill("2025-03-10");
        await page.getByLabel("Al", { exact: true }).fill("2025-03-15");
        await page.getByRole("button", { name: "Registra la decisione" }).click();
        await page.getByText("deve durare almeno 15 giorni").waitFor();
        assert.equal(await page.getByLabel("Esito").inputValue(), "accepted");
        assert.equal(await page.getByLabel("Luogo").inputValue(), "Ufficio tecnico, piano terra");
        assert.equal(await page.getByLabel("Dal", { exact: true }).inputValue(), "2025-03-10");
        assert.equal(await page.getByLabel("Al", { exact: true }).inputValue(), "2025-03-15");
        assert.equal(
          await page.getByLabel("Al", { exact: true }).getAttribute("aria-invalid"),
          "true",
        );
        assert.equal(await page.getByLabel(/^Motivazione/).isVisible(), false);
        await assertAccessible(page, "decision form with an error");
        await shots(page, "decision_error");
        await page.getByLabel("Al", { exact: true }).fill("2025-03-31");
        await page.getByRole("button", { name: "Registra la decisione" }).click();
        await page.getByText(/Decisa il 3 marzo 2025 da anna/).waitFor();

        // 10: the audit log and the registro speak of receipt codes, in Italian.
        await page.goto(`${url}/audit`);
        const audit = page.locator("table");
        await audit.getByRole("link", { name: code }).first().waitFor();
        await audit.getByText("Istruttoria avviata").waitFor();
        const text = (await audit.textContent()) ?? "";
        assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-/, "no UUIDs in the audit log");
        assert.doesNotMatch(text, /request_|view_|access_request/, "no raw action codes");
        await assertAccessible(page, "audit");
        await shots(page, "audit");
        await page.goto(`${url}/registro-accessi`);
        await page.getByRole("link", { name: new RegExp(`richiesta ${code}`) }).click();
        await page.getByRole("heading", { level: 1, name: `Richiesta ${code}` }).waitFor();

        // 10: an admin page is a titled 403 for a clerk.
        const denied = await page.goto(`${url}/admin/utenti`);
        assert.equal(denied?.status(), 403);
        await page.getByRole("heading", { level: 1, name: "Accesso non consentito" }).waitFor();
        assert.match(await page.title(), /^Accesso non consentito/);
        await assertAccessible(page, "403");

        // 6: after logout, Back shows no staff page.
        await page.goto(`${url}/sportello`);
        await page.getByRole("button", { name: "Esci" }).click();
        await page.waitForURL(/\/(login)?$/);
        await page.goBack();
        await page.waitForLoadState();
        await page.waitForURL(/\/login\?next=/);
        assert.equal(await page.getByRole("link", { name: "Coda richieste" }).count(), 0);
        await page.context().close();
      },
    );

    await t.step("7: text boxes on login and user admin have a visible border", async () => {
      const page = await newPage(1366, 768);
      await page.goto(`${url}/login`);
      for (const name of ["Nome utente", "Password"]) {
        const border = await page.getByLabel(name).evaluate((el) => {
          const s = getComputedStyle(el);
          return [s.borderTopWidth, s.borderLeftWidth, s.borderTopColor];
        });
        assert.deepEqual(border, ["1px", "1px", "rgb(93, 112, 131)"], name);
      }
      await shots(page, "login");
      await login(page, url, "capo");
      await page.goto(`${url}/admin/utenti`);
      const boxes = page.locator("main input.form-control:visible");
      assert.ok(await boxes.count() > 0);
      for (
        const border of await boxes.evaluateAll((els) =>
          els.map((el) => getComputedStyle(el).borderLeftWidth)
        )
      ) assert.equal(border, "1px");
      await shots(page, "users");
      await page.context().close();
    });
    assert.deepEqual(escaped, [], "no request left loopback");
  } finally {
    await browser.close();
  }
});

/// <reference lib="dom" />
/**
 * The documents of the demo archive in a real Chromium, through the real app: a clerk opens a
 * multi-page scan from the dossier's desk page and pages through it, the TIFF dossier shows
 * its converted pages, and a citizen at the kiosk opens the signed council session from the
 * act's page, hears it load by Range and sees both signers verified (the demo trusts its own
 * demo CA); the tampered copy reads as altered. axe-core on every page.
 */
import assert from "node:assert/strict";
import { documentUrl } from "../../views/document_url.ts";
import { addUser, TEST_PASSWORD } from "../_access_client.ts";
import { createDocumentWorld } from "../_document_world.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";

Deno.test("demo documents in a browser: a clerk's scan and TIFF, a citizen's signed session", async (t) => {
  await using w = await createDocumentWorld();
  await addUser(w.world.db, "anna", "clerk", w.world.clock());
  const { url } = await w.world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  const refused: string[] = [];
  try {
    const watch = (page: import("playwright-core").Page) => {
      page.on("console", (m) => {
        // Bootstrap Italia's CSS embeds a VideoJS font as data:, which the CSP refuses
        // (kiosk_test.ts expects it too); the kiosk never uses that font.
        if (/Loading the font 'data:application\/font-woff/.test(m.text())) return;
        if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
      });
      page.on("pageerror", (e) => refused.push(`page error: ${e.message}`));
    };

    const office = await kioskContext(browser, escaped);
    office.setDefaultTimeout(20_000);
    const clerk = await office.newPage();
    watch(clerk);
    await clerk.goto(`${url}/login`);
    await clerk.getByLabel("Nome utente").fill("anna");
    await clerk.getByLabel("Password").fill(TEST_PASSWORD);
    await clerk.getByRole("button", { name: "Entra" }).click();
    await clerk.waitForURL(`${url}/sportello`);

    await t.step(
      "a clerk opens a multi-page scan from the dossier page and pages through",
      async () => {
        await clerk.goto(`${url}/sportello/pratiche/${encodeURIComponent(`dossier:${w.scan.id}`)}`);
        await clerk.locator(`a[href="${documentUrl("dossier", w.scan.id, w.scan.position)}"]`)
          .click();
        await clerk.waitForURL(`${url}${documentUrl("dossier", w.scan.id, w.scan.position)}`);
        const pages = w.scan.pages;
        await clerk.waitForSelector('.doc-viewer[data-rendered-page="1"]');
        await clerk.getByText(`Pagina 1 di ${pages}`).waitFor();
        await clerk.getByRole("button", { name: "Successiva" }).click();
        await clerk.waitForSelector('.doc-viewer[data-rendered-page="2"]');
        await clerk.keyboard.press("ArrowRight");
        await clerk.waitForSelector('.doc-viewer[data-rendered-page="3"]');
        await clerk.getByText(`Pagina 3 di ${pages}`).waitFor();
        const ink = await clerk.evaluate(() => {
          const canvas = document.querySelector("canvas.viewer-canvas");
          if (!(canvas instanceof HTMLCanvasElement)) return 0;
          const data =
            canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
          const colours = new Set<number>();
          for (let i = 0; i < data.length && colours.size < 50; i += 4 * 97) {
            colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
          }
          return colours.size;
        });
        assert.ok(ink > 5, `the scan's page is drawn (${ink} colours sampled)`);
        await assertAccessible(clerk, "a clerk's scan in the viewer");
      },
    );

    await t.step("the TIFF dossier shows its pages", async () => {
      await clerk.goto(`${url}${documentUrl("dossier", w.tiff.id, w.tiff.position)}`);
      await clerk.getByText("Pagina 1 di 3").waitFor();
      const loaded = (n: number) =>
        clerk.waitForFunction((n) => {
          const img = document.querySelector("img.viewer-image");
          return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0 &&
            img.src.endsWith(`/pagine/${n}`);
        }, n);
      await loaded(1);
      await clerk.getByRole("button", { name: "Successiva" }).click();
      await loaded(2);
      await clerk.getByRole("button", { name: "Successiva" }).click();
      await loaded(3);
      await clerk.getByText("Pagina 3 di 3").waitFor();
      assert.equal(await clerk.getByRole("button", { name: "Successiva" }).isDisabled(), true);
      await assertAccessible(clerk, "the TIFF's pages");
    });
    await office.close();

    await t.step("a citizen at the kiosk plays the signed session from the act page", async () => {
      const kiosk = await kioskContext(browser, escaped);
      kiosk.setDefaultTimeout(20_000);
      const citizen = await kiosk.newPage();
      await citizen.setViewportSize({ width: 1080, height: 1920 });
      watch(citizen);
      await citizen.goto(`${url}/atti/${encodeURIComponent(w.session.id)}`);
      await assertAccessible(citizen, "the act page with its attachment");
      const open = citizen.locator(
        `a[href="${documentUrl("act", w.session.id, w.session.position)}"]`,
      );
      assert.equal(await open.textContent(), `Apri: ${w.session.title}`);
      await open.click();
      await citizen.waitForURL(`${url}${documentUrl("act", w.session.id, w.session.position)}`);
      const panel = citizen.getByRole("region", { name: "Firme digitali" });
      await panel.getByRole("heading", { name: "Giovanna Ferri" }).waitFor();
      await panel.getByRole("heading", { name: "Paolo Marchetti" }).waitFor();
      assert.equal(await panel.getByText("Firma valida", { exact: true }).count(), 2);
      // The player read the recording's header by Range: its length is known.
      const duration = await citizen.waitForFunction(() => {
        const audio = document.querySelector("audio");
        return audio && Number.isFinite(audio.duration) && audio.duration > 0
          ? audio.duration
          : false;
      });
      assert.ok(Math.abs((await duration.jsonValue() as number) - 4) < 0.5);
      await assertAccessible(citizen, "the signed session at the kiosk");

      await citizen.goto(`${url}${documentUrl("act", w.altered.id, w.altered.position)}`);
      await citizen.getByText("Documento alterato").first().waitFor();
      await assertAccessible(citizen, "the altered session");
      await kiosk.close();
    });
  } finally {
    await browser.close();
  }
  assert.deepEqual(escaped, []);
  assert.deepEqual(refused, []);
});

/// <reference lib="dom" />
/**
 * What every browser test shares: Debian's Chromium launched offline-safe, axe-core
 * injected into each context, a WCAG 2.1 AA check, and a guard that nothing leaves loopback.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

const AXE_SOURCE = await Deno.readTextFile(
  fileURLToPath(import.meta.resolve("axe-core/axe.min.js")),
);
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Chromium from Debian; the background-networking flags stop it calling home offline. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A kiosk-sized Italian context with axe injected and every non-loopback request refused. */
export async function kioskContext(browser: Browser, escaped: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 1000 },
    locale: "it-IT",
  });
  await loopbackOnly(context, escaped);
  await context.addInitScript({ content: AXE_SOURCE });
  return context;
}

/** Blocks (and records) every request that is not to this machine. */
export async function loopbackOnly(context: BrowserContext, escaped: string[]): Promise<void> {
  await context.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === "127.0.0.1" || host === "localhost") return route.continue();
    escaped.push(route.request().url());
    return route.abort();
  });
}

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: unknown[] }[];
}

function isViolationList(value: unknown): value is AxeViolation[] {
  return Array.isArray(value);
}

/** axe-core's WCAG 2.1 A/AA violations on the page, one readable line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  const violations: unknown = await page.evaluate(async (tags: string[]) => {
    // axe is injected by the context's init script.
    const axe = Reflect.get(window, "axe");
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
    return JSON.parse(JSON.stringify(result.violations));
  }, WCAG_TAGS);
  if (!isViolationList(violations)) throw new Error("axe returned no violation list");
  return violations.map((v) =>
    `${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`
  );
}

/** Fails with the list of violations when axe finds any on the page. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  // Judged as rendered: after a click that navigates, the awaited element can be in the DOM
  // before the stylesheets apply, and axe then saw the footer's white text on no background
  // (a full test run under load, once).
  await page.waitForLoadState("load");
  assert.deepEqual(await axeViolations(page), [], `axe violations on ${what}`);
}

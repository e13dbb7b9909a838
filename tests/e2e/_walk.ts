/// <reference lib="dom" />
/**
 * What the walk tests check on every page they reach, at both screen sizes of issue 13
 * (1080×1920 portrait kiosk, 1366×768 laptop): touch targets of at least 44×44 px, no
 * horizontal scroll, filter titles on one line (and the staff sections on one row at 1366),
 * axe-core clean, and (when walking by keyboard) a visible focus ring on every Tab stop. With FALDONE_SCREENSHOTS set, each page is saved there at both sizes.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertAccessible } from "./_browser.ts";

const SCREENSHOTS = Deno.env.get("FALDONE_SCREENSHOTS");
export const SIZES = [["portrait", 1080, 1920], ["laptop", 1366, 768]] as const;

/** The interactive elements the walk measures; running-text links are left out below. */
const INTERACTIVE = 'a[href], button, input:not([type="hidden"]), select, textarea, summary';

/**
 * Every interactive element smaller than 44×44 px, as "tag text WxH". A checkbox or radio
 * counts by its label (the label is what a finger presses); a link inside a sentence is
 * left out (WCAG 2.5.5's inline exception); so is anything not rendered.
 */
export function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate((selector: string) => {
    const small: string[] = [];
    const runningText = (el: Element): boolean => {
      if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
      const parent = el.parentElement;
      if (!parent) return false;
      const own = (el.textContent ?? "").trim().length;
      return (parent.textContent ?? "").trim().length > own + 3;
    };
    for (const el of document.querySelectorAll(selector)) {
      if (el.closest("[hidden], dialog:not([open]), [aria-hidden='true']")) continue;
      const s = getComputedStyle(el);
      if (s.visibility === "hidden" || el.getClientRects().length === 0) continue;
      let box = el.getBoundingClientRect();
      // Visually hidden (skip links until focused, inputs dressed by their label).
      if (box.width <= 2 || box.height <= 2) {
        const input = el as HTMLInputElement;
        if (!(input.labels && input.labels[0])) continue;
      }
      if (runningText(el)) continue;
      const input = el as HTMLInputElement;
      if (
        el.tagName === "INPUT" && (input.type === "checkbox" || input.type === "radio") &&
        input.labels?.[0]
      ) {
        const l = input.labels[0].getBoundingClientRect();
        const left = Math.min(box.left, l.left), top = Math.min(box.top, l.top);
        const right = Math.max(box.right, l.right), bottom = Math.max(box.bottom, l.bottom);
        box = new DOMRect(left, top, right - left, bottom - top);
      }
      if (box.width < 43.5 || box.height < 43.5) {
        const text = (el.textContent || (el as HTMLInputElement).name || el.id || "").trim()
          .replace(/\s+/g, " ").slice(0, 40);
        small.push(
          `${el.tagName.toLowerCase()} «${text}» ${Math.round(box.width)}×${
            Math.round(box.height)
          }`,
        );
      }
    }
    return small;
  }, INTERACTIVE);
}

/**
 * Headings that should hold one line but wrap at this size: a filter group's title (its
 * choice sits on the line below), and the staff sections (one row on a laptop screen).
 */
export function wrappedLines(page: Page, staffRow: boolean): Promise<string[]> {
  return page.evaluate((staffRow: boolean) => {
    const wrapped: string[] = [];
    for (const el of document.querySelectorAll(".facet-title")) {
      if (el.getClientRects().length === 0) continue;
      const s = getComputedStyle(el);
      const line = parseFloat(s.lineHeight) || 1.5 * parseFloat(s.fontSize);
      if (el.getBoundingClientRect().height > line * 1.5) {
        wrapped.push(`filter title «${(el.textContent ?? "").trim()}» wraps`);
      }
    }
    const sections = document.querySelector(".staff-sections");
    if (staffRow && sections) {
      const rows = new Set(
        [...sections.children].map((a) => Math.round(a.getBoundingClientRect().top)),
      );
      if (rows.size > 1) wrapped.push(`the staff sections take ${rows.size} rows`);
    }
    return wrapped;
  }, staffRow);
}

/** True when the page scrolls sideways. */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() =>
    document.documentElement.scrollWidth > document.documentElement.clientWidth
  );
}

/**
 * Tabs through up to `stops` focus stops from the top of the page and returns those whose
 * focused look (outline, box-shadow) is the same as their unfocused one.
 */
export async function invisibleFocus(page: Page, stops = 30): Promise<string[]> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    document.querySelectorAll("[data-walk-stop]").forEach((e) =>
      e.removeAttribute("data-walk-stop")
    );
  });
  const looks: { i: number; look: string; what: string }[] = [];
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press("Tab");
    const seen = await page.evaluate((i: number) => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      if (el.hasAttribute("data-walk-stop")) return null;
      el.setAttribute("data-walk-stop", String(i));
      const s = getComputedStyle(el);
      const look = `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} | ${s.boxShadow}`;
      const what = `${el.tagName.toLowerCase()} «${
        (el.textContent || (el as HTMLInputElement).name || el.id || "").trim().replace(
          /\s+/g,
          " ",
        ).slice(0, 40)
      }»`;
      return { look, what };
    }, i);
    if (seen === null) break;
    looks.push({ i, ...seen });
  }
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const missing: string[] = [];
  for (const { i, look, what } of looks) {
    const plain = await page.evaluate((i: number) => {
      const el = document.querySelector(`[data-walk-stop="${i}"]`);
      if (!el) return null;
      el.removeAttribute("data-walk-stop");
      const s = getComputedStyle(el);
      return `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} | ${s.boxShadow}`;
    }, i);
    const ring = look.split(" | ");
    const hasRing = (ring[0] !== undefined && !ring[0].startsWith("none") &&
      !ring[0].includes(" 0px ")) || ring[1] !== "none";
    if (plain === null) continue;
    if (plain === look || !hasRing) missing.push(what);
  }
  return missing;
}

interface CheckOptions {
  /** Tab through the page and check every stop shows focus (keyboard walks). */
  focus?: boolean;
  /** Run axe here (once per page and language is enough; axe is slow). */
  axe?: boolean;
}

/**
 * The checks of issue 13 on the page as it is now, at both sizes, then the page is left at
 * the size it had. `name` names the screenshots and the failures.
 */
export async function checkPage(page: Page, name: string, opts: CheckOptions = {}) {
  // A heading can be in the DOM before the stylesheet has arrived: measured then, every
  // target is the browser's default 17 px. The load event waits for the stylesheets.
  await page.waitForLoadState("load");
  const before = page.viewportSize();
  const problems: string[] = [];
  for (const [label, width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    if (await scrollsSideways(page)) problems.push(`${label}: scrolls sideways`);
    for (const w of await wrappedLines(page, label === "laptop")) problems.push(`${label}: ${w}`);
    for (const s of await smallTargets(page)) problems.push(`${label}: small target ${s}`);
    if (SCREENSHOTS !== undefined) {
      await page.screenshot({
        path: `${SCREENSHOTS}/${name}_${label}.png`,
        caret: "initial",
        fullPage: label === "portrait",
      });
    }
  }
  if (before) await page.setViewportSize(before);
  if (opts.focus) {
    for (const s of await invisibleFocus(page)) problems.push(`no visible focus on ${s}`);
  }
  assert.deepEqual(problems, [], `${name} (${page.url()})`);
  if (opts.axe !== false) await assertAccessible(page, name);
}

/**
 * The archive with citizen sign-in, served on loopback beside a real OpenID provider
 * (tests/_oidc_provider.ts), and a small fetch-based browser that keeps cookies, follows
 * redirects by hand and walks the provider's login and consent pages.
 */
import type { Client } from "@libsql/client";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { type Config, loadConfig } from "../config.ts";
import { type Db, openDb } from "../db/client.ts";
import { upsertRecords } from "../db/records.ts";
import type { RecordDoc } from "../domain/records.ts";
import type { FileStore } from "../documents/file_store.ts";
import { buildRecordIndex, createRecordIndex } from "../search/record_index.ts";
import { FIXED_NOW } from "./_world.ts";
import { startTestProvider, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from "./_oidc_provider.ts";

/** The archive, the provider and a clock the test can move. */
export interface CitizenWorld extends AsyncDisposable {
  db: Db;
  client: Client;
  app: Hono;
  config: Config;
  /** The archive's base URL (also its FALDONE_PUBLIC_URL). */
  url: string;
  issuer: string;
  /** Moves the archive's clock on (the provider keeps real time). */
  advance(seconds: number): void;
  clock(): Date;
}

/** Starts provider and archive, each on a free loopback port. */
export async function createCitizenWorld(
  options: { records?: RecordDoc[]; fileStore?: FileStore } = {},
): Promise<CitizenWorld> {
  const dir = await Deno.makeTempDir({ prefix: "faldone-citizen-" });
  let now = FIXED_NOW.getTime();
  const clock = () => new Date(now);
  // The app needs the provider's URL, the provider the app's: the server starts first.
  const late: { app?: Hono } = {};
  let url = "";
  const listening = Promise.withResolvers<void>();
  const server = Deno.serve(
    {
      port: 0,
      hostname: "127.0.0.1",
      onListen: ({ port }) => {
        url = `http://127.0.0.1:${port}`;
        listening.resolve();
      },
    },
    (req, info) =>
      late.app ? late.app.fetch(req, info) : new Response("non pronto", { status: 503 }),
  );
  await listening.promise;
  const provider = await startTestProvider(`${url}/area-personale/ritorno`);
  const env: Record<string, string> = {
    FALDONE_OIDC_ISSUER: provider.issuer,
    FALDONE_OIDC_CLIENT_ID: TEST_CLIENT_ID,
    FALDONE_OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
    FALDONE_PUBLIC_URL: url,
  };
  const config: Config = {
    ...loadConfig("archive", { db: `${dir}/archive.db`, "no-demo": true }, (n) => env[n]),
    hostname: "127.0.0.1",
    port: 0,
  };
  const { db, client } = await openDb(config.dbPath);
  const records = options.records ?? [];
  if (records.length > 0) await db.transaction((tx) => upsertRecords(tx, records, clock()));
  const index = createRecordIndex();
  await buildRecordIndex(db, index);
  const app = createApp({ db, index, clock, config, fileStore: options.fileStore });
  late.app = app;
  return {
    db,
    client,
    app,
    config,
    url,
    issuer: provider.issuer,
    clock,
    advance(seconds) {
      now += seconds * 1000;
    },
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await provider.close();
      client.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** One response, its body read once. */
export interface Page {
  status: number;
  url: string;
  location: string | undefined;
  headers: Headers;
  text: string;
}

/** A browser over fetch: one cookie jar for every loopback host, redirects followed by hand. */
export class FetchBrowser {
  cookies = new Map<string, string>();
  /** Every Set-Cookie line seen, for assertions on attributes. */
  setCookies: string[] = [];

  /** One request, no redirect followed. */
  async request(url: string, init: RequestInit = {}): Promise<Page> {
    const headers = new Headers(init.headers);
    const jar = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (jar) headers.set("Cookie", jar);
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0\b/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const location = res.headers.get("location");
    return {
      status: res.status,
      url,
      location: location ? new URL(location, url).href : undefined,
      headers: res.headers,
      text: await res.text(),
    };
  }

  /** GET, following redirects while `until` (if given) does not match the next URL. */
  async get(url: string, until?: (next: string) => boolean): Promise<Page> {
    let page = await this.request(url);
    for (let hops = 0; page.location && hops < 10; hops++) {
      if (until?.(page.location)) return page;
      page = await this.request(page.location);
    }
    return page;
  }

  /** POSTs a urlencoded form. */
  postForm(url: string, fields: Record<string, string>): Promise<Page> {
    return this.request(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
  }
}

/** The CSRF token of an archive page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no CSRF token on the page");
  return m[1];
}

function formAction(html: string, base: string): string {
  const m = /<form[^>]*action="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error(`no form on the provider's page: ${html.slice(0, 200)}`);
  return new URL(m[1].replaceAll("&amp;", "&"), base).href;
}

/** What a sign-in may change on its way, to play an attacker or a broken broker. */
export interface SignInOptions {
  /** Rewrites the authorization URL before the browser goes to the provider. */
  tamper?: (authorizationUrl: URL) => void;
}

/**
 * Walks a sign-in up to the broker's redirect back: "Entra con SPID o CIE" on the archive,
 * the provider's login page (its dev pages take any password) and consent page. Returns the
 * callback URL with code and state, not yet visited, so a test can visit it, twice, or bent.
 */
export async function signInAtBroker(
  browser: FetchBrowser,
  world: Pick<CitizenWorld, "url" | "issuer"> & { publicUrl?: string },
  login: string,
  options: SignInOptions = {},
): Promise<string> {
  const home = await browser.request(`${world.url}/area-personale`);
  const start = await browser.postForm(`${world.url}/area-personale/accedi`, {
    _csrf: csrfOf(home.text),
  });
  if (start.status !== 303 || !start.location?.startsWith(world.issuer)) {
    throw new Error(`sign-in did not go to the broker: ${start.status} ${start.text}`);
  }
  const authorization = new URL(start.location);
  options.tamper?.(authorization);
  // The broker sends the browser to the registered address (the archive's public URL).
  const publicUrl = world.publicUrl ?? world.url;
  const callback = (u: string) => u.startsWith(`${publicUrl}/area-personale/ritorno`);
  let page = await browser.get(authorization.href, callback);
  for (let step = 0; step < 4 && !(page.location && callback(page.location)); step++) {
    if (page.status !== 200) throw new Error(`provider answered ${page.status}: ${page.text}`);
    const fields: Record<string, string> = /name="login"/.test(page.text)
      ? { prompt: "login", login, password: "qualsiasi" }
      : { prompt: "consent" };
    const posted = await browser.postForm(formAction(page.text, page.url), fields);
    page = posted.location && !callback(posted.location)
      ? await browser.get(posted.location, callback)
      : posted;
  }
  if (!page.location || !callback(page.location)) {
    throw new Error(`the provider did not come back: ${page.status} ${page.text.slice(0, 300)}`);
  }
  return page.location;
}

/** A full sign-in: up to the broker and back; returns the archive's answer to the callback. */
export async function signIn(
  browser: FetchBrowser,
  world: CitizenWorld,
  login: string,
): Promise<Page> {
  return await browser.request(await signInAtBroker(browser, world, login));
}

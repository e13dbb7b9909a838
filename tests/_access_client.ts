/**
 * A tiny browser for HTTP tests of the access area: keeps cookies, reads the CSRF token from
 * the last page and sends forms the way a browser does (no redirects followed).
 */
import type { Hono } from "hono";
import { createUser, type UserRole } from "../db/users.ts";
import type { Db } from "../db/client.ts";

/** Fast scrypt for test accounts (the real cost is tested in the domain tests). */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };
/** The password every test account gets. */
export const TEST_PASSWORD = "password di prova 1";

/** A client with a cookie jar over `app.request`. */
export class TestClient {
  cookies = new Map<string, string>();
  csrf = "";
  constructor(readonly app: Hono, readonly headers: Record<string, string> = {}) {}

  private store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): Record<string, string> {
    const all = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return all ? { Cookie: all } : {};
  }

  /** GET; remembers the page's CSRF token. */
  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await this.app.request(path, {
      headers: { ...this.headers, ...this.cookieHeader(), ...headers },
    });
    this.store(res);
    const type = res.headers.get("content-type") ?? "";
    if (type.startsWith("text/html")) {
      const html = await res.clone().text();
      const m = /name="_csrf" value="([^"]+)"/.exec(html);
      if (m?.[1]) this.csrf = m[1];
    }
    return res;
  }

  /** POSTs a urlencoded form, adding the CSRF token unless `csrf` is given (null = none). */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    options: { csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const body = new URLSearchParams();
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    if (token !== null) body.append("_csrf", token);
    for (const [k, v] of Object.entries(fields)) {
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    }
    const res = await this.app.request(path, {
      method: "POST",
      headers: {
        ...this.headers,
        ...this.cookieHeader(),
        "Content-Type": "application/x-www-form-urlencoded",
        ...options.headers,
      },
      body,
    });
    this.store(res);
    return res;
  }

  /**
   * POSTs a multipart form (a file upload) with the session cookies and the CSRF token,
   * through `fetchUrl` (a served world's URL: real HTTP) or the app itself.
   */
  async postMultipart(
    path: string,
    form: FormData,
    options: { headers?: Record<string, string>; baseUrl?: string; csrf?: string | null } = {},
  ): Promise<Response> {
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    if (token !== null) form.append("_csrf", token);
    const init = {
      method: "POST",
      headers: { ...this.headers, ...this.cookieHeader(), ...options.headers },
      body: form,
    };
    const res = options.baseUrl
      ? await fetch(`${options.baseUrl}${path}`, init)
      : await this.app.request(path, init);
    this.store(res);
    return res;
  }

  /** Logs in (the account must exist); returns the login response. */
  async login(username: string, password = TEST_PASSWORD): Promise<Response> {
    await this.get("/login");
    const res = await this.post("/login", { username, password });
    if (res.status === 303) await this.get("/sportello");
    return res;
  }
}

/** Creates an account with the test password and fast scrypt. */
export async function addUser(db: Db, username: string, role: UserRole, now: Date) {
  const by = { actor: null, via: "(prova)", now, branch: "test", outbox: false };
  return await createUser(db, { username, role, password: TEST_PASSWORD }, by, TEST_SCRYPT);
}

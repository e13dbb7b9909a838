/**
 * A small local HTTP server implementing the part of App IO's API for services that Faldone
 * uses, to its published contract (pagopa/io-functions-services, openapi/index.yaml):
 * `POST /api/v1/profiles` (getProfileByPOST) and `POST /api/v1/messages`
 * (submitMessageforUserWithFiscalCodeInBody), the `Ocp-Apim-Subscription-Key` header, the
 * `NewMessage` schema's limits (subject 10–120, markdown 80–10000, payment_data amount
 * 1–9999999999 cents, notice_number `^[0123][0-9]{17}$`, payee.fiscal_code), and its answers:
 * 201, 400 ProblemJson, 401, 403, 404 ProblemJson, 429, 500 ProblemJson. Tests set profiles,
 * queue faults and switch it "down" (every call 503-free connection refusal is simulated by
 * a 500 "cannot be delivered", the contract's own answer for an unavailable backend).
 */

const FISCAL_CODE =
  /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
const ORGANIZATION_FISCAL_CODE = /^[0-9]{11}$/;
const NOTICE_NUMBER = /^[0123][0-9]{17}$/;

/** A message the server accepted. */
export interface ReceivedMessage {
  id: string;
  fiscal_code: string;
  content: {
    subject: string;
    markdown: string;
    payment_data?: { amount: number; notice_number: string; payee?: { fiscal_code: string } };
    due_date?: string;
  };
}

/** A fault the next matching call answers with. */
export interface Fault {
  status: 400 | 401 | 403 | 429 | 500;
  retryAfter?: string;
  /** Which operation (default: any). */
  path?: "/api/v1/profiles" | "/api/v1/messages";
}

/** The running server and its knobs. */
export interface AppIoContractServer extends AsyncDisposable {
  /** Base URL up to /api/v1, as the client is configured. */
  baseUrl: string;
  key: string;
  /** Fiscal code → sender_allowed; absent: 404. */
  profiles: Map<string, boolean>;
  messages: ReceivedMessage[];
  /** Every call, in order: path and the time it arrived. */
  calls: { path: string; at: number }[];
  faults: Fault[];
  /** While true every call answers 500 (the backend cannot deliver). */
  down: boolean;
}

function problem(status: number, title: string, detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

function checkMessage(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return "body is not an object";
  const b = body as Record<string, unknown>;
  if (typeof b.fiscal_code !== "string" || !FISCAL_CODE.test(b.fiscal_code)) {
    return "value at root.fiscal_code is not a valid FiscalCode";
  }
  const c = b.content as Record<string, unknown> | undefined;
  if (!c || typeof c !== "object") return "value at root.content is required";
  if (typeof c.subject !== "string" || c.subject.length < 10 || c.subject.length > 120) {
    return "value at root.content.subject is not a string of 10-120 characters";
  }
  if (typeof c.markdown !== "string" || c.markdown.length < 80 || c.markdown.length > 10000) {
    return "value at root.content.markdown is not a string of 80-10000 characters";
  }
  if (
    c.due_date !== undefined &&
    (typeof c.due_date !== "string" ||
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(c.due_date))
  ) {
    return "value at root.content.due_date is not a UTC timestamp";
  }
  if (c.payment_data !== undefined) {
    const p = c.payment_data as Record<string, unknown>;
    if (
      typeof p.amount !== "number" || !Number.isInteger(p.amount) || p.amount < 1 ||
      p.amount > 9999999999
    ) return "value at root.content.payment_data.amount is not an integer in 1-9999999999";
    if (typeof p.notice_number !== "string" || !NOTICE_NUMBER.test(p.notice_number)) {
      return "value at root.content.payment_data.notice_number does not match the pattern";
    }
    const payee = p.payee as Record<string, unknown> | undefined;
    if (
      !payee || typeof payee.fiscal_code !== "string" ||
      !ORGANIZATION_FISCAL_CODE.test(payee.fiscal_code)
    ) return "value at root.content.payment_data.payee.fiscal_code is required";
  }
  return undefined;
}

/** Starts the server on a free loopback port. */
export async function startAppIoContractServer(
  key = "io-test-key-0123456789abcdef",
): Promise<AppIoContractServer> {
  const state = {
    profiles: new Map<string, boolean>(),
    messages: [] as ReceivedMessage[],
    calls: [] as { path: string; at: number }[],
    faults: [] as Fault[],
    down: false,
  };
  const handler = async (req: Request): Promise<Response> => {
    const path = new URL(req.url).pathname;
    state.calls.push({ path, at: Date.now() });
    if (req.method !== "POST" || (path !== "/api/v1/profiles" && path !== "/api/v1/messages")) {
      return new Response("not found", { status: 404 });
    }
    const raw = await req.text();
    if (req.headers.get("ocp-apim-subscription-key") !== key) {
      return new Response(null, { status: 401 });
    }
    if (state.down) return problem(500, "Internal server error", "The message cannot be delivered");
    const faultAt = state.faults.findIndex((f) => !f.path || f.path === path);
    if (faultAt >= 0) {
      const [f] = state.faults.splice(faultAt, 1);
      if (f?.status === 429) {
        return new Response(null, {
          status: 429,
          headers: f.retryAfter ? { "retry-after": f.retryAfter } : {},
        });
      }
      if (f?.status === 401 || f?.status === 403) return new Response(null, { status: f.status });
      return problem(f?.status ?? 500, "Fault", "fault injected by the test");
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return problem(400, "Invalid payload", "body is not JSON");
    }
    if (path === "/api/v1/profiles") {
      const fc = (body as { fiscal_code?: unknown })?.fiscal_code;
      if (typeof fc !== "string" || !FISCAL_CODE.test(fc)) {
        return problem(400, "Invalid payload", "value at root.fiscal_code is not a FiscalCode");
      }
      const allowed = state.profiles.get(fc);
      if (allowed === undefined) {
        return problem(404, "Profile not found", "No user found for the provided fiscal code");
      }
      return Response.json({ sender_allowed: allowed, preferred_languages: ["it_IT"] });
    }
    const why = checkMessage(body);
    if (why) return problem(400, "Invalid payload", why);
    const id = crypto.randomUUID().replaceAll("-", "").slice(0, 26).toUpperCase();
    state.messages.push({ id, ...(body as Omit<ReceivedMessage, "id">) });
    return Response.json({ id }, {
      status: 201,
      headers: {
        location: `/api/v1/messages/${(body as { fiscal_code: string }).fiscal_code}/${id}`,
      },
    });
  };
  const server = await new Promise<{ port: number; shutdown(): Promise<void> }>((resolve) => {
    const s = Deno.serve(
      {
        port: 0,
        hostname: "127.0.0.1",
        onListen: ({ port }) => resolve({ port, shutdown: () => s.shutdown() }),
      },
      handler,
    );
  });
  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${server.port}/api/v1`,
    key,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  });
}

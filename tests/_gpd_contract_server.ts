/**
 * Our own small server implementing the part of pagoPA's GPD contract Faldone uses
 * ("PagoPA API Debt Position" v1, openapi_external_v1.json of pagopa/pagopa-debt-position):
 * create a position (`POST /organizations/{cf}/debtpositions?toPublish=`), read one
 * (`GET …/debtpositions/{iupd}`), the `Ocp-Apim-Subscription-Key` header, and the documented
 * error answers (400 ProblemJson, 401 without body, 404, 409 duplicate position or IUV, 429,
 * 5xx). Tests queue faults with `failNext` and pay a notice with `pay`, as a citizen's PSP
 * would. Served on loopback, port 0.
 */

interface StoredOption {
  iuv: string;
  nav: string;
  amount: number;
  description: string;
  dueDate: string;
  isPartialPayment: boolean;
  status: "PO_UNPAID" | "PO_PAID";
  paymentDate?: string;
  transfer: unknown[];
}

interface StoredPosition {
  organizationFiscalCode: string;
  iupd: string;
  type: "F" | "G";
  fiscalCode: string;
  fullName: string;
  companyName: string;
  status: "DRAFT" | "VALID" | "PAID";
  insertedDate: string;
  paymentOption: StoredOption[];
}

/** One request the server received (the key is compared, never kept). */
export interface SeenRequest {
  method: string;
  path: string;
  keyOk: boolean;
  body: unknown;
}

/** The running contract server. */
export interface GpdContractServer extends AsyncDisposable {
  url: string;
  key: string;
  positions: Map<string, StoredPosition>;
  seen: SeenRequest[];
  /** The next `times` requests answer `status` (with `headers`) before doing anything. */
  failNext(status: number, times?: number, headers?: Record<string, string>): void;
  /** Marks the position holding this IUV as paid. */
  pay(iuv: string, at?: string): void;
  close(): Promise<void>;
}

function problem(status: number, title: string, detail: string): Response {
  return Response.json({ title, status, detail }, { status });
}

const str = (v: unknown): v is string => typeof v === "string";

/** Checks a PaymentPositionModel as the contract requires it; a message, or undefined. */
function invalid(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return "body must be a JSON object";
  const b = body as Record<string, unknown>;
  for (const k of ["companyName", "fiscalCode", "fullName", "iupd"]) {
    if (!str(b[k])) return `${k} is required`;
  }
  if (typeof b.switchToExpired !== "boolean") return "switchToExpired is required";
  if (b.type !== "F" && b.type !== "G") return "type must be F or G";
  if (str(b.companyName) && b.companyName.length > 140) return "companyName too long";
  if (!Array.isArray(b.paymentOption) || b.paymentOption.length === 0) {
    return "paymentOption is required";
  }
  for (const o of b.paymentOption as Record<string, unknown>[]) {
    if (!str(o.iuv)) return "paymentOption.iuv is required";
    if (typeof o.amount !== "number" || !Number.isInteger(o.amount) || o.amount < 1) {
      return "paymentOption.amount must be an integer >= 1";
    }
    if (!str(o.description) || o.description.length > 140) {
      return "paymentOption.description is required, max 140";
    }
    if (!str(o.dueDate) || Number.isNaN(Date.parse(o.dueDate))) {
      return "paymentOption.dueDate must be a date-time";
    }
    if (typeof o.isPartialPayment !== "boolean") return "isPartialPayment is required";
    const transfers = o.transfer;
    if (!Array.isArray(transfers) || transfers.length === 0) return "transfer is required";
    let sum = 0;
    for (const t of transfers as Record<string, unknown>[]) {
      if (!["1", "2", "3", "4", "5"].includes(String(t.idTransfer))) return "idTransfer 1..5";
      if (typeof t.amount !== "number" || t.amount < 1) return "transfer.amount >= 1";
      if (!str(t.category)) return "transfer.category is required";
      if (!str(t.remittanceInformation) || t.remittanceInformation.length > 140) {
        return "transfer.remittanceInformation is required, max 140";
      }
      if (t.iban !== undefined && !(str(t.iban) && /^[A-Za-z0-9]{1,35}$/.test(t.iban))) {
        return "transfer.iban is not valid";
      }
      sum += t.amount;
    }
    if (sum !== o.amount) return "the transfers' amounts must add up to the option's";
  }
  return undefined;
}

/** Starts the contract server with this subscription key. */
export async function startGpdContractServer(key = "chiave-di-prova"): Promise<GpdContractServer> {
  const positions = new Map<string, StoredPosition>();
  const seen: SeenRequest[] = [];
  const faults: { status: number; headers: Record<string, string> }[] = [];

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const text = req.method === "POST" ? await req.text() : "";
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = Symbol("malformed");
    }
    const keyOk = req.headers.get("Ocp-Apim-Subscription-Key") === key;
    seen.push({ method: req.method, path: url.pathname + url.search, keyOk, body });
    const fault = faults.shift();
    if (fault) {
      return new Response(
        JSON.stringify({ title: "fault", status: fault.status, detail: "injected by the test" }),
        {
          status: fault.status,
          headers: { "Content-Type": "application/json", ...fault.headers },
        },
      );
    }
    // The gateway answers 401 with no body when the key is wrong or missing.
    if (!keyOk) return new Response(null, { status: 401 });
    const m = /^\/organizations\/([^/]+)\/debtpositions(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m?.[1]) return problem(404, "Not Found", "no such path");
    const org = decodeURIComponent(m[1]);
    if (req.method === "POST" && !m[2]) {
      if (typeof body === "symbol") return problem(400, "Bad Request", "malformed JSON");
      const why = invalid(body);
      if (why) return problem(400, "Bad Request", why);
      const b = body as Record<string, unknown> & { paymentOption: Record<string, unknown>[] };
      const iupd = String(b.iupd);
      if (positions.has(`${org}/${iupd}`)) {
        return problem(409, "Conflict", `debt position ${iupd} already exists`);
      }
      for (const p of positions.values()) {
        if (p.organizationFiscalCode !== org) continue;
        for (const o of b.paymentOption) {
          if (p.paymentOption.some((x) => x.iuv === o.iuv)) {
            return problem(409, "Conflict", `IUV ${String(o.iuv)} already used`);
          }
        }
      }
      const toPublish = url.searchParams.get("toPublish") === "true";
      const stored: StoredPosition = {
        organizationFiscalCode: org,
        iupd,
        type: b.type === "G" ? "G" : "F",
        fiscalCode: String(b.fiscalCode),
        fullName: String(b.fullName),
        companyName: String(b.companyName),
        status: toPublish ? "VALID" : "DRAFT",
        insertedDate: new Date().toISOString(),
        paymentOption: b.paymentOption.map((o) => ({
          iuv: String(o.iuv),
          nav: `3${String(o.iuv)}`,
          amount: Number(o.amount),
          description: String(o.description),
          dueDate: String(o.dueDate),
          isPartialPayment: Boolean(o.isPartialPayment),
          status: "PO_UNPAID" as const,
          transfer: Array.isArray(o.transfer) ? o.transfer : [],
        })),
      };
      positions.set(`${org}/${iupd}`, stored);
      return Response.json(stored, { status: 201 });
    }
    if (req.method === "GET" && m[2]) {
      const p = positions.get(`${org}/${decodeURIComponent(m[2])}`);
      if (!p) return problem(404, "Not Found", "No debt position found");
      return Response.json(p);
    }
    return problem(405, "Method Not Allowed", req.method);
  }

  let s: Deno.HttpServer | undefined;
  const url = await new Promise<string>((resolve) => {
    s = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      onListen: ({ port }) => resolve(`http://127.0.0.1:${port}`),
    }, handle);
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await s?.shutdown();
  };
  return {
    url,
    key,
    positions,
    seen,
    failNext(status, times = 1, headers = {}) {
      for (let i = 0; i < times; i++) faults.push({ status, headers });
    },
    pay(iuv, at = new Date().toISOString()) {
      for (const p of positions.values()) {
        const o = p.paymentOption.find((x) => x.iuv === iuv);
        if (o) {
          o.status = "PO_PAID";
          o.paymentDate = at;
          p.status = "PAID";
          return;
        }
      }
      throw new Error(`no position holds IUV ${iuv}`);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

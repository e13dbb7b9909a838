/**
 * Client of pagoPA's debt-position service (GPD, "PagoPA API Debt Position" v1, external
 * OpenAPI of pagopa/pagopa-debt-position), limited to what Faldone uses:
 *
 * - `POST /organizations/{organizationfiscalcode}/debtpositions?toPublish=true` creates a
 *   position published at once (201; 400 malformed, 401 wrong key, 403, 409 duplicate
 *   position or IUV, 5xx);
 * - `GET /organizations/{organizationfiscalcode}/debtpositions/{iupd}` reads it back with its
 *   status (`VALID`, `PAID`, `REPORTED`…) and its payment options' status (`PO_PAID`…).
 *
 * Every call carries the `Ocp-Apim-Subscription-Key` header; the key is never logged or put
 * in an error message. The gateway may also answer 429 with `Retry-After`.
 */

/** Where GPD is and how to call it; `fetch` is passed in so tests can point it anywhere. */
export interface GpdConfig {
  baseUrl: string;
  subscriptionKey: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Why a call failed, in the terms the job acts on. */
export type GpdFailure =
  | "bad_request"
  | "unauthorized"
  | "not_found"
  | "conflict"
  | "throttled"
  | "unavailable";

/** A failed GPD call: what kind, whether retrying may help, and an Italian message for admins. */
export class GpdError extends Error {
  readonly kind: GpdFailure;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  constructor(kind: GpdFailure, message: string, status?: number, retryAfterSeconds?: number) {
    super(message);
    this.name = "GpdError";
    this.kind = kind;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
  /** Throttling, 5xx and network faults pass; a bad key or payload needs a person. */
  get retryable(): boolean {
    return this.kind === "throttled" || this.kind === "unavailable";
  }
}

/** The position Faldone creates: one payment option, one transfer to the ente's account. */
export interface NewDebtPosition {
  iupd: string;
  payer: { fiscalCode: string; fullName: string };
  companyName: string;
  iuv: string;
  amountCents: number;
  description: string;
  /** ISO date-time. */
  dueDate: string;
  transfer: { organizationFiscalCode: string; iban: string; category: string };
}

/** What Faldone reads of a position. */
export interface DebtPositionStatus {
  status: string;
  paid: boolean;
  paymentDate: string | undefined;
  nav: string | undefined;
}

function describe(status: number, body: unknown): string {
  const problem = typeof body === "object" && body !== null ? body : {};
  const detail = "detail" in problem && typeof problem.detail === "string"
    ? problem.detail
    : "title" in problem && typeof problem.title === "string"
    ? problem.title
    : "";
  return detail ? ` (${detail.slice(0, 200)})` : ` (HTTP ${status})`;
}

function retryAfter(res: Response): number | undefined {
  const raw = res.headers.get("Retry-After");
  if (!raw) return undefined;
  const n = Number(raw);
  if (Number.isFinite(n) && n >= 0) return n;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - Date.now()) / 1000));
}

async function call(
  cfg: GpdConfig,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const doFetch = cfg.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${cfg.baseUrl.replace(/\/+$/, "")}${path}`, {
      method,
      headers: {
        "Ocp-Apim-Subscription-Key": cfg.subscriptionKey,
        "Accept": "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(cfg.timeoutMs ?? 15_000),
    });
  } catch (err) {
    const why = err instanceof Error ? err.name : "errore";
    throw new GpdError("unavailable", `Servizio GPD non raggiungibile (${why}): si riprova.`);
  }
  const text = await res.text().catch(() => "");
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (res.ok) return { status: res.status, body: parsed };
  const s = res.status;
  const why = describe(s, parsed);
  if (s === 401 || s === 403) {
    throw new GpdError(
      "unauthorized",
      `GPD ha rifiutato la chiave di sottoscrizione (${s}): controlla FALDONE_GPD_KEY.`,
      s,
    );
  }
  if (s === 404) throw new GpdError("not_found", `Posizione debitoria non trovata${why}.`, s);
  if (s === 409) throw new GpdError("conflict", `Posizione o IUV già presente su GPD${why}.`, s);
  if (s === 429) {
    throw new GpdError(
      "throttled",
      "GPD chiede di rallentare (429): si riprova.",
      s,
      retryAfter(res),
    );
  }
  if (s >= 500 || s === 408) {
    throw new GpdError("unavailable", `GPD non disponibile${why}: si riprova.`, s, retryAfter(res));
  }
  throw new GpdError("bad_request", `GPD ha rifiutato la posizione${why}.`, s);
}

function orgPath(enteFiscalCode: string): string {
  return `/organizations/${encodeURIComponent(enteFiscalCode)}/debtpositions`;
}

/** Creates and publishes a position (payable at once); throws GpdError. */
export async function createDebtPosition(
  cfg: GpdConfig,
  enteFiscalCode: string,
  p: NewDebtPosition,
): Promise<DebtPositionStatus> {
  const payload = {
    iupd: p.iupd,
    // A person has a 16-character codice fiscale, a company or body 11 digits.
    type: /^\d{11}$/.test(p.payer.fiscalCode) ? "G" : "F",
    fiscalCode: p.payer.fiscalCode,
    fullName: p.payer.fullName.slice(0, 140),
    companyName: p.companyName.slice(0, 140),
    switchToExpired: false,
    paymentOption: [{
      iuv: p.iuv,
      amount: p.amountCents,
      description: p.description.slice(0, 140),
      isPartialPayment: false,
      dueDate: p.dueDate,
      transfer: [{
        idTransfer: "1",
        amount: p.amountCents,
        organizationFiscalCode: p.transfer.organizationFiscalCode,
        remittanceInformation: p.description.slice(0, 140),
        category: p.transfer.category,
        iban: p.transfer.iban,
      }],
    }],
  };
  const res = await call(cfg, "POST", `${orgPath(enteFiscalCode)}?toPublish=true`, payload);
  return readStatus(res.body);
}

/** Reads a position's status; throws GpdError (not_found when GPD has no such iupd). */
export async function getDebtPosition(
  cfg: GpdConfig,
  enteFiscalCode: string,
  iupd: string,
): Promise<DebtPositionStatus> {
  const res = await call(cfg, "GET", `${orgPath(enteFiscalCode)}/${encodeURIComponent(iupd)}`);
  return readStatus(res.body);
}

function field(obj: unknown, name: string): unknown {
  return typeof obj === "object" && obj !== null && name in obj
    ? Reflect.get(obj, name)
    : undefined;
}

function readStatus(body: unknown): DebtPositionStatus {
  const status = field(body, "status");
  const options = field(body, "paymentOption");
  const first = Array.isArray(options) ? options[0] : undefined;
  const poStatus = field(first, "status");
  const paymentDate = field(first, "paymentDate") ?? field(body, "paymentDate");
  const nav = field(first, "nav");
  const positionStatus = typeof status === "string" ? status : "UNKNOWN";
  return {
    status: positionStatus,
    // PAID, or REPORTED once the money reached the ente; an option says the same per payment.
    paid: positionStatus === "PAID" || positionStatus === "REPORTED" ||
      poStatus === "PO_PAID" || poStatus === "PO_REPORTED",
    paymentDate: typeof paymentDate === "string" ? paymentDate : undefined,
    nav: typeof nav === "string" ? nav : undefined,
  };
}

/**
 * App IO client, written to the published contract of IO's API for public-administration
 * services (pagopa/io-functions-services, openapi/index.yaml, "IO API for Public
 * Administration Services" 4.x, base path /api/v1):
 *
 * - `POST /profiles` (getProfileByPOST), body `{fiscal_code}`: 200 `LimitedProfile` with the
 *   required `sender_allowed`; 404 no user with that fiscal code.
 * - `POST /messages` (submitMessageforUserWithFiscalCodeInBody), body `NewMessage`
 *   `{fiscal_code, content: {subject 10–120, markdown 80–10000, payment_data?, due_date?}}`:
 *   201 `{id}`; 400 invalid payload (ProblemJson); 500 "cannot be delivered".
 * - Every call: header `Ocp-Apim-Subscription-Key`; 401/403 bad or unsubscribed key; 429 too
 *   many requests.
 *
 * The contract says to stop when the profile is missing or `sender_allowed` is false: both are
 * permanent for this notice. A bad key is temporary (an admin fixes it and the notices go), a
 * refused payload permanent, 429 and 5xx and network faults temporary.
 */
import { ChannelError, type NoticeSender, type OutgoingNotice, retryAfterMs } from "./channel.ts";
import { fitForAppIo } from "../domain/notice_texts.ts";
import { cleanLine } from "../domain/plain_text.ts";

/** Where App IO is and the service's key (FALDONE_APPIO_KEY: never logged). */
export interface AppIoConfig {
  /** e.g. https://api.io.pagopa.it/api/v1 */
  baseUrl: string;
  subscriptionKey: string;
  /** Per-call timeout (default 15 s). */
  timeoutMs?: number;
  clock?: () => Date;
}

/** App IO's `content` of a message, as the contract spells it. */
export interface AppIoContent {
  subject: string;
  markdown: string;
  payment_data?: { amount: number; notice_number: string; payee: { fiscal_code: string } };
  due_date?: string;
}

/** The message body sent to `POST /messages`, within the contract's limits. */
export function appIoMessage(n: OutgoingNotice): { fiscal_code: string; content: AppIoContent } {
  const { subject, markdown } = fitForAppIo(n.subject, n.body);
  const content: AppIoContent = { subject, markdown };
  if (n.payment) {
    content.payment_data = {
      amount: n.payment.amountCents,
      notice_number: n.payment.noticeNumber,
      payee: { fiscal_code: n.payment.payeeFiscalCode },
    };
  }
  if (n.dueDate) content.due_date = n.dueDate;
  return { fiscal_code: n.recipient, content };
}

async function call(
  cfg: AppIoConfig,
  path: string,
  body: unknown,
): Promise<{ status: number; json: unknown; retryAfter: string | null }> {
  let res: Response;
  try {
    res = await fetch(`${cfg.baseUrl.replace(/\/$/, "")}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "Ocp-Apim-Subscription-Key": cfg.subscriptionKey,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(cfg.timeoutMs ?? 15_000),
    });
  } catch (err) {
    const why = err instanceof DOMException && err.name === "TimeoutError"
      ? "nessuna risposta in tempo"
      : "servizio non raggiungibile";
    throw new ChannelError(`App IO: ${why}`, true);
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, retryAfter: res.headers.get("retry-after") };
}

function detailOf(json: unknown): string {
  if (json && typeof json === "object") {
    const p = json as { detail?: unknown; title?: unknown };
    const d = typeof p.detail === "string" ? p.detail : typeof p.title === "string" ? p.title : "";
    // Only a short, printable excerpt reaches the admin page.
    return d ? `: ${cleanLine(d).slice(0, 200)}` : "";
  }
  return "";
}

function failure(
  what: string,
  r: { status: number; json: unknown; retryAfter: string | null },
  now: Date,
): ChannelError {
  switch (r.status) {
    case 400:
      return new ChannelError(
        `App IO: ${what} rifiutato, dati non validi${detailOf(r.json)}`,
        false,
      );
    case 401:
    case 403:
      return new ChannelError(
        `App IO: chiave del servizio non valida o non abilitata (HTTP ${r.status}); ` +
          "controlla FALDONE_APPIO_KEY",
        true,
      );
    case 429:
      return new ChannelError(
        "App IO: troppe richieste (HTTP 429), si riprova più tardi",
        true,
        retryAfterMs(r.retryAfter, now),
      );
    default:
      return r.status >= 500
        ? new ChannelError(
          `App IO: errore del servizio (HTTP ${r.status})${detailOf(r.json)}`,
          true,
        )
        : new ChannelError(`App IO: risposta inattesa (HTTP ${r.status})`, false);
  }
}

/** The App IO channel: profile check, then the message. */
export function appIoSender(cfg: AppIoConfig): NoticeSender {
  const clock = cfg.clock ?? (() => new Date());
  return {
    async send(n) {
      const profile = await call(cfg, "/profiles", { fiscal_code: n.recipient });
      if (profile.status === 404) {
        throw new ChannelError(
          "App IO: il cittadino non ha un profilo su IO (nessun messaggio possibile)",
          false,
        );
      }
      if (profile.status !== 200) throw failure("profilo", profile, clock());
      const allowed = (profile.json as { sender_allowed?: unknown } | undefined)?.sender_allowed;
      if (allowed !== true) {
        throw new ChannelError(
          "App IO: il cittadino ha disattivato i messaggi di questo servizio",
          false,
        );
      }
      const sent = await call(cfg, "/messages", appIoMessage(n));
      if (sent.status !== 201) throw failure("messaggio", sent, clock());
      const id = (sent.json as { id?: unknown } | undefined)?.id;
      return { providerId: typeof id === "string" ? id.slice(0, 100) : undefined };
    },
  };
}

/**
 * The e-mail channel: SMTP through nodemailer (pinned in deno.json). One transport per sender,
 * reused between notices. An SMTP 4xx answer or a network fault is temporary; a 5xx answer
 * about the recipient or the message is permanent; an authentication failure is temporary
 * (an admin fixes the password and the notices go). The password is never in a message.
 */
// @ts-types="@types/nodemailer"
import nodemailer from "nodemailer";
import { ChannelError, type NoticeSender } from "./channel.ts";
import { plainOf } from "../domain/notice_texts.ts";
import { cleanLine } from "../domain/plain_text.ts";

/** The SMTP server and the sender's address (FALDONE_SMTP_*: the password never logged). */
export interface SmtpConfig {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  /** Refuse to send without TLS (the default unless the server is this machine). */
  requireTls: boolean;
  user?: string | undefined;
  password?: string | undefined;
  /** The From address, e.g. "Comune di Borgo Esempio <noreply@comune.example.it>". */
  from: string;
  timeoutMs?: number;
}

function classify(err: unknown): ChannelError {
  const e = err as { code?: unknown; responseCode?: unknown; response?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  const status = typeof e.responseCode === "number" ? e.responseCode : undefined;
  if (code === "EAUTH") {
    return new ChannelError(
      "E-mail: autenticazione SMTP rifiutata; controlla FALDONE_SMTP_USER e la password",
      true,
    );
  }
  if (status !== undefined && status >= 500) {
    const said = typeof e.response === "string" ? `: ${cleanLine(e.response).slice(0, 200)}` : "";
    return new ChannelError(
      `E-mail: il server rifiuta il messaggio (SMTP ${status})${said}`,
      false,
    );
  }
  if (status !== undefined && status >= 400) {
    return new ChannelError(`E-mail: il server chiede di riprovare (SMTP ${status})`, true);
  }
  return new ChannelError(
    `E-mail: server SMTP non raggiungibile${code ? ` (${code})` : ""}`,
    true,
  );
}

/** The e-mail channel. `close()` ends its connections. */
export function emailSender(cfg: SmtpConfig): NoticeSender & { close(): void } {
  const transport = nodemailer.createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure,
    requireTLS: cfg.requireTls,
    auth: cfg.user ? { user: cfg.user, pass: cfg.password ?? "" } : undefined,
    connectionTimeout: cfg.timeoutMs ?? 15_000,
    greetingTimeout: cfg.timeoutMs ?? 15_000,
    socketTimeout: cfg.timeoutMs ?? 30_000,
    // nodemailer logs nothing by default; said so, because its debug log carries AUTH lines.
    logger: false,
    debug: false,
  });
  return {
    async send(n) {
      try {
        const info = await transport.sendMail({
          from: cfg.from,
          to: n.recipient,
          subject: n.subject,
          text: plainOf(n.body),
          headers: { "X-Faldone-Notice": n.key },
        });
        const id = (info as { messageId?: unknown }).messageId;
        return { providerId: typeof id === "string" ? id.slice(0, 200) : undefined };
      } catch (err) {
        throw classify(err);
      }
    },
    close() {
      transport.close();
    },
  };
}

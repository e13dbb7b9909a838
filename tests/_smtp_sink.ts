/**
 * A real SMTP server on loopback (the npm `smtp-server` package) that keeps the mails it
 * receives, with a user and password to check, a queue of SMTP answers to refuse recipients
 * with, and stop/start on the same port to take the "mail server" down and bring it back.
 */
import { SMTPServer } from "smtp-server";

/** One mail as received. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  /** The X-Faldone-Notice header (the notice's idempotency key). */
  key: string;
}

/** The running sink. */
export interface SmtpSink extends AsyncDisposable {
  port: number;
  user: string;
  password: string;
  mails: ReceivedMail[];
  /** SMTP codes the next RCPT TO commands are refused with (e.g. 550, 451). */
  rejectRcpt: number[];
  /** Authentication attempts, with whether they matched. */
  logins: { user: string; ok: boolean }[];
  stop(): Promise<void>;
  start(): Promise<void>;
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
  // Folded header lines start with whitespace: join them first.
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const m = new RegExp(`^${name}:\\s*(.*)$`, "im").exec(unfolded);
  return m?.[1]?.trim() ?? "";
}

/** Decodes an RFC 2047 encoded-word subject (nodemailer encodes non-ASCII ones). */
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_all, enc: string, text: string) => {
    if (enc.toLowerCase() === "b") {
      return new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
    }
    const bytes: number[] = [];
    const t = text.replace(/_/g, " ");
    for (let i = 0; i < t.length; i++) {
      if (t[i] === "=" && /^[0-9A-F]{2}$/i.test(t.slice(i + 1, i + 3))) {
        bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(t.charCodeAt(i));
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  });
}

/** Starts the sink on a free loopback port (or `port`). */
export async function startSmtpSink(
  options: { user?: string; password?: string } = {},
): Promise<SmtpSink> {
  const user = options.user ?? "faldone";
  const password = options.password ?? "smtp-Secret-9f83b1";
  const mails: ReceivedMail[] = [];
  const rejectRcpt: number[] = [];
  const logins: { user: string; ok: boolean }[] = [];
  const make = () =>
    new SMTPServer({
      // Plain SMTP on loopback: the client is told not to require TLS for this host.
      secure: false,
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, cb) {
        const ok = auth.username === user && auth.password === password;
        logins.push({ user: auth.username ?? "", ok });
        if (!ok) return cb(new Error("Invalid username or password"));
        cb(null, { user: auth.username });
      },
      onRcptTo(address, _session, cb) {
        const code = rejectRcpt.shift();
        if (code) {
          const err = new Error(code >= 500 ? "Mailbox unavailable" : "Try again later") as
            & Error
            & { responseCode: number };
          err.responseCode = code;
          return cb(err);
        }
        cb();
        void address;
      },
      onData(stream, session, cb) {
        const chunks: Uint8Array[] = [];
        stream.on("data", (c: Uint8Array) => chunks.push(c));
        stream.on("end", () => {
          const raw = new TextDecoder().decode(
            new Uint8Array(chunks.flatMap((c) => [...c])),
          );
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            subject: decodeWords(header(raw, "Subject")),
            key: header(raw, "X-Faldone-Notice"),
          });
          cb();
        });
      },
    });
  let server = make();
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        const addr = server.server.address();
        if (addr && typeof addr === "object") port = addr.port;
        resolve();
      });
    });
  await listen();
  const sink: SmtpSink = {
    get port() {
      return port;
    },
    user,
    password,
    mails,
    rejectRcpt,
    logins,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async start() {
      server = make();
      await listen();
    },
    async [Symbol.asyncDispose]() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return sink;
}

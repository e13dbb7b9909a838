/**
 * The two channels against real servers on loopback: App IO's client against a server
 * implementing IO's published contract (tests/_app_io_contract_server.ts), including its 4xx,
 * 429 and 5xx answers; e-mail through nodemailer to a real SMTP server (smtp-server).
 */
import assert from "node:assert/strict";
import { startAppIoContractServer } from "./_app_io_contract_server.ts";
import { startSmtpSink } from "./_smtp_sink.ts";
import { appIoMessage, appIoSender } from "../notices/app_io.ts";
import { emailSender } from "../notices/email.ts";
import { ChannelError, type OutgoingNotice, retryAfterMs } from "../notices/channel.ts";
import { APP_IO_LIMITS, fitForAppIo, noticeText } from "../domain/notice_texts.ts";
import { loadNoticeChannels } from "../notices/settings.ts";

const CF = "RSSMRA85T10A562S";

function notice(over: Partial<OutgoingNotice> = {}): OutgoingNotice {
  const t = noticeText({
    eventId: "e1",
    kind: "request_received",
    receiptCode: "K2AB-CD34",
    awaitingPayment: false,
  });
  return { recipient: CF, subject: t.subject, body: t.body, key: "e1:app_io", ...over };
}

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ChannelError) return err;
    throw err;
  }
  throw new Error("expected a ChannelError");
}

Deno.test("App IO: profile checked first, then the message within the contract", async () => {
  await using io = await startAppIoContractServer();
  io.profiles.set(CF, true);
  const sent = await appIoSender({ baseUrl: io.baseUrl, subscriptionKey: io.key }).send(notice());
  assert.deepEqual(io.calls.map((c) => c.path), ["/api/v1/profiles", "/api/v1/messages"]);
  assert.equal(io.messages.length, 1);
  assert.equal(sent.providerId, io.messages[0]?.id);
  assert.equal(io.messages[0]?.fiscal_code, CF);
  assert.match(io.messages[0]?.content.markdown ?? "", /K2AB-CD34/);
});

Deno.test("App IO: the fee notice carries its payment data, accepted by the contract", async () => {
  await using io = await startAppIoContractServer();
  io.profiles.set(CF, true);
  const t = noticeText({
    eventId: "fee",
    kind: "fee_notice_issued",
    receiptCode: "K2AB-CD34",
    payment: {
      amountCents: 10250,
      noticeNumber: "347202500000012389",
      payeeFiscalCode: "12345678903",
    },
    dueOn: "2025-04-02",
  });
  await appIoSender({ baseUrl: io.baseUrl, subscriptionKey: io.key }).send(
    notice({ subject: t.subject, body: t.body, payment: t.payment, dueDate: t.dueDate }),
  );
  const m = io.messages[0];
  assert.deepEqual(m?.content.payment_data, {
    amount: 10250,
    notice_number: "347202500000012389",
    payee: { fiscal_code: "12345678903" },
  });
  // 23:59:59 in Rome on the due day (CEST, UTC+2), as IO's guide asks.
  assert.equal(m?.content.due_date, "2025-04-02T21:59:59.000Z");
  assert.match(m?.content.markdown ?? "", /€ 102,50/);
});

Deno.test("App IO: no profile (404) and opted out are permanent; no message is sent", async () => {
  await using io = await startAppIoContractServer();
  const sender = appIoSender({ baseUrl: io.baseUrl, subscriptionKey: io.key });
  const missing = await failure(sender.send(notice()));
  assert.equal(missing.temporary, false);
  assert.match(missing.message, /non ha un profilo/);
  io.profiles.set(CF, false);
  const optedOut = await failure(sender.send(notice()));
  assert.equal(optedOut.temporary, false);
  assert.match(optedOut.message, /disattivato/);
  assert.equal(io.messages.length, 0);
});

Deno.test("App IO: 400 permanent; 401/403 and 500 temporary; 429 with its Retry-After", async () => {
  await using io = await startAppIoContractServer();
  io.profiles.set(CF, true);
  const sender = appIoSender({ baseUrl: io.baseUrl, subscriptionKey: io.key });
  io.faults.push({ status: 400, path: "/api/v1/messages" });
  assert.equal((await failure(sender.send(notice()))).temporary, false);
  for (const status of [401, 403, 500] as const) {
    io.faults.push({ status });
    const err = await failure(sender.send(notice()));
    assert.equal(err.temporary, true, `HTTP ${status}`);
  }
  io.faults.push({ status: 429, retryAfter: "120" });
  const limited = await failure(sender.send(notice()));
  assert.equal(limited.temporary, true);
  assert.equal(limited.retryAfterMs, 120_000);
  // A wrong key is the server's own 401, and the key never appears in the message.
  const wrong = await failure(
    appIoSender({ baseUrl: io.baseUrl, subscriptionKey: "wrong-key-123456" }).send(notice()),
  );
  assert.equal(wrong.temporary, true);
  assert.doesNotMatch(wrong.message, /wrong-key|io-test-key/);
  assert.equal(io.messages.length, 0);
});

Deno.test("App IO: a server that does not answer is a temporary failure", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const err = await failure(
    appIoSender({ baseUrl: `http://127.0.0.1:${port}/api/v1`, subscriptionKey: "k" }).send(
      notice(),
    ),
  );
  assert.equal(err.temporary, true);
  assert.match(err.message, /non raggiungibile/);
});

Deno.test("Retry-After is read in seconds or as an HTTP date", () => {
  const now = new Date("2025-03-03T09:00:00Z");
  assert.equal(retryAfterMs("30", now), 30_000);
  assert.equal(retryAfterMs("Mon, 03 Mar 2025 09:02:00 GMT", now), 120_000);
  assert.equal(retryAfterMs(null, now), undefined);
  assert.equal(retryAfterMs("soon", now), undefined);
});

Deno.test("App IO limits: short texts padded, long ones cut, and the contract server agrees", async () => {
  const short = fitForAppIo("Avviso", "Breve.");
  assert.ok(short.subject.length >= APP_IO_LIMITS.subjectMin);
  assert.ok(short.markdown.length >= APP_IO_LIMITS.markdownMin);
  assert.match(short.markdown, /^Breve\./);
  const long = fitForAppIo("S".repeat(300), "M".repeat(20_000));
  assert.equal([...long.subject].length, APP_IO_LIMITS.subjectMax);
  assert.equal([...long.markdown].length, APP_IO_LIMITS.markdownMax);
  assert.ok(long.subject.endsWith("…"));
  // Every kind's real text fits as it is.
  for (const m of [appIoMessage(notice()), appIoMessage(notice({ subject: "x", body: "y" }))]) {
    assert.ok(m.content.subject.length >= 10 && m.content.subject.length <= 120);
    assert.ok(m.content.markdown.length >= 80 && m.content.markdown.length <= 10_000);
  }
  await using io = await startAppIoContractServer();
  io.profiles.set(CF, true);
  const sender = appIoSender({ baseUrl: io.baseUrl, subscriptionKey: io.key });
  await sender.send(notice({ subject: "Ciao", body: "Breve." }));
  await sender.send(notice({ subject: "S".repeat(300), body: "M".repeat(20_000) }));
  assert.equal(io.messages.length, 2);
});

function smtpConfig(port: number, user: string, password: string) {
  return {
    host: "127.0.0.1",
    port,
    secure: false,
    requireTls: false,
    user,
    password,
    from: "Comune di Prova <avvisi@comune.example.it>",
  };
}

Deno.test("e-mail: a real SMTP server receives the notice, in plain text", async () => {
  await using sink = await startSmtpSink();
  const email = emailSender(smtpConfig(sink.port, sink.user, sink.password));
  try {
    const sent = await email.send(notice({ recipient: "giulia@example.it", key: "e1:email" }));
    assert.ok(sent.providerId);
  } finally {
    email.close();
  }
  assert.equal(sink.mails.length, 1);
  const mail = sink.mails[0];
  assert.deepEqual(mail?.to, ["giulia@example.it"]);
  assert.equal(mail?.subject, "Richiesta di accesso ricevuta (K2AB-CD34)");
  assert.equal(mail?.key, "e1:email");
  assert.doesNotMatch(mail?.raw ?? "", /\*\*/);
  assert.deepEqual(sink.logins, [{ user: sink.user, ok: true }]);
});

Deno.test("e-mail: 5xx permanent, 4xx / down / bad password temporary", async () => {
  await using sink = await startSmtpSink();
  const email = emailSender(smtpConfig(sink.port, sink.user, sink.password));
  const badPassword = emailSender(smtpConfig(sink.port, sink.user, "not-the-password-77"));
  try {
    sink.rejectRcpt.push(550);
    const refused = await failure(email.send(notice({ recipient: "x@example.it" })));
    assert.equal(refused.temporary, false);
    assert.match(refused.message, /SMTP 550/);
    sink.rejectRcpt.push(451);
    assert.equal(
      (await failure(email.send(notice({ recipient: "x@example.it" })))).temporary,
      true,
    );
    const auth = await failure(badPassword.send(notice({ recipient: "x@example.it" })));
    assert.equal(auth.temporary, true);
    assert.doesNotMatch(auth.message, /not-the-password|smtp-Secret/);
    await sink.stop();
    const down = await failure(email.send(notice({ recipient: "x@example.it" })));
    assert.equal(down.temporary, true);
    assert.match(down.message, /non raggiungibile/);
  } finally {
    email.close();
    badPassword.close();
    await sink.start();
  }
  assert.equal(sink.mails.length, 0);
});

Deno.test("channel settings come from the environment; malformed ones are refused", () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  const none = loadNoticeChannels(env({}));
  assert.equal(none.appIo, undefined);
  assert.equal(none.smtp, undefined);
  const both = loadNoticeChannels(env({
    FALDONE_APPIO_KEY: "k",
    FALDONE_SMTP_HOST: "smtp.example.it",
    FALDONE_SMTP_FROM: "avvisi@example.it",
    FALDONE_SMTP_USER: "u",
    FALDONE_SMTP_PASSWORD: "p",
  }));
  assert.equal(both.appIo?.baseUrl, "https://api.io.pagopa.it/api/v1");
  assert.equal(both.smtp?.port, 587);
  assert.equal(both.smtp?.requireTls, true);
  assert.throws(() => loadNoticeChannels(env({ FALDONE_SMTP_HOST: "smtp.example.it" })), /FROM/);
  assert.throws(
    () =>
      loadNoticeChannels(
        env({ FALDONE_APPIO_KEY: "k", FALDONE_APPIO_URL: "http://io.example.it" }),
      ),
    /https/,
  );
  assert.throws(
    () =>
      loadNoticeChannels(
        env({ FALDONE_SMTP_HOST: "h", FALDONE_SMTP_FROM: "f@x.it", FALDONE_SMTP_PORT: "99999" }),
      ),
    /FALDONE_SMTP_PORT/,
  );
});

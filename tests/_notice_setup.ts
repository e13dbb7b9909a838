/** Shared bits of the notice tests: both channels on loopback and a movable clock. */
import { startAppIoContractServer } from "./_app_io_contract_server.ts";
import type { AppIoContractServer } from "./_app_io_contract_server.ts";
import { type SmtpSink, startSmtpSink } from "./_smtp_sink.ts";
import { appIoSender } from "../notices/app_io.ts";
import { emailSender } from "../notices/email.ts";
import type { NoticeSenderDeps } from "../notices/sender_job.ts";
import type { Db } from "../db/client.ts";
import { FIXED_NOW } from "./_world.ts";

/** A clock tests move by hand. */
export interface ManualClock {
  (): Date;
  advance(ms: number): void;
}

/** A clock starting at `start` (default FIXED_NOW). */
export function manualClock(start = FIXED_NOW): ManualClock {
  let now = start.getTime();
  const clock = (() => new Date(now)) as ManualClock;
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}

/** The App IO contract server and an SMTP sink, with senders for both. */
export interface Channels extends AsyncDisposable {
  io: AppIoContractServer;
  sink: SmtpSink;
  /** Sender-job deps for `db` on `clock`, both channels configured. */
  deps(db: Db, clock: () => Date, over?: Partial<NoticeSenderDeps>): NoticeSenderDeps;
}

/** Starts both servers; `fiscalCodes` get an App IO profile that allows messages. */
export async function startChannels(fiscalCodes: string[] = []): Promise<Channels> {
  const io = await startAppIoContractServer();
  const sink = await startSmtpSink();
  for (const cf of fiscalCodes) io.profiles.set(cf, true);
  const closers: (() => void)[] = [];
  return {
    io,
    sink,
    deps(db, clock, over = {}) {
      const email = emailSender({
        host: "127.0.0.1",
        port: sink.port,
        secure: false,
        requireTls: false,
        user: sink.user,
        password: sink.password,
        from: "Comune di Borgo Esempio <avvisi@comune.example.it>",
      });
      closers.push(() => email.close());
      return {
        db,
        clock,
        comune: "Comune di Borgo Esempio",
        channels: {
          app_io: appIoSender({ baseUrl: io.baseUrl, subscriptionKey: io.key, clock }),
          email,
        },
        random: () => 0.5,
        ...over,
      };
    },
    async [Symbol.asyncDispose]() {
      for (const close of closers) close();
      await io[Symbol.asyncDispose]();
      await sink[Symbol.asyncDispose]();
    },
  };
}

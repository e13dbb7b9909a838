/**
 * The notice channels' settings, from the environment only: the App IO key and the SMTP
 * password are secrets, so they live where the other keys do (FALDONE_GPD_KEY) and never in
 * the DB, a flag (visible in `ps`) or a log line. A channel with a setting missing is off.
 */
import { ConfigError } from "../config.ts";
import { isLoopbackUrl } from "../identity/oidc_settings.ts";
import type { AppIoConfig } from "./app_io.ts";
import type { SmtpConfig } from "./email.ts";

/** The configured channels; undefined ones are off. */
export interface NoticeChannelSettings {
  appIo: AppIoConfig | undefined;
  smtp: SmtpConfig | undefined;
}

/** The production base URL of IO's API for services. */
export const APP_IO_DEFAULT_URL = "https://api.io.pagopa.it/api/v1";

function port(raw: string | undefined, fallback: number): number {
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new ConfigError(`FALDONE_SMTP_PORT deve essere una porta (1–65535), non "${raw}"`);
  }
  return n;
}

/** Reads FALDONE_APPIO_* and FALDONE_SMTP_*; throws ConfigError on a malformed value. */
export function loadNoticeChannels(
  env: (name: string) => string | undefined,
): NoticeChannelSettings {
  const key = env("FALDONE_APPIO_KEY") || undefined;
  const url = env("FALDONE_APPIO_URL") || APP_IO_DEFAULT_URL;
  if (key && !url.startsWith("https://") && !isLoopbackUrl(url)) {
    // The key travels in a header: plain http only to this machine (the tests' server).
    throw new ConfigError(`FALDONE_APPIO_URL deve essere un indirizzo https://, non "${url}"`);
  }
  const host = env("FALDONE_SMTP_HOST") || undefined;
  const from = env("FALDONE_SMTP_FROM") || undefined;
  if (host && !from) {
    throw new ConfigError("Con FALDONE_SMTP_HOST imposta anche FALDONE_SMTP_FROM (il mittente)");
  }
  const secure = env("FALDONE_SMTP_SECURE") === "1";
  const loopback = host === "localhost" || host === "127.0.0.1" || host === "::1";
  return {
    appIo: key ? { baseUrl: url, subscriptionKey: key } : undefined,
    smtp: host && from
      ? {
        host,
        port: port(env("FALDONE_SMTP_PORT"), secure ? 465 : 587),
        secure,
        // The password crosses the network: TLS required unless the relay is this machine.
        requireTls: !secure && !loopback,
        user: env("FALDONE_SMTP_USER") || undefined,
        password: env("FALDONE_SMTP_PASSWORD") || undefined,
        from,
      }
      : undefined,
  };
}

/** Command-line flags and environment variables → one typed Config. */
import { parseArgs } from "node:util";
import { isLoopbackUrl, type OidcSettings } from "./identity/oidc_settings.ts";

/** Which side this process plays: a branch kiosk or the central archive. */
export type Role = "branch" | "archive";

/** Everything a process needs to know at start; read once in main.ts. */
export interface Config {
  role: Role;
  port: number;
  hostname: string;
  dbPath: string;
  demo: boolean;
  /** Two characters of the receipt-code alphabet identifying this branch (DOMAIN §5). */
  branchCode: string;
  branchName: string;
  archiveUrl: string | undefined;
  token: string | undefined;
  /** Minutes between scheduled syncs while the archive is reachable. */
  syncIntervalMinutes: number;
  /** Seconds of inactivity before the kiosk warns and then wipes the screen. */
  idleSeconds: number;
  /** Citizen sign-in through the town's identity broker (archive only), when configured. */
  oidc: OidcSettings | undefined;
  /** The archive's public address (https://…), for the sign-in's redirect URI. */
  publicUrl: string | undefined;
}

/** Flags every subcommand that opens a DB or serves accepts. */
export const COMMON_FLAGS = {
  port: { type: "string" },
  db: { type: "string" },
  "no-demo": { type: "boolean" },
  "archive-url": { type: "string" },
  token: { type: "string" },
  branch: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** A flag or variable with a value the program cannot use. */
export class ConfigError extends Error {}

function intFrom(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  }
  return n;
}

/**
 * Builds the config from parsed flags and the environment (flags win).
 * `env` is passed in so tests never depend on the real environment.
 */
export function loadConfig(
  role: Role,
  flags: {
    port?: string | undefined;
    db?: string | undefined;
    "no-demo"?: boolean | undefined;
    "archive-url"?: string | undefined;
    token?: string | undefined;
    branch?: string | undefined;
  },
  env: (name: string) => string | undefined,
): Config {
  const port = intFrom(flags.port ?? env("PORT"), "--port", role === "archive" ? 8100 : 8000);
  if (port > 65535) throw new ConfigError(`--port must be at most 65535, got ${port}`);
  const defaultDb = role === "archive" ? "./data/archive.db" : "./data/faldone.db";
  const branchCode = (flags.branch ?? env("FALDONE_BRANCH_CODE") ?? "K2").toUpperCase();
  if (!/^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{2}$/.test(branchCode)) {
    throw new ConfigError(
      `the branch code must be 2 characters of 23456789ABCDEFGHJKLMNPQRSTUVWXYZ, got "${branchCode}"`,
    );
  }
  return {
    role,
    port,
    hostname: env("FALDONE_HOST") ?? "0.0.0.0",
    dbPath: flags.db ?? env("FALDONE_DB") ?? defaultDb,
    demo: !(flags["no-demo"] ?? env("FALDONE_NO_DEMO") === "1"),
    branchCode,
    branchName: env("FALDONE_BRANCH_NAME") ?? `sede-${branchCode}`,
    archiveUrl: flags["archive-url"] ?? env("FALDONE_ARCHIVE_URL"),
    token: flags.token ?? env("FALDONE_TOKEN"),
    syncIntervalMinutes: intFrom(env("FALDONE_SYNC_MINUTES"), "FALDONE_SYNC_MINUTES", 5),
    idleSeconds: intFrom(env("FALDONE_IDLE_SECONDS"), "FALDONE_IDLE_SECONDS", 120),
    ...citizenSignInFrom(role, env),
  };
}

function httpsUrl(raw: string, name: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  // Tokens and the client secret travel on these: plain http only to this machine.
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackUrl(raw))) {
    throw new ConfigError(`${name} must be an https:// URL, got "${raw}"`);
  }
  return raw;
}

/** The OIDC settings: all of issuer, client id, secret and public URL, or none; archive only. */
function citizenSignInFrom(role: Role, env: (name: string) => string | undefined) {
  const names = [
    "FALDONE_OIDC_ISSUER",
    "FALDONE_OIDC_CLIENT_ID",
    "FALDONE_OIDC_CLIENT_SECRET",
    "FALDONE_PUBLIC_URL",
  ] as const;
  const [issuer, clientId, clientSecret, publicUrl] = names.map((n) => env(n) || undefined);
  if (!issuer && !clientId && !clientSecret) {
    const url = publicUrl ? httpsUrl(publicUrl, names[3]).replace(/\/+$/, "") : undefined;
    return { oidc: undefined, publicUrl: url };
  }
  const missing = names.filter((n) => !env(n));
  if (missing.length > 0 || !issuer || !clientId || !clientSecret || !publicUrl) {
    throw new ConfigError(
      `citizen sign-in needs ${names.join(", ")}; missing ${missing.join(", ")}`,
    );
  }
  if (role !== "archive") {
    throw new ConfigError("citizen sign-in (FALDONE_OIDC_*) runs on the archive only");
  }
  return {
    oidc: {
      issuer: httpsUrl(issuer, names[0]),
      clientId,
      clientSecret,
      scope: env("FALDONE_OIDC_SCOPE") || "openid profile",
    },
    publicUrl: httpsUrl(publicUrl, names[3]).replace(/\/+$/, ""),
  };
}

/** parseArgs with the common flags plus a command's own; unknown flags are an error. */
export function parseFlags<
  T extends Record<string, { type: "string" | "boolean"; short?: string }>,
>(
  args: string[],
  extra: T,
) {
  return parseArgs({
    args,
    options: { ...COMMON_FLAGS, ...extra },
    allowPositionals: true,
    strict: true,
  });
}

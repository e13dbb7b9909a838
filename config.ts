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
  /** A file holding the DB's encryption key (outside the data folder); see db/db_key.ts. */
  dbKeyFile: string | undefined;
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
  /**
   * Requests a client address may make to /api per minute before a 429 (FALDONE_API_RATE);
   * 0 turns the limit off (a benchmark on loopback).
   */
  apiRatePerMinute: number;
  /**
   * Workers that make the stamped pages of a consultation (FALDONE_STAMP_WORKERS, default 1:
   * the 2-core kiosk keeps the other core for its requests); 0 stamps on the request thread.
   */
  stampWorkers: number;
  /** The Comune's name, in the header of every page and on the receipt. */
  comuneName: string;
  /** Where a citizen goes for the consultation and to collect copies (printed on the receipt). */
  deskPlace: string;
  /** When that office is open (printed on the receipt). */
  deskHours: string;
  /**
   * The address citizens reach this process at, without a trailing slash: the base of the
   * receipt's QR (none: the request's own origin) and, on the archive, of the citizen
   * sign-in's redirect URI (then https is required).
   */
  publicUrl: string | undefined;
  /** Root of the document file store (default: `files/` beside a local DB file). */
  filesRoot: string;
  /**
   * Key material the file store is encrypted with: FALDONE_DB_KEY, the DB's own key (issue 9
   * §4), so one secret protects both. Undefined: files are stored in clear.
   */
  filesKey: string | undefined;
  /** Folder of PEM trust anchors for signed files (default: `trust-anchors/` beside the DB). */
  trustAnchorsDir: string;
  /**
   * Megabytes of document bytes a branch keeps (FALDONE_FILES_BUDGET_MB, default 2048): public
   * attachments are fetched while they fit, least recently used files evicted past it.
   * Pinned files (a clerk's "Scarica in sede", scans not yet sent up) come on top.
   */
  filesBudgetMb: number;
  /**
   * Days before a grant's last valid day its holder is told it is about to expire
   * (FALDONE_GRANT_NOTICE_DAYS, default 7; archive only: the archive sends notices).
   */
  grantNoticeDays: number;
  /** Citizen sign-in through the town's identity broker (archive only), when configured. */
  oidc: OidcSettings | undefined;
  /** pagoPA notices and the debt-position service (archive side; see docs/ACCESS.md). */
  pagopa: PagopaConfig;
}

/** The ente's pagoPA identity and the GPD endpoint; the key comes from the environment only. */
export interface PagopaConfig {
  /** The Comune's codice fiscale (11 digits): notice, QR and GPD path. */
  enteFiscalCode: string | undefined;
  /** The 2-digit segregation code of Faldone's IUV generator. */
  segregationCode: string | undefined;
  /** GPD base URL, e.g. https://api.platform.pagopa.it/gpd/debt-positions-service/v1 */
  gpdUrl: string | undefined;
  /** Ocp-Apim-Subscription-Key (FALDONE_GPD_KEY): never logged. */
  gpdKey: string | undefined;
  /** Account credited by the transfer, and its taxonomy code (dati specifici di riscossione). */
  iban: string | undefined;
  category: string | undefined;
  /** Days from the notice to its due date. */
  dueDays: number;
}

/** Flags every subcommand that opens a DB or serves accepts. */
export const COMMON_FLAGS = {
  port: { type: "string" },
  db: { type: "string" },
  "db-key-file": { type: "string" },
  "no-demo": { type: "boolean" },
  "archive-url": { type: "string" },
  token: { type: "string" },
  branch: { type: "string" },
  "files-root": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The help lines of the DB key, shared by every command that opens a DB. */
export const DB_KEY_HELP =
  `  --db-key-file PERCORSO  file con la chiave di un DB cifrato, fuori dalla cartella del DB
                      (env FALDONE_DB_KEY_FILE, o la chiave stessa in FALDONE_DB_KEY)`;

/** A flag or variable with a value the program cannot use. */
export class ConfigError extends Error {}

function intFrom(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new ConfigError(`${name} deve essere un numero intero, non "${raw}"`);
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
    "db-key-file"?: string | undefined;
    "no-demo"?: boolean | undefined;
    "archive-url"?: string | undefined;
    token?: string | undefined;
    branch?: string | undefined;
    "files-root"?: string | undefined;
  },
  env: (name: string) => string | undefined,
): Config {
  const port = intFrom(flags.port ?? env("PORT"), "--port", role === "archive" ? 8100 : 8000);
  if (port > 65535) throw new ConfigError(`--port deve essere al massimo 65535, non ${port}`);
  const defaultDb = role === "archive" ? "./data/archive.db" : "./data/faldone.db";
  const branchCode = (flags.branch ?? env("FALDONE_BRANCH_CODE") ?? "K2").toUpperCase();
  if (!/^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{2}$/.test(branchCode)) {
    throw new ConfigError(
      `il codice della sede deve essere di 2 caratteri tra 23456789ABCDEFGHJKLMNPQRSTUVWXYZ, non "${branchCode}"`,
    );
  }
  const dbPath = flags.db ?? env("FALDONE_DB") ?? defaultDb;
  const dataDir = dataDirOf(dbPath);
  return {
    role,
    port,
    hostname: env("FALDONE_HOST") ?? "0.0.0.0",
    dbPath,
    dbKeyFile: flags["db-key-file"] ?? env("FALDONE_DB_KEY_FILE"),
    demo: !(flags["no-demo"] ?? env("FALDONE_NO_DEMO") === "1"),
    branchCode,
    branchName: env("FALDONE_BRANCH_NAME") ?? `sede-${branchCode}`,
    archiveUrl: flags["archive-url"] ?? env("FALDONE_ARCHIVE_URL"),
    token: flags.token ?? env("FALDONE_TOKEN"),
    syncIntervalMinutes: intFrom(env("FALDONE_SYNC_MINUTES"), "FALDONE_SYNC_MINUTES", 5),
    idleSeconds: intFrom(env("FALDONE_IDLE_SECONDS"), "FALDONE_IDLE_SECONDS", 120),
    apiRatePerMinute: intFrom(env("FALDONE_API_RATE"), "FALDONE_API_RATE", 600),
    stampWorkers: intFrom(env("FALDONE_STAMP_WORKERS"), "FALDONE_STAMP_WORKERS", 1),
    // The demo's Comune: a real office sets its own name, desk and opening hours.
    comuneName: env("FALDONE_COMUNE") || "Comune di Borgo Esempio",
    deskPlace: env("FALDONE_SPORTELLO") || "Ufficio Edilizia privata, piano terra del Municipio",
    deskHours: env("FALDONE_ORARI") || "lunedì e giovedì 9:00–12:30, martedì 15:00–17:00",
    filesRoot: flags["files-root"] ?? env("FALDONE_FILES_ROOT") ?? `${dataDir}/files`,
    filesKey: env("FALDONE_DB_KEY") || undefined,
    trustAnchorsDir: env("FALDONE_TRUST_ANCHORS") ?? `${dataDir}/trust-anchors`,
    filesBudgetMb: intFrom(env("FALDONE_FILES_BUDGET_MB"), "FALDONE_FILES_BUDGET_MB", 2048),
    grantNoticeDays: intFrom(env("FALDONE_GRANT_NOTICE_DAYS"), "FALDONE_GRANT_NOTICE_DAYS", 7),
    ...citizenSignInFrom(role, env),
    pagopa: loadPagopaConfig(env),
  };
}

function loadPagopaConfig(env: (name: string) => string | undefined): PagopaConfig {
  const enteFiscalCode = env("FALDONE_ENTE_CF") || undefined;
  if (enteFiscalCode && !/^\d{11}$/.test(enteFiscalCode)) {
    throw new ConfigError(`FALDONE_ENTE_CF deve essere di 11 cifre, non "${enteFiscalCode}"`);
  }
  const segregationCode = env("FALDONE_PAGOPA_SEGREGAZIONE") || undefined;
  if (segregationCode && !/^\d{2}$/.test(segregationCode)) {
    throw new ConfigError(
      `FALDONE_PAGOPA_SEGREGAZIONE deve essere di 2 cifre, non "${segregationCode}"`,
    );
  }
  return {
    enteFiscalCode,
    segregationCode,
    gpdUrl: env("FALDONE_GPD_URL") || undefined,
    gpdKey: env("FALDONE_GPD_KEY") || undefined,
    iban: env("FALDONE_PAGOPA_IBAN") || undefined,
    category: env("FALDONE_PAGOPA_TASSONOMIA") || undefined,
    dueDays: intFrom(env("FALDONE_PAGOPA_GIORNI"), "FALDONE_PAGOPA_GIORNI", 30),
  };
}

function parsedUrl(raw: string, name: string): URL {
  try {
    const url = new URL(raw);
    if (url.protocol === "https:" || url.protocol === "http:") return url;
  } catch {
    // reported below
  }
  throw new ConfigError(`${name} deve essere un indirizzo http:// o https://, non "${raw}"`);
}

function httpsUrl(raw: string, name: string): string {
  const url = parsedUrl(raw, name);
  // Tokens and the client secret travel on these: plain http only to this machine.
  if (url.protocol !== "https:" && !isLoopbackUrl(raw)) {
    throw new ConfigError(`${name} deve essere un indirizzo https://, non "${raw}"`);
  }
  return raw;
}

/**
 * FALDONE_PUBLIC_URL, and the OIDC settings: all of issuer, client id, secret and public URL,
 * or none; archive only. Without sign-in the public URL only feeds the receipt's QR, so a
 * kiosk on a town LAN may keep plain http.
 */
function citizenSignInFrom(role: Role, env: (name: string) => string | undefined) {
  const names = [
    "FALDONE_OIDC_ISSUER",
    "FALDONE_OIDC_CLIENT_ID",
    "FALDONE_OIDC_CLIENT_SECRET",
    "FALDONE_PUBLIC_URL",
  ] as const;
  const [issuer, clientId, clientSecret, publicUrl] = names.map((n) => env(n) || undefined);
  if (!issuer && !clientId && !clientSecret) {
    const url = publicUrl
      ? (parsedUrl(publicUrl, names[3]), publicUrl.replace(/\/+$/, ""))
      : undefined;
    return { oidc: undefined, publicUrl: url };
  }
  const missing = names.filter((n) => !env(n));
  if (missing.length > 0 || !issuer || !clientId || !clientSecret || !publicUrl) {
    throw new ConfigError(
      `l'accesso dei cittadini richiede ${names.join(", ")}; mancano ${missing.join(", ")}`,
    );
  }
  if (role !== "archive") {
    throw new ConfigError("l'accesso dei cittadini (FALDONE_OIDC_*) è solo dell'archivio");
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

/**
 * The folder the DB file lives in, where the file store and the trust anchors go by default;
 * `./data` for a DB behind a URL (libsql://, http://), which has no folder here.
 */
export function dataDirOf(dbPath: string): string {
  const path = dbPath.startsWith("file:") ? dbPath.slice("file:".length) : dbPath;
  if (/^[a-z]+:/.test(path)) return "./data";
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
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

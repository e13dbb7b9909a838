/** Command-line flags and environment variables → one typed Config. */
import { parseArgs } from "node:util";

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
  /** The Comune's name, in the header of every page and on the receipt. */
  comuneName: string;
  /** Where a citizen goes for the consultation and to collect copies (printed on the receipt). */
  deskPlace: string;
  /** When that office is open (printed on the receipt). */
  deskHours: string;
  /** The address citizens reach the status page at (the receipt's QR); none: the request's own. */
  publicUrl: string | undefined;
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
    "no-demo"?: boolean | undefined;
    "archive-url"?: string | undefined;
    token?: string | undefined;
    branch?: string | undefined;
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
    // The demo's Comune: a real office sets its own name, desk and opening hours.
    comuneName: env("FALDONE_COMUNE") || "Comune di Borgo Esempio",
    deskPlace: env("FALDONE_SPORTELLO") || "Ufficio Edilizia privata, piano terra del Municipio",
    deskHours: env("FALDONE_ORARI") || "lunedì e giovedì 9:00–12:30, martedì 15:00–17:00",
    publicUrl: env("FALDONE_PUBLIC_URL") || undefined,
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

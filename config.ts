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
  help: { type: "boolean", short: "h" },
} as const;

/** The help lines of the DB key, shared by every command that opens a DB. */
export const DB_KEY_HELP =
  `  --db-key-file PATH  file with the key of an encrypted DB, outside the DB's folder
                      (env FALDONE_DB_KEY_FILE, or the key itself in FALDONE_DB_KEY)`;

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
    "db-key-file"?: string | undefined;
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
    dbKeyFile: flags["db-key-file"] ?? env("FALDONE_DB_KEY_FILE"),
    demo: !(flags["no-demo"] ?? env("FALDONE_NO_DEMO") === "1"),
    branchCode,
    branchName: env("FALDONE_BRANCH_NAME") ?? `sede-${branchCode}`,
    archiveUrl: flags["archive-url"] ?? env("FALDONE_ARCHIVE_URL"),
    token: flags.token ?? env("FALDONE_TOKEN"),
    syncIntervalMinutes: intFrom(env("FALDONE_SYNC_MINUTES"), "FALDONE_SYNC_MINUTES", 5),
    idleSeconds: intFrom(env("FALDONE_IDLE_SECONDS"), "FALDONE_IDLE_SECONDS", 120),
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

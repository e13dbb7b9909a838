/** Admin settings of the access-request desk, kept as JSON in the `settings` table. */
import { eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { auditActionIn, type AuditedBy } from "./audit.ts";
import type { Tx } from "./outbox.ts";
import { settings } from "./schema.ts";
import {
  type DeadlineSettings,
  DEFAULT_DEADLINE_SETTINGS,
  type HolidaySettings,
} from "../domain/access_deadline.ts";

const DEADLINE_KEY = "access.deadline";
const IDLE_KEY = "kiosk.idle_seconds";
const UPLOAD_KEY = "documents.upload_max_mb";
const GRANT_DAYS_KEY = "access.grant_days";
/** How long a grant lasts until an admin sets otherwise (the "default 90 days"). */
export const DEFAULT_GRANT_DAYS = 90;
/** Bounds an admin may set the grant's length within, in days. */
export const GRANT_DAYS_RANGE = { min: 1, max: 3_650 } as const;
/** The counter upload's size limit until an admin sets one (a 300-page scan is ~150 MB). */
export const DEFAULT_UPLOAD_MAX_MB = 200;
/** Bounds an admin may set the upload limit within, in MB. */
export const UPLOAD_MAX_MB_RANGE = { min: 1, max: 2_000 } as const;
const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function strings(value: unknown, pattern: RegExp): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string" && pattern.test(v))
    : [];
}

// A hand-edited or older row must never break the clock: anything unreadable falls back.
function readHolidays(value: unknown): HolidaySettings {
  if (typeof value !== "object" || value === null) return DEFAULT_DEADLINE_SETTINGS.holidays;
  const v: Record<string, unknown> = { ...value };
  const patron = typeof v.patron === "string" && MONTH_DAY.test(v.patron) ? v.patron : undefined;
  return {
    fixed: strings(v.fixed, MONTH_DAY),
    easterMonday: v.easterMonday !== false,
    ...(patron ? { patron } : {}),
    extra: strings(v.extra, ISO_DATE),
  };
}

async function readJson(db: Db, key: string): Promise<unknown> {
  const row = await db.select().from(settings).where(eq(settings.key, key)).get();
  if (!row) return undefined;
  try {
    return JSON.parse(row.value);
  } catch {
    return undefined;
  }
}

async function writeJson(tx: Tx, key: string, value: unknown, now: Date): Promise<void> {
  const row = { key, value: JSON.stringify(value), updatedAt: now.toISOString() };
  await tx.insert(settings).values(row).onConflictDoUpdate({
    target: settings.key,
    set: { value: row.value, updatedAt: row.updatedAt },
  });
}

/** The holidays and suspension rule the clock uses (defaults until an admin saves them). */
export async function readDeadlineSettings(db: Db): Promise<DeadlineSettings> {
  const value = await readJson(db, DEADLINE_KEY);
  if (typeof value !== "object" || value === null) return DEFAULT_DEADLINE_SETTINGS;
  const v: Record<string, unknown> = { ...value };
  return {
    holidays: readHolidays(v.holidays),
    documentaleSuspension: v.documentaleSuspension !== false,
  };
}

/** What the admin settings page saves. */
export interface DeskSettings {
  deadline: DeadlineSettings;
  /** Kiosk idle seconds before the screen is wiped. */
  idleSeconds: number;
  /** Largest scan a clerk may upload at the counter, in MB (unchanged when omitted). */
  uploadMaxMb?: number;
  /** Days a grant lasts by default (unchanged when omitted). */
  grantDays?: number;
}

/**
 * Saves the clock settings and the kiosk idle time with their `settings_change` audit entry,
 * all in one transaction. Requests already filed keep their computed due date.
 */
export async function saveDeskSettings(
  db: Db,
  value: DeskSettings,
  by: AuditedBy,
): Promise<void> {
  await db.transaction(async (tx) => {
    await writeJson(tx, DEADLINE_KEY, value.deadline, by.now);
    await writeJson(tx, IDLE_KEY, value.idleSeconds, by.now);
    if (value.uploadMaxMb !== undefined) await writeJson(tx, UPLOAD_KEY, value.uploadMaxMb, by.now);
    if (value.grantDays !== undefined) await writeJson(tx, GRANT_DAYS_KEY, value.grantDays, by.now);
    await auditActionIn(tx, by, { action: "settings_change" });
  });
}

/** Kiosk idle seconds set by an admin, or `fallback` (the config value). */
export async function readIdleSeconds(db: Db, fallback: number): Promise<number> {
  const value = await readJson(db, IDLE_KEY);
  return typeof value === "number" && Number.isInteger(value) && value >= 30 ? value : fallback;
}

/** The counter upload's size limit in MB (the default until an admin saves one). */
export async function readUploadMaxMb(db: Db): Promise<number> {
  const value = await readJson(db, UPLOAD_KEY);
  return typeof value === "number" && Number.isInteger(value) &&
      value >= UPLOAD_MAX_MB_RANGE.min && value <= UPLOAD_MAX_MB_RANGE.max
    ? value
    : DEFAULT_UPLOAD_MAX_MB;
}

/** Days a new grant lasts by default (the default until an admin saves one). */
export async function readGrantDays(db: Db): Promise<number> {
  const value = await readJson(db, GRANT_DAYS_KEY);
  return typeof value === "number" && Number.isInteger(value) &&
      value >= GRANT_DAYS_RANGE.min && value <= GRANT_DAYS_RANGE.max
    ? value
    : DEFAULT_GRANT_DAYS;
}

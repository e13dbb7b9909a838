/**
 * Reading typed fields out of one parsed JSON line, collecting `riga N: campo: motivo`
 * findings instead of throwing, so every problem of a line is reported at once. The reasons
 * are Italian, for the archivist running the import; field names stay as the format's keys.
 */

import { cleanLine, cleanMultiline } from "./plain_text.ts";

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/** Collects the findings of one line, each prefixed with its number and field path. */
export class Findings {
  errors: string[] = [];
  warnings: string[] = [];
  constructor(readonly line: number) {}
  error(field: string, reason: string): undefined {
    this.errors.push(`riga ${this.line}: ${field}: ${reason}`);
    return undefined;
  }
  warn(field: string, reason: string): void {
    this.warnings.push(`riga ${this.line}: ${field}: ${reason}`);
  }
}

/** The reason of a missing required field. */
export const REQUIRED = "obbligatorio, manca o è vuoto";
/** The reason of a value that should be an object. */
export const OBJECT = "deve essere un oggetto tra parentesi graffe { }";

/** True for a plain JSON object. */
export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A value as quoted in a message, cut short. */
export function shown(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** Warns about each field not in `known` (the line is still imported). */
export function warnUnknown(
  f: Findings,
  obj: Json,
  known: readonly string[],
  prefix: string,
): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) f.warn(`${prefix}${key}`, "campo sconosciuto, ignorato");
  }
}

/**
 * An optional one-line string: absent, null or blank → undefined; other types are an error.
 * Control characters become spaces (plain_text.ts), with a warning saying so.
 */
export function optString(f: Findings, obj: Json, key: string, path: string): string | undefined {
  return textField(f, obj, key, path, cleanLine);
}

/** An optional multi-line string (an act's text): as optString, keeping tabs and line breaks. */
export function optMultiline(
  f: Findings,
  obj: Json,
  key: string,
  path: string,
): string | undefined {
  return textField(f, obj, key, path, cleanMultiline);
}

function textField(
  f: Findings,
  obj: Json,
  key: string,
  path: string,
  clean: (s: string) => string,
): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") {
    return f.error(path, `deve essere un testo tra virgolette, trovato ${shown(v)}`);
  }
  const cleaned = clean(v);
  if (cleaned !== v) f.warn(path, "caratteri di controllo sostituiti da uno spazio");
  const t = cleaned.trim();
  return t === "" ? undefined : t;
}

/** A required non-blank string. */
export function reqString(f: Findings, obj: Json, key: string, path: string): string | undefined {
  if (obj[key] === undefined || obj[key] === null || obj[key] === "") {
    return f.error(path, REQUIRED);
  }
  const s = optString(f, obj, key, path);
  return s === undefined && typeof obj[key] === "string" ? f.error(path, REQUIRED) : s;
}

/** True when `s` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** An optional real date YYYY-MM-DD. */
export function optDate(f: Findings, obj: Json, key: string, path: string): string | undefined {
  const s = optString(f, obj, key, path);
  if (s === undefined || isIsoDate(s)) return s;
  return f.error(path, `deve essere una data esistente scritta AAAA-MM-GG, trovato ${shown(s)}`);
}

/** A required whole number ≥ 0 (pages, bytes). */
export function count(f: Findings, obj: Json, key: string, path: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return f.error(path, REQUIRED);
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    return f.error(path, `deve essere un numero intero da 0 in su, trovato ${shown(v)}`);
  }
  return v;
}

/** The required `year`: an integer from 1850 to `maxYear`. */
export function year(f: Findings, obj: Json, maxYear: number): number | undefined {
  const v = obj.year;
  if (v === undefined || v === null) return f.error("year", REQUIRED);
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1000 || v > 9999) {
    return f.error("year", `deve essere un anno di 4 cifre, trovato ${shown(v)}`);
  }
  if (v < 1850 || v > maxYear) {
    return f.error("year", `deve essere compreso tra 1850 e ${maxYear}, trovato ${v}`);
  }
  return v;
}

/** An optional boolean. */
export function optBool(f: Findings, obj: Json, key: string, path: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") {
    return f.error(path, `deve essere true (sì) o false (no), trovato ${shown(v)}`);
  }
  return v;
}

/** Each element of an optional array field, with its path (`addresses[1]`). */
export function eachObject<T>(
  f: Findings,
  obj: Json,
  key: string,
  read: (item: Json, path: string) => T | undefined,
): T[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    return f.error(key, "deve essere un elenco tra parentesi quadre [ ]") ?? [];
  }
  const out: T[] = [];
  v.forEach((item, i) => {
    const path = `${key}[${i}]`;
    if (!isObject(item)) return f.error(path, OBJECT);
    const value = read(item, path);
    if (value !== undefined) out.push(value);
  });
  return out;
}

/** Copies only the defined values, so optional fields stay absent (exactOptionalPropertyTypes). */
export function defined<T extends object>(o: { [K in keyof T]: T[K] | undefined }): Partial<T> {
  const out: Partial<T> = {};
  for (const key in o) {
    const value = o[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

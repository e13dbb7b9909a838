/**
 * The registro degli accessi (ANAC del. 1309/2016; FP circ. 2/2017): one row per request of
 * every regime, with no personal data. Free text typed by citizens or clerks (names,
 * descriptions, reasons) never reaches it: the subject is built from record identifiers and
 * the reasons from the legal basis.
 */
import { inArray } from "drizzle-orm";
import type { Db } from "./client.ts";
import { acts, dossiers } from "./schema.ts";
import { listAllRequests, recordsOfRequests } from "./access_requests.ts";
import { ACCESS_STATE_LABELS, isAccessState } from "../domain/access_states.ts";
import { localDate } from "../domain/access_deadline.ts";

/** Italian names of the regimes. */
export const REGIME_LABELS = {
  documentale: "Documentale (L. 241/1990)",
  civico_generalizzato: "Civico generalizzato (d.lgs. 33/2013 art. 5 c.2)",
  civico_semplice: "Civico semplice (d.lgs. 33/2013 art. 5 c.1)",
} as const;

/** One published row (`requestId` is not published: clerks' pages link the row with it). */
export interface RegistroRow {
  requestId: string;
  regime: string;
  subject: string;
  filedOn: string;
  protocol: string;
  counterparties: "sì" | "no";
  outcome: string;
  reasons: string;
  decidedOn: string;
  appeal: string;
}

/** The column headings, in order, as published. */
export const REGISTRO_COLUMNS: [Exclude<keyof RegistroRow, "requestId">, string][] = [
  ["regime", "Tipologia di accesso"],
  ["subject", "Oggetto della richiesta"],
  ["filedOn", "Data di presentazione"],
  ["protocol", "Numero della richiesta"],
  ["counterparties", "Presenza di controinteressati"],
  ["outcome", "Esito"],
  ["reasons", "Sintesi della motivazione"],
  ["decidedOn", "Data del provvedimento"],
  ["appeal", "Riesame / ricorso"],
];

async function recordLabels(db: Db, ids: { dossiers: string[]; acts: string[] }) {
  const labels = new Map<string, string>();
  if (ids.dossiers.length > 0) {
    const rows = await db.select().from(dossiers).where(inArray(dossiers.id, ids.dossiers));
    for (const d of rows) {
      // A restricted dossier's existence is itself not public.
      labels.set(
        `dossier:${d.id}`,
        d.restricted ? "pratica riservata" : `${d.type} ${d.number}/${d.year}`,
      );
    }
  }
  if (ids.acts.length > 0) {
    const rows = await db.select().from(acts).where(inArray(acts.id, ids.acts));
    for (const a of rows) {
      labels.set(
        `act:${a.id}`,
        a.restricted ? "atto riservato" : `${a.kind.replace("_", " ")} ${a.number}/${a.year}`,
      );
    }
  }
  return labels;
}

/** Every request filed in the period as a registro row, newest first. */
export async function registroRows(
  db: Db,
  period: { from?: string | undefined; to?: string | undefined } = {},
): Promise<RegistroRow[]> {
  const requests = await listAllRequests(db, period);
  const records = await recordsOfRequests(db, requests.map((r) => r.id));
  const all = [...records.values()].flat();
  const labels = await recordLabels(db, {
    dossiers: all.filter((r) => r.kind === "dossier").map((r) => r.id),
    acts: all.filter((r) => r.kind === "act").map((r) => r.id),
  });
  return requests.map((r) => {
    const asked = (records.get(r.id) ?? []).map((x) =>
      labels.get(`${x.kind}:${x.id}`) ?? "documento d'archivio"
    );
    if (r.recordsDescription) asked.push("altri documenti descritti dal richiedente");
    const decided = r.decidedOn !== null;
    return {
      requestId: r.id,
      regime: REGIME_LABELS[r.regime],
      subject: `Accesso a: ${asked.join(", ") || "documenti d'archivio"}`,
      filedOn: localDate(new Date(r.filedAt)),
      // Not the receipt code: published, it would be half of a status lookup.
      protocol: r.id.slice(0, 8).toUpperCase(),
      counterparties: r.hasCounterparties ? "sì" : "no",
      outcome: isAccessState(r.state) ? ACCESS_STATE_LABELS[r.state] : r.state,
      reasons: decided ? r.legalBasis ?? "" : "",
      decidedOn: r.decidedOn ?? "",
      appeal: r.appeal ? "sì" : "no",
    };
  });
}

/** The registro as CSV (RFC 4180, `;`-separated as Italian spreadsheets expect, with BOM). */
export function registroCsv(rows: RegistroRow[]): string {
  return toCsv(
    REGISTRO_COLUMNS.map(([, h]) => h),
    rows.map((r) => REGISTRO_COLUMNS.map(([k]) => r[k])),
  );
}

/** CSV text from a header and rows; cells that a spreadsheet would run as formulas are defused. */
export function toCsv(header: string[], rows: string[][]): string {
  const cell = (v: string) => {
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[";\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  return "\uFEFF" + [header, ...rows].map((r) => r.map(cell).join(";")).join("\r\n") + "\r\n";
}

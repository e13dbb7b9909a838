/** Shared bits of the fee and pagoPA tests: a fee table, an owing request, the job's deps. */
import type { Db } from "../db/client.ts";
import { addFeeExemption, addFeeRule } from "../db/fees.ts";
import { createAccessRequest } from "../db/access_requests.ts";
import { quoteFee } from "../db/payment_notices.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../domain/access_deadline.ts";
import type { NoticeJobDeps } from "../pagopa/notice_job.ts";
import type { GpdContractServer } from "./_gpd_contract_server.ts";

/** The ente of the tests (a valid 11-digit code) and its segregation code. */
export const ENTE_CF = "12345678903";
export const SEGREGATION = "47";

/** A town's table: search by age, viewing flat, copies per page; one exemption. */
export async function seedFeeTable(db: Db, now: Date): Promise<{ exemptionId: string }> {
  const by = { actor: "admin", now, branch: "archivio", outbox: false };
  await addFeeRule(db, { item: "research", yearFrom: null, yearTo: 1989, amountCents: 10000 }, by);
  await addFeeRule(db, { item: "research", yearFrom: 1990, yearTo: 2013, amountCents: 5000 }, by);
  await addFeeRule(db, { item: "research", yearFrom: 2014, yearTo: null, amountCents: 3000 }, by);
  await addFeeRule(db, { item: "viewing", yearFrom: null, yearTo: null, amountCents: 250 }, by);
  await addFeeRule(db, { item: "copy_page", yearFrom: null, yearTo: null, amountCents: 10 }, by);
  const ex = await addFeeExemption(db, "Richiesta dell'autorità giudiziaria", by);
  return { exemptionId: ex.id };
}

/** A documentale request for these dossiers, priced with this DB's table. */
export async function fileRequest(
  db: Db,
  now: Date,
  records: { kind: "dossier" | "act"; id: string }[],
  options: { outbox?: boolean; exemptionId?: string; taxCode?: string } = {},
) {
  const base = {
    regime: "documentale" as const,
    requesterName: "Giulia Bianchi",
    taxCode: options.taxCode ?? "RSSMRA85T10A562S",
    motivation: "Compravendita dell'immobile",
    mode: "view" as const,
    records,
    urgent: false,
  };
  const fee = await quoteFee(db, { ...base, exemptionId: options.exemptionId ?? null });
  return await createAccessRequest(db, { ...base, fee }, {
    now,
    branch: "sede-K2",
    branchCode: "K2",
    outbox: options.outbox ?? false,
    settings: DEFAULT_DEADLINE_SETTINGS,
  });
}

/** The job's deps against the contract server. */
export function jobDeps(
  db: Db,
  clock: () => Date,
  gpd: GpdContractServer | undefined,
  key?: string,
): NoticeJobDeps {
  return {
    db,
    clock,
    settings: {
      enteFiscalCode: ENTE_CF,
      enteName: "Comune di Borgo Esempio",
      segregationCode: SEGREGATION,
      dueDays: 30,
    },
    gpd: gpd
      ? {
        baseUrl: gpd.url,
        subscriptionKey: key ?? gpd.key,
        iban: "IT60X0542811101000000123456",
        category: "9/0101108TS/",
      }
      : undefined,
    random: () => 0.5,
  };
}

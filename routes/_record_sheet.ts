/** The facts of a record's printed sheet: its page's full URL, a QR of it, the time printed. */
import type { Context } from "hono";
import type { Config } from "../config.ts";
import type { RecordKind } from "../domain/records.ts";
import { receiptQrDataUri } from "../views/receipt_qr.ts";
import type { RecordSheet } from "../views/record_sheet.tsx";
import { recordUrl } from "../views/search_url.ts";
import { italianDateTime } from "../views/request_receipt.tsx";

/** The sheet of record `id`: the QR opens its public page, from a phone as well. */
export async function recordSheet(
  c: Context,
  config: Pick<Config, "publicUrl">,
  clock: () => Date,
  kind: RecordKind,
  id: string,
): Promise<RecordSheet> {
  const base = (config.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, "");
  const url = `${base}${recordUrl(kind, id)}`;
  return {
    url,
    qrDataUri: await receiptQrDataUri(url),
    printedAt: italianDateTime(clock().toISOString()),
  };
}

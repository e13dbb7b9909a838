/** The facts of a record's printed sheet: its page's full URL, a QR of it, the time printed. */
import type { Context } from "hono";
import type { Config } from "../config.ts";
import type { RecordKind } from "../domain/records.ts";
import { receiptQrDataUri } from "../views/receipt_qr.ts";
import type { RecordSheet } from "../views/record_sheet.tsx";
import { recordUrl } from "../views/search_url.ts";
import { i18nOf } from "../i18n/context.tsx";

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
    // In the page's language: the same words as the rest of the sheet.
    printedAt: i18nOf(c).dateTime(clock()),
  };
}

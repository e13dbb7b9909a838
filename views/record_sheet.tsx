/**
 * What a printed record sheet adds to a record page: on paper, a head with the Comune, the
 * record's identifiers, a QR back to its page and when it was printed; on screen, the
 * "Stampa" button. static/record_print.css hides the kiosk's frame on paper (A4).
 */
import type { FC } from "hono/jsx";
import { assetUrl } from "./assets.ts";
import { useSite } from "./site.tsx";
import { useI18n } from "../i18n/context.tsx";

/** The sheet's facts, computed by the route (the record's address, its QR, the time). */
export interface RecordSheet {
  /** The record's page as a full URL (what the QR encodes). */
  url: string;
  qrDataUri: string;
  /** "4 dicembre 2026 alle ore 09:05", in the Comune's zone. */
  printedAt: string;
}

/** The print stylesheet, the paper-only head and the identifiers. */
export const RecordSheetHead: FC<{ sheet: RecordSheet; title: string; id: string }> = (
  { sheet, title, id },
) => {
  const site = useSite();
  const s = useI18n().t.sheet;
  return (
    <>
      <link rel="stylesheet" href={assetUrl("record_print.css")} />
      <div class="record-sheet-head print-only">
        <div>
          <p class="record-sheet-comune">{site.comuneName} · {s.office}</p>
          <p class="record-sheet-title">{s.title(title)}</p>
          <p>
            {s.id}
            <span class="record-sheet-id">{id}</span>
          </p>
          <p class="record-sheet-url">{sheet.url}</p>
          <p>{s.printedOn(sheet.printedAt)}</p>
        </div>
        <img
          class="record-sheet-qr"
          src={sheet.qrDataUri}
          alt={s.qrAlt(sheet.url)}
          width="110"
          height="110"
        />
      </div>
    </>
  );
};

/** The "Stampa" button (static/page.js prints on a click on [data-print]). */
export const PrintButton: FC = () => (
  <p class="no-print mt-3">
    <button type="button" class="btn btn-outline-primary" data-print>
      {useI18n().t.sheet.print}
    </button>
  </p>
);

/** The paper's last line: personal data are not on the sheet, as at the kiosk. */
export const RecordSheetFoot: FC<{ sheet: RecordSheet }> = ({ sheet }) => (
  <p class="record-sheet-foot print-only">{useI18n().t.sheet.foot(sheet.printedAt)}</p>
);

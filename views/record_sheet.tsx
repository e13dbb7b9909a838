/**
 * What a printed record sheet adds to a record page: on paper, a head with the Comune, the
 * record's identifiers, a QR back to its page and when it was printed; on screen, the
 * "Stampa" button. static/record_print.css hides the kiosk's frame on paper (A4).
 */
import type { FC } from "hono/jsx";
import { assetUrl } from "./assets.ts";
import { useSite } from "./site.tsx";

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
  return (
    <>
      <link rel="stylesheet" href={assetUrl("record_print.css")} />
      <div class="record-sheet-head print-only">
        <div>
          <p class="record-sheet-comune">{site.comuneName} · Ufficio Edilizia privata</p>
          <p class="record-sheet-title">Scheda: {title}</p>
          <p>
            Identificativo: <span class="record-sheet-id">{id}</span>
          </p>
          <p class="record-sheet-url">{sheet.url}</p>
          <p>Stampata il {sheet.printedAt}</p>
        </div>
        <img
          class="record-sheet-qr"
          src={sheet.qrDataUri}
          alt={`Codice QR della scheda: apre ${sheet.url}`}
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
      Stampa la scheda
    </button>
  </p>
);

/** The paper's last line: personal data are not on the sheet, as at the kiosk. */
export const RecordSheetFoot: FC<{ sheet: RecordSheet }> = ({ sheet }) => (
  <p class="record-sheet-foot print-only">
    Scheda pubblica: i dati personali non sono riportati. Stampata il {sheet.printedAt}.
  </p>
);

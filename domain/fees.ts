/**
 * The fee owed for an access request, from the admin's fee table (diritti di ricerca e
 * visura per pratica, possibly by the dossier's age; copy pages; certified-copy stamp; urgent
 * handling) and the exemption the requester claims. A plain function: the kiosk shows its
 * result before filing and the archive computes it again when it opens the payment notice.
 */

/** What a fee-table row charges for. */
export const FEE_ITEMS = ["research", "viewing", "copy_page", "certified_stamp", "urgent"] as const;
/** One kind of fee. */
export type FeeItem = typeof FEE_ITEMS[number];

/** Italian names of the items, as the citizen reads them. */
export const FEE_ITEM_LABELS: Record<FeeItem, string> = {
  research: "Diritti di ricerca (per pratica)",
  viewing: "Diritti di visura (per pratica)",
  copy_page: "Copia (per pagina)",
  certified_stamp: "Marca da bollo per copia conforme (per pratica)",
  urgent: "Procedura d'urgenza (per richiesta)",
};

/** A row of the fee table; a year band (inclusive, open when null) applies to dossiers' age. */
export interface FeeRule {
  id: string;
  item: FeeItem;
  yearFrom: number | null;
  yearTo: number | null;
  amountCents: number;
}

/** An exemption an admin lists (e.g. "Richiesta di un'autorità giudiziaria"). */
export interface FeeExemption {
  id: string;
  reason: string;
}

/** What the fee depends on. */
export interface FeeInput {
  regime: "documentale" | "civico_generalizzato" | "civico_semplice";
  mode: "view" | "copy" | "certified_copy";
  urgent: boolean;
  /** Dossiers and acts asked for, with their year and the pages of their scans. */
  records: { kind: "dossier" | "act"; year: number | null; pages: number }[];
  /** Documents described in words and not chosen from the archive. */
  described: boolean;
  exemptionId?: string | null | undefined;
}

/** One line of the bill. */
export interface FeeLine {
  item: FeeItem;
  label: string;
  quantity: number;
  unitCents: number;
  totalCents: number;
}

/** The bill: lines, their sum, the exemption if any, and what is actually owed. */
export interface FeeQuote {
  lines: FeeLine[];
  totalCents: number;
  exemption: FeeExemption | undefined;
  /** 0 when exempt or nothing is charged. */
  dueCents: number;
}

/** The rule of this item whose year band holds `year` (band-less rules match any year). */
export function ruleFor(
  rules: readonly FeeRule[],
  item: FeeItem,
  year: number | null,
): FeeRule | undefined {
  const candidates = rules.filter((r) => r.item === item);
  if (year === null) return candidates.find((r) => r.yearFrom === null && r.yearTo === null);
  // A banded rule is more specific than a band-less one.
  return candidates.find((r) =>
    (r.yearFrom !== null || r.yearTo !== null) &&
    (r.yearFrom === null || year >= r.yearFrom) && (r.yearTo === null || year <= r.yearTo)
  ) ?? candidates.find((r) => r.yearFrom === null && r.yearTo === null);
}

function add(lines: FeeLine[], item: FeeItem, quantity: number, unitCents: number): void {
  if (quantity <= 0 || unitCents <= 0) return;
  const same = lines.find((l) => l.item === item && l.unitCents === unitCents);
  if (same) {
    same.quantity += quantity;
    same.totalCents = same.quantity * unitCents;
    return;
  }
  lines.push({
    item,
    label: FEE_ITEM_LABELS[item],
    quantity,
    unitCents,
    totalCents: quantity * unitCents,
  });
}

/**
 * The bill of a request. Accesso civico semplice is free (d.lgs. 33/2013 art. 5 c.1); civico
 * generalizzato pays reproduction only (art. 5 c.4); documentale pays search and viewing per
 * dossier, copies, stamps and urgency as the table says.
 */
export function computeFee(
  rules: readonly FeeRule[],
  exemptions: readonly FeeExemption[],
  input: FeeInput,
): FeeQuote {
  const lines: FeeLine[] = [];
  if (input.regime !== "civico_semplice") {
    const documentale = input.regime === "documentale";
    const dossiers = input.records.filter((r) => r.kind === "dossier");
    if (documentale) {
      for (const item of ["research", "viewing"] as const) {
        for (const d of dossiers) {
          add(lines, item, 1, ruleFor(rules, item, d.year)?.amountCents ?? 0);
        }
        if (input.described) add(lines, item, 1, ruleFor(rules, item, null)?.amountCents ?? 0);
      }
    }
    if (input.mode !== "view") {
      const pages = input.records.reduce((sum, r) => sum + r.pages, 0);
      add(lines, "copy_page", pages, ruleFor(rules, "copy_page", null)?.amountCents ?? 0);
    }
    if (documentale && input.mode === "certified_copy") {
      const copies = input.records.length + (input.described ? 1 : 0);
      add(
        lines,
        "certified_stamp",
        copies,
        ruleFor(rules, "certified_stamp", null)?.amountCents ?? 0,
      );
    }
    if (documentale && input.urgent) {
      add(lines, "urgent", 1, ruleFor(rules, "urgent", null)?.amountCents ?? 0);
    }
  }
  const totalCents = lines.reduce((sum, l) => sum + l.totalCents, 0);
  const exemption = input.exemptionId
    ? exemptions.find((e) => e.id === input.exemptionId)
    : undefined;
  return { lines, totalCents, exemption, dueCents: exemption ? 0 : totalCents };
}

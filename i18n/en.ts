/**
 * The English catalogue. Typed `Messages` (the shape of `it.ts`): a missing key or parameter
 * is a compile error. Legal terms keep their Italian name beside the English, marked
 * `lang="it"` through `itTerm` where they are element content (plain in titles and
 * attributes, which cannot carry markup).
 */
import { formatNumber, plural } from "./intl.ts";
import type { Messages } from "./it.ts";
import { itTerm, rich } from "./rich.ts";

const n = (x: number) => formatNumber("en", x);

export const en: Messages = {
  layout: {
    skipToMain: "Skip to main content",
    office: "Private Building Office",
    dataUpdatedAt: (at: string) => `Data updated on ${at}`,
    tagline: "Archive of building permits and council acts",
    footerNote:
      "Faldone — Archive of building permits and council acts. Personal data cannot be viewed at the public kiosk.",
    footerUpdated: (at: string) => ` Data updated on ${at}.`,
    footerSearch: "Search",
    footerStatus: "Status of a request",
    languageSwitch: "Language",
  },
  idle: {
    title: "Are you still there?",
    textBefore: "For your privacy this kiosk will be reset and what you entered erased in ",
    textAfter: " seconds.",
    continue: "Continue",
  },
  errors: {
    titleNotFound: "Page not found",
    titleUnauthorized: "Staff only",
    titleForbidden: "Not allowed",
    titleTooLarge: "Too much data",
    titleTooMany: "Too many requests",
    titleServer: "Service error",
    titleInvalid: "Invalid request",
    internal:
      "Something unexpected went wrong. Please try again in a moment or ask at the front desk.",
    notFound:
      "The page or record you are looking for does not exist or cannot be viewed. Check the address or go back to the search.",
    status400: "Invalid request: check what you entered and try again.",
    status401: "This page is for staff: sign in with your credentials.",
    status403: "This action is not allowed from this kiosk or with this profile.",
    status405: "This action is not allowed on this page: go back to the search and try again.",
    status413: "Too much data sent: shorten the texts and try again.",
    status429: "Too many requests in a short time: wait a moment and try again.",
    backToSearch: "Back to the search",
    staffArea: "Staff area",
    invalidData: "Invalid data.",
    badEncoding: "The address contains badly encoded characters: search again from the form.",
    unreadableJson: "Invalid request body: well-formed JSON is required.",
    unreadableForm: "The form could not be read: reload the page and try again.",
    recordUnavailable: "Record not available: start again from the search.",
    basketFull: (max: number) => `At most ${max} records per request.`,
  },
  search: {
    resultCount: (total: number) =>
      plural("en", total, { one: "1 result", other: `${n(total)} results` }),
    pagesLabel: "Result pages",
    previousPage: "Previous page",
    nextPage: "Next page",
    pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,
    sortBy: "Sort by",
    sortRelevance: "Relevance",
    sortNumber: "Record number",
    indexing:
      "Search is getting ready after start-up: for a few seconds results may be incomplete. Try again shortly if you do not find what you are looking for.",
    howTo: "How to search",
    howToIntro: "Type what you know about the building permit or the act, for example:",
    searchedAs: "Searched as",
    basketTitle: rich`Your access request (${itTerm("accesso agli atti")})`,
    basketRecords: (count: number) =>
      plural("en", count, { one: "1 record chosen", other: `${count} records chosen` }),
    basketDrafted: ", details already entered",
    basketView: "See the records",
    basketComplete: "Complete the request",
    titleFor: (q: string) => `Search: ${q}`,
    title: "Search building permits and acts",
    heading: rich`Find a building permit (${itTerm("pratica edilizia")}) or an act`,
    boxLabel: "Number, protocol number, address, cadastral data or words of the subject",
    placeholder: "prot. 1234/1987, via Roma 12, fg 12 part 345, ampliamento",
    button: "Search",
    hint: "Results update as you type. Records are in Italian; names of people cannot be searched.",
  },
  card: {
    dossier: "Building permit",
    act: "Act",
    foundByIdentifier: () => "Found by number, protocol number or cadastral reference",
    foundByAddress: () => "Found by address",
    foundByText: () => "Found by words of the subject",
    historicName: "(historic street name)",
    protocol: "Protocol",
    cadastre: "Cadastre:",
  },
  examples: {
    protocol: "protocol number and year",
    dossierNumber: "type, number and year of the permit",
    address: "address, also with the old street name",
    cadastre: "cadastral sheet (foglio) and parcel (particella)",
    words: "words of the subject (in Italian)",
    noResultsFor: (q: string) => `No results for “${q}”`,
    noResults: "No results",
    tryThis: "Try this:",
    checkSpelling: "check how you spelled the words and numbers;",
    fewerWords: "use fewer words, for example only the street or only the number;",
    fewerFilters: "remove some filters on the left;",
    byAddress: "search by address or by protocol number, as in the examples below.",
    notListed:
      "If the record does not appear, it may be restricted or not yet archived: ask at the Building Office front desk.",
  },
  facets: {
    kind: "Kind of document",
    type: "Kind of permit",
    decade: "Decade",
    locality: "Locality",
    status: "Outcome",
    actKind: "Kind of act",
    office: "Office",
    any: "Any",
    skip: "Skip the filters: go to the results",
    title: "Filter the results",
    years: "Years",
    from: "From",
    to: "To",
    apply: "Apply filters",
    clear: "Remove all filters",
  },
};

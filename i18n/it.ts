/**
 * The Italian catalogue: the source every other language follows. `Messages` is its type, so
 * `en.ts` (typed `Messages`) fails to compile when it lacks a key or a parameter. Entries are
 * grouped by screen; an entry with parameters is a function, with plurals through
 * `plural()` (Intl.PluralRules) and numbers through `formatNumber()` (Intl.NumberFormat).
 * Record data (subjects, addresses, vocabulary labels from the DB) is never here: it stays as
 * stored, in Italian, whatever the UI language.
 */
import { formatNumber, plural } from "./intl.ts";

const n = (x: number) => formatNumber("it", x);

export const it = {
  layout: {
    skipToMain: "Vai al contenuto principale",
    office: "Ufficio Edilizia privata",
    dataUpdatedAt: (at: string) => `Dati aggiornati al ${at}`,
    tagline: "Archivio pratiche edilizie e atti",
    footerNote:
      "Faldone — Archivio pratiche edilizie e atti. I dati personali non sono consultabili alla postazione pubblica.",
    footerUpdated: (at: string) => ` Dati aggiornati al ${at}.`,
    footerSearch: "Ricerca",
    footerStatus: "Stato di una richiesta",
    languageSwitch: "Lingua",
  },
  idle: {
    title: "Sei ancora qui?",
    textBefore: "Per riservatezza la postazione sarà azzerata e i dati inseriti cancellati tra ",
    textAfter: " secondi.",
    continue: "Continua",
  },
  errors: {
    titleNotFound: "Pagina non trovata",
    titleUnauthorized: "Accesso riservato",
    titleForbidden: "Accesso non consentito",
    titleTooLarge: "Dati troppo grandi",
    titleTooMany: "Troppe richieste",
    titleServer: "Errore del servizio",
    titleInvalid: "Richiesta non valida",
    internal:
      "Si è verificato un errore imprevisto. Riprova tra qualche istante o rivolgiti allo sportello.",
    notFound:
      "La pagina o la pratica cercata non esiste o non è consultabile. Controlla l'indirizzo o torna alla ricerca.",
    status400: "Richiesta non valida: controlla i dati inseriti e riprova.",
    status401: "Per questa pagina serve l'accesso del personale: entra con le tue credenziali.",
    status403: "Operazione non consentita da questa postazione o con questo profilo.",
    status405: "Operazione non consentita su questa pagina: torna alla ricerca e riprova.",
    status413: "Dati inviati troppo grandi: accorcia i testi e riprova.",
    status429: "Troppe richieste in poco tempo: attendi qualche istante e riprova.",
    backToSearch: "Torna alla ricerca",
    staffArea: "Area operatori",
    invalidData: "Dati non validi.",
    badEncoding: "L'indirizzo contiene caratteri codificati male: ripeti la ricerca dal modulo.",
    unreadableJson: "Corpo della richiesta non valido: serve un JSON ben formato.",
    unreadableForm: "Modulo illeggibile: ricarica la pagina e riprova.",
    recordUnavailable: "Pratica non disponibile: riparti dalla ricerca.",
    basketFull: (max: number) => `Al massimo ${max} pratiche per richiesta.`,
  },
  search: {
    resultCount: (total: number) =>
      plural("it", total, { one: "1 risultato", other: `${n(total)} risultati` }),
    pagesLabel: "Pagine dei risultati",
    previousPage: "Pagina precedente",
    nextPage: "Pagina successiva",
    pageOf: (page: number, pages: number) => `Pagina ${page} di ${pages}`,
    sortBy: "Ordina per",
    sortRelevance: "Rilevanza",
    sortNumber: "Numero di pratica",
    indexing:
      "La ricerca si sta preparando dopo l'avvio: per qualche secondo i risultati potrebbero essere incompleti. Riprova tra poco se non trovi quello che cerchi.",
    howTo: "Come cercare",
    howToIntro: "Scrivi quello che sai della pratica o dell'atto, ad esempio:",
    searchedAs: "Cercato come",
    basketTitle: "La tua richiesta di accesso",
    basketRecords: (count: number) =>
      plural("it", count, { one: "1 pratica scelta", other: `${count} pratiche scelte` }),
    basketDrafted: ", dati già inseriti",
    basketView: "Vedi le pratiche",
    basketComplete: "Completa la richiesta",
    titleFor: (q: string) => `Ricerca: ${q}`,
    title: "Ricerca pratiche edilizie e atti",
    heading: "Cerca una pratica edilizia o un atto",
    boxLabel: "Numero, protocollo, indirizzo, dati catastali o parole dell'oggetto",
    placeholder: "prot. 1234/1987, via Roma 12, fg 12 part 345, ampliamento",
    button: "Cerca",
    hint: "I risultati si aggiornano mentre scrivi. I nomi delle persone non sono ricercabili.",
  },
  card: {
    dossier: "Pratica edilizia",
    act: "Atto",
    foundByIdentifier: (dossier: boolean) =>
      `${dossier ? "Trovata" : "Trovato"} per numero, protocollo o riferimento catastale`,
    foundByAddress: (dossier: boolean) => `${dossier ? "Trovata" : "Trovato"} per indirizzo`,
    foundByText: (dossier: boolean) => `${dossier ? "Trovata" : "Trovato"} per parole dell'oggetto`,
    historicName: "(denominazione storica)",
    protocol: "Protocollo",
    cadastre: "Catasto:",
  },
  examples: {
    protocol: "numero di protocollo e anno",
    dossierNumber: "tipo, numero e anno della pratica",
    address: "indirizzo, anche con il vecchio nome della via",
    cadastre: "foglio e particella catastali",
    words: "parole dell'oggetto",
    noResultsFor: (q: string) => `Nessun risultato per «${q}»`,
    noResults: "Nessun risultato",
    tryThis: "Prova così:",
    checkSpelling: "controlla come hai scritto le parole e i numeri;",
    fewerWords: "usa meno parole, ad esempio solo la via o solo il numero;",
    fewerFilters: "togli qualche filtro a sinistra;",
    byAddress: "cerca per indirizzo o per numero di protocollo, come negli esempi qui sotto.",
    notListed:
      "Se la pratica non compare, può essere riservata o non ancora archiviata: chiedi allo sportello dell'Ufficio Edilizia.",
  },
  facets: {
    kind: "Tipo di documento",
    type: "Tipo di pratica",
    decade: "Decennio",
    locality: "Località",
    status: "Esito",
    actKind: "Tipo di atto",
    office: "Ufficio",
    any: "Qualsiasi",
    skip: "Salta i filtri: vai ai risultati",
    title: "Filtra i risultati",
    years: "Anni",
    from: "Dal",
    to: "Al",
    apply: "Applica filtri",
    clear: "Togli tutti i filtri",
  },
};

/** Every message of the UI; a catalogue typed `Messages` has all of them. */
export type Messages = typeof it;

/**
 * Word lists of the demo archive: the names, streets and phrasing a Tuscan comune's
 * building archive really holds, so demo searches behave like real ones.
 */

/** Common Italian surnames (some with apostrophes and accents, as real cards have). */
export const SURNAMES = [
  "Rossi",
  "Russo",
  "Ferrari",
  "Esposito",
  "Bianchi",
  "Romano",
  "Colombo",
  "Ricci",
  "Marino",
  "Greco",
  "Bruno",
  "Gallo",
  "Conti",
  "De Luca",
  "Mancini",
  "Costa",
  "Giordano",
  "Rizzo",
  "Lombardi",
  "Moretti",
  "Barbieri",
  "Fontana",
  "Santoro",
  "Mariani",
  "Rinaldi",
  "Caruso",
  "Ferrara",
  "Galli",
  "Martini",
  "Leone",
  "Longo",
  "Gentile",
  "Martinelli",
  "Vitale",
  "Lombardo",
  "Serra",
  "Coppola",
  "De Santis",
  "D'Angelo",
  "Marchetti",
  "Parisi",
  "Villa",
  "Conte",
  "Ferraro",
  "Ferri",
  "Fabbri",
  "Bianco",
  "Marini",
  "Grasso",
  "Valentini",
  "Messina",
  "Sala",
  "De Angelis",
  "Gatti",
  "Pellegrini",
  "Palumbo",
  "Sanna",
  "Farina",
  "Rizzi",
  "Monti",
  "Cattaneo",
  "Morelli",
  "Amato",
  "Silvestri",
  "Mazza",
  "Testa",
  "Grassi",
  "Pellegrino",
  "Carbone",
  "Giuliani",
  "Benedetti",
  "Barone",
  "Rossetti",
  "Caputo",
  "Montanari",
  "Guerra",
  "Palmieri",
  "Bernardi",
  "Martino",
  "Fiore",
  "Niccolai",
  "Bartolini",
  "Baldacci",
  "Nardi",
  "Fo",
  "Betti",
  "Papi",
  "Pucci",
  "Innocenti",
  "Lazzerini",
] as const; // deno-fmt-ignore

/** Male first names. */
export const MALE_NAMES = [
  "Mario", "Giuseppe", "Giovanni", "Antonio", "Luigi", "Francesco", "Angelo", "Vincenzo",
  "Pietro", "Salvatore", "Carlo", "Franco", "Domenico", "Bruno", "Paolo", "Michele",
  "Giorgio", "Aldo", "Sergio", "Luciano", "Gianfranco", "Roberto", "Marco", "Andrea",
  "Stefano", "Alessandro", "Matteo", "Lorenzo", "Niccolò", "Piero", "Renzo", "Silvano",
] as const; // deno-fmt-ignore

/** Female first names. */
export const FEMALE_NAMES = [
  "Maria", "Anna", "Giuseppina", "Rosa", "Angela", "Giovanna", "Teresa", "Lucia", "Carmela",
  "Caterina", "Francesca", "Franca", "Giulia", "Laura", "Paola", "Silvia", "Elena", "Chiara",
  "Sara", "Valentina", "Marta", "Alessandra", "Lorella", "Simonetta", "Ilaria", "Beatrice",
] as const; // deno-fmt-ignore

/** Birth places: codice Belfiore of a comune, or Z + 3 digits for a foreign country. */
export const BIRTH_PLACES = [
  "F205", "H501", "D612", "G702", "A944", "L219", "F839", "E715", "G999", "L736", "E625",
  "G713", "M126", "C847", "F704", "Z404", "Z110", "Z600",
] as const; // deno-fmt-ignore

/**
 * Streets of the comune: [current name, base sheet, historic name or ""]. The historic
 * name is how the street was called on papers before it was renamed.
 */
export const STREETS: readonly (readonly [string, number, string])[] = [
  ["Via Giacomo Matteotti", 12, "Via Umberto I"],
  ["Via XX Settembre", 14, ""],
  ["Piazza Garibaldi", 12, "Piazza Vittorio Emanuele II"],
  ["Via Gabriele D'Annunzio", 18, ""],
  ["Via Niccolò Machiavelli", 21, ""],
  ["Corso Italia", 13, "Corso Regina Margherita"],
  ["Viale Europa", 25, ""],
  ["Località Case Nuove", 40, ""],
  ["Via Roma", 11, ""],
  ["Via Vittorio Veneto", 15, "Via del Molino"],
  ["Via Giuseppe Mazzini", 13, ""],
  ["Via Giuseppe Verdi", 16, ""],
  ["Via Dante Alighieri", 12, ""],
  ["Via Antonio Gramsci", 22, "Via dei Cappuccini"],
  ["Via Piero Gobetti", 23, ""],
  ["Via della Repubblica", 19, "Via Littoria"],
  ["Via IV Novembre", 17, ""],
  ["Via Aldo Moro", 27, ""],
  ["Via Enrico Fermi", 29, ""],
  ["Via Galileo Galilei", 28, ""],
  ["Via Don Giovanni Minzoni", 24, ""],
  ["Via San Francesco", 11, ""],
  ["Via Santa Lucia", 33, ""],
  ["Piazza della Libertà", 12, "Piazza del Littorio"],
  ["Piazza San Giovanni", 11, ""],
  ["Largo Carducci", 14, ""],
  ["Vicolo del Forno", 11, ""],
  ["Via del Poggio", 35, ""],
  ["Via delle Fornaci", 31, ""],
  ["Via di Valle", 37, ""],
  ["Viale della Resistenza", 26, "Viale dei Tigli"],
  ["Via Leonardo da Vinci", 30, ""],
  ["Via Sandro Pertini", 32, ""],
  ["Via Fratelli Rosselli", 20, ""],
  ["Via Pisana", 38, ""],
  ["Via Fiorentina", 39, ""],
  ["Strada Provinciale Francesca", 44, ""],
  ["Località Il Pino", 46, ""],
  ["Località Poggio alle Querce", 48, ""],
  ["Via Ugo Foscolo", 16, ""],
  ["Via Giosuè Carducci", 15, ""],
  ["Via Cesare Battisti", 17, ""],
  ["Via Goffredo Mameli", 18, ""],
  ["Via Bettino Ricasoli", 19, ""],
  ["Piazzale della Stazione", 20, ""],
];

/** Frazioni and localities; the first is the capoluogo, left blank on most cards. */
export const LOCALITIES = [
  "",
  "Case Nuove",
  "San Pierino",
  "Ponte a Elsa",
  "Corazzano",
  "La Serra",
  "Bucciano",
  "Marcignana",
  "Cigoli",
] as const; // deno-fmt-ignore

/** Building companies, as their names appear on permits. */
export const COMPANIES = [
  "Edil Arno s.n.c.", "Costruzioni Valdelsa s.r.l.", "Impresa Edile Niccolai Piero",
  "F.lli Bartolini s.a.s.", "Edilcasa s.r.l.", "Immobiliare Le Querce s.p.a.",
  "Cooperativa Edificatrice La Serra", "Nuova Edilizia Toscana s.r.l.", "Betti Costruzioni s.n.c.",
  "Tecnoedil s.r.l.", "Immobiliare San Giovanni s.r.l.", "Impresa Pucci Renzo",
] as const; // deno-fmt-ignore

/** Works, upper-case as legacy cards write them (a subject joins one or two). */
export const WORKS = [
  "COSTRUZIONE FABBRICATO DI CIVILE ABITAZIONE", "AMPLIAMENTO FABBRICATO DI CIVILE ABITAZIONE",
  "COSTRUZIONE AUTORIMESSA", "RISTRUTTURAZIONE EDILIZIA DI FABBRICATO ESISTENTE",
  "SOPRAELEVAZIONE DI UN PIANO", "COSTRUZIONE CAPANNONE ARTIGIANALE", "CAMBIO DI DESTINAZIONE D'USO",
  "MANUTENZIONE STRAORDINARIA", "RIFACIMENTO COPERTURA", "REALIZZAZIONE TETTOIA IN LEGNO",
  "DEMOLIZIONE E RICOSTRUZIONE", "FRAZIONAMENTO UNITÀ IMMOBILIARE", "COSTRUZIONE RECINZIONE",
  "REALIZZAZIONE PISCINA PERTINENZIALE", "INSTALLAZIONE PERGOLATO", "APERTURA NUOVE FINESTRE",
  "COSTRUZIONE ANNESSO AGRICOLO", "RESTAURO E RISANAMENTO CONSERVATIVO",
  "REALIZZAZIONE CAPPOTTO TERMICO E SOSTITUZIONE INFISSI", "INSTALLAZIONE IMPIANTO FOTOVOLTAICO",
] as const; // deno-fmt-ignore

/** Act subjects by kind. */
export const ACT_SUBJECTS: Record<string, readonly string[]> = {
  delibera_giunta: [
    "Approvazione progetto esecutivo di manutenzione straordinaria della scuola primaria",
    "Concessione contributo alla Misericordia per il servizio di trasporto sociale",
    "Approvazione schema di convenzione per la gestione degli impianti sportivi",
    "Indirizzi per la redazione del piano operativo comunale",
    "Variazione d'urgenza al bilancio di previsione",
    "Approvazione tariffe dei diritti di segreteria per le pratiche edilizie",
  ],
  delibera_consiglio: [
    "Approvazione variante al regolamento edilizio",
    "Approvazione del piano strutturale intercomunale",
    "Approvazione del rendiconto della gestione",
    "Adozione variante semplificata al piano operativo",
    "Regolamento per l'accesso agli atti e ai documenti amministrativi",
    "Approvazione del bilancio di previsione finanziario",
  ],
  determina: [
    "Affidamento lavori di rifacimento della pavimentazione stradale",
    "Liquidazione fattura per la manutenzione della pubblica illuminazione",
    "Impegno di spesa per la digitalizzazione dell'archivio delle pratiche edilizie",
    "Restituzione oneri di urbanizzazione non dovuti",
    "Affidamento servizio di sfalcio dei cigli stradali",
  ],
  verbale: [
    "Seduta della commissione edilizia",
    "Seduta della commissione comunale per il paesaggio",
    "Verbale di sopralluogo congiunto",
    "Seduta del consiglio comunale",
  ],
};

/** Offices that issue each act kind. */
export const ACT_OFFICES: Record<string, readonly string[]> = {
  delibera_giunta: ["Giunta comunale"],
  delibera_consiglio: ["Consiglio comunale"],
  determina: ["Area Tecnica - Edilizia privata", "Area Lavori pubblici", "Area Finanziaria"],
  verbale: ["Commissione edilizia", "Commissione per il paesaggio", "Consiglio comunale"],
};

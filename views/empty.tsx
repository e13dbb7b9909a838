/** What to show when a search finds nothing: what to try next, with example searches. */
import { Fragment } from "hono/jsx";
import type { FC } from "hono/jsx";

/** Example searches, one per way of searching the box understands. */
export const EXAMPLES = [
  { q: "prot. 1234/1987", what: "numero di protocollo e anno" },
  { q: "CE 452/1987", what: "tipo, numero e anno della pratica" },
  { q: "via Roma 12", what: "indirizzo, anche con il vecchio nome della via" },
  { q: "fg 12 part 345", what: "foglio e particella catastali" },
  { q: "ampliamento autorimessa", what: "parole dell'oggetto" },
] as const;

/** The example searches as links (they work without JavaScript). */
export const ExampleList: FC = () => (
  <ul class="examples">
    {EXAMPLES.map((e) => (
      <Fragment key={e.q}>
        <li>
          <a href={`/cerca?q=${encodeURIComponent(e.q)}`}>{e.q}</a>
          {` — ${e.what}`}
        </li>
      </Fragment>
    ))}
  </ul>
);

/** No results for `q` (and the filters): suggestions a person can follow. */
export const EmptyResults: FC<{ q: string; filtered: boolean }> = ({ q, filtered }) => (
  <div class="empty-results">
    <h2 class="h4">{q ? `Nessun risultato per «${q}»` : "Nessun risultato"}</h2>
    <p>Prova così:</p>
    <ul>
      <li>controlla come hai scritto le parole e i numeri;</li>
      <li>usa meno parole, ad esempio solo la via o solo il numero;</li>
      {filtered ? <li>togli qualche filtro a sinistra;</li> : null}
      <li>cerca per indirizzo o per numero di protocollo, come negli esempi qui sotto.</li>
    </ul>
    <ExampleList />
    <p>
      Se la pratica non compare, può essere riservata o non ancora archiviata: chiedi allo sportello
      dell'Ufficio Edilizia.
    </p>
  </div>
);

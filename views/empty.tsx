/** What to show when a search finds nothing: what to try next, with example searches. */
import { Fragment } from "hono/jsx";
import type { FC } from "hono/jsx";
import { useI18n } from "../i18n/context.tsx";
import type { Messages } from "../i18n/it.ts";
import type { SearchParams } from "../search/types.ts";

/** Example searches, one per way of searching the box understands. */
export const EXAMPLES = [
  { q: "prot. 1234/1987", what: "protocol" },
  { q: "CE 452/1987", what: "dossierNumber" },
  { q: "via Roma 12", what: "address" },
  { q: "fg 12 part 345", what: "cadastre" },
  { q: "ampliamento autorimessa", what: "words" },
] as const satisfies readonly { q: string; what: keyof Messages["examples"] }[];

/** The example searches as links (they work without JavaScript). */
export const ExampleList: FC = () => {
  const { t, locale } = useI18n();
  return (
    <ul class="examples">
      {EXAMPLES.map((e) => (
        <Fragment key={e.q}>
          <li>
            <a
              href={`/cerca?q=${encodeURIComponent(e.q)}`}
              lang={locale === "it" ? undefined : "it"}
            >
              {e.q}
            </a>
            {` — ${t.examples[e.what]}`}
          </li>
        </Fragment>
      ))}
    </ul>
  );
};

/**
 * No results for the search (its heading, "Nessun risultato per «q»", is the results count):
 * suggestions a person can follow and, when filters narrowed it, the same words without them.
 */
export const EmptyResults: FC<{ params: SearchParams; filtered: boolean }> = (
  { params, filtered },
) => {
  const { t } = useI18n();
  return (
    <div class="empty-results">
      {filtered
        ? (
          <p>
            <a
              class="btn btn-primary"
              href={params.q ? `/cerca?${new URLSearchParams({ q: params.q })}` : "/cerca"}
            >
              {t.misc.empty.withoutFilters}
            </a>
          </p>
        )
        : null}
      <p>{t.examples.tryThis}</p>
      <ul>
        <li>{t.examples.checkSpelling}</li>
        <li>{t.examples.fewerWords}</li>
        {filtered ? <li>{t.examples.fewerFilters}</li> : null}
        <li>{t.examples.byAddress}</li>
      </ul>
      <ExampleList />
      <p>
        {t.examples.notListed}
      </p>
    </div>
  );
};

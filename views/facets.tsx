/** The filters beside the results: each facet value with its count, as form controls. */
import { Fragment } from "hono/jsx";
import type { FC } from "hono/jsx";
import type { FacetCount, SearchParams, SearchResult } from "../search/types.ts";
import { useI18n } from "../i18n/context.tsx";
import type { Messages } from "../i18n/it.ts";

// Long tails (e.g. 60 localities) would push the results off a kiosk screen.
const MAX_VALUES = 12;

interface Group {
  name: string;
  legend: string;
  multiple: boolean;
  counts: FacetCount[];
  selected: string[];
}

// Stable per value (not per position), so htmx can put the focus back on the same box
// after the results are swapped; the hash keeps "Case Nuove" and "case nuove" apart.
function controlId(name: string, value: string): string {
  let hash = 0;
  for (const ch of value) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  const slug = value.normalize("NFD").replace(/[^A-Za-z0-9]+/g, "-").toLowerCase().slice(0, 30);
  return `f-${name}-${slug}-${hash.toString(36)}`;
}

function groupsOf(params: SearchParams, facets: SearchResult["facets"], t: Messages): Group[] {
  const one = (v: string | number | undefined) => (v === undefined ? [] : [String(v)]);
  return [
    {
      name: "kind",
      legend: t.facets.kind,
      multiple: false,
      counts: facets.kind,
      selected: one(params.kind),
    },
    {
      name: "type",
      legend: t.facets.type,
      multiple: true,
      counts: facets.type,
      selected: params.types,
    },
    {
      name: "decade",
      legend: t.facets.decade,
      multiple: false,
      counts: facets.decade,
      selected: one(params.decade),
    },
    {
      name: "locality",
      legend: t.facets.locality,
      multiple: false,
      counts: facets.locality,
      selected: one(params.locality),
    },
    {
      name: "status",
      legend: t.facets.status,
      multiple: false,
      counts: facets.status,
      selected: one(params.status),
    },
    {
      name: "act_kind",
      legend: t.facets.actKind,
      multiple: false,
      counts: facets.actKind,
      selected: one(params.actKind),
    },
    {
      name: "office",
      legend: t.facets.office,
      multiple: false,
      counts: facets.office,
      selected: one(params.office),
    },
  ];
}

/** Values worth showing: the selected ones always (so they can be cleared), then the largest. */
function shownValues(g: Group): FacetCount[] {
  const selected = g.selected.map((value) =>
    g.counts.find((c) => c.value === value) ?? { value, label: value, count: 0 }
  );
  const rest = g.counts.filter((c) => c.count > 0 && !g.selected.includes(c.value));
  // Types come from a short admin vocabulary: show them all; places and offices are long tails.
  const limit = g.multiple ? Infinity : MAX_VALUES;
  return [...selected, ...rest].slice(0, Math.max(limit, selected.length));
}

const FacetGroup: FC<{ group: Group }> = ({ group }) => {
  const { t } = useI18n();
  const values = shownValues(group);
  if (values.length === 0) return null;
  const type = group.multiple ? "checkbox" : "radio";
  const chosen = values.filter((v) => group.selected.includes(v.value)).map((v) => v.label);
  // Folded unless something in it is chosen: 7 open groups made a portrait page 8,000 px
  // long and cost ~30 Tab stops before the first result.
  return (
    <details class="facet" data-facet={group.name} open={chosen.length > 0}>
      <summary>
        <span class="facet-title">{group.legend}</span>
        {chosen.length > 0 ? <span class="facet-active">({chosen.join(", ")})</span> : null}
      </summary>
      <fieldset class="mb-2">
        <legend class="visually-hidden">{group.legend}</legend>
        {group.multiple ? null : (
          <div class="form-check">
            <input
              class="form-check-input"
              type="radio"
              id={`f-${group.name}-all`}
              name={group.name}
              value=""
              checked={group.selected.length === 0}
            />
            <label class="form-check-label" for={`f-${group.name}-all`}>{t.facets.any}</label>
          </div>
        )}
        {values.map((v) => {
          const id = controlId(group.name, v.value);
          return (
            <Fragment key={id}>
              <div class="form-check">
                <input
                  class="form-check-input"
                  type={type}
                  id={id}
                  name={group.name}
                  value={v.value}
                  checked={group.selected.includes(v.value)}
                />
                <label class="form-check-label" for={id}>
                  {v.label} <span class="facet-count">({v.count})</span>
                </label>
              </div>
            </Fragment>
          );
        })}
      </fieldset>
    </details>
  );
};

/** Every facet plus the year range; a submit button keeps them usable without JavaScript. */
export const Facets: FC<{ params: SearchParams; facets: SearchResult["facets"] }> = (
  { params, facets },
) => {
  const { t } = useI18n();
  return (
    <section class="facets" aria-labelledby="facets-title">
      <a class="visually-hidden-focusable skip-results" href="#results-count">
        {t.facets.skip}
      </a>
      <h2 id="facets-title" class="h5">{t.facets.title}</h2>
      {groupsOf(params, facets, t).map((g) => <FacetGroup key={g.name} group={g} />)}
      <details
        class="facet"
        data-facet="years"
        open={params.yearFrom !== undefined || params.yearTo !== undefined}
      >
        <summary>{t.facets.years}</summary>
        <fieldset class="mb-2">
          <legend class="visually-hidden">{t.facets.years}</legend>
          <div class="year-range">
            <div class="form-group">
              <label for="year_from" class="active">{t.facets.from}</label>
              <input
                class="form-control"
                type="number"
                inputmode="numeric"
                id="year_from"
                name="year_from"
                min={1850}
                max={2100}
                value={params.yearFrom === undefined ? "" : String(params.yearFrom)}
              />
            </div>
            <div class="form-group">
              <label for="year_to" class="active">{t.facets.to}</label>
              <input
                class="form-control"
                type="number"
                inputmode="numeric"
                id="year_to"
                name="year_to"
                min={1850}
                max={2100}
                value={params.yearTo === undefined ? "" : String(params.yearTo)}
              />
            </div>
          </div>
        </fieldset>
      </details>
      <button type="submit" class="btn btn-outline-primary w-100">{t.facets.apply}</button>
      <a
        class="btn btn-link w-100"
        href={params.q ? `/cerca?q=${encodeURIComponent(params.q)}` : "/"}
      >
        {t.facets.clear}
      </a>
    </section>
  );
};

/**
 * The IT / EN switch every page carries in its header: two large links (touch-sized), each
 * named in its own language and marked with its `lang`, the current one `aria-current`.
 */
import type { FC } from "hono/jsx";
import { useI18n } from "../i18n/context.tsx";
import { LOCALES } from "../i18n/locale.ts";

const NAMES = { it: "Italiano", en: "English" } as const;

/** The switch; `torna` brings the visitor back to the page they were on. */
export const LanguageSwitch: FC<{ back?: string | undefined }> = ({ back }) => {
  const { locale, here, t } = useI18n();
  return (
    <nav class="language-switch" aria-label={t.layout.languageSwitch}>
      <ul class="list-inline mb-0">
        {LOCALES.map((l) => (
          <li class="list-inline-item" key={l}>
            <a
              class={`language-link${l === locale ? " current" : ""}`}
              href={`/lingua/${l}?torna=${encodeURIComponent(back ?? here)}`}
              hreflang={l}
              lang={l}
              aria-current={l === locale ? "true" : undefined}
              data-language-link
            >
              {l.toUpperCase()}
              <span class="visually-hidden">{` ${NAMES[l]}`}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
};

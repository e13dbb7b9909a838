/** What a person sees when something goes wrong: a notice, alone (htmx) or in a page. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";
import { useI18n } from "../i18n/context.tsx";
import type { Messages } from "../i18n/it.ts";
import { it } from "../i18n/it.ts";

/** Titles per status family, in the words a kiosk user understands. */
export function errorTitle(status: number, t: Messages = it): string {
  if (status === 404) return t.errors.titleNotFound;
  if (status === 401) return t.errors.titleUnauthorized;
  if (status === 403) return t.errors.titleForbidden;
  if (status === 413) return t.errors.titleTooLarge;
  if (status === 429) return t.errors.titleTooMany;
  if (status >= 500) return t.errors.titleServer;
  return t.errors.titleInvalid;
}

/** The message shown for a 5xx: never the internals. */
export const INTERNAL_ERROR_MESSAGE = it.errors.internal;

/** One alert with the message; `role="alert"` so screen readers announce it at once. */
export const Notice: FC<{ status: number; message: string; titled?: boolean }> = (
  { status, message, titled = true },
) => {
  const { t } = useI18n();
  return (
    <div class={`alert ${status >= 500 ? "alert-danger" : "alert-warning"}`} role="alert">
      {titled ? <h2 class="h5 alert-heading">{errorTitle(status, t)}</h2> : null}
      <p class="mb-0">{message}</p>
    </div>
  );
};

/** A full page around the notice, with the way back to the search. */
export const ErrorPage: FC<{ status: number; message: string }> = ({ status, message }) => {
  const { t } = useI18n();
  return (
    // Not this page's path: a missing and a restricted record must read exactly the same.
    <Layout title={errorTitle(status, t)} switchBack="/">
      <h1>{errorTitle(status, t)}</h1>
      <Notice status={status} message={message} titled={false} />
      <p class="mt-4">
        <a class="btn btn-primary" href="/">{t.errors.backToSearch}</a>
        {status === 403 || status === 401
          ? <a class="btn btn-outline-primary ms-2" href="/sportello">{t.errors.staffArea}</a>
          : null}
      </p>
    </Layout>
  );
};

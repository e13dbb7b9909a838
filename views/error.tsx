/** What a person sees when something goes wrong: a notice, alone (htmx) or in a page. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";

/** Titles per status family, in the words a kiosk user understands. */
export function errorTitle(status: number): string {
  if (status === 404) return "Pagina non trovata";
  if (status === 401) return "Accesso riservato";
  if (status === 403) return "Accesso non consentito";
  if (status === 413) return "Dati troppo grandi";
  if (status === 429) return "Troppe richieste";
  if (status >= 500) return "Errore del servizio";
  return "Richiesta non valida";
}

/** The message shown for a 5xx: never the internals. */
export const INTERNAL_ERROR_MESSAGE =
  "Si è verificato un errore imprevisto. Riprova tra qualche istante o rivolgiti allo sportello.";

/** One alert with the message; `role="alert"` so screen readers announce it at once. */
export const Notice: FC<{ status: number; message: string; titled?: boolean }> = (
  { status, message, titled = true },
) => (
  <div class={`alert ${status >= 500 ? "alert-danger" : "alert-warning"}`} role="alert">
    {titled ? <h2 class="h5 alert-heading">{errorTitle(status)}</h2> : null}
    <p class="mb-0">{message}</p>
  </div>
);

/** A full page around the notice, with the way back to the search. */
export const ErrorPage: FC<{ status: number; message: string }> = ({ status, message }) => (
  <Layout title={errorTitle(status)}>
    <h1>{errorTitle(status)}</h1>
    <Notice status={status} message={message} titled={false} />
    <p class="mt-4">
      <a class="btn btn-primary" href="/">Torna alla ricerca</a>
      {status === 403 || status === 401
        ? <a class="btn btn-outline-primary ms-2" href="/sportello">Area operatori</a>
        : null}
    </p>
  </Layout>
);

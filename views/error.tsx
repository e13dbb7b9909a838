/** What a person sees when something goes wrong: a notice, alone (htmx) or in a page. */
import type { FC } from "hono/jsx";
import { Layout } from "./layout.tsx";

/** Titles per status family, in the words a kiosk user understands. */
export function errorTitle(status: number): string {
  if (status === 404) return "Pagina non trovata";
  if (status === 429) return "Troppe richieste";
  if (status >= 500) return "Errore del servizio";
  return "Richiesta non valida";
}

/** The message shown for a 5xx: never the internals. */
export const INTERNAL_ERROR_MESSAGE =
  "Si è verificato un errore imprevisto. Riprova tra qualche istante o rivolgiti allo sportello.";

/** One alert with the message; `role="alert"` so screen readers announce it at once. */
export const Notice: FC<{ status: number; message: string }> = ({ status, message }) => (
  <div class={`alert ${status >= 500 ? "alert-danger" : "alert-warning"}`} role="alert">
    <h2 class="h5 alert-heading">{errorTitle(status)}</h2>
    <p class="mb-0">{message}</p>
  </div>
);

/** A full page around the notice, with the way back to the search. */
export const ErrorPage: FC<{ status: number; message: string }> = ({ status, message }) => (
  <Layout title={errorTitle(status)}>
    <h1 class="visually-hidden">{errorTitle(status)}</h1>
    <Notice status={status} message={message} />
    <p class="mt-4">
      <a class="btn btn-primary" href="/">Torna alla ricerca</a>
    </p>
  </Layout>
);

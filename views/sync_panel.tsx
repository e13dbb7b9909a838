/**
 * Admin: the sync page. The panel is also the htmx partial that polls itself once a second
 * while a sync runs (and only then), so the progress bar moves without any script of ours.
 */
import type { FC } from "hono/jsx";
import type { BranchInfo } from "../db/branches.ts";
import type { FileQueueItem } from "../sync/file_queue.ts";
import type { SetAsideMutation } from "../db/outbox.ts";
import { formatBytes } from "../sync/progress_bar.ts";
import type { SchedulerState } from "../sync/scheduler.ts";
import type { StoredSyncState } from "../sync/sync_state.ts";
import { Layout } from "./layout.tsx";

/** Everything the panel shows. */
export interface SyncPanelProps {
  role: "branch" | "archive";
  archiveUrl: string | undefined;
  live: SchedulerState | undefined;
  stored: StoredSyncState;
  pending: number;
  setAside: SetAsideMutation[];
  branches: BranchInfo[];
  /** Document bytes waiting or moving (branch only). */
  files: FileQueueItem[];
  csrfToken: string;
}

/** `2025-03-03T09:00:00.000Z` → `03/03/2025 10:00` in Italian local time. */
export function formatDateTime(iso: string | Date | undefined): string {
  if (!iso) return "mai";
  return new Date(iso).toLocaleString("it-IT", {
    timeZone: "Europe/Rome",
    dateStyle: "short",
    timeStyle: "short",
  });
}

function connection(p: SyncPanelProps): { label: string; tone: string } {
  if (!p.live) return { label: "Non configurata", tone: "secondary" };
  if (p.live.refused) return { label: "Rifiutata dall'archivio", tone: "danger" };
  if (p.live.online === true) return { label: "In linea", tone: "success" };
  if (p.live.online === false) return { label: "Archivio non raggiungibile", tone: "warning" };
  return { label: "In attesa del primo collegamento", tone: "secondary" };
}

const Progress: FC<{ live: SchedulerState }> = ({ live }) => {
  const p = live.progress;
  const label = p?.phase === "push"
    ? "Invio delle modifiche della sede"
    : "Ricezione dall'archivio";
  return (
    <div class="mb-3">
      <label for="sync-progress" class="form-label">{label}</label>
      <progress
        id="sync-progress"
        class="w-100"
        max={p && p.total > 0 ? p.total : 1}
        value={p ? p.done : 0}
      >
        {p ? `${p.done} di ${p.total}` : "in corso"}
      </progress>
      <p class="small">
        {p ? `${p.done} di ${p.total} · ` : ""}ricevuti{" "}
        {formatBytes(p?.bytesReceived ?? 0)}, inviati {formatBytes(p?.bytesSent ?? 0)}
      </p>
    </div>
  );
};

/** The panel (partial): state, counters, progress, "Sincronizza ora", set-aside list. */
export const SyncPanel: FC<SyncPanelProps> = (p) => {
  const running = p.live?.running ?? false;
  const state = connection(p);
  const error = p.live?.lastError ?? p.stored.lastError;
  return (
    <section
      id="sync-panel"
      aria-labelledby="sync-state-title"
      {...(running
        ? {
          "hx-get": "/admin/sync/pannello",
          "hx-trigger": "load delay:1s",
          "hx-swap": "outerHTML",
        }
        : {})}
    >
      <h2 id="sync-state-title" class="h4">
        Stato: <span class={`badge bg-${state.tone}`}>{state.label}</span>
      </h2>
      {error ? <div class="alert alert-danger" role="alert">{error}</div> : null}
      {running && p.live ? <Progress live={p.live} /> : null}
      <dl class="row">
        <dt class="col-sm-5">Archivio</dt>
        <dd class="col-sm-7">{p.archiveUrl ?? "nessuno (avviare con --archive-url e --token)"}</dd>
        <dt class="col-sm-5">Ultima ricezione completa</dt>
        <dd class="col-sm-7">{formatDateTime(p.stored.lastPullAt)}</dd>
        <dt class="col-sm-5">Ultimo invio completo</dt>
        <dd class="col-sm-7">{formatDateTime(p.stored.lastPushAt)}</dd>
        <dt class="col-sm-5">Posizione nel flusso dell'archivio</dt>
        <dd class="col-sm-7">{p.stored.cursor}</dd>
        <dt class="col-sm-5">Modifiche della sede da inviare</dt>
        <dd class="col-sm-7">{p.pending}</dd>
        <dt class="col-sm-5">Dati ricevuti / inviati</dt>
        <dd class="col-sm-7">
          {formatBytes(p.stored.bytesReceived)} / {formatBytes(p.stored.bytesSent)}
        </dd>
        {p.live?.nextRunAt && !running
          ? (
            <>
              <dt class="col-sm-5">Prossimo tentativo</dt>
              <dd class="col-sm-7">{formatDateTime(p.live.nextRunAt)}</dd>
            </>
          )
          : null}
      </dl>
      {p.live
        ? (
          <form
            method="post"
            action="/admin/sync/avvia"
            hx-post="/admin/sync/avvia"
            hx-target="#sync-panel"
            hx-swap="outerHTML"
          >
            <input type="hidden" name="_csrf" value={p.csrfToken} />
            <button type="submit" class="btn btn-primary" disabled={running}>
              {running ? "Sincronizzazione in corso…" : "Sincronizza ora"}
            </button>
          </form>
        )
        : null}
      <h2 class="h4 mt-4">Modifiche messe da parte</h2>
      {p.setAside.length === 0
        ? <p>Nessuna: l'archivio ha accettato tutto ciò che la sede ha inviato.</p>
        : (
          <table class="table table-sm">
            <caption>
              Rifiutate dall'archivio, con il motivo; le successive sono state inviate.
            </caption>
            <thead>
              <tr>
                <th scope="col">N.</th>
                <th scope="col">Tipo</th>
                <th scope="col">Identificativo</th>
                <th scope="col">Creata</th>
                <th scope="col">Motivo</th>
              </tr>
            </thead>
            <tbody>
              {p.setAside.map((m) => (
                <tr key={String(m.number)}>
                  <td>{m.number}</td>
                  <td>{m.entity}</td>
                  <td>{m.entityId}</td>
                  <td>{formatDateTime(m.createdAt)}</td>
                  <td>{m.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {p.role === "branch" ? <FileQueue files={p.files} /> : null}
      {p.role === "archive" ? <BranchTable branches={p.branches} /> : null}
    </section>
  );
};

const STATE_LABELS: Record<FileQueueItem["state"], { label: string; tone: string }> = {
  queued: { label: "In coda", tone: "secondary" },
  running: { label: "In corso", tone: "primary" },
  stalled: { label: "Fermo", tone: "warning" },
  failed: { label: "Non riuscito", tone: "danger" },
};

/** 3725 → "1 h 2 min"; 95 → "1 min 35 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${seconds % 60} s`;
}

/** The file queue: per file, bytes done, rate, ETA; stalled and failed ones with the reason. */
const FileQueue: FC<{ files: FileQueueItem[] }> = ({ files }) => (
  <>
    <h2 class="h4 mt-4">File dei documenti</h2>
    {files.length === 0
      ? <p>Nessun file in coda: la sede ha tutti i file che deve tenere.</p>
      : (
        <table class="table table-sm" id="file-queue">
          <caption>
            File da ricevere dall'archivio o da inviare, a blocchi che riprendono dopo
            un'interruzione.
          </caption>
          <thead>
            <tr>
              <th scope="col">Documento</th>
              <th scope="col">Verso</th>
              <th scope="col">Stato</th>
              <th scope="col">Avanzamento</th>
              <th scope="col">Velocità</th>
              <th scope="col">Tempo stimato</th>
              <th scope="col">Motivo</th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => {
              const state = STATE_LABELS[f.state];
              const percent = f.total > 0 ? Math.floor((f.bytesDone * 100) / f.total) : 100;
              return (
                <tr key={`${f.direction}:${f.sha256}`}>
                  <td>{f.name}</td>
                  <td>{f.direction === "down" ? "Ricezione" : "Invio"}</td>
                  <td>
                    <span class={`badge bg-${state.tone}`}>{state.label}</span>
                  </td>
                  <td>
                    <progress
                      max={Math.max(f.total, 1)}
                      value={f.bytesDone}
                      aria-label={`Avanzamento di ${f.name}`}
                    >
                      {percent} %
                    </progress>{" "}
                    {formatBytes(f.bytesDone)} di {formatBytes(f.total)} ({percent} %)
                  </td>
                  <td>{f.rate ? `${formatBytes(f.rate)}/s` : "—"}</td>
                  <td>{f.etaSeconds === null ? "—" : formatDuration(f.etaSeconds)}</td>
                  <td>{f.lastError ?? ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
  </>
);

const BranchTable: FC<{ branches: BranchInfo[] }> = ({ branches }) => (
  <>
    <h2 class="h4 mt-4">Sedi registrate</h2>
    <table class="table table-sm">
      <thead>
        <tr>
          <th scope="col">Sede</th>
          <th scope="col">Stato</th>
          <th scope="col">Ultima modifica applicata</th>
          <th scope="col">Ultimo contatto</th>
        </tr>
      </thead>
      <tbody>
        {branches.map((b) => (
          <tr key={b.name}>
            <td>{b.name}</td>
            <td>{b.revokedAt ? `revocata il ${formatDateTime(b.revokedAt)}` : "attiva"}</td>
            <td>{b.lastAppliedNumber}</td>
            <td>{formatDateTime(b.lastSeenAt ?? undefined)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </>
);

/** The whole admin page around the panel. */
export const SyncPage: FC<SyncPanelProps> = (p) => (
  <Layout title="Sincronizzazione">
    <h1>Sincronizzazione con l'archivio</h1>
    <SyncPanel {...p} />
  </Layout>
);

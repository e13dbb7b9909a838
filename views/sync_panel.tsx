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
import { useI18n } from "../i18n/context.tsx";
import type { Messages } from "../i18n/it.ts";
import { INTL_TAG, type Locale } from "../i18n/locale.ts";
import { translate } from "../i18n/local_message.ts";

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

/**
 * `2025-03-03T09:00:00.000Z` → `03/03/2025, 10:00` (Italian) or `03/03/2025, 10:00` (English,
 * en-GB) in the office's time zone; "mai" / "never" when it never happened.
 */
export function formatDateTime(
  iso: string | Date | undefined,
  locale: Locale = "it",
  never = "mai",
): string {
  if (!iso) return never;
  return new Date(iso).toLocaleString(INTL_TAG[locale], {
    timeZone: "Europe/Rome",
    dateStyle: "short",
    timeStyle: "short",
  });
}

/** The date tools of the panel in the page's language. */
function useWhen(): (iso: string | Date | undefined) => string {
  const { t, locale } = useI18n();
  return (iso) => formatDateTime(iso, locale, t.syncPanel.never);
}

function connection(p: SyncPanelProps, t: Messages): { label: string; tone: string } {
  const c = t.syncPanel.connection;
  if (!p.live) return { label: c.notConfigured, tone: "secondary" };
  if (p.live.refused) return { label: c.refused, tone: "danger" };
  if (p.live.online === true) return { label: c.online, tone: "success" };
  if (p.live.online === false) return { label: c.unreachable, tone: "warning" };
  return { label: c.waiting, tone: "secondary" };
}

const Progress: FC<{ live: SchedulerState }> = ({ live }) => {
  const { t } = useI18n();
  const s = t.syncPanel;
  const p = live.progress;
  const label = p?.phase === "push" ? s.phasePush : s.phasePull;
  return (
    <div class="mb-3">
      <label for="sync-progress" class="form-label">{label}</label>
      <progress
        id="sync-progress"
        class="w-100"
        max={p && p.total > 0 ? p.total : 1}
        value={p ? p.done : 0}
      >
        {p ? s.ofTotal(p.done, p.total) : s.inProgress}
      </progress>
      <p class="small">
        {p ? `${s.ofTotal(p.done, p.total)} · ` : ""}
        {s.traffic(formatBytes(p?.bytesReceived ?? 0), formatBytes(p?.bytesSent ?? 0))}
      </p>
    </div>
  );
};

/** The panel (partial): state, counters, progress, "Sincronizza ora", set-aside list. */
export const SyncPanel: FC<SyncPanelProps> = (p) => {
  const { t } = useI18n();
  const s = t.syncPanel;
  const when = useWhen();
  const running = p.live?.running ?? false;
  const state = connection(p, t);
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
        {s.state} <span class={`badge bg-${state.tone}`}>{state.label}</span>
      </h2>
      {error
        ? (
          <div class="alert alert-danger" role="alert">
            <Reason text={error} />
          </div>
        )
        : null}
      {running && p.live ? <Progress live={p.live} /> : null}
      <dl class="row">
        <dt class="col-sm-5">{s.archive}</dt>
        <dd class="col-sm-7">{p.archiveUrl ?? s.noArchive}</dd>
        <dt class="col-sm-5">{s.lastPull}</dt>
        <dd class="col-sm-7">{when(p.stored.lastPullAt)}</dd>
        <dt class="col-sm-5">{s.lastPush}</dt>
        <dd class="col-sm-7">{when(p.stored.lastPushAt)}</dd>
        <dt class="col-sm-5">{s.cursor}</dt>
        <dd class="col-sm-7">{p.stored.cursor}</dd>
        <dt class="col-sm-5">{s.pending}</dt>
        <dd class="col-sm-7">{p.pending}</dd>
        <dt class="col-sm-5">{s.bytes}</dt>
        <dd class="col-sm-7">
          {formatBytes(p.stored.bytesReceived)} / {formatBytes(p.stored.bytesSent)}
        </dd>
        {p.live?.nextRunAt && !running
          ? (
            <>
              <dt class="col-sm-5">{s.nextRun}</dt>
              <dd class="col-sm-7">{when(p.live.nextRunAt)}</dd>
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
              {running ? s.running : s.runNow}
            </button>
          </form>
        )
        : null}
      <h2 class="h4 mt-4">{s.setAsideTitle}</h2>
      {p.setAside.length === 0 ? <p>{s.noneSetAside}</p> : (
        <table class="table table-sm">
          <caption>{s.setAsideCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{s.colNumber}</th>
              <th scope="col">{s.colKind}</th>
              <th scope="col">{s.colId}</th>
              <th scope="col">{s.colCreated}</th>
              <th scope="col">{s.colReason}</th>
            </tr>
          </thead>
          <tbody>
            {p.setAside.map((m) => (
              <tr key={String(m.number)}>
                <td>{m.number}</td>
                <td>{m.entity}</td>
                <td>{m.entityId}</td>
                <td>{when(m.createdAt)}</td>
                <td>
                  <Reason text={m.reason} />
                </td>
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

const STATE_TONES: Record<FileQueueItem["state"], string> = {
  queued: "secondary",
  running: "primary",
  stalled: "warning",
  failed: "danger",
};

/**
 * A reason as stored: in the page's language when it was made from the catalogue (the
 * branch's own file and sync messages), else as written, which is the archive's Italian (a
 * set-aside change's reason, a refusal it sent) and marked so for a screen reader.
 */
const Reason: FC<{ text: string | null }> = ({ text }) => {
  const { t, locale } = useI18n();
  if (!text) return null;
  const shown = translate(text, t);
  return shown !== text || locale === "it" ? <>{shown}</> : <span lang="it">{text}</span>;
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
const FileQueue: FC<{ files: FileQueueItem[] }> = ({ files }) => {
  const { t } = useI18n();
  const s = t.syncPanel;
  return (
    <>
      <h2 class="h4 mt-4">{s.filesTitle}</h2>
      {files.length === 0 ? <p>{s.noFiles}</p> : (
        <table class="table table-sm" id="file-queue">
          <caption>{s.filesCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{s.colDocument}</th>
              <th scope="col">{s.colDirection}</th>
              <th scope="col">{s.colState}</th>
              <th scope="col">{s.colProgress}</th>
              <th scope="col">{s.colRate}</th>
              <th scope="col">{s.colEta}</th>
              <th scope="col">{s.colReason}</th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => {
              const percent = f.total > 0 ? Math.floor((f.bytesDone * 100) / f.total) : 100;
              return (
                <tr key={`${f.direction}:${f.sha256}`}>
                  <td>{f.name}</td>
                  <td>{f.direction === "down" ? s.down : s.up}</td>
                  <td>
                    <span class={`badge bg-${STATE_TONES[f.state]}`}>
                      {s.fileStates[f.state]}
                    </span>
                  </td>
                  <td>
                    <progress
                      max={Math.max(f.total, 1)}
                      value={f.bytesDone}
                      aria-label={s.progressOf(f.name)}
                    >
                      {percent} %
                    </progress>{" "}
                    {s.bytesOf(formatBytes(f.bytesDone), formatBytes(f.total), percent)}
                  </td>
                  <td>{f.rate ? `${formatBytes(f.rate)}/s` : "—"}</td>
                  <td>{f.etaSeconds === null ? "—" : formatDuration(f.etaSeconds)}</td>
                  <td>
                    <Reason text={f.lastError} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
};

const BranchTable: FC<{ branches: BranchInfo[] }> = ({ branches }) => {
  const { t } = useI18n();
  const s = t.syncPanel;
  const when = useWhen();
  return (
    <>
      <h2 class="h4 mt-4">{s.branchesTitle}</h2>
      <table class="table table-sm">
        <thead>
          <tr>
            <th scope="col">{s.colBranch}</th>
            <th scope="col">{s.colState}</th>
            <th scope="col">{s.colLastApplied}</th>
            <th scope="col">{s.colLastSeen}</th>
          </tr>
        </thead>
        <tbody>
          {branches.map((b) => (
            <tr key={b.name}>
              <td>{b.name}</td>
              <td>{b.revokedAt ? s.revokedOn(when(b.revokedAt)) : s.activeBranch}</td>
              <td>{b.lastAppliedNumber}</td>
              <td>{when(b.lastSeenAt ?? undefined)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
};

/** The whole admin page around the panel. */
export const SyncPage: FC<SyncPanelProps> = (p) => {
  const { t } = useI18n();
  return (
    <Layout title={t.syncPanel.title}>
      <h1>{t.syncPanel.heading}</h1>
      <SyncPanel {...p} />
    </Layout>
  );
};

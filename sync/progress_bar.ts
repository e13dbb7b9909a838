/**
 * A one-line text progress bar for `main.ts sync` on a terminal (redrawn with \r), and a
 * plain line per phase when the output is a file or a pipe.
 */
import type { SyncProgress } from "./client.ts";

/** Human bytes: 1.2 MB, 340 kB. */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}

/** The bar's text for one progress report, `width` characters of bar. */
export function renderProgress(p: SyncProgress, width = 30): string {
  const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(ratio * width);
  const label = p.phase === "pull" ? "Ricezione" : "Invio    ";
  return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${
    Math.round(ratio * 100)
  }% ${p.done}/${p.total}  ↓${formatBytes(p.bytesReceived)} ↑${formatBytes(p.bytesSent)}`;
}

/** A progress callback writing to `out`: redrawn in place on a TTY, one line per phase else. */
export function progressPrinter(
  out: { writeSync(p: Uint8Array): number; isTerminal(): boolean },
): { onProgress: (p: SyncProgress) => void; finish: () => void } {
  const encoder = new TextEncoder();
  const tty = out.isTerminal();
  let lastPhase: string | undefined;
  let drawn = false;
  return {
    onProgress(p) {
      if (tty) {
        out.writeSync(encoder.encode(`\r${renderProgress(p)}\x1b[K`));
        drawn = true;
      } else if (p.phase !== lastPhase) {
        out.writeSync(encoder.encode(`${p.phase === "pull" ? "Ricezione" : "Invio"}…\n`));
      }
      lastPhase = p.phase;
    },
    finish() {
      if (drawn) out.writeSync(encoder.encode("\n"));
    },
  };
}

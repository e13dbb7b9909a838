/**
 * The documents section of `deno task bench` (issue 10): each benchmark runs as a process of
 * its own (their memory and Chromium must not colour the search figures), its output is echoed
 * and its last JSON line becomes rows of the figures table.
 */
import type { FigureRow } from "./_report.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** One benchmark of the section: its script, arguments, and how its JSON becomes rows. */
interface DocumentBench {
  script: string;
  args: string[];
  rows: (json: Record<string, unknown>) => FigureRow[];
}

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const fixed = (v: number | undefined, digits = 0) => (v === undefined ? "n/d" : v.toFixed(digits));

function row(
  figure: string,
  measured: string,
  target: string,
  reference: string,
  pass: boolean | undefined,
): FigureRow {
  return { figure, measured, target, reference, pass };
}

/** The section's benchmarks; `quick` shrinks their sizes (figures then only indicative). */
export function documentBenches(quick: boolean): DocumentBench[] {
  return [
    {
      script: "bench/document_import_bench.ts",
      args: quick ? ["--documents", "200", "--mb", "100"] : [],
      rows: (j) => {
        const share = num(j.shareOfCopy);
        const durable = num(j.shareOfDurableCopy);
        return [
          row(
            `documents: import of ${j.documents} files, share of a plain copy's rate`,
            share === undefined ? "n/d" : `${Math.round(share * 100)}%`,
            "≥ 50%",
            `import ${j.importMbPerS} MB/s; copyFile ${j.copyMbPerS} MB/s (page cache)`,
            share === undefined ? undefined : share >= 0.5,
          ),
          row(
            "documents: import, share of a durable copy's rate (copy + fsync)",
            durable === undefined ? "n/d" : `${Math.round(durable * 100)}%`,
            "≥ 50%",
            `copyFile + fsync ${j.durableCopyMbPerS} MB/s; re-import ${j.reimportMs} ms`,
            durable === undefined ? undefined : durable >= 0.5,
          ),
        ];
      },
    },
    {
      script: "bench/viewer_bench.ts",
      args: quick ? ["--pages", "60", "--runs", "3"] : [],
      rows: (j) => {
        const v = (j.viewer ?? {}) as Record<string, unknown>;
        const median = num(v.firstPageMedianMs);
        return [row(
          `documents: first page of a ${v.pages}-page ${v.fileMB} MB PDF in Chromium (median)`,
          `${fixed(median)} ms`,
          "≤ 1500 ms",
          `max ${v.firstPageMaxMs} ms; ${v.servedAtFirstPageMB} MB served; a page without the ` +
            `viewer ${v.plainPageMedianMs} ms; load ${fixed(num(v.loadAverage), 1)}`,
          median === undefined ? undefined : median <= 1500,
        )];
      },
    },
    {
      script: "bench/video_memory_bench.ts",
      args: quick ? ["--mb", "200", "--seeks", "20"] : [],
      rows: (j) => [
        row(
          `documents: RSS growth fetching a ${j.mb} MB video (branch)`,
          `${j.fetchGrowthMb} MB`,
          "≤ 64 MB",
          `fetched in ${j.fetchSeconds} s on loopback`,
          num(j.fetchGrowthMb) === undefined ? undefined : num(j.fetchGrowthMb)! <= 64,
        ),
        row(
          `documents: RSS growth serving a ${j.mb} MB video with seeks (kiosk)`,
          `${j.serveGrowthMb} MB`,
          "≤ 64 MB",
          "one whole download, then 4 players seeking",
          num(j.serveGrowthMb) === undefined ? undefined : num(j.serveGrowthMb)! <= 64,
        ),
      ],
    },
    {
      script: "bench/file_transfer_bench.ts",
      // 50 MB at 2 Mbit/s is over 200 s by construction; --quick moves 5 MB.
      args: quick ? ["--mb", "5"] : [],
      rows: (j) => [
        row(
          `documents: ${j.mb} MB over 2 Mbit/s, 600 ms RTT, cut every 10 s, kill -9 once`,
          `${fixed(num(j.ratio), 2)}× link limit`,
          "≤ 1.3×",
          `${j.seconds} s vs ${j.linkLimitSeconds} s; ${j.cuts} cuts; verified ${j.verified}`,
          num(j.ratio) === undefined ? undefined : num(j.ratio)! <= 1.3 && j.verified === true,
        ),
        row(
          "documents: bytes fetched again after the kill -9",
          `${j.resentAfterKill ?? "n/d"} B`,
          "≤ one chunk",
          `chunk in flight ${j.chunkInFlightAtKill ?? "n/d"} B`,
          num(j.resentAfterKill) === undefined || num(j.chunkInFlightAtKill) === undefined
            ? undefined
            : num(j.resentAfterKill)! <= num(j.chunkInFlightAtKill)!,
        ),
      ],
    },
    {
      script: "bench/consult_bench.ts",
      args: quick
        ? ["--pages", "60", "--per-holder", "5", "--dossiers", "5000", "--acts", "1000"]
        : [],
      rows: (j) => {
        const c = (j.consult ?? {}) as Record<string, unknown>;
        const first = num(c.firstPageMs);
        const p95 = num(c.pageP95Ms);
        const errors = num(c.pageErrors);
        const ratio = num(c.searchRatio);
        return [
          row(
            `consultation: first stamped page of a ${c.pages}-page ${c.fileMB} MB scan (kiosk route)`,
            `${fixed(first)} ms`,
            "≤ 1500 ms",
            `viewer ${c.firstViewerMs} ms + page 1 ${c.firstPage1Ms} ms`,
            first === undefined ? undefined : first <= 1500,
          ),
          row(
            `consultation: ${c.holders} grant holders paging, p95 per stamped page`,
            `${fixed(p95)} ms, ${errors ?? "n/d"} errors`,
            "≤ 300 ms, 0 errors",
            `${c.pagesServed} pages, median ${c.pageMedianMs} ms, max ${c.pageMaxMs} ms; ` +
              `kiosk CPU ${c.kioskCpuMsPerPage} ms/page`,
            p95 === undefined || errors === undefined ? undefined : p95 <= 300 && errors === 0,
          ),
          row(
            "consultation: kiosk search p95 while they page, vs idle",
            `${fixed(ratio, 2)}×`,
            "≤ 1.2×",
            `${c.searchLoadedP95Ms} ms vs ${c.searchIdleP95Ms} ms idle; load ${
              fixed(num(c.loadAverage), 1)
            }`,
            ratio === undefined ? undefined : ratio <= 1.2,
          ),
        ];
      },
    },
    {
      script: "bench/file_store_bench.ts",
      args: quick ? ["--mb", "50", "--rounds", "1"] : [],
      rows: (j) => {
        const figures = (j.figures ?? []) as { what: string; mbPerS: number | null }[];
        const rate = (what: string) => figures.find((f) => f.what === what)?.mbPerS ?? undefined;
        return [row(
          "documents: file store put, plain / encrypted",
          `${rate("put in chiaro") ?? "n/d"} / ${rate("put cifrato") ?? "n/d"} MB/s`,
          "(reference)",
          `one ${Math.round(num(j.bytes)! / 1e6)} MB file; copyFile ${rate("Deno.copyFile")} MB/s`,
          undefined,
        )];
      },
    },
  ];
}

/** Runs the section, echoing each benchmark; rows for the figures table. */
export async function runDocumentBenches(quick: boolean): Promise<FigureRow[]> {
  const rows: FigureRow[] = [];
  for (const bench of documentBenches(quick)) {
    console.log(`\n== ${bench.script} ${bench.args.join(" ")} ==`);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", bench.script, ...bench.args],
      cwd: ROOT,
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    console.log(text.trimEnd());
    const last = text.trim().split("\n").reverse().find((l) => l.trim().startsWith("{"));
    let json: Record<string, unknown> | undefined;
    try {
      json = last ? JSON.parse(last) : undefined;
    } catch {
      json = undefined;
    }
    if (!out.success || !json) {
      rows.push(row(`documents: ${bench.script}`, "failed", "runs", `exit ${out.code}`, false));
      continue;
    }
    rows.push(...bench.rows(json));
  }
  return rows;
}

// The document viewer (views/document_viewer.tsx): PDF pages drawn by PDF.js on a canvas, or
// image pages, with page buttons, keyboard (← → PageUp PageDown, + −), touch swipes and
// zoom. PDF.js reads the file by Range requests so a scan's first page shows before the rest
// of the file arrives. No inline script or style: sizes are set through the CSSOM.
"use strict";

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4];
const FIT = ZOOMS.indexOf(1);
// Chunks PDF.js asks for: a 300-page scan's first page needs a handful, not the whole file.
const RANGE_CHUNK = 256 * 1024;
const SWIPE_PX = 60;
// PDF.js waits at most this long for the page-1 picture to decode before it starts anyway.
const PREVIEW_WAIT_MS = 1500;

const root = document.querySelector(".doc-viewer");
if (root) start(root);

function start(root) {
  const stage = root.querySelector(".viewer-stage");
  const status = root.querySelector("[data-role=status]");
  const buttons = {
    prev: root.querySelector("[data-action=prev]"),
    next: root.querySelector("[data-action=next]"),
    zoomIn: root.querySelector("[data-action=zoom-in]"),
    zoomOut: root.querySelector("[data-action=zoom-out]"),
    fit: root.querySelector("[data-action=fit]"),
  };
  const title = root.dataset.title || "documento";
  // Words in the page's language (the view sets data-words-* outside Italian).
  const words = {
    loading: root.dataset.wordsLoading || "Caricamento…",
    page: root.dataset.wordsPage || "Pagina {n} di {pages}",
    pageOf: root.dataset.wordsPageOf || "Pagina {n} di {pages} di {title}",
    failed: root.dataset.wordsFailed ||
      "Impossibile mostrare il documento: usa il collegamento per scaricarlo.",
  };
  const state = { page: 1, pages: 0, zoom: FIT };
  const show = root.dataset.viewer === "pdf"
    ? pdfPages(root, stage, title, words)
    : root.dataset.viewer === "stamped"
    ? stampedPages(root, stage, title, words)
    : imagePages(root, stage, title, words);

  function refresh() {
    status.textContent = state.pages
      ? fill(words.page, { n: state.page, pages: state.pages })
      : words.loading;
    buttons.prev.disabled = state.page <= 1;
    buttons.next.disabled = state.page >= state.pages;
    buttons.zoomOut.disabled = state.zoom <= 0;
    buttons.zoomIn.disabled = state.zoom >= ZOOMS.length - 1;
    stage.classList.toggle("viewer-zoomed", state.zoom > FIT);
  }

  async function draw() {
    refresh();
    try {
      await show.render(state.page, ZOOMS[state.zoom]);
      root.dataset.renderedPage = String(state.page);
      root.dataset.renderedZoom = String(ZOOMS[state.zoom]);
      if (!root.dataset.firstPageMs) {
        root.dataset.firstPageMs = String(Math.round(performance.now()));
      }
    } catch (err) {
      if (err && err.name === "RenderingCancelledException") return;
      fail(err);
    }
  }

  function fail(err) {
    console.error(err);
    root.dataset.failed = "true";
    status.textContent = words.failed;
  }

  function go(delta) {
    const page = Math.min(Math.max(state.page + delta, 1), state.pages);
    if (page === state.page) return;
    state.page = page;
    draw();
  }

  function zoom(to) {
    if (!state.pages) return; // nothing drawn yet (a preview may be showing): nothing to zoom
    const next = Math.min(Math.max(to, 0), ZOOMS.length - 1);
    if (next === state.zoom) return;
    state.zoom = next;
    draw();
  }

  buttons.prev.addEventListener("click", () => go(-1));
  buttons.next.addEventListener("click", () => go(1));
  buttons.zoomIn.addEventListener("click", () => zoom(state.zoom + 1));
  buttons.zoomOut.addEventListener("click", () => zoom(state.zoom - 1));
  buttons.fit.addEventListener("click", () => zoom(FIT));

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, audio, video")) return;
    const action = {
      ArrowLeft: () => go(-1),
      PageUp: () => go(-1),
      ArrowRight: () => go(1),
      PageDown: () => go(1),
      "+": () => zoom(state.zoom + 1),
      "=": () => zoom(state.zoom + 1),
      "-": () => zoom(state.zoom - 1),
    }[event.key];
    if (!action || !state.pages) return;
    event.preventDefault();
    action();
  });

  // A horizontal swipe turns the page; at fit width the stage only scrolls vertically
  // (touch-action in viewer.css), so the browser leaves horizontal moves to us.
  let swipe = null;
  stage.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse" || state.zoom > FIT) return;
    swipe = { id: event.pointerId, x: event.clientX, y: event.clientY };
  });
  stage.addEventListener("pointerup", (event) => {
    if (!swipe || swipe.id !== event.pointerId) return;
    const dx = event.clientX - swipe.x;
    const dy = event.clientY - swipe.y;
    swipe = null;
    if (Math.abs(dx) >= SWIPE_PX && Math.abs(dx) > 2 * Math.abs(dy)) go(dx < 0 ? 1 : -1);
  });
  stage.addEventListener("pointercancel", () => {
    swipe = null;
  });

  let resizeTimer = 0;
  addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => state.pages && draw(), 200);
  });

  refresh();
  show.open().then((pages) => {
    state.pages = pages;
    return draw();
  }, fail);
}

/**
 * The file as a PDF.js range transport fed by viewer_boot.js's prefetched head and tail, with
 * other chunks fetched by Range when PDF.js asks; undefined (plain URL loading) when there is
 * no prefetch or it failed. Chunks inside the tail are cut from it, copied: PDF.js transfers
 * what it is given to its worker.
 */
async function prefetchedSource(pdfjs, src, boot) {
  if (!boot.file) return undefined;
  let file;
  try {
    file = await boot.file;
  } catch {
    return undefined;
  }
  if (!file) return undefined;
  const { length, tail } = file;
  const transport = new pdfjs.PDFDataRangeTransport(length, new Uint8Array(file.head));
  transport.requestDataRange = (begin, end) => {
    const bytes = begin >= tail.start
      ? tail.data.then((buffer) =>
        buffer.slice(begin - tail.start, Math.min(end, length) - tail.start)
      )
      : fetch(src, { headers: { Range: `bytes=${begin}-${end - 1}` } }).then((r) => {
        if (r.status !== 206) throw new Error(`range answered ${r.status}`);
        return r.arrayBuffer();
      });
    // A chunk that never came would leave PDF.js waiting: the loading is ended instead.
    bytes.then((b) => transport.onDataRange(begin, new Uint8Array(b)), (err) => {
      transport.failed?.(err);
    });
  };
  return { range: transport, length };
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The width a page at "fit" fills: the stage's inner width. */
function fitWidth(stage) {
  const style = getComputedStyle(stage);
  return stage.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
}

/** `Pagina {n} di {pages}` with its values put in. */
function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, function (_m, k) {
    return k in values ? String(values[k]) : "";
  });
}

function pdfPages(root, stage, title, words) {
  const canvas = stage.querySelector("canvas");
  let pdf = null;
  let task = null;
  return {
    async open() {
      // viewer_boot.js started the worker (1.3 MB to fetch and compile) and the file's first
      // and last chunks while the page was parsed; without it, start the worker now, before
      // the main module loads, rather than after it as PDF.js would.
      const boot = globalThis.faldoneViewerBoot || {};
      // With the server's picture of page 1 on the page (views/document_viewer.tsx) the
      // worker is started once that picture is decoded: compiling 1.3 MB on the kiosk's two
      // cores otherwise delays the picture's own decode and paint (docs/DOCUMENTS.md).
      const preview = stage.querySelector(".viewer-preview");
      if (preview && !boot.worker) {
        await Promise.race([preview.decode().catch(() => {}), delay(PREVIEW_WAIT_MS)]);
      }
      const worker = boot.worker || new Worker(root.dataset.worker, { type: "module" });
      const pdfjs = await import(root.dataset.pdfjs);
      pdfjs.GlobalWorkerOptions.workerPort = worker;
      const prefetched = await prefetchedSource(pdfjs, root.dataset.src, boot);
      const options = pdfOptions(root, root.dataset.src);
      if (prefetched) delete options.url;
      const loading = pdfjs.getDocument({ ...options, ...prefetched });
      // A chunk that cannot be fetched ends the loading (the page says it failed).
      if (prefetched) prefetched.range.failed = () => loading.destroy();
      pdf = await loading.promise;
      return pdf.numPages;
    },
    async render(n, zoom) {
      if (task) task.cancel();
      const page = await pdf.getPage(n);
      task = drawPage(page, stage, canvas, zoom);
      await task.promise;
      task = null;
      canvas.setAttribute("aria-label", fill(words.pageOf, { n, pages: pdf.numPages, title }));
      // The server's picture of page 1 (views/document_viewer.tsx) gives way to the canvas.
      const preview = stage.querySelector(".viewer-preview");
      if (preview) {
        preview.remove();
        canvas.hidden = false;
      }
      page.cleanup();
    },
  };
}

function imagePages(root, stage, title, words) {
  const img = stage.querySelector("img");
  const pages = Number(root.dataset.pages) || 1;
  const template = root.dataset.pageUrl;
  return {
    open() {
      return Promise.resolve(pages);
    },
    async render(n, zoom) {
      if (template) {
        const src = template.replace("{n}", String(n));
        if (img.getAttribute("src") !== src) img.src = src;
      }
      await img.decode();
      img.alt = fill(words.pageOf, { n, pages, title });
      const width = Math.round(Math.min(fitWidth(stage), img.naturalWidth * 4) * zoom);
      img.style.width = `${width}px`;
    },
  };
}

/** Starts drawing `page` off-screen, then swaps it onto `canvas`; `.cancel()` stops it. */
function drawPage(page, stage, canvas, zoom) {
  const natural = page.getViewport({ scale: 1 });
  const cssScale = (fitWidth(stage) / natural.width) * zoom;
  const ratio = devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: cssScale * ratio });
  // Draw off-screen, then swap, so the old page stays visible until the new one is ready.
  const next = document.createElement("canvas");
  next.width = Math.floor(viewport.width);
  next.height = Math.floor(viewport.height);
  const task = page.render({ canvas: next, viewport });
  return {
    cancel: () => task.cancel(),
    promise: task.promise.then(() => {
      canvas.width = next.width;
      canvas.height = next.height;
      canvas.getContext("2d").drawImage(next, 0, 0);
      canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
      canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
    }),
  };
}

/** PDF.js options shared by the file viewer and the stamped pages. */
function pdfOptions(root, url) {
  return {
    url,
    // Ranges only, no read-ahead: without these PDF.js streams the whole file.
    disableAutoFetch: true,
    disableStream: true,
    rangeChunkSize: RANGE_CHUNK,
    // WebAssembly needs 'wasm-unsafe-eval' in the CSP; the JS decoders need nothing.
    useWasm: false,
    wasmUrl: root.dataset.wasm,
    standardFontDataUrl: root.dataset.fonts,
    cMapUrl: root.dataset.cmaps,
    cMapPacked: true,
    enableXfa: false,
  };
}

// Consultation under a grant: each page is its own stamped one-page PDF made by the server
// (the original file is never sent), so page n is a document of its own.
function stampedPages(root, stage, title, words) {
  const canvas = stage.querySelector("canvas");
  const pages = Number(root.dataset.pages) || 1;
  const template = root.dataset.pageUrl;
  let pdfjs = null;
  let worker = null;
  let shown = null;
  let task = null;
  return {
    async open() {
      const port = new Worker(root.dataset.worker, { type: "module" });
      pdfjs = await import(root.dataset.pdfjs);
      // One worker for every page's document, given explicitly so that destroying a page's
      // document leaves the worker for the next one.
      worker = new pdfjs.PDFWorker({ port });
      return pages;
    },
    async render(n, zoom) {
      if (task) task.cancel();
      if (!shown || shown.n !== n) {
        const url = template.replace("{n}", String(n));
        const loading = pdfjs.getDocument({ ...pdfOptions(root, url), worker });
        const doc = await loading.promise;
        if (shown) shown.loading.destroy();
        shown = { n, doc, loading };
      }
      const page = await shown.doc.getPage(1);
      task = drawPage(page, stage, canvas, zoom);
      await task.promise;
      task = null;
      canvas.setAttribute("aria-label", fill(words.pageOf, { n, pages, title }));
      page.cleanup();
    },
  };
}

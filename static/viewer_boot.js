// Starts what the first page of a PDF waits for while the page is still being parsed: the
// PDF.js worker (1.3 MB to compile, on its own thread), the first 512 KB of the file (the
// header and, in a scan, the first page's picture) and its last 256 KB (the cross-reference
// table PDF.js reads before any page). viewer.js,
// a module that runs only after the whole page is parsed and styled, picks them up from
// globalThis.faldoneViewerBoot. Measured on a 300-page scan: the worker was asked for some 900 ms
// after the stylesheets arrived, and the file's first four requests ran one after another.
"use strict";
(function () {
  const root = document.currentScript && document.currentScript.parentElement;
  if (!root || root.dataset.viewer !== "pdf" || !root.dataset.worker) return;
  const CHUNK = 256 * 1024; // viewer.js's RANGE_CHUNK: PDF.js asks for whole chunks
  const boot = { worker: new Worker(root.dataset.worker, { type: "module" }), chunk: CHUNK };
  const range = (start, end) =>
    fetch(root.dataset.src, { headers: { Range: `bytes=${start}-${end - 1}` } }).then((r) => {
      if (r.status !== 206) throw new Error(`range answered ${r.status}`);
      return r;
    });
  // The head tells the file's length (Content-Range: bytes 0-524287/LENGTH); then the tail.
  const first = range(0, 2 * CHUNK).then(async (r) => {
    const length = Number(/\/(\d+)$/.exec(r.headers.get("Content-Range") || "")?.[1]);
    if (!Number.isSafeInteger(length)) throw new Error("no length");
    return { length, head: await r.arrayBuffer() };
  });
  boot.file = first.then(({ length, head }) => {
    // A small file: PDF.js reads it whole from what it gets; no tail needed.
    if (length <= 4 * CHUNK) return undefined;
    const tailStart = Math.floor((length - 1) / CHUNK) * CHUNK;
    return {
      length,
      head,
      tail: { start: tailStart, data: range(tailStart, length).then((r) => r.arrayBuffer()) },
    };
  });
  boot.file.catch(() => {}); // viewer.js awaits it, and loads by URL when it failed
  globalThis.faldoneViewerBoot = boot;
})();

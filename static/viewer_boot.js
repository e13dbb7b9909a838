// Starts what the first page of a PDF waits for while the page is still being parsed: the
// PDF.js worker (1.3 MB to compile, on its own thread), the first 512 KB of the file (the
// header and, in a scan, the first page's picture) and its last 256 KB (the cross-reference
// table PDF.js reads before any page), both at once. viewer.js,
// a module that runs only after the whole page is parsed and styled, picks them up from
// globalThis.faldoneViewerBoot. Measured on a 300-page scan: the worker was asked for some 900 ms
// after the stylesheets arrived, and the file's first four requests ran one after another.
"use strict";
(function () {
  const root = document.currentScript && document.currentScript.parentElement;
  if (!root || root.dataset.viewer !== "pdf" || !root.dataset.worker) return;
  const CHUNK = 256 * 1024; // viewer.js's RANGE_CHUNK: PDF.js asks for whole chunks
  // With a picture of page 1 from the server (data-preview), viewer.js starts the worker once
  // that picture is decoded, so that the two do not share the CPU; the file is fetched anyway.
  const boot = {
    worker: root.dataset.preview ? undefined : new Worker(root.dataset.worker, { type: "module" }),
    chunk: CHUNK,
  };
  const range = (start, end) =>
    fetch(root.dataset.src, { headers: { Range: `bytes=${start}-${end - 1}` } }).then((r) => {
      if (r.status !== 206) throw new Error(`range answered ${r.status}`);
      return r;
    });
  // Head and tail at once: the tail as a suffix range, which needs no length; both answers
  // tell the length (Content-Range: bytes 0-524287/LENGTH).
  const lengthOf = (r) => Number(/\/(\d+)$/.exec(r.headers.get("Content-Range") || "")?.[1]);
  const head = range(0, 2 * CHUNK);
  const tail = fetch(root.dataset.src, { headers: { Range: `bytes=-${CHUNK}` } });
  boot.file = Promise.all([head, tail]).then(async ([h, t]) => {
    const length = lengthOf(h);
    // A small file: PDF.js reads it whole from what it gets; no tail needed.
    if (!Number.isSafeInteger(length) || length <= 4 * CHUNK || t.status !== 206) {
      h.body?.cancel();
      t.body?.cancel();
      return length <= 4 * CHUNK ? undefined : Promise.reject(new Error("no length"));
    }
    const data = t.arrayBuffer();
    data.catch(() => {}); // awaited when PDF.js asks for the tail
    return { length, head: await h.arrayBuffer(), tail: { start: length - CHUNK, data } };
  });
  boot.file.catch(() => {}); // viewer.js awaits it, and loads by URL when it failed
  // The server had not finished looking for page 1's picture (data-preview-later): try it, and
  // show it in the canvas's place if it comes before PDF.js has drawn the page. A file with no
  // picture answers 404 and nothing changes.
  const later = root.dataset.previewLater;
  if (later) {
    const img = new Image();
    img.className = "viewer-preview";
    img.alt = root.dataset.previewAlt || "";
    img.setAttribute("elementtiming", "first-page");
    img.src = later;
    img.decode().then(() => {
      const stage = root.querySelector(".viewer-stage");
      const canvas = stage && stage.querySelector("canvas");
      if (!canvas || root.dataset.renderedPage) return;
      canvas.hidden = true;
      stage.insertBefore(img, canvas);
    }, () => {});
  }
  globalThis.faldoneViewerBoot = boot;
})();

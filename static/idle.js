// Kiosk idle reset (issue 5): after the idle time a full-screen dialog counts down at least
// 20 seconds; "Continua" keeps the page, otherwise every form is wiped and the kiosk goes
// home through /richieste/azzera, which also drops the basket and receipt cookies.
// The times come from /kiosk.json (admin setting, else the server's --idle default).
(function () {
  "use strict";
  // Clerk and signed-in citizen pages have their own session timeout; only the public kiosk
  // resets.
  if (document.querySelector(".staff-bar, .citizen-bar")) return;

  let idleMs = 120000;
  let countdownSeconds = 30;
  let timer = 0;
  let tick = 0;
  let dialog = null;

  function wipeAndGoHome() {
    const forms = document.querySelectorAll("form");
    for (let i = 0; i < forms.length; i++) forms[i].reset();
    const fields = document.querySelectorAll("input:not([type=hidden]), textarea");
    for (let j = 0; j < fields.length; j++) fields[j].value = "";
    try {
      sessionStorage.clear();
    } catch (_e) { /* storage may be disabled */ }
    location.replace("/richieste/azzera");
  }

  function buildDialog() {
    const d = document.createElement("dialog");
    d.className = "idle-dialog";
    d.setAttribute("aria-labelledby", "idle-title");
    d.setAttribute("aria-describedby", "idle-text");
    const box = document.createElement("div");
    box.className = "idle-box";
    const h = document.createElement("h2");
    h.id = "idle-title";
    // The words come from the page (the layout's data-idle-*), in the visitor's language.
    const words = document.body.dataset;
    h.textContent = words.idleTitle || "Sei ancora qui?";
    const p = document.createElement("p");
    p.id = "idle-text";
    p.textContent = words.idleBefore ||
      "Per riservatezza la postazione sarà azzerata e i dati inseriti cancellati tra ";
    const count = document.createElement("strong");
    count.className = "idle-count";
    p.appendChild(count);
    p.appendChild(document.createTextNode(words.idleAfter || " secondi."));
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-primary btn-lg";
    button.textContent = words.idleContinue || "Continua";
    button.addEventListener("click", function () {
      d.close();
    });
    d.addEventListener("close", function () {
      clearInterval(tick);
      arm();
    });
    // Escape closes a modal dialog: that is a "Continua" too.
    box.appendChild(h);
    box.appendChild(p);
    box.appendChild(button);
    d.appendChild(box);
    document.body.appendChild(d);
    return d;
  }

  function warn() {
    dialog = dialog || buildDialog();
    let left = countdownSeconds;
    const count = dialog.querySelector(".idle-count");
    count.textContent = String(left);
    dialog.showModal();
    tick = setInterval(function () {
      left -= 1;
      count.textContent = String(left);
      if (left <= 0) {
        clearInterval(tick);
        wipeAndGoHome();
      }
    }, 1000);
  }

  function arm() {
    clearTimeout(timer);
    if (dialog && dialog.open) return;
    timer = setTimeout(warn, idleMs);
  }

  ["pointerdown", "keydown", "input", "wheel", "touchstart", "scroll"].forEach(function (ev) {
    document.addEventListener(ev, arm, { passive: true, capture: true });
  });

  // Armed at once with the defaults, and again with the branch's times when they arrive: a
  // slow or failed /kiosk.json must not leave the kiosk without its reset.
  arm();
  fetch("/kiosk.json", { headers: { Accept: "application/json" } })
    .then(function (r) {
      return r.ok ? r.json() : null;
    })
    .then(function (cfg) {
      if (cfg && cfg.idleSeconds > 0) idleMs = cfg.idleSeconds * 1000;
      if (cfg && cfg.countdownSeconds >= 20) countdownSeconds = cfg.countdownSeconds;
      arm();
    })
    .catch(arm);
})();

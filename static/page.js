// Small behaviours a strict CSP allows only from a file (no inline script):
// - [data-print] buttons print the page (the receipt's "Stampa");
// - the desk's decision form shows only the fields the chosen outcome needs
//   (each field group lists its outcomes in data-outcomes; without script all show);
// - a facet group the citizen opened stays open when htmx swaps in new results;
// - the language switch follows the URL htmx pushes.
(function () {
  "use strict";
  // A form marked data-submit-once sends once per page (a double click on «Conferma e
  // invia»); the server also files one request per confirm page, this spares the request.
  document.addEventListener("submit", function (e) {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-submit-once")) return;
    if (form.hasAttribute("data-sent")) {
      e.preventDefault();
      return;
    }
    form.setAttribute("data-sent", "");
  });

  let openFacets = [];
  document.addEventListener("htmx:beforeSwap", function () {
    openFacets = Array.from(document.querySelectorAll("details[data-facet][open]")).map(
      function (d) {
        return d.getAttribute("data-facet");
      },
    );
  });
  document.addEventListener("htmx:afterSwap", function () {
    for (let i = 0; i < openFacets.length; i++) {
      const d = document.querySelector('details[data-facet="' + openFacets[i] + '"]');
      if (d) d.open = true;
    }
  });

  // The language switch brings the visitor back to this page with its query (the server
  // renders the path only, so a typed query is never echoed in the HTML), and after htmx
  // pushed a new URL (a live search) to that URL.
  function languageLinksHere() {
    const links = document.querySelectorAll("a[data-language-link]");
    for (let i = 0; i < links.length; i++) {
      const url = new URL(links[i].href);
      url.searchParams.set("torna", location.pathname + location.search);
      links[i].href = url.pathname + url.search;
    }
  }
  document.addEventListener("htmx:pushedIntoHistory", languageLinksHere);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", languageLinksHere);
  } else {
    languageLinksHere();
  }

  document.addEventListener("click", function (event) {
    const target = event.target;
    if (target instanceof Element && target.closest("[data-print]")) globalThis.print();
  });

  function showFieldsFor(form) {
    const select = form.querySelector("select[name=outcome]");
    if (!select) return;
    const groups = form.querySelectorAll("[data-outcomes]");
    for (let i = 0; i < groups.length; i++) {
      const wanted = groups[i].getAttribute("data-outcomes").split(" ");
      const hide = wanted.indexOf(select.value) < 0;
      groups[i].hidden = hide;
      // A hidden field is not sent either: a date left from another outcome must not count.
      const fields = groups[i].querySelectorAll("input, select, textarea");
      for (let j = 0; j < fields.length; j++) fields[j].disabled = hide;
    }
  }

  function init() {
    const forms = document.querySelectorAll("form.decision-form");
    for (let i = 0; i < forms.length; i++) {
      const form = forms[i];
      showFieldsFor(form);
      form.addEventListener("change", function (event) {
        if (event.target instanceof Element && event.target.matches("select[name=outcome]")) {
          showFieldsFor(form);
        }
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

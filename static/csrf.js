// htmx requests that change state carry the page's CSRF token as a header, so a button with
// hx-post outside a form is protected like a form with its hidden _csrf field.
document.addEventListener("htmx:configRequest", function (event) {
  "use strict";
  const detail = event.detail;
  if (!detail || detail.verb === "get") return;
  const field = document.querySelector('input[name="_csrf"]');
  if (field && field.value) detail.headers["X-CSRF-Token"] = field.value;
});

/* file_form.js — the child-file form: a field another makes required (a parent working away
 * needs 务工地) is marked as such when that value is chosen, and shown only then (unless it
 * holds a value or an error); the error summary takes the focus after a refused save. */
(function () {
  "use strict";

  function sync(form) {
    var fields = form.querySelectorAll("[data-when]");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      var source = form.elements[field.getAttribute("data-when")];
      if (!source) { continue; }
      var wanted = field.getAttribute("data-when-value");
      var needed = (source.value || "") === wanted;
      field.classList.toggle("needed", needed);
      var input = field.querySelector("input, select, textarea");
      var kept = (input && input.value) || field.classList.contains("error");
      field.hidden = wanted !== "" && !needed && !kept;
    }
  }

  function start() {
    var form = document.querySelector("form.file-form");
    if (!form) { return; }
    sync(form);
    form.addEventListener("change", function () { sync(form); });
    form.addEventListener("input", function () { sync(form); });
    document.body.addEventListener("htmx:afterSettle", function () { sync(form); });
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* guanai.js — small vanilla helpers, no dependencies. Load with <script defer>.
 * - htmx request failures -> a Chinese error message in #messages
 * - data-confirm="…" on a <form>, <button> or <a> asks before going on
 * - button.nav-toggle toggles body.nav-open (phone navigation)
 * - button[data-print] prints the page; select[data-autosubmit] submits its form on change
 * - input[data-check-all="name"] ticks or clears every checkbox called name
 */
(function () {
  "use strict";

  function showMessage(text, level) {
    var box = document.getElementById("messages");
    if (!box) { window.alert(text); return; }
    var old = box.querySelector("[data-js-message]");
    if (old) { old.parentNode.removeChild(old); }
    var item = document.createElement(box.tagName === "UL" || box.tagName === "OL" ? "li" : "div");
    level = level || "error";
    item.className = "message message-" + level + " " + level;
    item.setAttribute("role", "alert");
    item.setAttribute("data-js-message", "");
    item.textContent = text;
    box.appendChild(item);
    if (item.scrollIntoView) { item.scrollIntoView({ block: "nearest" }); }
  }

  document.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail && evt.detail.xhr;
    var status = xhr && xhr.status ? "(错误代码 " + xhr.status + ")" : "";
    showMessage("操作失败,请稍后重试" + status);
  });
  document.addEventListener("htmx:sendError", function () {
    showMessage("操作失败,请稍后重试(网络连接失败)");
  });

  // Confirm dialogs. Capture phase, so a refusal also stops htmx handlers.
  document.addEventListener("click", function (evt) {
    var el = evt.target.closest ? evt.target.closest("[data-confirm]") : null;
    if (!el || el.tagName === "FORM") { return; }
    if (!window.confirm(el.getAttribute("data-confirm"))) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
      return;
    }
    var form = el.type === "submit" ? el.form : null;
    if (form) { // don't ask again in the submit handler
      form.__guanaiConfirmed = true;
      setTimeout(function () { form.__guanaiConfirmed = false; }, 0);
    }
  }, true);

  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm")) { return; }
    if (form.__guanaiConfirmed) { form.__guanaiConfirmed = false; return; }
    if (!window.confirm(form.getAttribute("data-confirm"))) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  // Phone navigation toggle.
  function setNav(open) {
    document.body.classList.toggle("nav-open", open);
    var buttons = document.querySelectorAll("button.nav-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-expanded", open ? "true" : "false");
    }
  }
  document.addEventListener("click", function (evt) {
    var t = evt.target.closest ? evt.target : null;
    if (!t) { return; }
    if (t.closest("button.nav-toggle")) {
      setNav(!document.body.classList.contains("nav-open"));
    } else if (t.closest(".nav a, .mainnav a")) {
      setNav(false);
    }
  });
  document.addEventListener("keydown", function (evt) {
    if (evt.key === "Escape" && document.body.classList.contains("nav-open")) { setNav(false); }
  });
  document.addEventListener("click", function (evt) {
    var el = evt.target.closest ? evt.target.closest("[data-print]") : null;
    if (el) { window.print(); }
  });
  document.addEventListener("change", function (evt) {
    var el = evt.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) { el.form.submit(); }
    var group = el.getAttribute ? el.getAttribute("data-check-all") : null;
    if (group) {
      var boxes = document.querySelectorAll('input[type="checkbox"][name="' + group + '"]');
      for (var i = 0; i < boxes.length; i++) { boxes[i].checked = el.checked; }
    }
  });
})();

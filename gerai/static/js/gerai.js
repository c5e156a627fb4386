// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary, so screen-reader and keyboard users hear the problem first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // A form marked data-once sends once: a double tap on a slow connection does not send it twice
  // (the server would refuse the second anyway; this spares the citizen a confusing page).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) { return; }
    if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (button) {
      button.setAttribute("aria-disabled", "true");
    });
  });
  // Live preview of a letter template: a pause in typing sends the editor to the preview frame
  // (without this script the Preview button does the same).
  var live = document.querySelector("[data-live-preview]");
  if (live && live.form && live.form.requestSubmit) {
    var timer = null;
    var refresh = function () { live.form.requestSubmit(live); };
    live.form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 800);
    });
    refresh();
  }
})();

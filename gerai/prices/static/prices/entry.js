/* The price sheet keeps what was typed on this phone (localStorage) until the server has it, so a dropped
   connection or a closed tab loses nothing. Without JavaScript the form still works: each send saves every
   valid row on the server as a draft. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-key]");
  if (!form || !window.localStorage) { return; }
  var key = form.getAttribute("data-draft-key");
  // every save on the server raises the sheet's version: a copy kept under an older version has been received
  var version = Number(form.getAttribute("data-version") || 0);
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.price-input"));

  function save() {
    var data = {};
    inputs.forEach(function (input) { if (input.value) { data[input.name] = input.value; } });
    try { localStorage.setItem(key, JSON.stringify({ version: version, data: data })); } catch (e) { /* full */ }
  }

  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  var restored = 0;
  if (saved && (saved.version || 0) < version) {
    try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
    saved = null;
  }
  if (saved && saved.data) {
    inputs.forEach(function (input) {
      if (!input.value && saved.data[input.name]) { input.value = saved.data[input.name]; restored += 1; }
    });
  }
  if (restored) {
    var note = document.createElement("p");
    note.className = "panel";
    note.setAttribute("role", "status");
    note.textContent = form.getAttribute("data-draft-note");
    form.insertBefore(note, form.firstChild);
  }
  form.addEventListener("input", save);
})();

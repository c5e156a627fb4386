/* The price sheet keeps what was typed on this phone (localStorage) until the server has it, so a dropped
   connection or a closed tab loses nothing. Without JavaScript the form still works: each send saves every
   valid row on the server as a draft. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-key]");
  if (!form || !window.localStorage) { return; }
  var key = form.getAttribute("data-draft-key");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.price-input"));

  function save() {
    var data = {};
    inputs.forEach(function (input) { if (input.value) { data[input.name] = input.value; } });
    try { localStorage.setItem(key, JSON.stringify({ at: Date.now(), data: data })); } catch (e) { /* full */ }
  }

  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  var restored = 0;
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
  // The server has the rows once it answers; a page that comes back with errors keeps the values in the form.
  var messages = document.querySelector(".message--success");
  if (messages && !restored) { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }
})();

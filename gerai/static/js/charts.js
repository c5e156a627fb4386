/* Charts drawn from the accessible tables beside them (Chart.js, served by the platform itself).
   Without JavaScript the tables stay; with it, each table marked data-chart gets a chart above it. */
(function () {
  "use strict";
  var palette = ["#1d70b8", "#00703c", "#d4351c", "#6f3c97", "#b58840"];
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function number(cell) {
    var value = cell.getAttribute("data-value");
    return value === null || value === "" ? null : Number(value);
  }

  function draw(table) {
    if (!window.Chart) { return; }
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var series = [];
    heads.forEach(function (th, index) {
      if (th.hasAttribute("data-series")) { series.push({ index: index, label: th.textContent.trim() }); }
    });
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    if (!series.length || !rows.length) { return; }
    var labels = rows.map(function (row) { return row.cells[0].textContent.trim(); });
    var datasets = series.map(function (s, i) {
      return {
        label: s.label,
        data: rows.map(function (row) { return number(row.cells[s.index]); }),
        backgroundColor: palette[i % palette.length],
        borderColor: palette[i % palette.length],
        spanGaps: true
      };
    });
    var figure = document.createElement("figure");
    figure.className = "chart";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", table.getAttribute("data-chart-label") || "");
    figure.appendChild(canvas);
    table.parentNode.parentNode.insertBefore(figure, table.parentNode);
    new window.Chart(canvas, {
      type: table.getAttribute("data-chart"),
      data: { labels: labels, datasets: datasets },
      options: {
        animation: still ? false : undefined,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-chart]"), draw);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();

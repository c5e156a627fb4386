// The public report map: progressive enhancement over the list (which works without it).
(function () {
  var box = document.getElementById("report-map");
  var data = document.getElementById("report-points");
  if (!box || !data || !window.L) { return; }
  var points = JSON.parse(data.textContent);
  L.Icon.Default.imagePath = box.getAttribute("data-icon");
  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.getAttribute("data-tiles"), {
    maxZoom: 19,
    attribution: box.getAttribute("data-attribution")
  }).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.marker([p.lat, p.long], { title: p.title, alt: p.title }).addTo(map);
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.title;  // text, never HTML
    marker.bindPopup(link);
    bounds.push([p.lat, p.long]);
  });
  if (bounds.length) { map.fitBounds(bounds, { maxZoom: 15, padding: [24, 24] }); }
  else { map.setView([-2.5, 118], 4); }
})();

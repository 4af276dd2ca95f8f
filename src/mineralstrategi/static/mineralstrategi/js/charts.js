// Line charts from the JSON that the page carries beside its data tables (Chart.js, vendored).
(function () {
  "use strict";
  var PALETTE = ["#08519c", "#d94801", "#238b45", "#6a51a3", "#a50f15", "#525252", "#0570b0", "#cc4c02"];

  function labelsOf(series) {
    var seen = {};
    series.forEach(function (s) { s.points.forEach(function (p) { seen[p[0]] = true; }); });
    return Object.keys(seen).sort();
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart-source"));
    if (!source || typeof window.Chart !== "function") return;
    var data = JSON.parse(source.textContent);
    var labels = labelsOf(data.series);
    var datasets = data.series.map(function (s, i) {
      var byPeriod = {};
      s.points.forEach(function (p) { byPeriod[p[0]] = p[1]; });
      return {
        label: s.name,
        data: labels.map(function (l) { return l in byPeriod ? byPeriod[l] : null; }),
        borderColor: PALETTE[i % PALETTE.length],
        backgroundColor: PALETTE[i % PALETTE.length],
        pointRadius: labels.length > 60 ? 0 : 2,
        borderWidth: 2,
        spanGaps: true
      };
    });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        interaction: { mode: "index", intersect: false },
        scales: { y: { title: { display: true, text: data.unit } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas.line-chart").forEach(draw);
  });
})();

// Line charts from the JSON that the page carries beside its data tables (Chart.js, vendored).
(function () {
  "use strict";
  var PALETTE = ["#08519c", "#d94801", "#238b45", "#6a51a3", "#a50f15", "#525252", "#0570b0", "#cc4c02"];

  function labelsOf(series) {
    var seen = {};
    series.forEach(function (s) { s.points.forEach(function (p) { seen[p[0]] = true; }); });
    return Object.keys(seen).sort();
  }

  // Dashed vertical lines, each with a short label, at the periods where a series changes how it
  // is measured (data.breaks: [{period, label}]); the page says the same in its text and table.
  var BREAK_COLOUR = "#a50f15";
  var methodBreaks = {
    id: "methodBreaks",
    afterDatasetsDraw: function (chart, args, options) {
      var breaks = (options && options.breaks) || [];
      var labels = chart.data.labels;
      var area = chart.chartArea;
      var context = chart.ctx;
      breaks.forEach(function (b, i) {
        var index = labels.indexOf(b.period);
        if (index < 0) return;
        var x = chart.scales.x.getPixelForValue(index);
        context.save();
        context.strokeStyle = BREAK_COLOUR;
        context.lineWidth = 1.5;
        context.setLineDash([6, 4]);
        context.beginPath();
        context.moveTo(x, area.top);
        context.lineTo(x, area.bottom);
        context.stroke();
        context.setLineDash([]);
        context.fillStyle = BREAK_COLOUR;
        context.font = "11px sans-serif";
        context.textAlign = x > area.left + area.width / 2 ? "right" : "left";
        context.fillText(b.label, x + (context.textAlign === "right" ? -4 : 4), area.top + 12 + 13 * (i % 3));
        context.restore();
      });
    }
  };

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
        locale: document.documentElement.lang || "sv", // numbers as the page's language writes them
        interaction: { mode: "index", intersect: false },
        scales: { y: { title: { display: true, text: data.unit } } },
        plugins: { legend: { position: "bottom" }, methodBreaks: { breaks: data.breaks || [] } }
      },
      plugins: [methodBreaks]
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas.line-chart").forEach(draw);
  });
})();

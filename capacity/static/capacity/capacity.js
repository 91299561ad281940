// Capacity (issue 17): draws each metric's daily maximum, average, fitted trend and capacity on
// the CI page from the figures the panel passes with json_script (no inline script under the CSP).
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var node = document.getElementById("capacity-charts");
  var text = document.getElementById("capacity-text");
  if (!node || !text) { return; }
  var charts = JSON.parse(node.textContent);
  function css(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name);
    return (value && value.trim()) || fallback;
  }
  var colours = {max: css("--bs-primary", "#0d6efd"), avg: css("--bs-info", "#0dcaf0"),
    trend: css("--bs-warning", "#ffc107"), capacity: css("--bs-danger", "#dc3545")};
  charts.forEach(function (chart) {
    var canvas = document.querySelector('canvas[data-capacity-chart="' + chart.id + '"]');
    if (!canvas) { return; }
    var line = function (label, data, colour, extra) {
      return Object.assign({label: label, data: data, borderColor: colour, backgroundColor: colour,
        pointRadius: 0, borderWidth: 1.5, spanGaps: true}, extra || {});
    };
    var datasets = [line(text.dataset.max, chart.max, colours.max), line(text.dataset.avg, chart.avg, colours.avg)];
    if (chart.trend.some(function (v) { return v !== null; })) {
      datasets.push(line(text.dataset.trend, chart.trend, colours.trend, {borderDash: [6, 4]}));
    }
    if (chart.capacity !== null) {
      datasets.push(line(text.dataset.capacity, chart.labels.map(function () { return chart.capacity; }),
        colours.capacity, {borderDash: [2, 2]}));
    }
    canvas.dataset.drawn = "true";
    new window.Chart(canvas, {
      type: "line",
      data: {labels: chart.labels, datasets: datasets},
      options: {responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {legend: {position: "bottom"}},
        scales: {x: {ticks: {maxTicksLimit: 8}}, y: {beginAtZero: true,
          title: {display: !!chart.unit, text: chart.unit}}}},
    });
  });
}());

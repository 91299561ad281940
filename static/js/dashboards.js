// Dashboards (issue 16): draws the charts from the figures the page passes with json_script.
// No inline script (the Content-Security-Policy refuses it); a click on a bar or point opens
// the list behind it, the same link as the table under the chart.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var Chart = window.Chart;

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function css(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name);
    return (value && value.trim()) || fallback;
  }
  var palette = [css("--bs-primary", "#0d6efd"), css("--bs-danger", "#dc3545"), css("--bs-success", "#198754"),
    css("--bs-warning", "#ffc107"), css("--bs-info", "#0dcaf0"), css("--bs-secondary", "#6c757d")];

  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

  // Clicking a bar or point follows that dataset's link for that month (urls[datasetIndex][index]).
  function linked(urls) {
    return function (event, elements) {
      if (!elements.length) { return; }
      var element = elements[0];
      var list = urls[element.datasetIndex] || [];
      var url = list[element.index];
      if (url) { window.location.assign(url); }
    };
  }
  function draw(canvas, type, labels, datasets, urls, options) {
    if (!canvas) { return null; }
    datasets.forEach(function (set, i) {
      var colour = set.colour || palette[i % palette.length];
      set.backgroundColor = set.backgroundColor || colour;
      set.borderColor = set.borderColor || colour;
      delete set.colour;
    });
    var config = {
      type: type,
      data: {labels: labels, datasets: datasets},
      options: Object.assign({
        responsive: true,
        onClick: linked(urls || []),
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        plugins: {legend: {display: datasets.length > 1, position: "bottom"}},
        scales: {x: {beginAtZero: true, ticks: {precision: 0}}, y: {beginAtZero: true, ticks: {precision: 0}}},
      }, options || {}),
    };
    canvas.dataset.drawn = "true";
    return new Chart(canvas, config);
  }
  function canvas(name, team) {
    var selector = 'canvas[data-chart="' + name + '"]' + (team ? '[data-team="' + team + '"]' : "");
    return document.querySelector(selector);
  }
  var text = read("dash-text") || {};
  var label = function (name) { return text[name] || name; };

  var agent = read("dash-agent-data");
  if (agent) {
    draw(canvas("agent-priority"), "bar", agent.labels,
      [{label: "", data: agent.values}], [agent.urls], {indexAxis: "y"});
  }

  var lead = read("dash-lead-data");
  (lead || []).forEach(function (team) {
    draw(canvas("lead-age", team.id), "bar", team.labels, [{label: "", data: team.values}], [team.urls]);
    draw(canvas("lead-workload", team.id), "bar", team.people, [
      {label: label("incidents"), data: team.incidents},
      {label: label("tasks"), data: team.tasks},
    ], [team.incident_urls, team.task_urls], {indexAxis: "y", scales: {x: {stacked: true, beginAtZero: true,
      ticks: {precision: 0}}, y: {stacked: true}}});
  });

  var manager = read("dash-manager-data");
  if (manager) {
    draw(canvas("manager-volumes"), "bar", manager.months, [
      {label: label("incidents"), data: manager.incidents},
      {label: label("requests"), data: manager.requests},
    ], [manager.incident_urls, manager.request_urls]);
    draw(canvas("manager-backlog"), "line", manager.months,
      [{label: label("backlog"), data: manager.backlog, tension: 0.2}], [manager.backlog_urls],
      {plugins: {legend: {display: false}}});
    draw(canvas("manager-mttr"), "line", manager.months, [
      {label: label("mttr"), data: manager.mttr, yAxisID: "y", spanGaps: true},
      {label: label("fcr"), data: manager.fcr, yAxisID: "y1", spanGaps: true},
    ], [manager.mttr_urls, manager.fcr_urls], {scales: {
      y: {beginAtZero: true, position: "left"},
      y1: {beginAtZero: true, max: 100, position: "right", grid: {drawOnChartArea: false}},
    }});
    draw(canvas("manager-changes"), "line", manager.months, [
      {label: label("success"), data: manager.change_success, spanGaps: true, colour: palette[2]},
      {label: label("emergency"), data: manager.emergency, spanGaps: true, colour: palette[1]},
    ], [manager.change_urls, manager.change_urls], {scales: {y: {beginAtZero: true, max: 100}}});
    draw(canvas("manager-sla"), "bar", manager.sla_names, [
      {label: manager.months[manager.months.length - 2], data: manager.sla_last, colour: palette[5]},
      {label: manager.months[manager.months.length - 1], data: manager.sla_this, colour: palette[0]},
    ], [[], manager.sla_urls], {indexAxis: "y", scales: {x: {beginAtZero: true, max: 100}}});
  }
}());

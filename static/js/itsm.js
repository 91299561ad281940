// Live SLA countdowns: any element with data-due="ISO instant" shows the time left.
(function () {
  // The units come from <html data-unit-*> in the page's language ("{n}d" in English, "{n}일" in Korean).
  const units = document.documentElement.dataset;
  function unit(name, n, fallback) {
    return (units[name] || fallback).replace("{n}", n);
  }
  function span(ms) {
    const d = Math.floor(ms / 86400000), h = Math.floor((ms % 86400000) / 3600000),
      m = Math.floor((ms % 3600000) / 60000);
    if (d) return unit("unitDays", d, "{n}d") + " " + unit("unitHours", h, "{n}h");
    return (h ? unit("unitHours", h, "{n}h") + " " : "") + unit("unitMinutes", m, "{n}m");
  }
  // Past the due instant the sweep has not marked yet: "7m overdue", not a countdown below zero.
  function format(ms) {
    return ms < 0 ? (units.overdue || "{t} overdue").replace("{t}", span(-ms)) : span(ms);
  }
  function tick() {
    const now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      if (el.dataset.paused === "true") return;
      const due = Date.parse(el.dataset.due);
      if (!isNaN(due)) el.textContent = format(due - now);
    });
  }
  document.addEventListener("htmx:afterSettle", tick);
  document.addEventListener("DOMContentLoaded", tick);
  setInterval(tick, 30000);
})();

// Behaviour that used to sit in inline handlers (onclick=, onchange=, style=), which the
// Content-Security-Policy refuses: declared with data attributes, wired here once.
(function () {
  document.addEventListener("change", function (event) {
    const el = event.target;
    if (el.matches("[data-autosubmit]") && el.form) el.form.submit();
  });
  document.addEventListener("click", function (event) {
    const fill = event.target.closest("[data-fill]");
    if (fill) {
      const target = document.querySelector(fill.dataset.fill);
      if (target) target.value = fill.dataset.fillValue;
    }
    if (event.target.closest("[data-print]")) window.print();
  });
  // A width set through the CSS object model is not an inline style attribute: CSP allows it.
  function progress() {
    document.querySelectorAll("[data-progress]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, Number(el.dataset.progress) || 0)) + "%";
    });
  }
  document.addEventListener("htmx:afterSettle", progress);
  document.addEventListener("DOMContentLoaded", progress);
})();

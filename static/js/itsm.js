// Live SLA countdowns: any element with data-due="ISO instant" shows the time left.
(function () {
  function format(ms) {
    const sign = ms < 0 ? "-" : "";
    ms = Math.abs(ms);
    const d = Math.floor(ms / 86400000), h = Math.floor((ms % 86400000) / 3600000),
      m = Math.floor((ms % 3600000) / 60000);
    if (d) return sign + d + "d " + h + "h";
    return sign + (h ? h + "h " : "") + m + "m";
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

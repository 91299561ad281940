// On a phone the queue tabs scroll sideways: bring the open queue's tab into view.
(function () {
  function showActiveTab() {
    document.querySelectorAll(".queue-tabs").forEach(function (tabs) {
      var active = tabs.querySelector(".nav-link.active");
      if (active && tabs.scrollWidth > tabs.clientWidth) {
        tabs.scrollLeft = active.offsetLeft - (tabs.clientWidth - active.offsetWidth) / 2;
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showActiveTab);
  } else {
    showActiveTab();
  }
})();

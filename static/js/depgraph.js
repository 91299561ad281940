/* Pan and zoom for the dependency picture (cmdb/partials/_graph.html).
 *
 * The SVG is drawn at its natural size (labels 12-13 px) inside a scrolling viewport, so it is
 * never squeezed: panning is scrolling (drag with the mouse, swipe on touch screens), zooming
 * resizes the SVG (its viewBox stays) and keeps the point under the pointer in place. The
 * wheel zooms with Ctrl held (and on trackpad pinches, which arrive as Ctrl + wheel); on the
 * full-screen page, or in browser full screen, the plain wheel zooms too.
 */
(function () {
  "use strict";
  // The change page's fragment brings this script along each time htmx loads it.
  if (window.depgraphLoaded) return;
  window.depgraphLoaded = true;

  var MIN = 0.25, MAX = 3, STEP = 1.25;

  function init(root) {
    if (root.dataset.depgraphReady) return;
    root.dataset.depgraphReady = "1";
    var viewport = root.querySelector("[data-depgraph-viewport]");
    var svg = viewport && viewport.querySelector("svg");
    if (!svg) return;
    var width = parseFloat(svg.dataset.width), height = parseFloat(svg.dataset.height);
    var scaleText = root.querySelector("[data-depgraph-scale]");
    var scale = 1;

    function apply(next, anchorX, anchorY) {
      next = Math.min(MAX, Math.max(MIN, next));
      if (anchorX === undefined) {
        anchorX = viewport.clientWidth / 2;
        anchorY = viewport.clientHeight / 2;
      }
      // The drawing point under the anchor before the change stays under it afterwards.
      var px = (viewport.scrollLeft + anchorX) / scale, py = (viewport.scrollTop + anchorY) / scale;
      scale = next;
      svg.setAttribute("width", String(width * scale));
      svg.setAttribute("height", String(height * scale));
      viewport.scrollLeft = px * scale - anchorX;
      viewport.scrollTop = py * scale - anchorY;
      root.dataset.scale = scale.toFixed(3);
      if (scaleText) scaleText.textContent = Math.round(scale * 100) + "%";
    }

    // Where the picture opens: on the CI of the page, or (a change) at the top, where the
    // business services its CIs hold up are drawn.
    function home() {
      var focus = svg.querySelector(".depgraph-focus rect");
      if (root.dataset.depgraphStart === "top" || !focus) {
        viewport.scrollLeft = (width * scale - viewport.clientWidth) / 2;
        viewport.scrollTop = 0;
        return;
      }
      var x = parseFloat(focus.getAttribute("x")) + parseFloat(focus.getAttribute("width")) / 2;
      var y = parseFloat(focus.getAttribute("y"));
      viewport.scrollLeft = x * scale - viewport.clientWidth / 2;
      viewport.scrollTop = Math.max(0, y * scale - viewport.clientHeight / 3);
    }

    root.addEventListener("click", function (event) {
      var button = event.target.closest("[data-depgraph-zoom]");
      if (!button) return;
      var how = button.dataset.depgraphZoom;
      if (how === "in") apply(scale * STEP);
      else if (how === "out") apply(scale / STEP);
      else { apply(1); home(); }
    });

    viewport.addEventListener("keydown", function (event) {
      if (event.key === "+" || event.key === "=") { apply(scale * STEP); event.preventDefault(); }
      else if (event.key === "-") { apply(scale / STEP); event.preventDefault(); }
      else if (event.key === "0") { apply(1); home(); event.preventDefault(); }
    });

    viewport.addEventListener("wheel", function (event) {
      var free = root.hasAttribute("data-depgraph-wheel") || document.fullscreenElement === root;
      if (!event.ctrlKey && !free) return;  // let the page scroll past the picture
      event.preventDefault();
      var box = viewport.getBoundingClientRect();
      var factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.002));
      apply(scale * factor, event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });

    // Mouse drag pans; a drag that moved does not also follow the link it started on.
    var drag = null, moved = false;
    viewport.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "mouse" || event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, left: viewport.scrollLeft, top: viewport.scrollTop };
      moved = false;
    });
    window.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      moved = true;
      root.classList.add("depgraph-dragging");
      viewport.scrollLeft = drag.left - dx;
      viewport.scrollTop = drag.top - dy;
    });
    window.addEventListener("pointerup", function () {
      drag = null;
      root.classList.remove("depgraph-dragging");
    });
    viewport.addEventListener("click", function (event) {
      if (moved) { event.preventDefault(); moved = false; }
    }, true);

    // Two fingers pinch-zoom; one finger scrolls natively (touch-action in itsm.css).
    var touches = {}, pinch = null;
    function spread() {
      var points = Object.keys(touches).map(function (id) { return touches[id]; });
      if (points.length < 2) return null;
      var a = points[0], b = points[1], box = viewport.getBoundingClientRect();
      return { d: Math.hypot(a.x - b.x, a.y - b.y), x: (a.x + b.x) / 2 - box.left, y: (a.y + b.y) / 2 - box.top };
    }
    viewport.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "touch") return;
      touches[event.pointerId] = { x: event.clientX, y: event.clientY };
      var now = spread();
      if (now) pinch = { d: now.d, scale: scale };
    });
    viewport.addEventListener("pointermove", function (event) {
      if (!touches[event.pointerId]) return;
      touches[event.pointerId] = { x: event.clientX, y: event.clientY };
      var now = spread();
      if (pinch && now && pinch.d > 0) apply(pinch.scale * now.d / pinch.d, now.x, now.y);
    });
    function lift(event) {
      delete touches[event.pointerId];
      if (!spread()) pinch = null;
    }
    viewport.addEventListener("pointerup", lift);
    viewport.addEventListener("pointercancel", lift);

    var full = root.querySelector("[data-depgraph-fullscreen]");
    if (full && document.fullscreenEnabled && root.requestFullscreen) {
      full.classList.remove("d-none");
      full.addEventListener("click", function () {
        if (document.fullscreenElement === root) document.exitFullscreen();
        else root.requestFullscreen();
      });
      document.addEventListener("fullscreenchange", function () {
        full.textContent = document.fullscreenElement === root ? full.dataset.labelExit : full.dataset.labelEnter;
      });
    }

    home();
  }

  function initAll(scope) {
    var roots = (scope || document).querySelectorAll("[data-depgraph]");
    for (var i = 0; i < roots.length; i++) init(roots[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { initAll(); });
  else initAll();
  // The change page loads its picture with htmx after the page.
  document.addEventListener("htmx:load", function (event) { initAll(event.target.parentNode || document); });
})();

// "Insert link" in a ticket page's Related articles panel: puts the article's title and portal
// link into the comment box at the cursor (the panel is loaded by htmx, so listen on document).
(function () {
  if (window.kbPanelReady) return;
  window.kbPanelReady = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-kb-insert]");
    if (!button) return;
    var box = document.querySelector('[data-testid="comment-form"] textarea[name="body"]');
    if (!box) return;
    var text = button.getAttribute("data-kb-title") + ": " + button.getAttribute("data-kb-insert");
    var start = box.selectionStart || 0, end = box.selectionEnd || 0;
    var before = box.value.slice(0, start), after = box.value.slice(end);
    var gap = before && !/\s$/.test(before) ? " " : "";
    box.value = before + gap + text + after;
    var caret = (before + gap + text).length;
    box.focus();
    box.setSelectionRange(caret, caret);
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();

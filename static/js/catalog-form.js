/* Catalog request forms (catalog.formschema): a question with "shown only when" conditions is
 * shown only while its controlling question has one of the values. A hidden question's inputs
 * are disabled, so the browser does not send them (the server refuses answers to hidden
 * questions). One set of listeners on the document serves every form, including those htmx
 * swaps in (the editor's live preview); the template includes this file once per form. */
(function () {
  "use strict";
  if (window.itsmCatalogForm) { return; }
  window.itsmCatalogForm = true;

  function valuesOf(scope, name) {
    var found = [];
    scope.querySelectorAll("[name]").forEach(function (input) {
      if (input.name !== name || input.disabled) { return; }
      if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked) { found.push(input.value); }
      } else if (input.tagName === "SELECT") {
        Array.prototype.forEach.call(input.selectedOptions, function (option) { found.push(option.value); });
      } else if (input.value.trim() !== "") {
        found.push(input.value.trim());
      }
    });
    return found;
  }

  function wanted(wrapper) {
    try { return JSON.parse(wrapper.getAttribute("data-show-if-values")) || []; } catch (e) { return []; }
  }

  function setShown(wrapper, shown) {
    wrapper.hidden = !shown;
    wrapper.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !shown; });
  }

  /* Repeated until nothing changes: hiding a question hides the questions shown only through it. */
  function update(form) {
    var wrappers = form.querySelectorAll(".catalog-field[data-show-if-field]");
    for (var pass = 0; pass <= wrappers.length; pass++) {
      var changed = false;
      wrappers.forEach(function (wrapper) {
        var controller = form.querySelector('.catalog-field[data-catalog-field="' +
          CSS.escape(wrapper.getAttribute("data-show-if-field")) + '"]');
        var shown = !!controller && !controller.hidden && valuesOf(form, wrapper.getAttribute("data-show-if-field"))
          .some(function (value) { return wanted(wrapper).indexOf(value) !== -1; });
        if (shown === wrapper.hidden) { setShown(wrapper, shown); changed = true; }
      });
      if (!changed) { break; }
    }
  }

  function updateAll(root) {
    (root || document).querySelectorAll("[data-catalog-form]").forEach(update);
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("[data-catalog-form]");
    if (form) { update(form); }
  });
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("[data-catalog-form]");
    if (form) { update(form); }
  });
  document.addEventListener("htmx:afterSwap", function (event) { updateAll(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { updateAll(); });
  } else {
    updateAll();
  }
})();

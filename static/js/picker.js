/* Pickers (core.pickers): a text box that suggests records as a listbox and, on a pick, shows
 * the record's label while a hidden input carries its id. One set of listeners on the document
 * serves every picker, including those htmx swaps in later. The widget includes this file once
 * per picker, hence the guard. */
(function () {
  "use strict";
  if (window.itsmPicker) { return; }
  window.itsmPicker = true;

  var DELAY = 200;
  var timers = new WeakMap();
  var requests = new WeakMap();

  function isPicker(el) { return el && el.matches && el.matches("input[data-picker-url]"); }
  function listOf(input) { return document.getElementById(input.getAttribute("aria-controls")); }
  function hiddenOf(input) {
    var id = input.getAttribute("data-picker-target");
    return id ? document.getElementById(id) : null;
  }
  function multiple(input) { return input.hasAttribute("data-picker-multiple"); }

  /* With `multiple`, the text after the last comma is what is being typed. */
  function currentText(input) {
    var value = input.value;
    if (multiple(input)) { value = value.slice(value.lastIndexOf(",") + 1); }
    return value.trim();
  }

  function options(list) { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }

  function close(input) {
    var list = listOf(input);
    if (!list) { return; }
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function setActive(input, index) {
    var list = listOf(input);
    var items = options(list);
    if (!items.length) { return; }
    index = (index + items.length) % items.length;
    items.forEach(function (item, i) {
      var on = i === index;
      item.classList.toggle("active", on);
      item.setAttribute("aria-selected", on ? "true" : "false");
      if (on) {
        input.setAttribute("aria-activedescendant", item.id);
        item.scrollIntoView({ block: "nearest" });
      }
    });
  }

  function activeIndex(input) {
    var list = listOf(input);
    return options(list).findIndex(function (item) { return item.classList.contains("active"); });
  }

  function pick(input, item) {
    var label = item.getAttribute("data-label");
    if (multiple(input)) {
      var value = input.value;
      var head = value.slice(0, value.lastIndexOf(",") + 1);
      input.value = (head ? head.trim() + " " : "") + label + ", ";
    } else {
      input.value = label;
      input.setAttribute("data-picked", label);
      var hidden = hiddenOf(input);
      if (hidden) {
        hidden.value = item.getAttribute("data-id");
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    close(input);
    input.focus();
  }

  function render(input, results) {
    var list = listOf(input);
    list.replaceChildren();
    results.forEach(function (result, i) {
      var item = document.createElement("li");
      item.id = list.id + "-" + i;
      item.className = "list-group-item list-group-item-action picker-option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.setAttribute("data-id", result.id);
      item.setAttribute("data-label", result.label);
      var label = document.createElement("span");
      label.textContent = result.label;
      item.appendChild(label);
      if (result.detail) {
        var detail = document.createElement("small");
        detail.className = "text-body-secondary ms-2";
        detail.textContent = result.detail;
        item.appendChild(detail);
      }
      list.appendChild(item);
    });
    if (!results.length) {
      var empty = document.createElement("li");
      empty.className = "list-group-item text-body-secondary small";
      empty.textContent = input.getAttribute("data-picker-empty") || "";
      list.appendChild(empty);
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function lookup(input) {
    var text = currentText(input);
    if (!text) { close(input); return; }
    var previous = requests.get(input);
    if (previous) { previous.abort(); }
    var controller = new AbortController();
    requests.set(input, controller);
    var url = input.getAttribute("data-picker-url") + "?q=" + encodeURIComponent(text);
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", signal: controller.signal })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (document.activeElement === input && currentText(input) === text) { render(input, data.results || []); }
      })
      .catch(function () { /* aborted by a newer keystroke, or offline: no suggestions */ });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!isPicker(input)) { return; }
    var hidden = hiddenOf(input);
    // Edited after a pick: the id no longer says what the box says; the server resolves the text.
    if (hidden && hidden.value && input.value !== input.getAttribute("data-picked")) {
      hidden.value = "";
      input.removeAttribute("data-picked");
    }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { lookup(input); }, DELAY));
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!isPicker(input)) { return; }
    var list = listOf(input);
    var open = list && !list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) { lookup(input); return; }
      var index = activeIndex(input);
      setActive(input, event.key === "ArrowDown" ? index + 1 : (index < 0 ? -1 : index - 1));
    } else if (event.key === "Enter" && open) {
      var active = options(list)[activeIndex(input)];
      if (active) {
        event.preventDefault();  // a pick, not a submit
        pick(input, active);
      }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close(input);
    }
  });

  // mousedown, not click: the box must not lose focus (and close the list) before the pick.
  document.addEventListener("mousedown", function (event) {
    var item = event.target.closest && event.target.closest(".picker-list [role=option]");
    if (!item) { return; }
    event.preventDefault();
    var input = document.querySelector("input[aria-controls='" + item.parentElement.id + "']");
    if (input) { pick(input, item); }
  });

  document.addEventListener("focusout", function (event) {
    if (isPicker(event.target)) { close(event.target); }
  });

  // Set on load so that a label the server rendered counts as picked.
  function mark(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("input[data-picker-url]").forEach(function (input) {
      var hidden = hiddenOf(input);
      if (hidden && hidden.value) { input.setAttribute("data-picked", input.value); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { mark(document); });
  } else {
    mark(document);
  }
  document.addEventListener("htmx:load", function (event) { mark(event.target); });
})();

/* Autocomplete for search boxes: <input data-suggest-url="…"> becomes an ARIA 1.2 combobox
   with a listbox of page titles, each with its type
   (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).
   Progressive enhancement: without this script the box is a plain search box in a GET form.
   Keys: Down/Up move through the suggestions (Down opens the list), Enter opens the page of
   the suggestion chosen (or submits the search when none is), Escape closes the list.
   The words it shows come from the page, in its language, from Django's translations: the
   JSON of a data-suggest-messages attribute, the box's own or else the first on the page
   (the header's, base.html), {label, none, counts: {"1": "1 suggestion", …},
   types: {practice: "Practice", …}}. Without it a box stays a plain search box. */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY_MS = 200;
  var counter = 0;

  function readMessages(input) {
    var element = input.hasAttribute("data-suggest-messages")
      ? input
      : document.querySelector("[data-suggest-messages]");
    if (!element) return null;
    try {
      var messages = JSON.parse(element.getAttribute("data-suggest-messages"));
      return messages && messages.counts && messages.types ? messages : null;
    } catch (error) {
      return null;
    }
  }

  function countMessage(text, count) {
    return count ? text.counts[String(count)] || String(count) : text.none;
  }

  function style(element, properties) {
    Object.keys(properties).forEach(function (name) {
      element.style.setProperty(name, properties[name]);
    });
  }

  function enhance(input, text) {
    if (input.hasAttribute("data-suggest-ready")) return;
    input.setAttribute("data-suggest-ready", "");
    var id = "suggest-" + (++counter);
    var listbox = document.createElement("ul");
    var status = document.createElement("span");
    var items = [];
    var active = -1;
    var timer = null;
    var request = null;
    var lastQuery = null;

    listbox.id = id + "-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", text.label);
    listbox.hidden = true;
    style(listbox, {
      position: "absolute", top: "100%", left: "0", right: "0", "z-index": "20",
      margin: "0.2rem 0 0", padding: "0", "list-style": "none", background: "#fff",
      color: "var(--ink, #1d2430)", border: "2px solid var(--ink-soft, #4a5365)",
      "border-radius": "var(--radius, 6px)", "max-height": "20rem", "overflow-y": "auto",
      "box-shadow": "0 4px 12px rgba(0, 0, 0, 0.2)", "max-width": "none"
    });
    status.className = "visually-hidden";
    status.setAttribute("role", "status");

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.parentNode.insertBefore(listbox, input.nextSibling);
    input.parentNode.insertBefore(status, listbox.nextSibling);

    function open() {
      if (!items.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function setActive(index) {
      var options = listbox.children;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "false");
        style(options[active], { background: "#fff", color: "var(--ink, #1d2430)" });
      }
      active = index;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        style(options[active], { background: "var(--brand, #0b4f71)", color: "#fff" });
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(results) {
      items = results;
      listbox.textContent = "";
      results.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = id + "-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        style(option, {
          display: "flex", "flex-wrap": "wrap", "align-items": "baseline",
          "justify-content": "space-between", gap: "0.2rem 0.75rem",
          padding: "0.45rem 0.6rem", cursor: "pointer", "max-width": "none"
        });
        var title = document.createElement("span");
        title.textContent = item.title;
        option.appendChild(title);
        var label = text.types[item.type];
        if (label) {
          // Seen as the title and a small tag; read as "Living library, Practice" (named
          // outright: a name computed from the boxes of a flex row gets "title , type").
          option.setAttribute("aria-label", item.title + ", " + label);
          var kind = document.createElement("span");
          kind.textContent = label;
          style(kind, {
            "font-size": "0.8rem", "white-space": "nowrap", border: "1px solid currentColor",
            "border-radius": "999px", padding: "0 0.45rem", "max-width": "none"
          });
          option.appendChild(document.createTextNode(" "));
          option.appendChild(kind);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
        });
        option.addEventListener("click", function () {
          choose(index);
        });
        listbox.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = countMessage(text, results.length);
    }

    function choose(index) {
      var item = items[index];
      if (item && item.url) window.location.assign(item.url);
    }

    function fetchSuggestions(then) {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        items = [];
        lastQuery = null;
        listbox.textContent = "";
        status.textContent = "";
        close();
        return;
      }
      if (query === lastQuery) {
        if (then) then();
        return;
      }
      if (request) request.abort();
      request = new AbortController();
      var url = input.getAttribute("data-suggest-url") + "?" + new URLSearchParams({
        q: query, lang: document.documentElement.lang || "en"
      });
      fetch(url, { signal: request.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (results) {
          if (input.value.trim() !== query) return;
          lastQuery = query;
          render(Array.isArray(results) ? results : []);
          if (items.length && document.activeElement === input) open(); else close();
          if (then) then();
        })
        .catch(function () { /* aborted or offline: the search box still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var expanded = !listbox.hidden;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!expanded) {
            fetchSuggestions(function () { open(); if (items.length) setActive(0); });
          } else {
            setActive(active + 1 < items.length ? active + 1 : 0);
          }
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!expanded) {
            fetchSuggestions(function () { open(); if (items.length) setActive(items.length - 1); });
          } else {
            setActive(active > 0 ? active - 1 : items.length - 1);
          }
          break;
        case "Enter":
          if (expanded && active >= 0) {
            event.preventDefault();
            choose(active);
          }
          break;
        case "Escape":
          if (expanded) {
            event.preventDefault();
            close();
          }
          break;
        case "Tab":
          close();
          break;
      }
    });

    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
  }

  function start() {
    if (!window.fetch || !window.URLSearchParams || !window.AbortController) return;
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    Array.prototype.forEach.call(inputs, function (input) {
      var text = readMessages(input);
      if (text) enhance(input, text);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

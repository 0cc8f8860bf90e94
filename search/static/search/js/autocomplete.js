/* Autocomplete for search boxes: <input data-suggest-url="…"> becomes an ARIA 1.2 combobox
   with a listbox of page titles (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).
   Progressive enhancement: without this script the box is a plain search box in a GET form.
   Keys: Down/Up move through the suggestions (Down opens the list), Enter opens the page of
   the suggestion chosen (or submits the search when none is), Escape closes the list. */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY_MS = 200;
  var counter = 0;

  var MESSAGES = {
    en: ["Suggestions", "%n suggestion", "%n suggestions", "No suggestions"],
    lv: ["Ieteikumi", "%n ieteikums", "%n ieteikumi", "Nav ieteikumu"],
    fi: ["Ehdotukset", "%n ehdotus", "%n ehdotusta", "Ei ehdotuksia"],
    et: ["Soovitused", "%n soovitus", "%n soovitust", "Soovitusi pole"],
    da: ["Forslag", "%n forslag", "%n forslag", "Ingen forslag"],
    sv: ["Förslag", "%n förslag", "%n förslag", "Inga förslag"]
  };

  function messages() {
    return MESSAGES[document.documentElement.lang] || MESSAGES.en;
  }

  function style(element, properties) {
    Object.keys(properties).forEach(function (name) {
      element.style.setProperty(name, properties[name]);
    });
  }

  function enhance(input) {
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
    listbox.setAttribute("aria-label", messages()[0]);
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
      var text = messages();
      items = results;
      listbox.textContent = "";
      results.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = id + "-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item.title;
        style(option, { padding: "0.45rem 0.6rem", cursor: "pointer", "max-width": "none" });
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
      status.textContent = results.length
        ? text[results.length === 1 ? 1 : 2].replace("%n", results.length)
        : text[3];
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
    Array.prototype.forEach.call(inputs, enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

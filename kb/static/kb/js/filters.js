// Progressive enhancement for the index pages' filter forms: leave the "any" choices out of
// the query string, so that a filtered list has a short address worth sharing. The forms
// work the same without this script.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains("facets")) return;
  for (const field of form.querySelectorAll("select, input[type=hidden]")) {
    if (field.value === "") field.disabled = true;
  }
});
// Coming back with the browser's back button restores a disabled field; enable it again.
window.addEventListener("pageshow", () => {
  for (const field of document.querySelectorAll("form.facets [disabled]")) field.disabled = false;
});

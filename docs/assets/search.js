// Search boxes of the site, loaded on first use. This is all that comes with every page: the
// interface (assets/search-ui.js) and the engine (assets/search-engine.js, Pagefind in a web
// worker) start, side by side, only when a reader focuses or taps a search box, presses "/" (the
// header box's shortcut), or opens a catalog URL that already holds a search (?q=…&country=…).
// Without JavaScript the boxes stay hidden and the static listings remain.
(() => {
  "use strict";
  const here = document.currentScript.src;
  const boxes = document.querySelectorAll("[data-catalog-header-search], [data-catalog-search]");
  let loading = null;

  function load() {
    if (loading) return;
    // The engine starts at the same time as the interface, not after it; without a worker,
    // search-ui.js runs it on this thread.
    let worker = null;
    try {
      worker = new Worker(new URL("search-engine.js", here), { type: "module" });
    } catch {}
    loading = import(new URL("search-ui.js", here).href).then((ui) => ui.start(worker));
    loading.catch(() => {
      worker?.terminate();
      loading = null;
      document.documentElement.classList.remove("catalog-search-busy"); // the static list, then
    });
  }

  for (const box of boxes) {
    box.addEventListener("focusin", load);
    box.addEventListener("pointerdown", load);
  }
  document.getElementById("__search")?.addEventListener("change", load); // the magnifier on phones

  // "/" opens the header search, as on other Material sites, unless the reader is typing somewhere.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target.isContentEditable || target.closest?.("input, textarea, select")) return;
    const input = document.querySelector("[data-catalog-header-search] .md-search__input");
    if (!input) return;
    event.preventDefault();
    const toggle = document.getElementById("__search");
    if (toggle) toggle.checked = true; // on phones the box is folded until opened
    input.focus();
  });

  // The Filters button of the catalog on phones works from the first tap: that tap is also what
  // loads the interface, which would arrive too late to hear its click.
  document.querySelector("[data-catalog-toggle]")?.addEventListener("click", (event) => {
    const button = event.currentTarget;
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    document.getElementById(button.getAttribute("aria-controls"))?.classList.toggle("is-open", open);
  });

  // The catalog's search frame is in the HTML; a URL that holds a search is restored at once.
  const catalog = document.querySelector("[data-catalog-search]");
  if (catalog && /[?&][^=&]+=[^&]/.test(window.location.search)) load();
})();

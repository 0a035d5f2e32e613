// Search boxes of the site, loaded on first use. This is all that comes with every page: the
// interface (assets/search-ui.js) and the Pagefind engine are imported, side by side, only when a
// reader focuses or taps a search box, or opens a catalog URL that already holds a search
// (?q=…&country=…). Without JavaScript the boxes stay hidden and the static listings remain.
(() => {
  "use strict";
  const here = document.currentScript.src;
  const boxes = document.querySelectorAll("[data-catalog-header-search], [data-catalog-search]");
  let loading = null;

  function load() {
    if (loading) return;
    // The engine is fetched at the same time as the interface, not after it (search-ui.js
    // imports the same module); its failure is the interface's to report.
    import(new URL("../pagefind/pagefind.js", here).href).catch(() => {});
    loading = import(new URL("search-ui.js", here).href).then((ui) => ui.start());
    loading.catch(() => { loading = null; });
  }

  for (const box of boxes) {
    box.addEventListener("focusin", load);
    box.addEventListener("pointerdown", load);
  }
  document.getElementById("__search")?.addEventListener("change", load); // the magnifier on phones
  const catalog = document.querySelector("[data-catalog-search]");
  if (catalog) {
    catalog.hidden = false;
    const state = new URLSearchParams(window.location.search);
    const facets = (document.querySelector("[data-catalog-facets]")?.dataset.catalogFacets || "").split(" ");
    if (["q", "from", "to", ...facets].some((name) => name && state.get(name))) load();
  }
})();

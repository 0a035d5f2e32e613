// The search interface (an ES module that assets/search.js imports on first use): the box in the
// header of every page, and the search with filters of the catalog page. catalog/search.py builds
// the index (one per language, chosen by <html lang>); the markup is in
// overrides/partials/search.html and catalog/templates/catalog_search.html.
//
// The Pagefind engine, the index chunks and the interface strings (assets/search-strings.json,
// from catalog/data/ui.yml) are fetched when the reader starts searching, the filter counts only
// when a filter is opened or used. The catalog's search lives in the URL
// (?q=…&country=pan&theme=…&from=2019): shareable, and the back button works. URL values are
// language-neutral codes, so the language switch keeps them.

const root = new URL("../", import.meta.url); // this file is assets/search-ui.js
const language = document.documentElement.lang;
// The catalog's filter names, from the page (catalog.paths.FACETS through overrides/partials/search.html).
const FACETS = (document.querySelector("[data-catalog-facets]")?.dataset.catalogFacets || "").split(" ").filter(Boolean);
const BATCH = 10; // catalog results shown at a time ("show more" adds the next ones): each is a fetch
const HEADER_HITS = 8;
const TYPING_PAUSE = 250; // ms of quiet typing before searching

// --- loading, on first use -------------------------------------------------------------
let strings = null;
let engine = null;
let ready = false; // the engine has loaded: no "loading" message any more

/** The search_* strings of data/ui.yml in the page language. */
function loadStrings() {
  strings ??= fetch(new URL("assets/search-strings.json", root))
    .then((response) => {
      if (!response.ok) throw new Error(`search strings: HTTP ${response.status}`);
      return response.json();
    })
    .then((all) => all[language] || Object.values(all)[0]); // the default language comes first
  strings.catch(() => { strings = null; }); // a later use tries again
  return strings;
}

/** Pagefind, ready to search this language's index, and the strings. */
function loadEngine() {
  engine ??= Promise.all([import(new URL("pagefind/pagefind.js", root).href), loadStrings()])
    .then(async ([pagefind, t]) => {
      // No web worker: one file less to fetch on a slow link; searching the index is quick anyway.
      await pagefind.options({ baseUrl: root.pathname, noWorker: true, excerptLength: 24 });
      await pagefind.init();
      ready = true;
      return { pagefind, t };
    });
  engine.catch(() => { engine = null; });
  return engine;
}

let totals = null;
/** Every filter value with its number of pages, for the catalog's options and year ranges.
    Fetched only once a reader opens or uses a filter: a search by words alone does without. */
function loadTotals() {
  totals ??= loadEngine().then(({ pagefind }) => pagefind.filters());
  totals.catch(() => { totals = null; });
  return totals;
}

// --- shared rendering ------------------------------------------------------------------
const numbers = new Intl.NumberFormat(language);
const plurals = new Intl.PluralRules(language);

function countText(t, count) {
  if (!count) return t.search_count_none;
  const key = plurals.select(count) === "one" ? "search_count_one" : "search_count_other";
  return t[key].replace("{count}", numbers.format(count));
}

function element(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

/** Pagefind's excerpt is HTML with <mark> around the matched words: keep the marks, nothing else. */
function excerpt(html) {
  const template = document.createElement("template");
  template.innerHTML = html; // inert: nothing in a template runs or loads
  for (const node of template.content.querySelectorAll("*")) {
    if (node.localName === "mark") [...node.attributes].forEach((a) => node.removeAttribute(a.name));
    else node.replaceWith(document.createTextNode(node.textContent));
  }
  return template.content;
}

/** Country · period · status of a practice (hand-written pages have none of them). */
function metaLine(data) {
  const first = (key) => (data.filters?.[key] || [])[0];
  return [first("country"), data.meta?.period || first("year"), first("status")].filter(Boolean).join(" · ");
}

// --- the box in the header -------------------------------------------------------------
function headerSearch(box) {
  const toggle = document.getElementById("__search"); // Material's checkbox that opens the search
  const form = box.querySelector("form");
  const input = form.elements.q;
  const meta = box.querySelector(".md-search-result__meta");
  const list = box.querySelector(".md-search-result__list");
  let sequence = 0;
  let timer = 0;

  const setOpen = (open) => { if (toggle) toggle.checked = open; };

  function hit(data) {
    const link = element("a", "md-search-result__link");
    link.href = data.url;
    const article = element("article", "md-search-result__article md-typeset");
    article.append(element("div", "catalog-hit__title", data.meta?.title || data.url));
    const line = metaLine(data);
    if (line) article.append(element("p", "catalog-hit__meta", line));
    const words = element("p");
    words.append(excerpt(data.excerpt));
    article.append(words);
    link.append(article);
    const item = element("li", "md-search-result__item");
    item.append(link);
    return item;
  }

  async function run() {
    const term = input.value.trim();
    const mine = ++sequence;
    list.setAttribute("aria-busy", "true"); // until these results are in (tests wait on it too)
    if (!term) {
      list.replaceChildren();
      meta.textContent = (await loadStrings().catch(() => ({}))).search_type || "";
      if (mine === sequence) list.setAttribute("aria-busy", "false");
      return;
    }
    if (!ready) meta.textContent = box.dataset.loading;
    try {
      const { pagefind, t } = await loadEngine();
      const search = await pagefind.search(term);
      const hits = await Promise.all(search.results.slice(0, HEADER_HITS).map((result) => result.data()));
      if (mine !== sequence) return; // a newer search has started
      const items = hits.map(hit);
      if (search.results.length) {
        const all = element("a", "md-search-result__link catalog-hit__all", t.search_all_in_catalog);
        const target = new URL(form.action);
        target.search = new URLSearchParams({ q: term }).toString();
        all.href = target.href;
        const item = element("li", "md-search-result__item");
        item.append(all);
        items.push(item);
      }
      list.replaceChildren(...items);
      meta.textContent = countText(t, search.results.length);
    } catch (error) {
      if (mine !== sequence) return;
      list.replaceChildren();
      meta.textContent = (await loadStrings().catch(() => ({}))).search_unavailable || "";
    }
    if (mine === sequence) list.setAttribute("aria-busy", "false");
  }

  function links() {
    return [...list.querySelectorAll("a")];
  }

  function opened() {
    setOpen(true);
    loadEngine().catch(() => {});
    run();
  }
  input.addEventListener("focus", opened);
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, TYPING_PAUSE);
  });
  form.addEventListener("reset", () => setTimeout(run));
  // Opened from the magnifier button on small screens: the input takes the focus.
  toggle?.addEventListener("change", () => { if (toggle.checked) input.focus(); });
  // Leaving the box with Tab closes it; clicking a non-focusable spot inside it does not.
  document.addEventListener("focusin", (event) => {
    if (toggle?.checked && !box.contains(event.target)) setOpen(false);
  });
  box.addEventListener("keydown", (event) => {
    const all = links();
    const index = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      setOpen(false);
      input.focus();
      setOpen(false); // focusing the input reopens it
    } else if (event.key === "ArrowDown" && all.length) {
      all[Math.min(index + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      (index === 0 ? input : all[index - 1]).focus();
    } else {
      return;
    }
    event.preventDefault();
  });
  // Loaded by that first focus or tap: catch up with it.
  if (document.activeElement === input) opened();
  else if (toggle?.checked) input.focus();
}

// --- the catalog page: words, filters and results --------------------------------------
function catalogSearch(section) {
  const form = section.querySelector("form");
  const status = section.querySelector("[data-catalog-status]");
  const results = section.querySelector("[data-catalog-results]");
  const list = section.querySelector("[data-catalog-list]");
  const more = section.querySelector("[data-catalog-more]");
  const staticList = document.querySelector("[data-catalog-static]");
  const boxes = [...form.querySelectorAll("input[type=checkbox]")];
  let sequence = 0;
  let timer = 0;
  let found = [];
  let shown = 0;
  let withWords = false; // the current search has words (not only filters)

  /** The form as URL parameters, in the form's order, without empty fields. */
  function formParams() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (String(value).trim()) params.append(name, String(value).trim());
    }
    return params;
  }

  /** Set every control from URL parameters (a shared link, or back and forward). */
  function setForm(params) {
    form.elements.q.value = params.get("q") || "";
    form.elements.from.value = params.get("from") || "";
    form.elements.to.value = params.get("to") || "";
    for (const box of boxes) box.checked = params.getAll(box.name).includes(box.value);
    for (const facet of form.querySelectorAll("[data-facet]")) {
      if (facet.querySelector(":checked")) facet.open = true;
    }
  }

  function showSelected() {
    for (const facet of form.querySelectorAll("[data-facet]")) {
      const count = facet.querySelectorAll(":checked").length;
      facet.querySelector("[data-selected]").textContent = count ? `(${numbers.format(count)})` : "";
    }
  }

  /** A reader's change goes into the URL: continuing to type replaces the history entry, any other
      change adds one. A search restored from the URL leaves the URL exactly as it was. */
  function saveInUrl(params) {
    const query = params.toString();
    const previous = new URLSearchParams(window.location.search);
    if (query === previous.toString()) return;
    const rest = (p) => { const copy = new URLSearchParams(p); copy.delete("q"); return copy.toString(); };
    const typing = previous.get("q") && params.get("q") && rest(previous) === rest(params);
    const url = `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`;
    window.history[typing ? "replaceState" : "pushState"](null, "", url);
  }

  /** Pagefind filters from the checked options (any of them within a facet; all facets together). */
  function pagefindFilters(params, counts) {
    const filters = {};
    for (const facet of FACETS) {
      const values = boxes.filter((box) => box.name === facet && box.checked).map((box) => box.dataset.value);
      if (values.length) filters[facet] = { any: values };
    }
    if (params.has("from") || params.has("to")) {
      let low = Number(params.get("from") || -Infinity);
      let high = Number(params.get("to") || Infinity);
      if (low > high) [low, high] = [high, low];
      filters.year = { any: Object.keys(counts.year || {}).filter((year) => Number(year) >= low && Number(year) <= high) };
    }
    return filters;
  }

  /** How many pages of the whole catalog each option has. Options stay in place (none appears or
      disappears under the reader's focus); those of no practice show (0). */
  function showTotals(counts) {
    for (const box of boxes) {
      const count = counts[box.name]?.[box.dataset.value] || 0;
      box.parentElement.querySelector("[data-count]").textContent = `(${numbers.format(count)})`;
    }
  }

  function card(data) {
    const item = element("li", "catalog-card");
    const title = element("h3", "catalog-card__title");
    const link = element("a", "", data.meta?.title || data.url);
    link.href = data.url;
    title.append(link);
    item.append(title);
    const line = metaLine(data);
    if (line) item.append(element("p", "catalog-card__meta", line));
    // Without words to show in context, the practice's summary (when the page gives it as meta).
    const words = element("p", "catalog-card__summary");
    if (!withWords && data.meta?.summary) words.textContent = data.meta.summary;
    else words.append(excerpt(data.excerpt));
    item.append(words);
    return item;
  }

  async function showMore(mine, focusFirst) {
    const batch = found.slice(shown, shown + BATCH);
    const pages = await Promise.all(batch.map((result) => result.data()));
    if (mine !== sequence) return;
    const items = pages.map(card);
    list.append(...items);
    shown += batch.length;
    more.hidden = shown >= found.length;
    if (focusFirst && items.length) items[0].querySelector("a").focus();
  }

  function showStatic(message) {
    results.setAttribute("aria-busy", "false");
    results.hidden = true;
    list.replaceChildren();
    if (staticList) staticList.hidden = false;
    status.textContent = message;
  }

  /** Search with the form's state; fromReader: the reader changed it (else it came from the URL). */
  async function run(fromReader) {
    const params = formParams();
    if (fromReader) saveInUrl(params);
    showSelected();
    const mine = ++sequence;
    results.setAttribute("aria-busy", "true"); // until these results are in (tests wait on it too)
    if (![...params.keys()].length) return showStatic("");
    if (!ready) status.textContent = section.dataset.loading;
    try {
      const filtered = [...params.keys()].some((name) => name !== "q");
      const [{ pagefind, t }, counts] = await Promise.all([loadEngine(), filtered ? loadTotals() : {}]);
      if (filtered) showTotals(counts);
      const filters = pagefindFilters(params, counts);
      const nothing = filters.year && !filters.year.any.length; // no practice started in those years
      const search = nothing ? { results: [] } : await pagefind.search(params.get("q") || null, { filters });
      if (mine !== sequence) return;
      found = search.results;
      shown = 0;
      withWords = params.has("q");
      list.replaceChildren();
      await showMore(mine, false);
      if (mine !== sequence) return;
      if (staticList) staticList.hidden = true;
      results.hidden = false;
      results.setAttribute("aria-busy", "false");
      status.textContent = countText(t, found.length);
    } catch (error) {
      if (mine === sequence) showStatic(section.dataset.unavailable);
    }
  }

  // Start loading as soon as the reader comes to the form; the counts once a filter is opened.
  const warmUp = () => loadEngine().catch(() => {});
  section.addEventListener("focusin", warmUp, { once: true });
  section.addEventListener("pointerdown", warmUp, { once: true });
  if (section.contains(document.activeElement)) warmUp(); // this module was loaded by that focus
  for (const facet of form.querySelectorAll("[data-facet]")) {
    facet.addEventListener("toggle", () => {
      if (facet.open) loadTotals().then(showTotals).catch(() => {});
    });
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(true);
  });
  form.elements.q.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(true), TYPING_PAUSE);
  });
  form.addEventListener("change", (event) => {
    if (event.target.name !== "q") run(true);
  });
  form.addEventListener("reset", () => setTimeout(() => run(true)));
  more.addEventListener("click", () => showMore(sequence, true));
  window.addEventListener("popstate", () => {
    setForm(new URLSearchParams(window.location.search));
    run(false);
  });

  // A shared link: restore its search at once.
  const initial = new URLSearchParams(window.location.search);
  if (["q", "from", "to", ...FACETS].some((name) => initial.get(name))) {
    setForm(initial);
    run(false);
  } else if ([...formParams().keys()].length) {
    run(true); // the reader typed or ticked while this module was loading
  }
}

let started = false;

/** Wire up every search box of the page; assets/search.js calls it once, on first use. */
export function start() {
  if (started) return;
  started = true;
  document.querySelectorAll("[data-catalog-header-search]").forEach(headerSearch);
  document.querySelectorAll("[data-catalog-search]").forEach(catalogSearch);
}

// The search interface (an ES module that assets/search.js imports on first use): the box in the
// header of every page, and the search with filters and sorting of the catalog page.
// catalog/build/search.py builds the index (one per language, chosen by <html lang>); the markup is in
// overrides/partials/search.html and catalog/templates/catalog_search.html. The engine (Pagefind
// and the rule against unknown words) is assets/search-engine.js, in a web worker of its own.
//
// The Pagefind engine, the index chunks and the interface strings (assets/search-strings.<language>.json, from
// catalog/data/ui.yml) are fetched when the reader starts searching, the filter counts only when a
// filter is opened or used. The catalog's search lives in the URL (?q=…&country=pan&sort=title):
// shareable, and the back button works. URL values are language-neutral codes, so the language
// switch keeps them.

const root = new URL("../", import.meta.url); // this file is assets/search-ui.js
const language = document.documentElement.lang;
// The catalog's filter names, from the page (catalog.core.paths.FACETS through overrides/partials/search.html).
const FACETS = (document.querySelector("[data-catalog-facets]")?.dataset.catalogFacets || "").split(" ").filter(Boolean);
const BATCH = 10; // catalog results shown at a time ("show more" adds the next ones): each is a fetch
const HEADER_HITS = 8;
const TYPING_PAUSE = 40; // ms of quiet typing before searching: results follow the last keystroke
// …unless the word being typed has one or two letters: a reader seldom stops there, and so short a
// start matches so many words that its index chunks and results would be fetched for nothing.
const SHORT_WORD_PAUSE = 300;
const SHORT_WORD = 3;
// Sort orders of the catalog: [Pagefind sort key (data-pagefind-sort on the practice pages), direction].
const SORTS = { relevance: null, newest: ["added", -1], start: ["start", 1], country: ["country", 1], title: ["title", 1] };

/** How long to wait after a keystroke before searching these words (see TYPING_PAUSE). */
function typingPause(term) {
  const words = term.split(/\s+/).map((word) => word.replace(/[\p{M}\p{P}]/gu, "")).filter(Boolean);
  return words.length && words.at(-1).length < SHORT_WORD ? SHORT_WORD_PAUSE : TYPING_PAUSE;
}

// --- the engine, in its worker ----------------------------------------------------------
let worker = null; // the engine's web worker (assets/search.js starts it); none: the engine runs here
let local = null; // the engine module on this thread, where there is no worker
const waiting = new Map(); // request number → its promise's resolve and reject, and the request
let requests = 0;

/** Talk to the engine in this worker; if it fails to start (a browser without module workers),
    the requests under way and every later one go to the engine on this thread. */
function useWorker(candidate) {
  worker = candidate;
  if (!worker) return;
  worker.addEventListener("message", ({ data }) => {
    const call = waiting.get(data.id);
    if (!call) return;
    waiting.delete(data.id);
    if ("error" in data) call.reject(new Error(data.error));
    else call.resolve(data.result);
  });
  worker.addEventListener("error", () => {
    worker = null;
    for (const call of waiting.values()) ask(call.method, call.args).then(call.resolve, call.reject);
    waiting.clear();
  });
  ask("configure", { language });
}

/** One request to the engine (search-engine.js, `answers`): a promise of its answer. */
function ask(method, args = {}) {
  if (!worker) {
    local ??= import(new URL("assets/search-engine.js", root).href).then((engine) => {
      engine.answer("configure", { language });
      return engine;
    });
    return local.then((engine) => engine.answer(method, args));
  }
  const id = ++requests;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject, method, args });
    worker.postMessage({ id, method, args });
  });
}

// --- loading, on first use -------------------------------------------------------------
let strings = null;
let engine = null;
let ready = false; // the engine has loaded: no "loading" message any more

/** The search_* strings of data/ui.yml in the page language. */
function loadStrings() {
  strings ??= fetch(new URL(`assets/search-strings.${language}.json`, root)).then((response) => {
    if (!response.ok) throw new Error(`search strings: HTTP ${response.status}`);
    return response.json();
  });
  strings.catch(() => { strings = null; }); // a later use tries again
  return strings;
}

/** The engine ready to search this language's index, and the strings. */
function loadEngine() {
  engine ??= Promise.all([ask("load"), loadStrings()]).then(([, t]) => {
    ready = true;
    return t;
  });
  engine.catch(() => { engine = null; });
  return engine;
}

let totals = null;
/** Every filter value with its number of pages, for the catalog's options and year ranges.
    Fetched only once a reader opens or uses a filter: a search by words alone does without. */
function loadTotals() {
  totals ??= loadEngine().then(() => ask("filters"));
  totals.catch(() => { totals = null; });
  return totals;
}

const orders = {};
/** A sort's order of the pages, as a map from Pagefind page id to rank. catalog/build/search.py writes
    each order to a file of its own (move_sort_orders), fetched only when a reader picks that sort. */
function loadOrder(key) {
  orders[key] ??= fetch(new URL(`pagefind/sort/${language}_${key}.json`, root))
    .then((response) => {
      if (!response.ok) throw new Error(`sort order: HTTP ${response.status}`);
      return response.json();
    })
    .then((ids) => new Map(ids.map((id, rank) => [id, rank])));
  orders[key].catch(() => { delete orders[key]; });
  return orders[key];
}

/** The page ids in a sort's order (relevance: as Pagefind ranked them). */
async function sortResults(ids, sort) {
  if (!sort) return ids;
  const [key, direction] = sort;
  const rank = await loadOrder(key);
  const last = rank.size;
  return [...ids].sort((a, b) => direction * ((rank.get(a) ?? last) - (rank.get(b) ?? last)));
}

/** Real results of words and filters on a channel ("header" or "catalog"; see search-engine.js):
    { ids, pages: card data of the first `shown`, searched }, or null when the reader typed on
    or a newer search started meanwhile. */
async function search(channel, term, filters, shown, practices = false) {
  const begun = performance.now();
  const found = await ask("search", { channel, term, filters, shown, practices });
  if (found) found.searched = measure("Pagefind", begun, found.searched - performance.timeOrigin);
  return found;
}

/** Where a search's time goes, as user-timing measures "search: <stage>" that the browser's
    performance panel shows and scripts/bench_search.py reads: "Pagefind" (the request to the
    engine until Pagefind answered: index chunks and the engine's search), "cards" (the rule, the
    results' data and the cards on screen). */
function measure(stage, start, end = performance.now()) {
  performance.measure(`search: ${stage}`, { start, end });
  return end;
}

// --- shared rendering ------------------------------------------------------------------
// A page's first Intl number format costs about 50 ms (the browser prepares its locale data; four
// times that on a phone). Numbers below 1,000 are their digits alone in the site's languages, so the
// format is made only for a larger number (a count of results at a large catalog).
let numberFormat = null;
const numbers = { format: (n) => (n < 1000 ? String(n) : (numberFormat ??= new Intl.NumberFormat(language)).format(n)) };
const plurals = new Intl.PluralRules(language);

function countText(t, count, none) {
  if (!count) return none;
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

const isPractice = (data) => !(data.filters?.kind || []).includes("page");

/** Country · period · status of a practice (hand-written pages have none of them). */
function metaLine(data) {
  const first = (key) => (data.filters?.[key] || [])[0];
  return [first("country"), data.meta?.period || first("year"), first("status")].filter(Boolean).join(" · ");
}

/** Themes of a practice, after a label that screen readers read and eyes do not need. */
function themesLine(data, t) {
  const themes = data.filters?.theme || [];
  if (!themes.length) return null;
  const line = element("p", "catalog-card__themes");
  line.append(element("span", "catalog-visually-hidden", `${t.search_themes}: `), themes.join(" · "));
  return line;
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

  function hit(data, t) {
    const link = element("a", "md-search-result__link");
    link.href = data.url;
    const article = element("article", "md-search-result__article md-typeset");
    article.append(element("p", "catalog-hit__kind", isPractice(data) ? t.search_kind_practice : t.search_kind_page));
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

  function allInCatalog(t, term) {
    const all = element("a", "md-search-result__link catalog-hit__all", t.search_all_in_catalog);
    const target = new URL(form.action);
    target.search = new URLSearchParams({ q: term }).toString();
    all.href = target.href;
    const item = element("li", "md-search-result__item");
    item.append(all);
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
      const t = await loadEngine();
      const found = await search("header", term, {}, HEADER_HITS);
      if (!found || mine !== sequence) return; // a newer search has started
      const items = found.pages.map((data) => hit(data, t));
      if (found.ids.length) items.push(allInCatalog(t, term));
      list.replaceChildren(...items);
      list.dataset.searched = term; // what the list shows results for
      meta.textContent = countText(t, found.ids.length, t.search_count_none);
    } catch (error) {
      if (mine !== sequence) return;
      list.replaceChildren();
      meta.textContent = (await loadStrings().catch(() => ({}))).search_unavailable || "";
    }
    if (mine === sequence) list.setAttribute("aria-busy", "false");
  }

  function opened() {
    setOpen(true);
    loadEngine().catch(() => {});
    run();
  }
  input.addEventListener("focus", opened);
  input.addEventListener("input", () => {
    clearTimeout(timer);
    if (worker) ask("typing", { channel: "header" });
    timer = setTimeout(run, typingPause(input.value));
  });
  form.addEventListener("reset", () => setTimeout(run));
  // Opened from the magnifier button on small screens: the input takes the focus.
  toggle?.addEventListener("change", () => { if (toggle.checked) input.focus(); });
  // Leaving the box with Tab closes it; clicking a non-focusable spot inside it does not.
  document.addEventListener("focusin", (event) => {
    if (toggle?.checked && !box.contains(event.target)) setOpen(false);
  });
  box.addEventListener("keydown", (event) => arrowKeys(event, input, list, setOpen));
  // Loaded by that first focus or tap: catch up with it.
  if (document.activeElement === input) opened();
  else if (toggle?.checked) input.focus();
}

/** Escape closes the header box; the arrows move between the input and the results. */
function arrowKeys(event, input, list, setOpen) {
  const all = [...list.querySelectorAll("a")];
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
}

// --- the catalog page: words, filters, sorting and results ------------------------------
/** The catalog page's controls, found once. */
function catalogParts(section) {
  const form = section.querySelector("form");
  return {
    section, form,
    facets: FACETS,
    status: section.querySelector("[data-catalog-status]"),
    results: section.querySelector("[data-catalog-results]"),
    list: section.querySelector("[data-catalog-list]"),
    more: section.querySelector("[data-catalog-more]"),
    toggle: section.querySelector("[data-catalog-toggle]"),
    sort: form.elements.sort,
    sortChosen: false, // the reader picked a sort (else it follows the words)
    counts: null, // the last search's faceted counts (null: none yet, the options show the catalog's totals)
    staticList: document.querySelector("[data-catalog-static]"),
    boxes: [...form.querySelectorAll("input[type=checkbox]")],
  };
}

/** The sort a search gets when the reader has not chosen one: relevance with words, else newest. */
const defaultSort = (params) => (params.get("q") ? "relevance" : "newest");

/** The form as URL parameters, in the form's order, without empty fields or the default sort. */
function formParams(parts) {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(parts.form)) {
    if (name !== "sort" && String(value).trim()) params.append(name, String(value).trim());
  }
  if (parts.sort.value !== defaultSort(params) && !(parts.sort.value === "relevance" && !params.get("q"))) {
    params.set("sort", parts.sort.value);
  }
  return params;
}

/** Set every control from URL parameters (a shared link, or back and forward). */
function setForm(parts, params) {
  const { form } = parts;
  form.elements.q.value = params.get("q") || "";
  form.elements.from.value = params.get("from") || "";
  form.elements.to.value = params.get("to") || "";
  for (const box of parts.boxes) box.checked = params.getAll(box.name).includes(box.value);
  for (const facet of form.querySelectorAll("[data-facet]")) {
    if (facet.querySelector(":checked")) facet.open = true;
  }
  const sort = params.get("sort");
  parts.sortChosen = sort in SORTS;
  parts.sort.value = parts.sortChosen ? sort : defaultSort(params);
  showSortChoices(parts);
}

/** Relevance is a choice only when there are words. Until the reader chooses a sort, the sort
    follows the words: relevance with them, newest first without. */
function showSortChoices(parts) {
  const words = parts.form.elements.q.value.trim() !== "";
  parts.sort.querySelector("option[value=relevance]").disabled = !words;
  if (!parts.sortChosen || (!words && parts.sort.value === "relevance")) parts.sort.value = words ? "relevance" : "newest";
}

/** How many options each facet has ticked, beside its name and on the phone's Filters button. */
function showSelected(parts) {
  let total = 0;
  for (const facet of parts.form.querySelectorAll("[data-facet]")) {
    const count = facet.querySelectorAll(":checked").length;
    total += count;
    facet.querySelector("[data-selected]").textContent = count ? `(${numbers.format(count)})` : "";
  }
  const years = ["from", "to"].some((name) => parts.form.elements[name].value.trim());
  total += years ? 1 : 0;
  parts.toggle.querySelector("[data-selected-total]").textContent = total ? `(${numbers.format(total)})` : "";
}

/** A reader's change goes into the URL: continuing to type replaces the history entry, any other
    change adds one. A search restored from the URL leaves the URL exactly as it was. */
function saveInUrl(params) {
  const query = params.toString();
  const previous = new URLSearchParams(window.location.search);
  if (query === previous.toString()) return;
  const rest = (p) => { const copy = new URLSearchParams(p); copy.delete("q"); copy.delete("sort"); return copy.toString(); };
  const typing = previous.get("q") && params.get("q") && rest(previous) === rest(params);
  const url = `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`;
  window.history[typing ? "replaceState" : "pushState"](null, "", url);
}

/** A "from" year after the "to" year is swapped, in the form and in the search; returns the note
    that says so, or "". */
function correctYears(parts, params, t) {
  const low = Number(params.get("from"));
  const high = Number(params.get("to"));
  if (!params.get("from") || !params.get("to") || !(low > high)) return "";
  parts.form.elements.from.value = String(high);
  parts.form.elements.to.value = String(low);
  params.set("from", String(high));
  params.set("to", String(low));
  return t.search_years_swapped.replaceAll("{from}", String(high)).replaceAll("{to}", String(low));
}

/** Pagefind filters (the engine adds "practices only"): the checked options (any within a facet, all facets together);
    the start years within the range. */
function pagefindFilters(parts, params, counts) {
  const filters = {};
  for (const facet of parts.facets) {
    const values = parts.boxes.filter((box) => box.name === facet && box.checked).map((box) => box.dataset.value);
    if (values.length) filters[facet] = { any: values };
  }
  if (params.has("from") || params.has("to")) {
    const low = Number(params.get("from") || -Infinity);
    const high = Number(params.get("to") || Infinity);
    filters.year = { any: Object.keys(counts.year || {}).filter((year) => Number(year) >= low && Number(year) <= high) };
  }
  return filters;
}

/** How many practices each option has: in the whole catalog (Pagefind's totals) until a search,
    then among its results, faceted (search-engine.js, facetCounts: with Panamá ticked, each theme
    counts Panamá's practices, and the other countries keep their own counts). Options stay in place
    (none appears or disappears under the reader's focus); those of no practice show (0). */
function showCounts(parts, counts) {
  for (const box of parts.boxes) {
    const count = counts[box.name]?.[box.dataset.value] || 0;
    box.parentElement.querySelector("[data-count]").textContent = `(${numbers.format(count)})`;
  }
}

/** A result card: title, country · period · status, themes, and the matched words in context
    (without words, the practice's summary). */
function card(data, t, withWords) {
  const item = element("li", "catalog-card");
  const title = element("h3", "catalog-card__title");
  const link = element("a", "", data.meta?.title || data.url);
  link.href = data.url;
  title.append(link);
  item.append(title);
  const line = metaLine(data);
  if (line) item.append(element("p", "catalog-card__meta", line));
  const themes = themesLine(data, t);
  if (themes) item.append(themes);
  const words = element("p", "catalog-card__summary");
  if (!withWords && data.meta?.summary) words.textContent = data.meta.summary;
  else words.append(excerpt(data.excerpt));
  item.append(words);
  return item;
}

function catalogSearch(section) {
  const parts = catalogParts(section);
  const { form, status, results, list, more } = parts;
  let sequence = 0;
  let found = [];
  let shown = 0;
  let current = { t: {}, withWords: false };

  /** The next batch of cards; `loading`: the data of the first ones, already on its way. */
  async function showMore(mine, focusFirst, loading = []) {
    const batch = found.slice(shown, shown + BATCH);
    const pages = loading.length ? loading : await ask("data", { channel: "catalog", ids: batch });
    if (mine !== sequence) return;
    const items = pages.map((data) => card(data, current.t, current.withWords));
    list.append(...items);
    shown += batch.length;
    more.hidden = shown >= found.length;
    if (focusFirst && items.length) items[0].querySelector("a").focus();
  }

  function showStatic(message) {
    document.documentElement.classList.remove("catalog-search-busy");
    results.setAttribute("aria-busy", "false");
    results.hidden = true;
    list.replaceChildren();
    more.hidden = true;
    if (parts.staticList) parts.staticList.hidden = false;
    status.textContent = message;
    parts.counts = null;
    if (totals) totals.then((counts) => showCounts(parts, counts)).catch(() => {});
  }

  /** The reader has typed on since these words were searched: a newer search is on its way. */
  const typedOn = (params) => form.elements.q.value.trim() !== (params.get("q") || "");

  /** Search with the form's state; fromReader: the reader changed it (else it came from the URL). */
  async function run(fromReader) {
    showSortChoices(parts);
    const params = formParams(parts);
    const mine = ++sequence;
    results.setAttribute("aria-busy", "true"); // until these results are in (tests wait on it too)
    if (![...params.keys()].length) {
      if (fromReader) saveInUrl(params);
      showSelected(parts);
      return showStatic("");
    }
    if (!ready) status.textContent = section.dataset.loading;
    try {
      const filtered = [...params.keys()].some((name) => name !== "q" && name !== "sort");
      const [t, counts] = await Promise.all([loadEngine(), filtered ? loadTotals() : {}]);
      const note = correctYears(parts, params, t);
      if (fromReader || note) saveInUrl(params);
      showSelected(parts);
      const filters = pagefindFilters(parts, params, counts);
      const nothing = filters.year && !filters.year.any.length; // no practice started in those years
      const sort = SORTS[parts.sort.value];
      // In Pagefind's order (relevance), the first batch is what the reader sees: fetch it at once.
      const answer = nothing ? { ids: [], pages: [], counts: {}, searched: performance.now() }
        : await search("catalog", params.get("q"), filters, sort ? 1 : BATCH, true);
      if (!answer || mine !== sequence || typedOn(params)) return; // a newer search has started, or will
      const sorted = await sortResults(answer.ids, sort);
      if (mine !== sequence) return;
      found = sorted;
      shown = 0;
      parts.counts = answer.counts || {};
      showCounts(parts, parts.counts);
      current = { t, withWords: params.has("q") };
      list.replaceChildren();
      await showMore(mine, false, sort ? [] : answer.pages);
      if (mine !== sequence) return;
      if (parts.staticList) parts.staticList.hidden = true;
      results.hidden = false;
      results.setAttribute("aria-busy", "false");
      status.textContent = [note, countText(t, found.length, t.search_none)].filter(Boolean).join(" ");
      measure("cards", answer.searched);
    } catch (error) {
      if (mine === sequence) showStatic(section.dataset.unavailable);
    }
  }

  wireCatalog(parts, run, () => showMore(sequence, true));
  // A shared link: restore its search at once.
  const initial = new URLSearchParams(window.location.search);
  if (["q", "from", "to", "sort", ...parts.facets].some((name) => initial.get(name))) {
    setForm(parts, initial);
    run(false);
  } else if ([...formParams(parts).keys()].length) {
    run(true); // the reader typed or ticked while this module was loading
  } else {
    showStatic("");
  }
}

/** The catalog's events: typing, ticking, sorting, "show more", back and forward. */
function wireCatalog(parts, run, more) {
  const { section, form } = parts;
  let timer = 0;
  // Start loading as soon as the reader comes to the form; the counts once a filter is opened.
  const warmUp = () => loadEngine().catch(() => {});
  section.addEventListener("focusin", warmUp, { once: true });
  section.addEventListener("pointerdown", warmUp, { once: true });
  if (section.contains(document.activeElement)) warmUp(); // this module was loaded by that focus
  for (const facet of form.querySelectorAll("[data-facet]")) {
    facet.addEventListener("toggle", () => {
      if (facet.open && !parts.counts) loadTotals().then((counts) => { if (!parts.counts) showCounts(parts, counts); }).catch(() => {});
    });
  }
  // The Filters button (phones) is wired by assets/search.js: the tap that loads this module opens them.
  parts.sort.addEventListener("change", () => { parts.sortChosen = true; });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(true);
  });
  form.elements.q.addEventListener("input", () => {
    document.documentElement.classList.remove("catalog-search-busy"); // the reader is in charge now
    clearTimeout(timer);
    if (worker) ask("typing", { channel: "catalog" });
    timer = setTimeout(() => run(true), typingPause(form.elements.q.value));
  });
  form.addEventListener("change", (event) => {
    if (event.target.name !== "q") run(true);
  });
  form.addEventListener("reset", () => setTimeout(() => run(true)));
  parts.more.querySelector("button").addEventListener("click", more);
  window.addEventListener("popstate", () => {
    setForm(parts, new URLSearchParams(window.location.search));
    run(false);
  });
}

let started = false;

/** Wire up every search box of the page; assets/search.js calls it once, on first use, with the
    engine's worker it started (or none: the engine then runs on this thread). */
export function start(engineWorker = null) {
  if (started) return;
  started = true;
  useWorker(engineWorker);
  document.querySelectorAll("[data-catalog-header-search]").forEach(headerSearch);
  document.querySelectorAll("[data-catalog-search]").forEach(catalogSearch);
}

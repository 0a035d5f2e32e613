// The search engine: Pagefind, and the rule against unknown words, in a web worker of its own
// (assets/search.js starts it when a reader first uses a search box; search-ui.js talks to it).
// Off the main thread, a search never blocks typing or the page: at 2,000 practices one search
// for a common word is about 100 ms of work (Pagefind 1.5.2 compares every matching page with
// every page entry of the word, so the cost grows with the square of the pages that have it),
// four times that on a phone. The same module runs on the main thread where a browser has no
// module workers (search-ui.js then imports it and calls answer() itself), and
// scripts/search_rule.py imports it to measure the rule.

let language = globalThis.document?.documentElement.lang || "";
const root = new URL("../", import.meta.url); // this file is assets/search-engine.js
// The worker fetches Pagefind's script as soon as it starts, while the interface loads beside it.
const script = import(new URL("pagefind/pagefind.js", root).href);
script.catch(() => {}); // its failure is reported by the first search

// The catalog lists practices only: the hand-written pages carry the Pagefind filter kind:page.
export const PRACTICES_ONLY = { kind: { none: ["page"] } };
// What a result card needs of a page's data (Pagefind's fragment also holds the whole text).
const CARD_FIELDS = ["url", "meta", "filters", "excerpt"];

// --- which results are real: the rule for unknown words ----------------------------------------
// Pagefind answers a word it does not know with the pages of the longest indexed word that starts
// that word ("inexistentexyz" finds "in", "asdfgh" finds "a"), and it has no option against it.
// A result counts only if every query word stands for a word Pagefind matched on the page:
// the matched word starts with the query word (a word still being typed: "fronte" → "frontera"),
// or they share their first three letters or more and that shared start covers more than half
// of the query word (other forms of the same word, as the stemmer finds them: "documentaciones"
// → "documentación", "children" → "child"). Pagefind's fallback matches only a short start of the
// query word, so it fails the rule. Words are compared as Pagefind compares them: lower case,
// without accents or punctuation.

/** A word as Pagefind compares it: lower case, without diacritics or punctuation. */
export function normalize(word) {
  return word.toLocaleLowerCase(language || undefined).normalize("NFD").replace(/[\p{M}\p{P}]/gu, "");
}

/** The words of a query, normalized; empty ones (punctuation alone) left out. */
export function queryWords(term) {
  return (term || "").split(/\s+/).map(normalize).filter(Boolean);
}

/** Does a word Pagefind matched on a page stand for the query word? (The rule above.) */
export function standsFor(queryWord, matched) {
  let shared = 0;
  while (shared < queryWord.length && queryWord[shared] === matched[shared]) shared += 1;
  return shared === queryWord.length || (shared >= 3 && shared * 2 > queryWord.length);
}

/** The page's words at the places Pagefind matched, normalized (its fragment gives both). */
export function matchedWords(data) {
  const words = data.content.includes("\u200B") ? data.content.split("\u200B") : data.content.split(/[\r\n\s]+/g);
  return (data.locations || []).map((location) => normalize(words[location] || ""));
}

/** Pagefind's results for these words, or none when a word is unknown to the index. Pagefind
    falls back for a whole word at once, so the first result tells for all. The data of the first
    `shown` results (those the reader will see first) is fetched at once, side by side with the
    first's that the rule needs: one wait instead of two. Returns the results and those pages. */
async function realResults(results, words, shown) {
  const pages = results.slice(0, Math.max(shown, 1)).map((result) => result.data());
  if (!words.length || !results.length) return { results, pages, real: true };
  const matched = matchedWords(await pages[0]);
  const real = !matched.length || words.every((word) => matched.some((found) => standsFor(word, found)));
  return real ? { results, pages, real } : { results: [], pages: [], real };
}

/** Search, then keep only real results (see the rule above), with the data of the first `shown`
    of them on its way. Null when current() says that a newer search has started meanwhile, or
    that the reader has typed on (one will start): nothing more is fetched for it (current may
    answer through a promise). `searched`: when Pagefind answered (this thread's performance.now()).
    `counts`: filter → value → how many of the real results have it. */
export async function search(pagefind, term, options, shown = 1, current = () => true, pagesLast = false) {
  const found = await pagefind.search(term || null, options);
  const results = pagesLast && found.results.length ? await practicesFirst(pagefind, term, options, found.results) : found.results;
  const searched = performance.now();
  if (!await current()) return null;
  const { real, ...kept } = await realResults(results, queryWords(term), shown);
  return { ...kept, counts: real ? found.filters : {}, searched };
}

/** Faceted counts of the catalog's filters: for each facet, how many practices have each value
    among the results of the words and of every other facet's selection. A facet with a selection
    needs a search without it (with Panamá ticked, the other countries keep their counts), the
    others read theirs from the search itself (`counts`). The start years are a range, not counted. */
async function facetCounts(pagefind, term, filters, counts) {
  const faceted = { ...counts };
  for (const facet of Object.keys(filters)) {
    if (facet in PRACTICES_ONLY || facet === "year") continue;
    const others = Object.fromEntries(Object.entries(filters).filter(([name]) => name !== facet));
    faceted[facet] = (await search(pagefind, term, { filters: others })).counts[facet] || {};
  }
  return faceted;
}

/** The results with the practices first and the site's own pages after them, each in Pagefind's
    order: a reader looks for practices; a page that mentions a word (a field explained on the
    contribute page) must not push them down. The same words with the practices-only filter say
    which results are practices (Pagefind has the index chunks already: no download). */
async function practicesFirst(pagefind, term, options, results) {
  const practices = await pagefind.search(term || null, { ...options, filters: { ...options.filters, ...PRACTICES_ONLY } });
  const isPractice = new Set(practices.results.map((result) => result.id));
  return [...results.filter((result) => isPractice.has(result.id)), ...results.filter((result) => !isPractice.has(result.id))];
}

// --- loading ---------------------------------------------------------------------------------
// Pagefind's files (its WebAssembly, index chunks, fragments…) are gzipped, and served as they are
// (GitHub Pages does not mark them Content-Encoding: gzip), so Pagefind inflates them in JavaScript.
// Pagefind skips that when a file arrives inflated already, so its requests are answered through
// the browser's own decompression (DecompressionStream, native and streamed) where there is one.
const GZIPPED = /\/pagefind\/.*\.(pagefind|pf_meta|pf_index|pf_filter|pf_fragment)$/;
let nativeInflate = false;
function inflateNatively() {
  if (nativeInflate || typeof DecompressionStream === "undefined") return;
  nativeInflate = true;
  const fetchNative = globalThis.fetch.bind(globalThis);
  globalThis.fetch = async (input, init) => {
    const response = await fetchNative(input, init);
    const url = new URL(response.url || String(input), root);
    if (!response.ok || !response.body || !GZIPPED.test(url.pathname)
        || /gzip/.test(response.headers.get("Content-Encoding") || "")) return response;
    return new Response(response.body.pipeThrough(new DecompressionStream("gzip")));
  };
}

let engine = null;
/** Pagefind, ready to search the index of the page's language. */
function loadEngine() {
  inflateNatively();
  // Pagefind chooses its index by the page's <html lang>; a worker has no page: tell it.
  globalThis.document ??= { querySelector: () => ({ getAttribute: () => language }) };
  engine ??= script.then(async (pagefind) => {
    await pagefind.options({ baseUrl: root.pathname, noWorker: true, excerptLength: 24 });
    await pagefind.init();
    return pagefind;
  });
  engine.catch(() => { engine = null; });
  return engine;
}

// --- what search-ui.js asks (a message to the worker, or a call on the main thread) ------------
// Two searches may be going on at once, the header box's and the catalog's: each is a channel.
const newest = {}; // channel → number of its newest request; an older search is dropped
const kept = {}; // channel → its last search's results by page id, for the data of later cards
const answers = {
  configure(args) { language = args.language; },
  load() { return loadEngine().then(() => true); },
  filters() { return loadEngine().then((pagefind) => pagefind.filters()); },
  /** The reader typed on: the channel's search under way will not fetch its results' data. */
  typing({ channel }) { newest[channel] = (newest[channel] || 0) + 1; },
  /** Real results of words and filters: every page id in Pagefind's order, and the card data of
      the first `shown`; null if the reader typed on or a newer search came meanwhile. */
  async search({ channel, term, filters, practices, shown }) {
    const mine = newest[channel] = (newest[channel] || 0) + 1;
    const pagefind = await loadEngine();
    const options = { filters: practices ? { ...filters, ...PRACTICES_ONLY } : filters };
    // Still the newest? After a macrotask, so that the messages that came meanwhile are read: before
    // the search (a search cannot be stopped once begun: the worker stays free for the next one)
    // and after it (no data is fetched for it).
    const current = () => new Promise((resolve) => setTimeout(resolve)).then(() => newest[channel] === mine);
    if (!await current()) return null;
    const found = await search(pagefind, term, options, shown, current, !practices);
    if (!found) return null;
    kept[channel] = new Map(found.results.map((result) => [result.id, result]));
    const pages = (await Promise.all(found.pages)).map(card);
    const counts = practices ? await facetCounts(pagefind, term, options.filters, found.counts) : null;
    return { ids: found.results.map((result) => result.id), pages, counts, searched: performance.timeOrigin + found.searched };
  },
  /** Card data of pages of the channel's last search. */
  data({ channel, ids }) {
    return Promise.all(ids.map(async (id) => card(await kept[channel].get(id).data())));
  },
};

function card(data) {
  return Object.fromEntries(CARD_FIELDS.map((field) => [field, data[field]]));
}

/** The answer to one of search-ui.js's requests (see answers above). */
export function answer(method, args) {
  return answers[method](args);
}

if (typeof WorkerGlobalScope !== "undefined" && globalThis instanceof WorkerGlobalScope) {
  globalThis.addEventListener("message", async ({ data: { id, method, args } }) => {
    try {
      globalThis.postMessage({ id, result: await answer(method, args) });
    } catch (error) {
      globalThis.postMessage({ id, error: String(error) });
    }
  });
}

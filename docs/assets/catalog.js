// Small page-wide patches, loaded on every page before Material's bundle (overrides/main.html).
//
// 1. Material's bundle downloads "sitemap.xml" beside every <link rel="alternate"> of a page (the
// hreflang and feed links) to drive its own language selector. The catalog replaces that selector
// with direct links (overrides/partials/alternate.html), so those downloads are pure cost on a slow
// link: answer them with an empty document instead of going to the network.
(() => {
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    const path = new URL(String(url), document.baseURI).pathname;
    const target = path.endsWith("/sitemap.xml") ? "data:text/xml,%3Curlset%2F%3E" : url;
    return open.call(this, method, target, ...rest);
  };
})();

// 2. The language switch keeps the reader's place: the query string (search filters) and the
// #fragment go along to the same page in the other language.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[data-catalog-language-switch]");
  if (!link) return;
  const target = new URL(link.href, window.location.href);
  target.search = window.location.search;
  target.hash = window.location.hash;
  link.href = target.toString();
});

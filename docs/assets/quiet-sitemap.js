// Material's bundle downloads "sitemap.xml" beside every <link rel="alternate"> of a page (the
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

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

// The rest works on the page's content: this file loads before it (overrides/main.html, block libs).
document.addEventListener("DOMContentLoaded", () => {
  // Today's date in the page's language, where the page asks for it: the day a page is printed, the
  // day a citation was consulted. Without JavaScript those stay hidden or show a placeholder.
  // A page's first date formatting costs about 50 ms (the browser prepares its locale data; four
  // times that on a phone), so a page that shows no date on screen formats it when it is printed.
  const dates = [...document.querySelectorAll("[data-catalog-today]")];
  const showToday = () => {
    const today = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: "long" }).format(new Date());
    for (const date of dates) date.textContent = today;
    for (const hidden of document.querySelectorAll("[data-catalog-printed]")) hidden.hidden = false;
  };
  if (dates.some((date) => !date.closest(".catalog-print-meta"))) {
    showToday();
  } else if (dates.length) {
    window.addEventListener("beforeprint", showToday);
    window.matchMedia?.("print").addEventListener?.("change", (event) => { if (event.matches) showToday(); });
  }

  // Print: links inside the page print their address (catalog.css); internal links are relative,
  // so give them their absolute address beside the canonical one.
  const canonical = document.querySelector('link[rel="canonical"]');
  if (canonical) {
    for (const link of document.querySelectorAll('.md-content a[href]:not([href^="http"]):not([href^="mailto:"]):not([href^="#"])')) {
      link.dataset.printHref = new URL(link.getAttribute("href"), canonical.href).href;
    }
  }

  // "Copy the citation": the citation is plain selectable text; the button is an extra.
  for (const button of document.querySelectorAll("button[data-catalog-copy]")) {
    const source = document.getElementById(button.dataset.catalogCopy);
    const status = button.parentElement.querySelector("[data-catalog-copy-status]");
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.replace(/\s+/g, " ").trim());
        status.textContent = button.dataset.copied;
      } catch {
        window.getSelection().selectAllChildren(source);
        status.textContent = button.dataset.failed;
      }
    });
  }
});

// 3. Map markers (catalog/templates/map_frame.html): a tap or a click on a point shows its label (the
// practice's title, its place and a link) instead of leaving at once; a tap on a group shows the list
// of its practices. Keyboard focus shows the label too, and Enter follows the point's link or moves
// into the group's list. Escape or a tap elsewhere closes it. Without script a point is a plain link
// and a group's list opens as the page's #target.
document.addEventListener("DOMContentLoaded", () => {
  for (const frame of document.querySelectorAll("[data-catalog-map]")) {
    const markers = [...frame.querySelectorAll("a.catalog-map__point")];
    const panels = [...frame.querySelectorAll(":scope > .catalog-map__panel")];
    let open = -1;
    let quiet = false;  // focus given back by Escape does not reopen the label
    const close = () => {
      if (open < 0) return;
      panels[open].classList.remove("is-open", "is-placed");
      markers[open].classList.remove("is-open");
      markers[open].removeAttribute("aria-expanded");
      open = -1;
    };
    const show = (index) => {
      close();
      const panel = panels[index];
      const marker = markers[index];
      panel.classList.add("is-open", "is-placed");
      marker.classList.add("is-open");
      if (marker.classList.contains("catalog-map__group")) marker.setAttribute("aria-expanded", "true");
      open = index;
      // Below the marker (above it near the bottom of the frame), within the frame's width.
      const area = frame.getBoundingClientRect();
      const spot = marker.querySelector("circle").getBoundingClientRect();
      const left = spot.left + spot.width / 2 - area.left - panel.offsetWidth / 2;
      panel.style.left = `${Math.max(0, Math.min(left, area.width - panel.offsetWidth))}px`;
      const below = spot.bottom - area.top + 4;
      const above = spot.top - area.top - panel.offsetHeight - 4;
      panel.style.top = `${below + panel.offsetHeight > area.height && above >= 0 ? above : below}px`;
      panel.scrollIntoView({ block: "nearest" });  // a point near the screen's bottom edge
    };
    markers.forEach((marker, index) => {
      marker.addEventListener("focus", () => {
        if (!quiet && marker.matches(":focus-visible")) show(index);
      });
      marker.addEventListener("click", (event) => {
        const group = marker.classList.contains("catalog-map__group");
        const byKeyboard = event.detail === 0;
        if (!group && (byKeyboard || open === index)) return;  // Enter, or a second tap: follow the link
        event.preventDefault();
        show(index);
        if (byKeyboard) panels[index].focus();
      });
    });
    frame.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || open < 0) return;
      const marker = markers[open];
      close();
      quiet = true;
      marker.focus();
      quiet = false;
    });
    frame.addEventListener("focusout", (event) => {
      if (event.relatedTarget && !frame.contains(event.relatedTarget)) close();
    });
    document.addEventListener("click", (event) => {
      if (!frame.contains(event.target)) close();
    });
  }
});

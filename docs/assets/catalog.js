// The language switch keeps the reader's place: the query string (search filters) and the
// #fragment go along to the same page in the other language.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[data-catalog-language-switch]");
  if (!link) return;
  const target = new URL(link.href, window.location.href);
  target.search = window.location.search;
  target.hash = window.location.hash;
  link.href = target.toString();
});

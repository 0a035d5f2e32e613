"""What the tests and the developer scripts share: synthetic catalogs, Debian's Chromium and a
static server. Never imported by the catalog package; never published."""

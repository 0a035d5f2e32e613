"""The regional good-practice catalog: records → validation → model → views → site and open data."""

LANGUAGES = ("es", "en")  # site languages; Spanish is the default and is served at /
DEFAULT_LANGUAGE = "es"

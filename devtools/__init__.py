"""What the tests and the developer scripts share: synthetic catalogs, Debian's Chromium and static
servers. Never imported by the catalog package (tests/unit/test_architecture.py checks it); installed
beside it (pyproject.toml) only so that tests and scripts import it without editing sys.path."""

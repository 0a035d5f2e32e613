"""The site's settings from mkdocs.yml: one typed reading, with its defaults, for the plugin and the compendium."""

from __future__ import annotations

import pytest

from catalog.core.publisher import PublisherError
from catalog.core.settings import DEFAULT_BRANCH, read_settings
from catalog.mkdocs.config import load_site
from tests.helpers import REPO

PUBLISHER = {"name": "Test publisher", "statement": "A test.",
             "licence": {"data": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}}}


def test_defaults_for_what_mkdocs_yml_leaves_out():
    settings = read_settings({"repository": "https://github.com/o/r", "publisher": PUBLISHER}, None)
    assert (settings.repository, settings.branch, settings.site_url, settings.email) == \
        ("https://github.com/o/r", DEFAULT_BRANCH, "/", "")
    assert DEFAULT_BRANCH == "main"


def test_what_mkdocs_yml_gives_is_kept():
    extra = {"repository": "https://github.com/o/r", "branch": "records",
             "publisher": {**PUBLISHER, "email": "catalogo@example.org"}}
    settings = read_settings(extra, "https://example.org/catalog")
    assert (settings.branch, settings.site_url, settings.email) == ("records", "https://example.org/catalog/", "catalogo@example.org")
    assert settings.publisher.contact == "mailto:catalogo@example.org"


def test_a_missing_repository_is_named():
    with pytest.raises(PublisherError, match="repository"):
        read_settings({"publisher": PUBLISHER}, None)


def test_the_real_configuration_reads():
    config, _ = load_site(str(REPO / "mkdocs.yml"))
    settings = read_settings(config.extra, config.site_url)
    assert settings.branch == "main" and settings.repository.startswith("https://") and settings.site_url.endswith("/")

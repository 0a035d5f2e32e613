"""The site's settings, read from mkdocs.yml in one place, typed and with their defaults: where the
repository is and which branch records are edited on, who publishes the catalog (`extra.publisher`,
checked by catalog.core.publisher) and the site's address (`site_url`). The MkDocs plugin and the
`catalog compendium` command both take them from here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalog.core.languages import LANGUAGES
from catalog.core.publisher import Publisher, publisher_from_config

DEFAULT_BRANCH = "main"


@dataclass(frozen=True)
class Settings:
    repository: str  # extra.repository: https URL of the repository, for "propose a change" links
    branch: str  # extra.branch: where records are edited (default: main)
    publisher: Publisher  # extra.publisher, checked
    site_url: str  # site_url: absolute address of the site's root, ending in / ("/" when unset)

    @property
    def email(self) -> str:
        """The editors' address the forms offer (extra.publisher.email), or "" when there is none."""
        return self.publisher.email or ""


def read_settings(extra: Mapping[str, Any], site_url: str | None) -> Settings:
    """The settings from mkdocs.yml's `extra` and `site_url`. Raises PublisherError when the
    repository or the publisher is missing or malformed."""
    publisher = publisher_from_config(extra, LANGUAGES)  # checks extra.repository too
    return Settings(repository=extra["repository"], branch=extra.get("branch") or DEFAULT_BRANCH,
                    publisher=publisher, site_url=(site_url or "").rstrip("/") + "/")

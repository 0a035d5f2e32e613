"""Who publishes the catalog: the `extra.publisher` block of mkdocs.yml, checked and typed.

Core: the e-mail address is checked by the schema's rule for e-mail addresses. Shown in
the footer of every page, on the about, contribute and propose pages and in each practice's "cite
this practice" text. The default configuration claims no official status.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalog.core.datafiles import read_json
from catalog.core.paths import SCHEMA_PATH


class PublisherError(ValueError):
    """extra.publisher in mkdocs.yml is incomplete or malformed."""


@dataclass(frozen=True)
class Link:
    name: str
    url: str


@dataclass(frozen=True)
class Publisher:
    name: dict[str, str]  # language → name
    statement: dict[str, str]  # language → what the catalog is (and is not)
    address: dict[str, str] | None
    email: str | None  # the editors' address (extra.publisher.email); None: the site promises none
    contact: str  # https:// page or mailto: address (default: the e-mail, else the repository's issues)
    repository: str
    proposal_form: str
    licences: dict[str, Link]  # "data", "code" → licence

    @property
    def contact_text(self) -> str:
        """What a link to the contact shows: the e-mail address itself, or nothing (a label instead)."""
        return self.contact.removeprefix("mailto:") if self.contact.startswith("mailto:") else ""


def _bilingual(value: object, field: str, languages: tuple[str, ...]) -> dict[str, str]:
    if isinstance(value, str) and value.strip():
        return {language: value.strip() for language in languages}
    if isinstance(value, dict) and all(isinstance(value.get(lang), str) and value[lang].strip() for lang in languages):
        return {lang: value[lang].strip() for lang in languages}
    raise PublisherError(f"extra.publisher.{field}: give a text for each of {', '.join(languages)}")


def _url(value: object, field: str, schemes: tuple[str, ...] = ("https://",)) -> str:
    if isinstance(value, str) and value.startswith(schemes) and len(value) > max(map(len, schemes)):
        return value
    raise PublisherError(f"extra.publisher.{field}: an address starting with {' or '.join(schemes)}")


def _email(value: object) -> str | None:
    """One plain address (the schema's rule for record e-mails), or None when the field is unset or empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    # The schema's rule for e-mail addresses, which record links and contacts follow too (records.markup).
    if isinstance(value, str) and re.fullmatch(read_json(SCHEMA_PATH)["$defs"]["email"]["pattern"], value.strip()):
        return value.strip()
    raise PublisherError("extra.publisher.email: one e-mail address, such as catalogo@example.org (no name, no mailto:)")


def publisher_from_config(extra: Mapping[str, Any], languages: tuple[str, ...]) -> Publisher:
    """The publisher from mkdocs.yml's `extra` (its `repository` and `publisher` keys)."""
    repository = _url(extra.get("repository"), "repository").rstrip("/")
    block = extra.get("publisher")
    if not isinstance(block, dict):
        raise PublisherError("extra.publisher: missing; see mkdocs.yml for the fields")
    address = block.get("address")
    email = _email(block.get("email"))
    licences = block.get("licence") or {}
    if not isinstance(licences, dict) or not licences:
        raise PublisherError("extra.publisher.licence: give the data (and code) licence, each with name and url")
    return Publisher(
        name=_bilingual(block.get("name"), "name", languages),
        statement=_bilingual(block.get("statement"), "statement", languages),
        address=_bilingual(address, "address", languages) if address else None,
        email=email,
        contact=_url(block.get("contact") or (f"mailto:{email}" if email else f"{repository}/issues"),
                     "contact", ("https://", "mailto:")),
        repository=repository,
        proposal_form=f"{repository}/issues/new?template=practice.yml",
        licences={
            kind: Link(str(item.get("name", "")) if isinstance(item, dict) else "",
                       _url(item.get("url") if isinstance(item, dict) else None, f"licence.{kind}.url"))
            for kind, item in licences.items()
        },
    )

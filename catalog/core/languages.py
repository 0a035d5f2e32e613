"""The site's languages and where each one lives. A leaf: imports nothing of the package.

Spanish is the default language: its pages are at the site's root and its Markdown files have no
language suffix; every other language lives under its code (/en/, about.en.md).
"""

from __future__ import annotations

import os

LANGUAGES = ("es", "en")  # site languages, the default first
DEFAULT_LANGUAGE = "es"


def language_root(language: str) -> str:
    """Where a language's pages live, relative to the site's root: '' for Spanish, 'en/' for English."""
    return "" if language == DEFAULT_LANGUAGE else f"{language}/"


def language_roots() -> dict[str, str]:
    """Every language's root, for templates and scripts (language → '' or 'en/')."""
    return {language: language_root(language) for language in LANGUAGES}


def docs_suffix(language: str) -> str:
    """The suffix of a language's Markdown files in docs/: '' for Spanish (about.md), '.en' (about.en.md)."""
    return "" if language == DEFAULT_LANGUAGE else f".{language}"


def split_language(url: str) -> tuple[str, str]:
    """A site-relative URL → (its language, the URL inside that language's root): 'en/about/' → ('en', 'about/')."""
    for language in LANGUAGES:
        root = language_root(language)
        if root and url.startswith(root):
            return language, url.removeprefix(root)
    return DEFAULT_LANGUAGE, url


def other_language(language: str) -> str:
    """The other site language (there are two)."""
    return next(code for code in LANGUAGES if code != language)


def default_language() -> str:
    """The language of command-line messages: Spanish for Spanish-speaking terminals (LANG=es_…),
    English otherwise; CATALOG_LANG overrides."""
    chosen = os.environ.get("CATALOG_LANG") or os.environ.get("LANG", "")
    return "es" if chosen.startswith("es") else "en"

"""Translated strings, in each language: interface labels (data/ui.yml) and messages, one file per
part that speaks: data/messages.yml (the validator and `catalog validate`, the issue form),
data/messages_new.yml (`catalog new`) and data/messages_fields_doc.yml (the field reference).

A shared leaf: it reads the data files (fresh for every build, see catalog.core.datafiles) and names
languages through the vocabularies.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from catalog.core.datafiles import from_data, read_yaml
from catalog.core.languages import LANGUAGES
from catalog.core.vocabularies import load_vocabularies


@from_data
def _table(name: str) -> dict[str, dict[str, str]]:
    table = read_yaml(f"data/{name}.yml")
    for key, entry in table.items():
        missing = [language for language in LANGUAGES if not entry.get(language)]
        if missing:  # a developer error: every string exists in every language
            raise ValueError(f"data/{name}.yml: '{key}' has no text for {', '.join(missing)}")
    return table


# Message ids are unique across these files: message() looks an id up in all of them.
MESSAGE_FILES = ("messages", "messages_new", "messages_fields_doc")


@from_data
def _messages() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for name in MESSAGE_FILES:
        table = _table(name)
        repeated = sorted(set(table) & set(merged))
        if repeated:  # a developer error: one id, one message
            raise ValueError(f"data/{name}.yml: message ids already used in another messages file: {repeated}")
        merged.update(table)
    return merged


# {count|práctica|prácticas}: the singular when the number `count` is in CLDR's "one", else the plural.
_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


@cache
def _plural_rule(language: str):
    from babel import Locale  # Babel is imported when a number is first put in words: `--help` needs none

    return Locale.parse(language).plural_form


def plural_category(count: int | float, language: str) -> str:
    """The CLDR plural category of a number in the language, from Babel: "one" or "other" in
    English; Spanish also has "many" (1 000 000: «un millón de»). The browser uses the same CLDR
    rules through Intl.PluralRules (docs/assets/*.js)."""
    return _plural_rule(language)(count)


def ui_count(key: str, count: int, language: str, /, **params: Any) -> str:
    """The interface string KEY_one or KEY_other (data/ui.yml) that agrees with `count`; a category
    the table has no string for (Spanish "many") takes KEY_other."""
    table = _table("ui")
    chosen = f"{key}_{plural_category(count, language)}"
    return ui(chosen if chosen in table else f"{key}_other", language, **params)


def message(message_id: str, language: str, /, **params: Any) -> str:
    """A message in one language, its placeholders filled.

    A parameter ("msg", key) is itself a message id, ("lang", code) a language name and
    ("decimal", "1.25") a number written with the language's decimal sign,
    both put in the same language as the sentence around them. {name|one|other} picks the
    singular or the plural form by the number `name`.
    """
    text = plural_forms(_messages()[message_id][language], params, language)
    return text.format(**{name: _word(value, language) for name, value in params.items()})


def plural_forms(text: str, params: dict[str, Any], language: str) -> str:
    """Replace each {name|one|other} by the form that agrees with the number params[name]."""
    def form(match: re.Match) -> str:
        value = params.get(match[1])
        one = isinstance(value, (int, float)) and plural_category(value, language) == "one"
        return match[2] if one else match[3]
    return _PLURAL.sub(form, text)


def _word(value: Any, language: str) -> Any:
    if isinstance(value, tuple):
        kind, key = value
        if kind == "msg":
            return message(key, language)
        if kind == "lang":
            return load_vocabularies().languages[key].label(language)
        if kind == "decimal":  # a plain decimal ("1.25") with the language's decimal sign
            from babel.numbers import get_decimal_symbol

            return key.replace(".", get_decimal_symbol(language))
    return value


def ui(key: str, language: str, /, **params: Any) -> str:
    """An interface string of the site in one language."""
    text = _table("ui")[key][language]
    return text.format(**params) if params else text


@from_data
def ui_strings(language: str) -> dict[str, str]:
    """Every interface string in one language, for templates (shared: callers must not change it)."""
    return {key: entry[language] for key, entry in _table("ui").items()}

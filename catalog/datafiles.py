"""The package's data files (catalog/data/*.yml, catalog/schema/*.json), read fresh for every build.

A leaf: imports nothing of the package. What is read from a data file, and whatever is derived
from it (the vocabularies as objects, a compiled schema validator), is kept for one build only:
functions decorated with `per_build` are cached until `new_build()`, which the MkDocs plugin calls
at the start of every build, so that `mkdocs serve` shows an edit of ui.yml, vocabularies.yml,
messages*.yml or the schema without a restart. A command-line run is one build.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

import yaml

_F = TypeVar("_F", bound=Callable[..., Any])
_per_build_caches: list[Any] = []


def per_build(function: _F) -> _F:
    """Cache a function's results until the next build starts (see new_build)."""
    cached = functools.cache(function)
    _per_build_caches.append(cached)
    return cached  # type: ignore[return-value]


def new_build() -> None:
    """Forget everything read from the data files: the next use reads them again."""
    for cached in _per_build_caches:
        cached.cache_clear()


def package_file(relative: str) -> Traversable:
    """A file of the package, e.g. 'data/ui.yml' or 'schema/practice.schema.json'."""
    return resources.files("catalog").joinpath(relative)


# LibYAML's safe loader when PyYAML has it: the same data as yaml.safe_load, ten times faster
# (ui.yml and messages.yml are read at the start of every build).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@per_build
def read_yaml(relative: str) -> Any:
    """A YAML data file of the package, parsed (shared: callers must not change it)."""
    return yaml.load(package_file(relative).read_text("utf-8"), Loader=_SAFE_LOADER)


@per_build
def read_json(relative: str) -> Any:
    """A JSON file of the package, parsed (shared: callers must not change it)."""
    return json.loads(package_file(relative).read_text("utf-8"))

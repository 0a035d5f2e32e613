"""The package's data files (catalog/data/*.yml, catalog/schema/*.json), read fresh when they change.

A leaf: imports nothing of the package. What is read from a data file, and whatever is derived
from it (the vocabularies as objects, a compiled schema validator, projected map outlines, practice
cards rendered from catalog/templates), is kept until a data file or a template changes: functions
decorated with `from_data` are cached until `new_build()` finds such a file with another size or
modification time than at the last build. The MkDocs plugin calls
it at the start of every build, so that `mkdocs serve` shows an edit of ui.yml, vocabularies.yml,
messages*.yml or the schema without a restart, and does not read and derive them all again after
an edit of a record. A command-line run is one build.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml

_F = TypeVar("_F", bound=Callable[..., Any])
_data_caches: list[Any] = []
_DATA_FOLDERS = ("data", "schema", "templates")  # templates: what is cached may be HTML made with them
_last_stamp: tuple = ()


def from_data(function: _F) -> _F:
    """Cache a function's results until a data file changes (see new_build)."""
    cached = functools.cache(function)
    _data_caches.append(cached)
    return cached  # type: ignore[return-value]


def new_build() -> None:
    """A build starts: forget everything read from the data files if one of them changed since the
    last build (the next use reads them again)."""
    global _last_stamp
    stamp = _data_stamp()
    if stamp != _last_stamp:
        for cached in _data_caches:
            cached.cache_clear()
        _last_stamp = stamp


def _data_stamp() -> tuple:
    """Name, size and modification time (ns) of every data file: cheaper than reading them."""
    stamp = []
    for folder in _DATA_FOLDERS:
        for root, folders, names in os.walk(str(package_file(folder))):
            folders.sort()
            for name in sorted(names):
                status = os.stat(os.path.join(root, name))
                stamp.append((root, name, status.st_size, status.st_mtime_ns))
    return tuple(stamp)


# The package's own folder (catalog/), whose data, schema and templates the live preview watches.
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def package_file(relative: str) -> Traversable:
    """A file of the package, e.g. 'data/ui.yml' or 'schema/practice.schema.json'."""
    return resources.files("catalog").joinpath(relative)


# LibYAML's safe loader when PyYAML has it: the same data as yaml.safe_load, ten times faster
# (ui.yml and messages.yml are read at the start of every build).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@from_data
def read_yaml(relative: str) -> Any:
    """A YAML data file of the package, parsed (shared: callers must not change it)."""
    return yaml.load(package_file(relative).read_text("utf-8"), Loader=_SAFE_LOADER)


@from_data
def read_json(relative: str) -> Any:
    """A JSON file of the package, parsed (shared: callers must not change it)."""
    return json.loads(package_file(relative).read_text("utf-8"))

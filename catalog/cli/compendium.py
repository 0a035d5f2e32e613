"""`catalog compendium --lang es --out compendio.pdf [--country PAN] [--theme T] [--mechanism M]`.

Its arguments are declared in catalog.cli.main, which imports this module (and so Jinja, MkDocs and
WeasyPrint) only when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog.build import compendium
from catalog.core.i18n import message
from catalog.core.publisher import PublisherError
from catalog.core.vocabularies import load_vocabularies
from catalog.mkdocs.config import load_site
from catalog.records.model import InvalidRecords, load_practices


def _selection(args: argparse.Namespace, say) -> tuple[str | None, str | None, str | None] | str:
    """The (country, theme, mechanism) asked for, or the message that says which value is unknown."""
    vocabularies = load_vocabularies()
    country = args.country.upper() if args.country else None
    known_countries = (*vocabularies.countries, vocabularies.regional_code)
    for value, known, flag in ((country, known_countries, "--country"), (args.theme, vocabularies.themes, "--theme"),
                               (args.mechanism, vocabularies.mechanisms, "--mechanism")):
        if value is not None and value not in known:
            return say("compendium_unknown", flag=flag, value=value, known=", ".join(sorted(known)))
    return country, args.theme, args.mechanism


def run(args: argparse.Namespace) -> int:
    """Load and validate the records, then write the PDF; exit 0 (written), 1 (nothing to print or
    invalid records), 2 (usage)."""
    def say(key: str, **params: object) -> str:
        return message(key, args.lang, **params)

    asked = _selection(args, say)
    if isinstance(asked, str):
        print(f"catalog compendium: {asked}", file=sys.stderr)
        return 2
    selection = compendium.Selection(*asked)
    config, root = load_site(args.config)
    try:
        context = compendium.context_for(root, config)
    except PublisherError as error:
        print(f"catalog compendium: {args.config}: {error}", file=sys.stderr)
        return 2
    try:
        practices = load_practices(root / "practices")
    except InvalidRecords as error:
        print(say("compendium_invalid", count=len(error.report.problems)), file=sys.stderr)
        return 1
    if not any(selection.matches(practice) for practice in practices):
        print(say("compendium_empty"), file=sys.stderr)
        return 1
    made = compendium.build(practices, args.lang, Path(args.out), context, selection)
    print(say("compendium_written", path=args.out, pages=made["pages"], size=made["bytes"], seconds=made["seconds"]))
    return 0

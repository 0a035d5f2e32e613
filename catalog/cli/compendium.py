"""`catalog compendium --lang es --out compendio.pdf [--country PAN] [--theme T] [--mechanism M]`.

The command's arguments are declared here, apart from the typesetting: `catalog validate` builds
the same parser and must not load what the compendium needs (Jinja, MkDocs, WeasyPrint), so `run`
imports it only when the command runs (the cli folder is the one place where an import below
module level is allowed, for start-up time; it still points down).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog.core.i18n import message
from catalog.core.languages import LANGUAGES, default_language
from catalog.core.publisher import PublisherError
from catalog.core.vocabularies import load_vocabularies
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
    from catalog.build import compendium
    from catalog.mkdocs.config import load_site

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


def add_command(commands: argparse._SubParsersAction) -> None:
    """Register `catalog compendium` (called from catalog.cli.main.build_parser)."""
    language = default_language()
    command = commands.add_parser("compendium", help=message("compendium_help", language),
                                  description=message("compendium_help", language))
    command.add_argument("--lang", choices=LANGUAGES, required=True, help=message("compendium_flag_lang", language))
    command.add_argument("--out", required=True, help=message("compendium_flag_out", language))
    command.add_argument("--country", help=message("compendium_flag_country", language))
    command.add_argument("--theme", help=message("compendium_flag_theme", language))
    command.add_argument("--mechanism", help=message("compendium_flag_mechanism", language))
    command.add_argument("--config", default="mkdocs.yml", help=message("compendium_flag_config", language))
    command.set_defaults(handler=run)

"""The `catalog` command: validate records (and, through sub-modules, create and export them)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from catalog.cli import compendium, issue_form, new
from catalog.core.i18n import message
from catalog.core.languages import LANGUAGES, default_language
from catalog.core.paths import PRACTICES
from catalog.records.problems import format_problem
from catalog.records.validate import validate_paths


def _one_language(choice: str) -> str:
    return LANGUAGES[0] if choice == "both" else choice


def cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [PRACTICES]
    missing = [path for path in paths if not path.exists()]
    if missing:  # a usage error, not an invalid record
        for path in missing:
            print(f"catalog validate: {path}: {message('no_such_path', _one_language(args.lang))}", file=sys.stderr)
        return 2
    report = validate_paths(paths, workers=min(os.cpu_count() or 1, 4))
    for problem in report.problems:
        print(format_problem(problem, args.lang, args.format))
    if args.pending:
        for note in report.pending:
            print(format_problem(note, args.lang), file=sys.stderr)
    summary_language = _one_language(args.lang)
    if report.ok:
        files_pending = len({note.path for note in report.pending})
        print(message("summary_ok", summary_language, count=len(report.documents), pending=files_pending), file=sys.stderr)
        return 0
    files = len({p.path for p in report.problems})
    print(message("summary_errors", summary_language, errors=len(report.problems), files=files), file=sys.stderr)
    return 1


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, with its own words ("usage: ") in the chosen language."""

    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse's signature
        # prefix "" is argparse naming a sub-command ("catalog validate"): no word to add there.
        return super().add_usage(usage, actions, groups, message("cli_usage", default_language()) if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An argument parser that speaks the language of LANG / CATALOG_LANG: titles, -h and errors.
    Sub-commands (catalog new, catalog from-issue) are made of the same class."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - argparse's signature
        language = default_language()
        super().__init__(*args, **{"formatter_class": HelpFormatter, "add_help": False, **kwargs})
        self._positionals.title = message("cli_positionals", language)
        self._optionals.title = message("cli_options", language)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=message("cli_help", language))

    def error(self, text: str) -> NoReturn:
        """argparse's English error, its fixed words replaced by the chosen language's."""
        language = default_language()
        for key in ARGPARSE_WORDS:
            text = text.replace(message(key, "en"), message(key, language))
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message('cli_error', language)}: {text}\n")


# The fixed words argparse puts in its errors (the English is argparse's own, Spanish ours).
ARGPARSE_WORDS = ("cli_argument", "cli_invalid_choice", "cli_choose_from", "cli_required", "cli_unrecognized",
                  "cli_expected_one")


def build_parser() -> argparse.ArgumentParser:
    language = default_language()
    parser = Parser(prog="catalog", description=message("cli_description", language))
    commands = parser.add_subparsers(dest="command", required=True, title=message("cli_commands", language))

    validate = commands.add_parser("validate", help=message("cli_validate_help", language),
                                   description=message("cli_validate_help", language))
    validate.add_argument("paths", nargs="*", help=message("cli_paths_help", language))
    validate.add_argument("--lang", choices=[*LANGUAGES, "both"], default=language, help=message("cli_lang_help", language))
    validate.add_argument("--format", choices=["text", "github"], default="text", help=message("cli_format_help", language))
    validate.add_argument("--pending", action="store_true", help=message("cli_pending_help", language))
    validate.set_defaults(handler=cmd_validate)
    new.add_command(commands)
    issue_form.add_command(commands)
    compendium.add_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())

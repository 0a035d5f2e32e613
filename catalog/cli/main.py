"""The `catalog` command. Every sub-command's arguments are declared here, and its module (COMMANDS)
is imported only when that command runs: `catalog validate --help` builds the whole parser from the
messages alone, and `catalog validate` loads the validator but not what the compendium needs (Jinja,
MkDocs, WeasyPrint) nor what only an invalid record needs (jsonschema's messages).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
from typing import NoReturn

from catalog.core.i18n import message
from catalog.core.languages import LANGUAGES, default_language
from catalog.core.paths import PRACTICES

# Sub-command → the module whose `run(args)` carries it out, imported only when that command runs.
COMMANDS = {
    "validate": "catalog.cli.validate",
    "new": "catalog.cli.new",
    "from-issue": "catalog.cli.issue_form",
    "compendium": "catalog.cli.compendium",
}


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
    """The whole command line, declared without importing any sub-command's module."""
    language = default_language()
    parser = Parser(prog="catalog", description=message("cli_description", language))
    commands = parser.add_subparsers(dest="command", required=True, title=message("cli_commands", language))
    for declare in (_validate, _new, _from_issue, _compendium):
        declare(commands, language)
    return parser


def _validate(commands: argparse._SubParsersAction, language: str) -> None:
    command = commands.add_parser("validate", help=message("cli_validate_help", language),
                                  description=message("cli_validate_help", language))
    command.add_argument("paths", nargs="*", help=message("cli_paths_help", language))
    command.add_argument("--lang", choices=[*LANGUAGES, "both"], default=language, help=message("cli_lang_help", language))
    command.add_argument("--format", choices=["text", "github"], default="text", help=message("cli_format_help", language))
    command.add_argument("--pending", action="store_true", help=message("cli_pending_help", language))


def _new(commands: argparse._SubParsersAction, language: str) -> None:
    command = commands.add_parser("new", help=message("new_help", language))
    command.add_argument("--country", help=message("new_flag_country", language))
    command.add_argument("--language", help=message("new_flag_language", language))
    command.add_argument("--title", help=message("new_flag_title", language))
    command.add_argument("--id", help=message("new_flag_id", language))
    command.add_argument("--out-dir", default=str(PRACTICES), help=message("new_flag_out_dir", language))
    command.add_argument("--lang", choices=LANGUAGES, default=language, help=message("new_flag_lang", language))


def _from_issue(commands: argparse._SubParsersAction, language: str) -> None:
    command = commands.add_parser("from-issue", help=message("issue_help", language))
    command.add_argument("--body-file", required=True, help=message("issue_flag_body_file", language))
    command.add_argument("--out-dir", default=str(PRACTICES), help=message("new_flag_out_dir", language))
    command.add_argument("--id", help=message("new_flag_id", language))
    command.add_argument("--lang", choices=[*LANGUAGES, "both"], default=language,
                         help=message("issue_flag_lang", language))
    command.add_argument("--check", action="store_true", help=message("issue_flag_check", language))
    command.add_argument("--comment-file", help=message("issue_flag_comment_file", language))


def _compendium(commands: argparse._SubParsersAction, language: str) -> None:
    """--country, --theme and --mechanism take an id, a name or a label, as `catalog new` does
    (Guatemala, guatemala, GTM; «Género», gender); a near miss is refused with its suggestion."""
    command = commands.add_parser("compendium", help=message("compendium_help", language),
                                  description=message("compendium_help", language))
    command.add_argument("--lang", choices=LANGUAGES, required=True, help=message("compendium_flag_lang", language))
    command.add_argument("--out", required=True, help=message("compendium_flag_out", language))
    command.add_argument("--country", type=functools.partial(_known, "vocabulary_countries"),
                         help=message("compendium_flag_country", language))
    command.add_argument("--theme", type=functools.partial(_known, "vocabulary_themes"),
                         help=message("compendium_flag_theme", language))
    command.add_argument("--mechanism", type=functools.partial(_known, "vocabulary_mechanisms"),
                         help=message("compendium_flag_mechanism", language))
    command.add_argument("--config", default="mkdocs.yml", help=message("compendium_flag_config", language))


def _names(vocabulary: str) -> dict[str, list[str]]:
    """Every spelling of each value of a vocabulary (its message id, vocabulary_themes) as id, …, Spanish,
    English. The names come from CLDR and the vocabularies, loaded only when a value is given."""
    from catalog.core.vocabularies import load_vocabularies
    from catalog.records.suggest import country_names, term_names

    if vocabulary == "vocabulary_countries":
        return country_names()
    return term_names(getattr(load_vocabularies(), vocabulary.removeprefix("vocabulary_")))


def _known(vocabulary: str, value: str) -> str:
    from catalog.records.suggest import best

    names = _names(vocabulary)
    found, exact = best(value, names)
    if found and exact:
        return found
    language = default_language()
    if found:
        suggestion = f"{value_name(found, names, language)} ({found})"
        raise argparse.ArgumentTypeError(message("cli_did_you_mean", language, value=value, suggestion=suggestion,
                                                 vocabulary=("msg", vocabulary)))
    raise argparse.ArgumentTypeError(message("cli_unknown_value", language, value=value, vocabulary=("msg", vocabulary),
                                             allowed=", ".join(names)))


def value_name(found: str, names: dict[str, list[str]], language: str) -> str:
    """The name of an id in the language of the messages (names are listed id, …, Spanish, English)."""
    spellings = names[found]
    return spellings[-1] if language == "en" else spellings[-2]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return importlib.import_module(COMMANDS[args.command]).run(args)


if __name__ == "__main__":
    sys.exit(main())

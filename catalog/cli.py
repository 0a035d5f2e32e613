"""The `catalog` command: validate records (and, through sub-modules, create and export them)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog import issue_form, new
from catalog.i18n import message
from catalog.languages import LANGUAGES, default_language
from catalog.paths import PRACTICES
from catalog.problems import format_problem
from catalog.validate import validate_paths


def _one_language(choice: str) -> str:
    return LANGUAGES[0] if choice == "both" else choice


def cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [PRACTICES]
    missing = [path for path in paths if not path.exists()]
    if missing:  # a usage error, not an invalid record
        for path in missing:
            print(f"catalog validate: {path}: {message('no_such_path', _one_language(args.lang))}", file=sys.stderr)
        return 2
    report = validate_paths(paths)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="catalog", description="Tools for the regional good-practice catalog.")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check practice records and report every problem with its line")
    validate.add_argument("paths", nargs="*", help="record files or folders (default: practices/)")
    validate.add_argument("--lang", choices=[*LANGUAGES, "both"], default=default_language(),
                          help="language of the messages (default: from LANG)")
    validate.add_argument("--format", choices=["text", "github"], default="text",
                          help="github: workflow annotations on the pull request's files")
    validate.add_argument("--pending", action="store_true", help="also list every text whose translation is pending")
    validate.set_defaults(handler=cmd_validate)
    new.add_command(commands)
    issue_form.add_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())

"""`catalog validate [PATH…]`: check records and report every problem of every file at once
(`PATH:LINE:COL: FIELD: message`); exit 0 (valid), 1 (problems) or 2 (usage). Its arguments are
declared in catalog.cli.main; this module is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from catalog.core.i18n import message
from catalog.core.languages import LANGUAGES
from catalog.core.paths import PRACTICES
from catalog.records.problems import format_problem
from catalog.records.validate import validate_paths


def _one_language(choice: str) -> str:
    return LANGUAGES[0] if choice == "both" else choice


def run(args: argparse.Namespace) -> int:
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

"""The comment a proposal issue gets from the check workflow: its problems at the questions and
lines of the issue form ("Resultados en cifras, línea 2: …"), in Spanish and English, or what
happens next when everything is right.

The workflow writes this text to a file with `catalog from-issue --comment-file` and posts it with
`gh … --body-file`, updating the comment that carries MARKER on each edit of the issue. The values
quoted in the messages come from the issue, typed by anyone: they are made inert Markdown here
(no mention, no link, no HTML, no heading), so the comment can only ever say what we wrote.
"""

from __future__ import annotations

import re

from catalog.core.i18n import message
from catalog.core.languages import LANGUAGES
from catalog.records.characters import one_line
from catalog.records.problems import Problem, describe

# Where each field of the record comes from in the issue form: the question (a field id of FIELDS).
_QUESTION_OF = {
    "id": "title", "country": "country", "original_language": "original_language", "title": "title",
    "summary": "summary", "description": "description", "lead_entity": "lead_entity",
    "lead_entity.acronym": "lead_acronym", "partners": "partners", "locations": "locations",
    "period": "start", "period.start": "start", "period.end": "end", "status": "status", "results": "results",
    "themes": "themes", "sources": "sources", "provenance": "provenance", "provenance.by": "provenance_by",
    "contact": "contact_name", "contact.name": "contact_name", "contact.email": "contact_email",
}
Places = dict[str, tuple[str, int | None]]  # a field name (results[0].values[1]) → (question id, line of its answer)


def question_of(field: str, places: Places) -> tuple[str, int | None]:
    """The question of the issue form (and the line of its answer, for a list) a field of the record came from."""
    name = field
    while name:
        if name in places:
            return places[name]
        plain = re.sub(r"\[\d+\]", "", name)
        if plain in _QUESTION_OF:
            return _QUESTION_OF[plain], None
        name = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", name)
    return "title", None


MARKER = "<!-- catalog-proposal-check -->"  # finds the comment to update; invisible on the issue page
MAX_LISTED = 50  # a comment has room for far more, but no one reads further; the rest is counted
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~&-])")


def inert(text: str) -> str:
    """Untrusted text as plain words in GitHub Markdown: one line, every Markdown sign escaped,
    no @mention and no autolink (a word joiner after @, after "https:" and "www." keeps GitHub from
    notifying anyone or making a link)."""
    escaped = _MARKDOWN.sub(r"\\\1", one_line(text)).replace("@", "@\u2060")
    return re.sub(r"(?i)(:(?=/)|www(?=\.))", "\\g<1>\u2060", escaped)  # no autolink either (https://, www.)


def where(problem: Problem, places: Places, language: str) -> str:
    """'Resultados en cifras, línea 2' -- the question of the issue form, and the line of its answer."""
    question, line = question_of(problem.field, places)
    label = message(f"form_{question}", language)
    return message("issue_comment_line", language, question=label, line=line) if line else label


def comment(problems: list[Problem], places: Places, error: Problem | None = None) -> str:
    """The whole comment: the problems (or an issue that could not be read at all), else what happens next."""
    parts = [MARKER]
    for language in LANGUAGES:
        if error is not None:
            parts += [message("issue_comment_unreadable", language), "", f"- {inert(describe(error, language))}"]
        elif problems:
            parts += [message("issue_comment_problems", language, count=len(problems)), ""]
            parts += [f"- **{where(p, places, language)}**: {inert(describe(p, language))}" for p in problems[:MAX_LISTED]]
            if len(problems) > MAX_LISTED:
                parts.append(f"- {message('issue_comment_more', language, count=len(problems) - MAX_LISTED)}")
        else:
            parts.append(message("issue_comment_ready", language))
        parts += ["", "---", ""]
    return "\n".join(parts[:-3]) + "\n"

"""Typed practice records. Built only from validated documents; nothing downstream reads YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.core.languages import LANGUAGES
from catalog.records.validate import Report, validate_paths


class InvalidRecords(Exception):
    """Raised when records do not validate; carries the validator's report."""

    def __init__(self, report: Report):
        super().__init__(f"{len(report.problems)} problem(s) in the practice records")
        self.report = report


@dataclass(frozen=True)
class Text:
    """A text in Spanish and English. A name written once (the same in both) is `neutral`."""

    values: dict[str, str]
    neutral: bool = False

    @classmethod
    def of(cls, raw: Any) -> Text | None:
        if raw is None:
            return None
        if isinstance(raw, str):
            return cls({language: raw for language in LANGUAGES}, neutral=True)
        return cls({language: raw[language] for language in LANGUAGES if raw.get(language)})

    def is_pending(self, language: str) -> bool:
        """True when this language's translation has not been written yet."""
        return language not in self.values

    def shown_in(self, language: str, original: str) -> tuple[str, str]:
        """(text, language of that text): the requested language, or the original while a translation is pending."""
        if language in self.values:
            return self.values[language], language
        return self.values[original], original


@dataclass(frozen=True)
class Entity:
    name: Text
    acronym: Text | None = None  # one acronym for both languages (neutral), or ACNUR/UNHCR
    url: str | None = None


@dataclass(frozen=True)
class Coordinates:
    """A point in decimal degrees, WGS 84."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Location:
    name: Text
    subdivision: str | None = None
    note: Text | None = None
    coordinates: Coordinates | None = None


@dataclass(frozen=True)
class Period:
    start: str  # "2021", "2021-03" or "2021-03-15"
    end: str | None = None
    note: Text | None = None

    @property
    def start_year(self) -> int:
        return int(self.start[:4])

    @property
    def end_year(self) -> int | None:
        return int(self.end[:4]) if self.end else None


@dataclass(frozen=True)
class ResultValue:
    year: int
    value: int | float
    qualifier: str | None = None
    note: Text | None = None
    source: int | None = None  # number of the record's source (from 1) when not the indicator's


@dataclass(frozen=True)
class Indicator:
    indicator: Text
    unit: str
    values: tuple[ResultValue, ...]
    source: int  # number of the record's source (from 1) that gives the figures: required, and one that exists
    kind: str = "result"
    note: Text | None = None


@dataclass(frozen=True)
class Change:
    """A public change note: what a reader should know changed, and when (YYYY-MM-DD)."""

    date: str
    note: Text


@dataclass(frozen=True)
class Commitment:
    mechanism: str
    commitment: str | None = None
    text: Text | None = None


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None
    publisher: str | None = None
    date: str | None = None
    language: str | None = None
    descriptive_title: bool = False  # the title describes the source; it is not the source's own
    note: Text | None = None


@dataclass(frozen=True)
class Provenance:
    """How the record came to be: compiled, submitted or reviewed (a vocabulary id), by whom and when."""

    method: str
    by: Text | None = None
    date: str | None = None
    note: Text | None = None


@dataclass(frozen=True)
class Contact:
    name: Text
    email: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Practice:
    id: str
    country: str
    original_language: str
    title: Text
    summary: Text
    description: Text
    lead_entity: Entity
    period: Period
    status: str
    themes: tuple[str, ...]
    sources: tuple[Source, ...]
    provenance: Provenance
    submitted: str
    source_path: str  # the record's file, relative to the repository root
    host_country: str | None = None
    results_summary: Text | None = None
    challenges: Text | None = None
    partners: tuple[Entity, ...] = ()
    locations: tuple[Location, ...] = ()
    results: tuple[Indicator, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    contact: Contact | None = None
    updated: str | None = None
    changes: tuple[Change, ...] = ()
    # Editors' notes (editor_note) stay in `raw` only, for the open data: no template can show them.
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # the validated data as written

    @property
    def mechanisms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.mechanism for c in self.commitments))

    @property
    def status_confirmed(self) -> bool:
        """False when the sources leave the practice's current status open (the status `unknown`)."""
        return self.status != "unknown"

    def pending_languages(self) -> tuple[str, ...]:
        """Languages in which at least one text of this record still awaits translation."""
        texts = [self.title, self.summary, self.description, self.results_summary, self.challenges]
        texts += [p.name for p in self.partners] + [self.lead_entity.name]
        texts += [r.indicator for r in self.results] + [c.text for c in self.commitments]
        texts += [loc.note for loc in self.locations] + [self.provenance.by, self.provenance.note]
        texts += [source.note for source in self.sources] + [change.note for change in self.changes]
        return tuple(lang for lang in LANGUAGES if any(t is not None and t.is_pending(lang) for t in texts))


def _entity(raw: dict[str, Any]) -> Entity:
    return Entity(Text.of(raw["name"]), Text.of(raw.get("acronym")), raw.get("url"))


def _source(raw: dict[str, Any]) -> Source:
    date = str(raw["date"]) if "date" in raw else None
    return Source(raw["title"], raw.get("url"), raw.get("publisher"), date, raw.get("language"),
                  raw.get("descriptive_title", False), Text.of(raw.get("note")))


def _provenance(raw: dict[str, Any]) -> Provenance:
    date = str(raw["date"]) if "date" in raw else None
    return Provenance(raw["method"], Text.of(raw.get("by")), date, Text.of(raw.get("note")))


def practice_from_data(data: dict[str, Any], source_path: str) -> Practice:
    """Build the typed model of one validated record."""
    period = data["period"]
    return Practice(
        id=data["id"],
        country=data["country"],
        host_country=data.get("host_country"),
        original_language=data["original_language"],
        title=Text.of(data["title"]),
        summary=Text.of(data["summary"]),
        description=Text.of(data["description"]),
        results_summary=Text.of(data.get("results_summary")),
        challenges=Text.of(data.get("challenges")),
        lead_entity=_entity(data["lead_entity"]),
        partners=tuple(_entity(p) for p in data.get("partners", [])),
        locations=tuple(
            Location(Text.of(loc["name"]), loc.get("subdivision"), Text.of(loc.get("note")),
                     Coordinates(**loc["coordinates"]) if "coordinates" in loc else None)
            for loc in data.get("locations", [])
        ),
        period=Period(str(period["start"]), str(period["end"]) if "end" in period else None, Text.of(period.get("note"))),
        status=data["status"],
        results=tuple(
            Indicator(
                indicator=Text.of(item["indicator"]),
                unit=item["unit"],
                kind=item.get("kind", "result"),
                note=Text.of(item.get("note")),
                source=item["source"],
                values=tuple(
                    ResultValue(v["year"], v["value"], v.get("qualifier"), Text.of(v.get("note")), v.get("source"))
                    for v in sorted(item["values"], key=lambda v: v["year"])
                ),
            )
            for item in data.get("results", [])
        ),
        commitments=tuple(
            Commitment(c["mechanism"], c.get("commitment"), Text.of(c.get("text"))) for c in data.get("commitments", [])
        ),
        themes=tuple(data["themes"]),
        sources=tuple(_source(s) for s in data["sources"]),
        provenance=_provenance(data["provenance"]),
        contact=(
            Contact(Text.of(data["contact"]["name"]), data["contact"].get("email"), data["contact"].get("url"))
            if "contact" in data
            else None
        ),
        submitted=data["submitted"],
        updated=data.get("updated"),
        changes=tuple(Change(c["date"], Text.of(c["note"])) for c in data.get("changes", [])),
        source_path=source_path,
        raw=data,
    )


@dataclass
class KeptRecords:
    """What the live preview keeps of the records from one build to the next (catalog.mkdocs.preview):
    `checks`, record file → (its bytes, its validation result), so that a file whose bytes did not
    change is not checked again (catalog.records.validate); `practices`, record file → its typed
    practice, so that such a record keeps its Practice (the same object: later caches key on it)."""

    checks: dict[Path, tuple[bytes, Any]] = field(default_factory=dict)
    practices: dict[Path, Practice] = field(default_factory=dict)

    def forget_checks(self) -> None:
        """The schema or the vocabularies may have changed: check every file again."""
        self.checks.clear()


def load_practices(root: Path, workers: int = 1, kept: KeptRecords | None = None) -> list[Practice]:
    """Validate every record under root (in `workers` processes) and return them sorted by id, or
    raise InvalidRecords. With `kept` (the live preview's), the records whose bytes did not change
    since it was last updated keep their validation result and their practice; it is updated."""
    report = validate_paths([root], workers=workers, unchanged=kept.checks if kept is not None else None)
    if not report.ok:
        raise InvalidRecords(report)
    base = root.resolve().parent
    practices = []
    for document in report.documents:
        known = kept.practices.get(document.path) if kept is not None else None
        if known is not None and known.raw is document.data:  # the same validation result: the same record
            practices.append(known)
            continue
        try:
            relative = document.path.resolve().relative_to(base).as_posix()
        except ValueError:
            relative = document.path.as_posix()
        practices.append(practice_from_data(document.data, relative))
    if kept is not None:
        kept.practices = {document.path: practice for document, practice in zip(report.documents, practices, strict=True)}
    return sorted(practices, key=lambda p: p.id)

"""Unit tests of catalog.records.loader: safe YAML with the line and column of every key and value.

Small hand-written documents are used where the line of a problem must be obvious at a glance;
the reference record where the loader must read a whole real record.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from catalog.records import loader
from catalog.records.loader import MAX_FILE_BYTES, Document, LoadError, Problem, field_name, load_document
from tests.helpers import EXAMPLE_RECORD, PRACTICES, REPO


def write(tmp_path: Path, content: str | bytes, name: str = "record.yml") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def load(tmp_path: Path, content: str | bytes) -> Document:
    return load_document(write(tmp_path, content))


def load_error(tmp_path: Path, content: str | bytes) -> list[Problem]:
    """The problems of a file the loader must refuse to read."""
    with pytest.raises(LoadError) as caught:
        load(tmp_path, content)
    return caught.value.problems


def where(problems: list[Problem]) -> list[tuple[str, int, int, str]]:
    return [(p.message, p.line, p.column, p.field) for p in problems]


# --- what is read, and where it stands ---------------------------------------------------------


def test_reference_record_loads_with_positions_of_keys_and_values() -> None:
    document = load_document(EXAMPLE_RECORD)
    assert document.problems == []
    assert document.data["id"] == "onpar-border-access"
    assert document.key_positions[("id",)] == (2, 1)
    assert document.value_positions[("id",)] == (2, 5)
    assert document.key_positions[("lead_entity", "acronym")] == (72, 3)
    assert document.value_positions[("results", 0, "values", 2, "value")] == (138, 29)


def test_dates_stay_the_text_that_was_written(tmp_path: Path) -> None:
    document = load(tmp_path, "submitted: 2026-11-23\nstart: 2021-03\nyear: 2021\n")
    assert document.data == {"submitted": "2026-11-23", "start": "2021-03", "year": 2021}
    assert document.retyped_text == {("year",): "2021"}


@pytest.mark.parametrize(
    ("raw", "value"),
    [("NO", False), ("on", True), ("012345", 0o12345), ("1.10", 1.1), ("~", None)],
)
def test_plain_scalars_yaml_retypes_keep_their_raw_text(tmp_path: Path, raw: str, value: object) -> None:
    document = load(tmp_path, f"acronym: {raw}\n")
    assert document.data["acronym"] == value
    assert document.retyped_text[("acronym",)] == raw


def test_quoted_scalars_are_text_and_not_retyped(tmp_path: Path) -> None:
    document = load(tmp_path, "acronym: \"NO\"\ncode: '012345'\n")
    assert document.data == {"acronym": "NO", "code": "012345"}
    assert document.retyped_text == {}


def test_field_names_stay_text(tmp_path: Path) -> None:
    document = load(tmp_path, "on: 1\nno: 2\n2021: 3\nnull: 4\n")
    assert list(document.data) == ["on", "no", "2021", "null"]


def test_utf8_bom_is_accepted_and_lines_are_unchanged(tmp_path: Path) -> None:
    document = load(tmp_path, b"\xef\xbb\xbf" + EXAMPLE_RECORD.read_bytes())
    assert document.problems == []
    assert document.data["country"] == "PAN"
    assert document.value_positions[("country",)] == (3, 10)


def test_windows_line_endings_are_accepted(tmp_path: Path) -> None:
    document = load(tmp_path, "id: x\r\ntitle:\r\n  en: Text\r\n")
    assert document.data == {"id": "x", "title": {"en": "Text"}}
    assert document.value_positions[("title", "en")] == (3, 7)


def test_a_file_of_exactly_the_size_limit_is_read(tmp_path: Path) -> None:
    content = "id: x\n#" + "x" * (MAX_FILE_BYTES - 8) + "\n"
    assert len(content.encode()) == MAX_FILE_BYTES
    assert load(tmp_path, content).data == {"id": "x"}


def test_position_falls_back_to_the_nearest_parent(tmp_path: Path) -> None:
    document = load(tmp_path, "id: x\nperiod:\n  start: 2021\n")
    assert document.position(("period", "end")) == (3, 3)  # the period mapping starts at `start`
    assert document.position(("period", "end"), prefer_key=True) == (2, 1)
    assert document.position(("nothing", "here")) == (1, 1)


def test_locate_finds_the_line_of_a_needle_inside_a_block_text(tmp_path: Path) -> None:
    document = load(tmp_path, "id: x\ntext: |\n  first line\n  second <b>bold</b>\n")
    assert document.locate(("text",), "<b>bold</b>\n") == (4, 10)
    assert document.locate(("text",), "not in the text") == (2, 7)


def test_locate_finds_a_needle_that_a_folded_text_joined_across_two_lines(tmp_path: Path) -> None:
    document = load(tmp_path, "id: x\ntext: >-\n  first line <b>ends\n  here</b> and more\n")
    assert document.data["text"] == "first line <b>ends here</b> and more"
    assert document.locate(("text",), "<b>ends here</b> and more") == (3, 14)


@pytest.mark.parametrize(
    ("field_path", "name"),
    [((), "(file)"), (("id",), "id"), (("results", 0, "values", 2, "year"), "results[0].values[2].year")],
)
def test_field_name_spelling(field_path: tuple, name: str) -> None:
    assert field_name(field_path) == name


# --- read, with problems kept for the validator ------------------------------------------------


def test_duplicate_key_at_top_level_is_reported_and_the_first_value_kept(tmp_path: Path) -> None:
    document = load(tmp_path, "id: x\nstatus: ongoing\nstatus: completed\n")
    assert where(document.problems) == [("duplicate_key", 3, 1, "status")]
    assert document.problems[0].params == {"key": "status", "first_line": 2}
    assert document.data["status"] == "ongoing"


def test_duplicate_key_nested_is_reported_with_its_path(tmp_path: Path) -> None:
    document = load(tmp_path, "id: x\nperiod:\n  start: 2021\n  start: 2019\n")
    assert where(document.problems) == [("duplicate_key", 4, 3, "period.start")]


def test_duplicate_key_inside_a_flow_mapping(tmp_path: Path) -> None:
    document = load(tmp_path, "values:\n  - {year: 2022, year: 2023, value: 1}\n")
    assert where(document.problems) == [("duplicate_key", 2, 18, "values[0].year")]


def test_anchor_is_reported(tmp_path: Path) -> None:
    document = load(tmp_path, "id: x\nstart: &s 2021\n")
    assert where(document.problems) == [("anchor", 2, 8, "(file)")]


@pytest.mark.parametrize(
    ("content", "tag"),
    [
        ('id: x\nstatus: !!python/object/apply:os.system ["echo pwned"]\n',
         "tag:yaml.org,2002:python/object/apply:os.system"),
        ("id: x\nstatus: !custom ongoing\n", "!custom"),
        ("id: x\nstatus: !!str ongoing\n", "tag:yaml.org,2002:str"),
    ],
)
def test_explicit_tags_are_reported_and_never_constructed(tmp_path: Path, content: str, tag: str) -> None:
    document = load(tmp_path, content)
    assert where(document.problems) == [("explicit_tag", 2, 9, "(file)")]
    assert document.problems[0].params == {"tag": tag}
    assert not callable(document.data["status"])


def test_merge_key_is_reported(tmp_path: Path) -> None:
    document = load(tmp_path, "id: x\n<<: {status: ongoing}\n")
    assert where(document.problems) == [("merge_key", 2, 1, "(file)")]
    assert document.data == {"id": "x"}


def test_complex_key_is_reported(tmp_path: Path) -> None:
    document = load(tmp_path, "id: x\n? [a, b]\n: c\n")
    assert where(document.problems) == [("complex_key", 2, 3, "(file)")]


def test_a_complex_key_and_its_value_are_dropped_and_the_mapping_goes_on(tmp_path: Path) -> None:
    document = load(tmp_path, "id: x\n? {a: [1, {b: 2}]}\n: {c: [3]}\nstatus: ongoing\n")
    assert where(document.problems) == [("complex_key", 2, 3, "(file)")]
    assert document.data == {"id": "x", "status": "ongoing"}
    assert document.position(("status",)) == (4, 9)


def test_an_anchor_name_used_twice_is_reported_at_each_place(tmp_path: Path) -> None:
    # PyYAML's composer would stop at the second with a message of its own; both are anchors.
    document = load(tmp_path, "id: &a x\nstatus: &a ongoing\n")
    assert where(document.problems) == [("anchor", 1, 5, "(file)"), ("anchor", 2, 9, "(file)")]


def _composed(text: str) -> tuple[object, dict, dict]:
    """PyYAML's own reading of a record (its composer, then its safe constructors; dates left as
    text), with the place of every value and key: what the loader's single pass must agree with."""
    values: dict = {}
    keys: dict = {}

    def walk(node, here):
        values[here] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key, value in node.value:
                keys[here + (key.value,)] = (key.start_mark.line + 1, key.start_mark.column + 1)
                result[key.value] = walk(value, here + (key.value,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [walk(item, here + (index,)) for index, item in enumerate(node.value)]
        return loader.RecordLoader("").construct_object(node) if node.tag != "tag:yaml.org,2002:str" else node.value

    return walk(yaml.compose(text, Loader=loader.RecordLoader), ()), values, keys


@pytest.mark.parametrize("path", sorted(PRACTICES.glob("*/*.yml")) + sorted((REPO / "tests").rglob("*.yml")),
                         ids=lambda path: path.name)
def test_every_real_and_test_record_reads_as_pyyaml_composes_it(path: Path) -> None:
    try:  # first: a refused file may hold aliases that a walk of PyYAML's nodes would expand
        document = load_document(path)
    except LoadError:
        pytest.skip("a file the loader refuses (tested above)")
    if any(p.message in ("duplicate_key", "merge_key", "complex_key", "explicit_tag", "number_too_large")
           for p in document.problems):
        pytest.skip("the loader reports what PyYAML would keep, construct or fail on")
    data, values, keys = _composed(path.read_text("utf-8-sig"))
    assert document.data == data
    for name, found, expected in (("value", document.value_positions, values), ("key", document.key_positions, keys)):
        wrong = [(field, found.get(field), place) for field, place in expected.items() if found.get(field) != place]
        assert not wrong and len(found) == len(expected), f"{name} places differ (field, found, PyYAML's): {wrong[:3]}"


# --- refused ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ("id: x\nperiod:\n  start: 2021\n    end: 2024\n", "yaml_indent_deeper", 4),  # over-indented
        ("id: x\nperiod:\n\tstart: 2021\n", "yaml_tab", 3),  # tab indentation
        # The parser notices a missing colon on the next line; the official must act on this one.
        ("id: x\nstatus ongoing\nthemes: []\n", "yaml_missing_colon", 2),
        ("id: x\nvalues: [1, 2\nstatus: ongoing\n", "yaml_unclosed_bracket", 2),  # where the bracket opens
    ],
)
def test_yaml_syntax_error_names_the_slip_at_its_line(tmp_path: Path, content: str, message: str, line: int) -> None:
    problems = load_error(tmp_path, content)
    assert [(p.message, p.line) for p in problems] == [(message, line)]


@pytest.mark.parametrize("content", ["", "# only a comment\n", "\n\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    assert where(load_error(tmp_path, content)) == [("empty_file", 1, 1, "(file)")]


@pytest.mark.parametrize("content", ["- id: x\n- id: y\n", "just a bare string\n", "2021\n"])
def test_root_that_is_not_a_mapping(tmp_path: Path, content: str) -> None:
    assert where(load_error(tmp_path, content)) == [("root_not_mapping", 1, 1, "(file)")]


def test_two_documents(tmp_path: Path) -> None:
    assert where(load_error(tmp_path, "id: x\n---\nid: y\n")) == [("several_documents", 2, 1, "(file)")]


def test_alias_is_refused_with_its_line(tmp_path: Path) -> None:
    problems = load_error(tmp_path, "id: x\nstart: &s 2021\nend: *s\n")
    assert where(problems) == [("anchor", 2, 8, "(file)"), ("alias", 3, 6, "(file)")]


def test_billion_laughs_is_refused_without_expanding_it(tmp_path: Path) -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    started = time.monotonic()
    problems = load_error(tmp_path, "\n".join(levels) + "\n")
    assert time.monotonic() - started < 5  # expanded, it would hold 9**10 strings
    assert [p.message for p in problems].count("alias") == 9 * 9
    assert min(p.line for p in problems if p.message == "alias") == 2


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    content = "id: x\n#" + "x" * (MAX_FILE_BYTES - 7) + "\n"
    problems = load_error(tmp_path, content)
    assert where(problems) == [("file_too_large", 1, 1, "(file)")]
    assert problems[0].params == {"size": MAX_FILE_BYTES + 1, "limit": MAX_FILE_BYTES}


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"id: x\ntitle: Metet\xed\n", 2),  # Latin-1
        (b"id: x\n\n\nname: \xff\xfe\n", 4),
        ("id: x\n".encode("utf-16"), 1),
    ],
)
def test_not_utf8_has_the_line_of_the_first_bad_byte(tmp_path: Path, content: bytes, line: int) -> None:
    assert where(load_error(tmp_path, content)) == [("not_utf8", line, 1, "(file)")]


@pytest.mark.parametrize(
    ("content", "line", "column", "code"),
    [
        ("id: x\ntitle: a\x00b\n", 2, 9, "U+0000"),  # NUL
        ("id: x\n\ntitle: bell\x07\n", 3, 12, "U+0007"),
        ("\x7fid: x\n", 1, 1, "U+007F"),  # DEL
        ("id: x\ntitle: a\x9bb\n", 2, 9, "U+009B"),  # C1 control (CSI)
        # Line breaks to YAML that editors show inside a line: refused raw, wherever they stand.
        ('id: x\ntitle: "a\x85b"\n', 2, 10, "U+0085"),  # NEL in quotes: YAML made it a space
        ("id: x\ntitle: a\u2028b\n", 2, 9, "U+2028"),
        ("id: x\n# a note\u2029status: ongoing\n", 2, 9, "U+2029"),  # in a comment: the rest became a field
        ("id: x\ntitle: |\n  a\x85b\n", 3, 4, "U+0085"),
    ],
)
def test_control_character_yaml_refuses_is_placed_where_it_stands(
    tmp_path: Path, content: str, line: int, column: int, code: str
) -> None:
    problems = load_error(tmp_path, content)
    assert where(problems) == [("control_character", line, column, "(file)")]
    assert problems[0].params == {"code": code}


@pytest.mark.parametrize("depth", [60, 1_000, 10_000])
def test_deep_nesting_is_refused_at_its_line(tmp_path: Path, depth: int) -> None:
    problems = load_error(tmp_path, "id: x\nstatus: " + "[" * depth + "]" * depth + "\n")
    assert [(p.message, p.line) for p in problems] == [("too_deep", 2)]


def test_deep_nesting_of_mappings_is_refused(tmp_path: Path) -> None:
    problems = load_error(tmp_path, "id: x\nstatus: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n")
    assert [(p.message, p.line) for p in problems] == [("too_deep", 2)]


def test_nesting_as_deep_as_a_real_record_is_read(tmp_path: Path) -> None:
    document = load(tmp_path, "a: " + "[" * 20 + "]" * 20 + "\n")
    assert document.problems == []

"""`catalog new`: the file it creates, its placeholders, and both ways of running it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from catalog.cli.main import main
from catalog.cli.new import SCHEMA_COMMENT, suggest_id
from catalog.records.schema import load_schema
from catalog.records.validate import validate_paths

# What a contributor must still write in a new record, as the validator names it.
PLACEHOLDERS = {
    "summary.es", "description.es", "lead_entity.name", "period.start", "status",
    "themes[0]", "sources[0].title", "sources[0].url", "provenance.method",
}


def run_new(tmp_path: Path, *flags: str) -> int:
    return main(["new", "--out-dir", str(tmp_path / "practices"), "--lang", "en", *flags])


def flags(title: str = "Atención en Darién", country: str = "PAN", language: str = "es") -> list[str]:
    return ["--country", country, "--language", language, "--title", title]


@pytest.mark.parametrize(("title", "expected"), [
    ("Atención en Darién", "atencion-en-darien"),
    ("Niñez: ¿protección en frontera?", "ninez-proteccion-en-frontera"),
    ("  COMAR   Digital 2.0 ", "comar-digital-2-0"),
    ("Ação de acolhida — São Paulo", "acao-de-acolhida-sao-paulo"),
    ("難民", ""),  # nothing to fold: the contributor types an id
])
def test_suggested_id_folds_accents_and_punctuation(title, expected):
    assert suggest_id(title) == expected


def test_suggested_id_is_cut_at_a_word_and_follows_the_schema():
    title = "Fortalecimiento de la presencia institucional en los puntos fronterizos del norte y del sur del país"
    suggestion = suggest_id(title)
    assert len(suggestion) <= 60 and not suggestion.endswith("-")
    assert title.lower().startswith(suggestion.replace("-", " ").split(" ")[0])
    rule = load_schema()["properties"]["id"]
    assert len(suggestion) >= rule["minLength"]


def test_flags_mode_creates_the_record_in_its_country_folder(tmp_path, capsys):
    assert run_new(tmp_path, *flags()) == 0
    path = tmp_path / "practices" / "pan" / "atencion-en-darien.yml"
    text = path.read_text("utf-8")
    assert text.splitlines()[0] == SCHEMA_COMMENT
    assert f'submitted: "{datetime.date.today().isoformat()}"' in text
    data = yaml.safe_load(text)
    assert data["id"] == "atencion-en-darien"
    assert data["country"] == "PAN" and data["original_language"] == "es"
    assert data["title"] == {"es": "Atención en Darién"}
    out = capsys.readouterr().out
    assert "pan/atencion-en-darien.yml" in out
    assert "summary.es" in out and "sources[0].url" in out  # what to fill next


def test_explicit_id_and_lower_case_country_are_accepted(tmp_path):
    assert run_new(tmp_path, *flags(country="cri", language="EN", title="Border access"), "--id", "dgme-border") == 0
    assert (tmp_path / "practices" / "cri" / "dgme-border.yml").is_file()


def test_every_field_is_explained_in_both_languages(tmp_path):
    run_new(tmp_path, *flags())
    lines = (tmp_path / "practices" / "pan" / "atencion-en-darien.yml").read_text("utf-8").splitlines()
    for name in load_schema()["required"]:
        index = lines.index(next(line for line in lines if line.startswith(f"{name}:")))
        above = []
        for line in reversed(lines[:index]):
            if not line.startswith("#"):
                break
            above.append(line)
        assert any(line.startswith("# (es) ") for line in above), name
        assert any(line.startswith("# (en) ") for line in above), name


def test_new_record_fails_only_on_its_placeholders(tmp_path):
    run_new(tmp_path, *flags())
    report = validate_paths([tmp_path / "practices"])
    assert {problem.field for problem in report.problems} == PLACEHOLDERS


def test_filled_in_record_is_valid(tmp_path):
    run_new(tmp_path, *flags())
    path = tmp_path / "practices" / "pan" / "atencion-en-darien.yml"
    path.write_text(filled_in(path.read_text("utf-8")), "utf-8")
    report = validate_paths([path])
    assert report.ok, report.problems
    assert report.documents[0].data["title"] == {"es": "Atención en Darién"}


def test_a_result_taken_from_the_template_names_its_source(tmp_path):
    """Every figure says where it comes from (issue 25): the template's result has `source: 1`, the first
    source, and is valid as soon as its figures are written."""
    run_new(tmp_path, *flags())
    path = tmp_path / "practices" / "pan" / "atencion-en-darien.yml"
    text = filled_in(path.read_text("utf-8"))
    start = text.index("# results:")
    block = text[start:text.index("\n\n", start)]
    result = "\n".join(line[2:] for line in block.splitlines())  # "delete '# ' at the start of its lines"
    result = (result.replace("      es:", "      es: Solicitudes recibidas").replace("unit:", "unit: applications")
              .replace("year:", "year: 2024").replace("value:", "value: 79"))
    path.write_text(text.replace(block, result), "utf-8")
    report = validate_paths([path])
    assert report.ok, report.problems
    assert report.documents[0].data["results"] == [{"indicator": {"es": "Solicitudes recibidas"}, "unit": "applications",
                                                     "source": 1, "values": [{"year": 2024, "value": 79}]}]


def filled_in(text: str) -> str:
    """A new record with every placeholder written as a contributor would."""
    fills = {
        "summary:\n  es:\n": "summary:\n  es: La ONPAR atiende a las personas que piden refugio en la frontera con Colombia.\n",
        "description:\n  es:\n": "description:\n  es: |\n    Primer párrafo.\n\n    - una lista;\n    - con dos puntos.\n",
        "\n  name:\n": "\n  name: Oficina Nacional para la Atención de Refugiados\n",
        "\n  start:\n": "\n  start: 2021\n",
        "\nstatus:\n": "\nstatus: ongoing\n",
        "themes:\n  -\n": "themes:\n  - border-reception\n",
        "  - title:\n": "  - title: Informe de la ONPAR\n",
        "\n    url:\n": "\n    url: https://www.example.gob.pa/informe\n",
        "\n  method:\n": "\n  method: submitted\n  by: Oficina Nacional para la Atención de Refugiados\n  date: 2026-03\n",
    }
    for placeholder, value in fills.items():
        assert text.count(placeholder) == 1, placeholder
        text = text.replace(placeholder, value)
    return text


def test_refuses_to_overwrite(tmp_path, capsys):
    assert run_new(tmp_path, *flags()) == 0
    path = tmp_path / "practices" / "pan" / "atencion-en-darien.yml"
    path.write_text("# edited by hand\n", "utf-8")
    capsys.readouterr()
    assert run_new(tmp_path, *flags()) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_text("utf-8") == "# edited by hand\n"


def test_refuses_an_id_used_in_another_country(tmp_path, capsys):
    assert run_new(tmp_path, *flags(country="PAN")) == 0
    assert run_new(tmp_path, *flags(country="CRI")) == 1
    assert not (tmp_path / "practices" / "cri").exists()
    assert "pan/atencion-en-darien.yml" in capsys.readouterr().err


@pytest.mark.parametrize("bad", [["--country", "USA"], ["--language", "pt"], ["--id", "Mi_Práctica"]])
def test_bad_flag_values_are_refused_before_writing(tmp_path, bad):
    given = dict(zip(flags()[::2], flags()[1::2], strict=False))
    given.update(dict(zip(bad[::2], bad[1::2], strict=False)))
    assert run_new(tmp_path, *[item for pair in given.items() for item in pair]) == 2
    assert not (tmp_path / "practices").exists()


def answer(monkeypatch, answers: list[str]) -> list[str]:
    """Feed input() these answers; return the list the prompts are recorded in."""
    prompts: list[str] = []
    pending = iter(answers)

    def fake_input(prompt: str = "") -> str:
        prompts.append(prompt)
        try:
            return next(pending)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    return prompts


def test_interactive_mode_asks_again_after_a_wrong_answer(tmp_path, monkeypatch, capsys):
    prompts = answer(monkeypatch, ["Atlantis", "pan", "pt", "es", "Atención en Darién", ""])
    assert main(["new", "--out-dir", str(tmp_path / "practices"), "--lang", "es"]) == 0
    assert (tmp_path / "practices" / "pan" / "atencion-en-darien.yml").is_file()
    assert len(prompts) == 6
    assert prompts[0].startswith("País")  # Spanish, as asked with --lang es
    assert "[atencion-en-darien]" in prompts[-1]  # the suggestion, taken with Enter
    err = capsys.readouterr().err
    assert "«ATLANTIS»" in err and "«pt»" in err  # each wrong answer was explained


def test_interactive_mode_takes_a_typed_id_and_english_prompts(tmp_path, monkeypatch):
    prompts = answer(monkeypatch, ["REG", "en", "Regional training", "coi-training"])
    assert main(["new", "--out-dir", str(tmp_path / "practices"), "--lang", "en"]) == 0
    data = yaml.safe_load((tmp_path / "practices" / "reg" / "coi-training.yml").read_text("utf-8"))
    assert data["id"] == "coi-training" and data["original_language"] == "en"
    assert prompts[0].startswith("Country")


def test_interactive_mode_only_asks_what_the_flags_did_not_give(tmp_path, monkeypatch):
    prompts = answer(monkeypatch, ["Atención en Darién", ""])
    assert main(["new", "--out-dir", str(tmp_path / "practices"), "--lang", "en",
                 "--country", "PAN", "--language", "es"]) == 0
    assert len(prompts) == 2


def test_end_of_input_is_a_clear_error(tmp_path, monkeypatch, capsys):
    answer(monkeypatch, [])
    assert main(["new", "--out-dir", str(tmp_path / "practices"), "--lang", "en"]) == 2
    assert "--country" in capsys.readouterr().err
    assert not (tmp_path / "practices").exists()


# --- confirm, do not retype (issue 26) -----------------------------------------------------------------

def test_a_near_miss_is_offered_to_confirm_with_enter(tmp_path, monkeypatch, capsys):
    """Before: «¿quiso decir HND? Escriba HND.», and the official typed it again."""
    prompts = answer(monkeypatch, ["Hondura", "", "espanol", "Atención en Darién", ""])
    assert main(["new", "--out-dir", str(tmp_path / "practices"), "--lang", "es"]) == 0
    assert (tmp_path / "practices" / "hnd" / "atencion-en-darien.yml").is_file()
    assert prompts[1] == "¿Quiso decir Honduras (HND)? [S/n] "
    assert "Escriba" not in capsys.readouterr().err


def test_a_refused_suggestion_asks_the_question_again(tmp_path, monkeypatch):
    prompts = answer(monkeypatch, ["Hondura", "n", "Panama", "englis", "y", "Darién reception", ""])
    assert main(["new", "--out-dir", str(tmp_path / "practices"), "--lang", "en"]) == 0
    data = yaml.safe_load((tmp_path / "practices" / "pan" / "darien-reception.yml").read_text("utf-8"))
    assert data["original_language"] == "en"
    assert prompts[1] == "Did you mean Honduras (HND)? [Y/n] " and prompts[2].startswith("Country")
    assert prompts[4] == "Did you mean English (en)? [Y/n] "


def test_the_new_record_says_how_figures_are_written(tmp_path):
    assert run_new(tmp_path, *flags()) == 0
    text = next((tmp_path / "practices").rglob("*.yml")).read_text("utf-8")
    assert "sin separador de miles (1250, no 1.250 ni 1,250)" in text and "people, decisions" in text


@pytest.mark.parametrize("flag, value, expected", [
    ("--country", "Guatemala", "GTM"), ("--country", "guatemala", "GTM"), ("--country", "gtm", "GTM"),
    ("--theme", "Género", "gender"), ("--theme", "recepcion en zonas fronterizas", "border-reception"),
    ("--mechanism", "Proceso de Quito", "quito-process"), ("--mechanism", "pac", "pac"),
])
def test_compendium_takes_names_and_labels_as_catalog_new_does(flag, value, expected):
    """`catalog compendium --country Guatemala` was refused («valor desconocido»)."""
    from catalog.cli.main import build_parser

    args = build_parser().parse_args(["compendium", "--lang", "es", "--out", "x.pdf", flag, value])
    assert getattr(args, flag.removeprefix("--")) == expected


def test_compendium_refuses_a_near_miss_with_its_suggestion(monkeypatch, capsys):
    from catalog.cli.main import build_parser

    monkeypatch.setenv("CATALOG_LANG", "es")
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["compendium", "--lang", "es", "--out", "x.pdf", "--country", "Guatemal"])
    assert stopped.value.code == 2
    assert "«Guatemal» no está en la lista de países del catálogo; ¿quiso decir Guatemala (GTM)?" in capsys.readouterr().err
@pytest.mark.parametrize("character", ["\u0085", "\u2028", "\u2029"])
def test_a_hidden_line_break_in_the_title_is_written_as_an_escape(tmp_path, character):
    """The one writer (catalog.records.record_yaml): raw, YAML folded a NEL into a space and the title changed
    silently; escaped, the value keeps it and the validator names the title."""
    assert run_new(tmp_path, *flags(title=f"Atención{character}en Darién"), "--id", "atencion") == 0
    path = tmp_path / "practices" / "pan" / "atencion.yml"
    text = path.read_text("utf-8")
    assert character not in text and f"Atención\\{ {chr(0x85): 'N', chr(0x2028): 'L', chr(0x2029): 'P'}[character]}en" in text
    problems = validate_paths([path]).problems
    assert ("title.es", "control_character") in {(p.field, p.message) for p in problems}

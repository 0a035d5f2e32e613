"""Synthetic catalogs for tests and benchmarks: N generated practices in a temporary project copy.

Never for publication: every generated record says SYNTHETIC in its title and is written only
under the destination folder, beside a copy of the site's configuration.

Usage: .venv/bin/python scripts/synthetic.py DEST [N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

import yaml

from catalog.core.vocabularies import load_vocabularies

REPO = Path(__file__).resolve().parent.parent

# What a build needs besides the records: configuration, hand-written pages, overrides.
SITE_INPUTS = ("mkdocs.yml", "docs", "overrides")
ID_LINE = re.compile(r"^id: .*$", re.MULTILINE)
WORDS_ES = ("registro acceso solicitud frontera oficina entrevista protección documento proceso plataforma "
            "decisión comisión personas refugiadas apoyo información capacidad calidad región país").split()
WORDS_EN = ("registration access claim border office interview protection document procedure platform "
            "decision commission refugees support information capacity quality region country").split()


def sentence(rng: random.Random, words: list[str], length: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(length))
    return text[0].upper() + text[1:] + "."


def synthetic_record(index: int, rng: random.Random) -> dict:
    """One valid record; texts of realistic length so that page weights are representative."""
    vocabularies = load_vocabularies()
    country = rng.choice(vocabularies.countries)
    start = rng.randint(2012, 2024)
    themes = rng.sample(sorted(vocabularies.themes), rng.randint(1, 3))
    mechanism = rng.choice(sorted(vocabularies.mechanisms))

    def text(length: int) -> dict[str, str]:
        return {"es": sentence(rng, WORDS_ES, length), "en": sentence(rng, WORDS_EN, length)}

    description = {
        language: "\n\n".join(sentence(rng, words, 40) for _ in range(3)) + "\n\n- " + sentence(rng, words, 12)
        for language, words in (("es", WORDS_ES), ("en", WORDS_EN))
    }
    years = range(start, min(start + 3, 2026) + 1)
    return {
        "id": f"synthetic-{index:05d}",
        "country": country,
        "original_language": rng.choice(["es", "en"]),
        "submitted": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
        "title": {"es": f"SYNTHETIC {index}: " + sentence(rng, WORDS_ES, 8)[:-1],
                  "en": f"SYNTHETIC {index}: " + sentence(rng, WORDS_EN, 8)[:-1]},
        "summary": text(30),
        "description": description,
        "lead_entity": {"name": text(5), "acronym": f"E{index}"},
        "partners": [{"name": text(4)} for _ in range(rng.randint(0, 4))],
        "locations": [{"name": f"Place {index}-{n}", "note": text(6)} for n in range(rng.randint(0, 2))],
        "period": {"start": start},
        "status": "ongoing",
        "results": [{
            "indicator": text(7), "unit": "applications", "source": 1,
            "values": [{"year": year, "value": rng.randint(10, 5000)} for year in years],
        }],
        "commitments": [{"mechanism": mechanism, "text": text(20)}],
        "themes": themes,
        "sources": [{"title": f"Source {index}", "publisher": "Synthetic", "url": f"https://example.org/{index}"}],
        "provenance": {"method": "compiled"},
    }


def write_synthetic_catalog(dest: Path, count: int, seed: int = 0) -> Path:
    """A buildable project copy at dest with `count` synthetic records; returns dest."""
    copy_site_inputs(dest)
    practices = dest / "practices"
    shutil.rmtree(practices, ignore_errors=True)
    rng = random.Random(seed)
    for index in range(count):
        record = synthetic_record(index, rng)
        folder = practices / record["country"].lower()
        folder.mkdir(parents=True, exist_ok=True)
        body = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)
        (folder / f"{record['id']}.yml").write_text(body, encoding="utf-8")
    return dest


def copy_site_inputs(dest: Path) -> None:
    """Configuration, hand-written pages and overrides, and a link to the catalog package."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_INPUTS:
        source, target = REPO / name, dest / name
        if source.is_dir():
            # Generated pages of the real catalog must not leak into the synthetic one.
            shutil.copytree(source, target, dirs_exist_ok=True, ignore=_generated_pages)
        else:
            shutil.copy2(source, target)
    catalog_link = dest / "catalog"
    if not catalog_link.exists():
        catalog_link.symlink_to(REPO / "catalog")


def write_copied_catalog(dest: Path, count: int) -> Path:
    """A buildable project copy at dest with `count` copies of the real records under new ids, so that
    records have their real size and shape (benchmarks only: never published). Copy i of record r is
    `copy-<i>-<r's id>` in r's country folder; its text is r's text with only the id line changed."""
    copy_site_inputs(dest)
    practices = dest / "practices"
    shutil.rmtree(practices, ignore_errors=True)
    originals = sorted((REPO / "practices").glob("*/*.yml"))
    if not originals:
        raise SystemExit("no record in practices/ to copy")
    for index in range(count):
        source = originals[index % len(originals)]
        new_id = f"copy-{index:05d}-{source.stem}"[:80].rstrip("-")
        text, replaced = ID_LINE.subn(f"id: {new_id}", source.read_text("utf-8"), count=1)
        if not replaced:
            raise SystemExit(f"{source}: no `id:` line at the start of a line")
        folder = practices / source.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{new_id}.yml").write_text(text, encoding="utf-8")
    return dest


def _generated_pages(folder: str, names: list[str]) -> set[str]:
    if Path(folder).resolve() == (REPO / "docs").resolve():
        return {"practices", "countries", "themes", "mechanisms", "catalog"} & set(names)
    return set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("count", type=int, nargs="?", default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_synthetic_catalog(args.dest, args.count, args.seed)
    print(f"{args.count} synthetic practices in {args.dest / 'practices'}")


if __name__ == "__main__":
    main()

"""Write the vocabularies (catalog/data/vocabularies.yml) and the earliest year of a figure into the
record's JSON Schema as enums and a minimum (devtools/schema_vocab.py says how).

Usage: .venv/bin/python scripts/schema_vocab.py          (rewrites catalog/schema/practice.schema.json)

Run it after changing the vocabularies, then `node scripts/form_validator.cjs > docs/assets/practice-validator.js`
for the form; tests/unit/test_schema_vocab.py fails while the committed schema is stale.
"""

from __future__ import annotations

from catalog.core.datafiles import PACKAGE_DIR
from catalog.core.paths import SCHEMA_PATH
from catalog.core.vocabularies import load_vocabularies
from devtools.schema_vocab import generated_schema

SCHEMA_FILE = PACKAGE_DIR / SCHEMA_PATH


def main() -> None:
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    new = generated_schema(text, load_vocabularies())
    if new != text:
        SCHEMA_FILE.write_text(new, encoding="utf-8")
        print(f"{SCHEMA_FILE}: written")
    else:
        print(f"{SCHEMA_FILE}: up to date")


if __name__ == "__main__":
    main()

"""schema.org data of a practice page (JSON-LD), and the data licence it states.

The render layer: a view of one practice in one language, turned into a <script> block.
The licence is here, in one place: the JSON, the feeds, the JSON-LD and the open-data page say it.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from catalog.present.views import LanguageView
from catalog.records.model import Practice

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def json_ld(practice: Practice, view: LanguageView, updated: str) -> Markup:
    """schema.org data of a practice page, as a <script> block that the text cannot break out of.

    The type is CreativeWork: a page is a documented case (what was done, by whom, with which
    results, from which sources), not an offer a person can take up. GovernmentService would
    claim that, and would be wrong for completed practices and for regional ones, which are no
    government's service. The lead entity is the `provider` (the one who performs it), the
    sources are `citation`s. No URL is given: the data describes the page it is embedded in.
    """
    original = practice.original_language
    place = {"@type": "Place", "name": view.country(practice.country)}  # REG: the region, not a country
    if practice.country in view.vocabularies.countries:
        place.update({"@type": "Country", "identifier": practice.country})
    lead = practice.lead_entity
    provider = {"@type": "Organization", "name": view.text(lead.name, original).text}
    provider.update({key: value for key, value in (("alternateName", view.acronym(lead)), ("url", lead.url)) if value})
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "identifier": practice.id,
        "name": view.text(practice.title, original).text,
        "abstract": view.text(practice.summary, original).text,
        "inLanguage": view.language,
        "spatialCoverage": place,
        "temporalCoverage": f"{practice.period.start}/{practice.period.end or '..'}",
        "keywords": [view.theme(theme) for theme in practice.themes],
        "provider": provider,
        "dateCreated": practice.submitted,
        "dateModified": updated,
        "license": LICENCE_URL,
        "isPartOf": {"@type": "Dataset", "name": view.t["site_name"]},
        "citation": [
            {"@type": "CreativeWork", "name": source.title, **({"url": source.url} if source.url else {})}
            for source in practice.sources
        ],
    }
    return Markup(f'<script type="application/ld+json">{script_json(data)}</script>')


def script_json(data: Any) -> str:
    """JSON that is safe inside <script>: '<', '>' and '&' as \\u escapes, so no text can close
    the element (</script>) or open a comment (<!--). JSON parsers read the same values back."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

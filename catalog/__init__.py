"""The regional good-practice catalog: records → validation → model → views → site and open data.

Layers, each importing only the ones below it (tests/unit/test_architecture.py checks this):

    plugin      plugin                                     the MkDocs glue, per-build state
    commands    cli · new · issue_form                     the `catalog` command
    site        site · exports · search                    pages in docs/, open data, search index
    render      render · fields_doc · jsonld               Markdown → safe HTML, charts, Jinja bodies
    views       views                                      one language at a time
    records     loader · rules · validate · model · history
    leaves      languages · paths · datafiles · i18n · vocabularies · schema · problems
"""

from catalog.languages import DEFAULT_LANGUAGE, LANGUAGES

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES"]

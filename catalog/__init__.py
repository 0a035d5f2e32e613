"""The regional good-practice catalog: records → validation → model → views → site and open data.

The folders are the layers, lowest first: core → records → present → build → mkdocs, cli. A module
imports only from its own folder or the folders below (tests/unit/test_architecture.py reads the
layers from the folders and checks it); the README's "How it is built" says what each folder knows.
"""

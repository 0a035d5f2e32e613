"""MkDocs, and only this folder: the plugin, the live preview, reading mkdocs.yml."""

"""The facts every layer shares: languages, URLs, data files, strings, vocabularies, outlines, the publisher."""

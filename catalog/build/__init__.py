"""The whole catalog: generated pages, listings, feeds, downloads, the search index and the compendium."""

"""One language at a time: views, rendered bodies, JSON-LD, maps, the field reference and the form."""

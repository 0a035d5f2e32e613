"""One record at a time: reading, checking and typing it (imports core only)."""

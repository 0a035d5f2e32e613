"""The catalog command; each sub-command's module is loaded only when it runs."""

"""Every user-facing string, one module per feature; handlers never inline text."""

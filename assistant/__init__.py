"""Retrieval, answer composition, settings and the `cirkla` command."""

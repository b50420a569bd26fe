"""Importing regulations from outside: source formats (``sources``), the one law pipeline
(``law``) and manifest-driven batches (``batch``)."""

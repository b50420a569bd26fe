"""Regulations: the model (编/章/节/条), the Markdown parser, the loader, rendering, index pages,
versions and their comparison pages."""

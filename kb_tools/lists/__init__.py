"""清单: list kinds declared in YAML (docs/lists/<name>/list.yaml), with their tables, pages and exports."""

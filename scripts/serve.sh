#!/usr/bin/env bash
# Fresh machine -> the knowledge base with search on http://127.0.0.1:8000
# Installs only when .venv is missing or pyproject.toml changed since the last install: once
# installed, it runs with no network. HOST=0.0.0.0 serves other machines of the intranet.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --if-needed
exec .venv/bin/kb serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"

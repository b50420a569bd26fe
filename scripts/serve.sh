#!/usr/bin/env bash
# Fresh machine -> the knowledge base with search on http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/kb serve --host 127.0.0.1 --port "${PORT:-8000}"

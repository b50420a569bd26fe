#!/usr/bin/env bash
# Create .venv and install kb_tools with its dependencies (idempotent; PyPI only).
# --if-needed: do nothing when .venv is installed from this very pyproject.toml (its copy is
# kept in .venv after each install), so that scripts/serve.sh needs no network once installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
STAMP=.venv/kb-installed-pyproject.toml
if [ "${1:-}" = "--if-needed" ] && [ -x .venv/bin/python ] && [ -x .venv/bin/kb ] \
    && cmp -s pyproject.toml "$STAMP"; then
  exit 0
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
rm -f "$STAMP"  # an interrupted install must not look finished
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
cp pyproject.toml "$STAMP"

#!/usr/bin/env bash
# Fresh machine -> the whole test suite. Installs Debian's chromium (browser tests) and CJK fonts
# when missing, and nginx (the deployment test); Playwright drives /usr/bin/chromium, nothing else
# is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v pdfinfo >/dev/null 2>&1 || need+=(poppler-utils)
[ -x /usr/sbin/nginx ] || need+=(nginx)  # tests/test_deploy.py serves a built site with deploy/nginx/kb.conf
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
bash scripts/setup.sh
.venv/bin/ruff check kb_tools tests $( [ -d benchmarks ] && echo benchmarks )
.venv/bin/mypy  # kb_tools, settings in pyproject.toml
if [ $# -eq 0 ] && [ -d tests/js ]; then node --test tests/js/; fi  # the browser engine's own tests (Node)
exec .venv/bin/python -m pytest -q "$@"

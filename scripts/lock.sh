#!/usr/bin/env bash
# Regenerate requirements.lock from pyproject.toml in a throwaway virtual environment.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
python3.11 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --upgrade pip
"$tmp/venv/bin/pip" install --quiet ".[dev]"
{
  echo "# Every transitive version, frozen from a fresh 'pip install .[dev]'. make install applies it"
  echo "# with -c so every machine and CI run gets the same set. Regenerate: scripts/lock.sh"
  "$tmp/venv/bin/pip" freeze --exclude-editable | grep -v '^oversight'
} > requirements.lock
rm -rf "$tmp"

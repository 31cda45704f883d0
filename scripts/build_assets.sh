#!/usr/bin/env bash
# Copy GOV.UK Frontend's built CSS, JS and assets from node_modules into
# webapp/static/govuk/ (gitignored). Idempotent: it replaces the folder each run.
# Run `npm ci` (or `npm install`) first; this script never touches the network.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/node_modules/govuk-frontend/dist/govuk"
DEST="$ROOT/webapp/static/govuk"
WANT="$(sed -n 's/.*"govuk-frontend": *"\([^"]*\)".*/\1/p' "$ROOT/package.json")"

if [[ ! -d "$SRC" ]]; then
  echo "build_assets: $SRC is missing." >&2
  echo "build_assets: run 'npm ci' in $ROOT first (package.json pins govuk-frontend $WANT)." >&2
  exit 1
fi

HAVE="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$ROOT/node_modules/govuk-frontend/package.json" | head -n1)"
if [[ -n "$WANT" && "$HAVE" != "$WANT" ]]; then
  echo "build_assets: node_modules has govuk-frontend $HAVE but package.json pins $WANT; run 'npm ci'." >&2
  exit 1
fi

TMP="$(mktemp -d "$ROOT/webapp/static/.govuk-build.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

cp "$SRC/govuk-frontend.min.css" "$SRC/govuk-frontend.min.js" "$TMP/"
cp -R "$SRC/assets" "$TMP/assets"
# The stylesheet refers to fonts and images at /assets/...; the app serves them here.
sed -i 's#url(/assets/#url(/static/govuk/assets/#g' "$TMP/govuk-frontend.min.css"
# Source maps point at files we do not ship; drop the references.
sed -i 's#/\*\# sourceMappingURL=[^*]*\*/##; s#//\# sourceMappingURL=.*$##' \
  "$TMP/govuk-frontend.min.css" "$TMP/govuk-frontend.min.js"
echo "$HAVE" > "$TMP/VERSION"
touch "$TMP/.built"  # the Makefile's marker

rm -rf "$DEST"
mv "$TMP" "$DEST"
trap - EXIT
echo "build_assets: GOV.UK Frontend $HAVE copied to ${DEST#"$ROOT"/}"

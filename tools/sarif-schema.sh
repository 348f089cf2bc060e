#!/usr/bin/env bash
# Prints the path of the official SARIF 2.1.0 JSON schema (sarif-2.1.0-rtm.5.json),
# taken from the npm package @microsoft/jest-sarif, which ships it; cached in
# ~/.cache/ing2gw-sarif/ (nothing is committed). tests/sarif.rs validates ing2gw's
# SARIF against it (ING2GW_SARIF_SCHEMA=<path>; .ci/run requires it).
set -euo pipefail
PKG="@microsoft/jest-sarif@1.0.0-beta.0"
# sha256 of the schema file in that package version, checked after every fetch.
SHA256="2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/ing2gw-sarif"
SCHEMA="$CACHE/sarif-2.1.0-rtm.5.json"
if [ -f "$SCHEMA" ] && echo "$SHA256  $SCHEMA" | sha256sum -c --quiet - >/dev/null 2>&1; then
  echo "$SCHEMA"
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "sarif-schema.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
mkdir -p "$CACHE"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "$PKG" >/dev/null)
tar -xzf "$TMP"/*.tgz -C "$TMP" package/lib/schemas/sarif-2.1.0-rtm.5.json
echo "$SHA256  $TMP/package/lib/schemas/sarif-2.1.0-rtm.5.json" | sha256sum -c --quiet - >&2
mv "$TMP/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$SCHEMA"
echo "$SCHEMA"

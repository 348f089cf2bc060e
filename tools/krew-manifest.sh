#!/usr/bin/env bash
# Fills packaging/krew/ing2gw.yaml for a release and prints it (docs/release.md):
#
#   tools/krew-manifest.sh VERSION BASE_URL DIST_DIR [HOMEPAGE]
#
# DIST_DIR holds the release archives, named as the template expects:
#   ing2gw-VERSION-{linux,darwin}-{amd64,arm64}.tar.gz, ing2gw-VERSION-windows-amd64.zip
# each with kubectl-ing2gw (kubectl-ing2gw.exe) at its top. Every archive must
# exist: a platform without its archive is an error, not a manifest with a
# placeholder left in it.
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
VERSION="$1"
BASE_URL="${2%/}"
DIST="$3"
HOMEPAGE="${4:-$BASE_URL}"
TEMPLATE="$(dirname "$0")/../packaging/krew/ing2gw.yaml"
case "$VERSION" in
  v[0-9]*.[0-9]*.[0-9]*) ;;
  *) echo "krew-manifest.sh: VERSION must look like v1.2.3 (krew wants a v-prefixed semver), got $VERSION" >&2; exit 2 ;;
esac
text="$(grep -v '^#' "$TEMPLATE")"
for platform in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64; do
  os="${platform%_*}"
  arch="${platform#*_}"
  ext="tar.gz"
  [ "$os" = windows ] && ext="zip"
  archive="$DIST/ing2gw-$VERSION-$os-$arch.$ext"
  if [ ! -f "$archive" ]; then
    echo "krew-manifest.sh: missing $archive" >&2
    exit 1
  fi
  sum="$(sha256sum "$archive" | cut -d' ' -f1)"
  text="${text//\{\{SHA256_${platform}\}\}/$sum}"
done
text="${text//\{\{VERSION\}\}/$VERSION}"
text="${text//\{\{BASE_URL\}\}/$BASE_URL}"
text="${text//\{\{HOMEPAGE\}\}/$HOMEPAGE}"
if printf '%s\n' "$text" | grep -q '{{'; then
  echo "krew-manifest.sh: a placeholder is left:" >&2
  printf '%s\n' "$text" | grep '{{' >&2
  exit 1
fi
printf '%s\n' "$text"

#!/usr/bin/env bash
# Build Envoy Gateway's `egctl` from the Go module proxy into a per-version cache
# (never into the repository) and print its path.
#
#   tools/egctl.sh            # the version the tests use (EGCTL_VERSION below)
#   tools/egctl.sh v1.9.1     # another version
#
# Cache: ${ING2GW_EGCTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ing2gw-egctl}/<version>/egctl.
# A build takes minutes (≈8 on a 2-core machine); the cache is what makes CI usable.
# tests/support/egctl.rs looks in the same place (or at $EGCTL).
#
# Go: github.com/envoyproxy/gateway v1.9.1 declares `go 1.26.7` in its go.mod. An
# older local go fetches that toolchain itself (GOTOOLCHAIN=auto, a Go module on
# the proxy); without any go this script installs Debian's golang-go as root, or
# fails with the install hint.
set -euo pipefail

# Keep in step with EGCTL_VERSION in tests/support/egctl.rs.
DEFAULT_VERSION=v1.9.1
version=${1:-${EGCTL_VERSION:-$DEFAULT_VERSION}}
case "$version" in v*) ;; *) version="v$version" ;; esac
cache=${ING2GW_EGCTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ing2gw-egctl}
bin="$cache/$version/egctl"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "tools/egctl.sh: go not found, installing golang-go" >&2
    apt-get update -qq >&2 && apt-get install -y -qq golang-go >&2
  else
    echo "tools/egctl.sh: go is not installed; egctl $version needs Go (its go.mod asks for go 1.26.7; an older go >= 1.21 downloads that toolchain by itself). Install it with \`apt-get install -y golang-go\` or from go.dev/dl." >&2
    exit 1
  fi
fi

echo "tools/egctl.sh: building egctl $version with $(go version) into $cache/$version (takes minutes)" >&2
# Build into a scratch folder and rename, so an interrupted build never leaves a
# half-written binary that the next run would trust.
tmp=$(mktemp -d "$cache.tmp.XXXXXX" 2>/dev/null || { mkdir -p "$(dirname "$cache")"; mktemp -d "$cache.tmp.XXXXXX"; })
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" GOFLAGS="${GOFLAGS:--buildvcs=false}" \
  go install "github.com/envoyproxy/gateway/cmd/egctl@$version" >&2
mkdir -p "$cache/$version"
mv "$tmp/egctl" "$bin"
echo "$bin"

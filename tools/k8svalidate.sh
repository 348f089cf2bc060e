#!/usr/bin/env bash
# Build the Kubernetes-validator oracle (tools/k8svalidate/, a small Go program on
# k8s.io/apiextensions-apiserver: the API server's own pruning, defaulting, OpenAPI
# schema and CEL validation of custom resources) into a cache outside the
# repository, and print its path.
#
#   tools/k8svalidate.sh
#   $(tools/k8svalidate.sh) --crd CRD_DIR_OR_FILE < objects.jsonl
#
# Cache: ${ING2GW_K8SVALIDATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ing2gw-k8svalidate}/<hash>/k8svalidate,
# where <hash> covers the tool's sources, so an edit rebuilds it. A first build
# takes ≈2 minutes on a 2-core machine (the k8s.io modules come from the Go module
# proxy). tests/k8s_validate_agreement.rs looks in the same place (or at $K8SVALIDATE).
#
# Go: the k8s.io modules v0.36.3 declare `go 1.26.0`; the installed go 1.26.x builds
# it with GOTOOLCHAIN=local (no toolchain download).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src="$here/k8svalidate"
hash=$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-16)
cache=${ING2GW_K8SVALIDATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ing2gw-k8svalidate}
bin="$cache/$hash/k8svalidate"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "tools/k8svalidate.sh: go not found, installing golang-go" >&2
    apt-get update -qq >&2 && apt-get install -y -qq golang-go >&2
  else
    echo "tools/k8svalidate.sh: go is not installed; install it with \`apt-get install -y golang-go\` or from go.dev/dl (go >= 1.26)." >&2
    exit 1
  fi
fi

echo "tools/k8svalidate.sh: building k8svalidate with $(go version) into $cache/$hash (≈2 minutes the first time)" >&2
mkdir -p "$cache"
# Build into a scratch file and rename, so an interrupted build never leaves a
# half-written binary that the next run would trust.
tmp=$(mktemp -d "$cache/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$src" && GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS="${GOFLAGS:--buildvcs=false}" \
  go build -o "$tmp/k8svalidate" . >&2)
mkdir -p "$cache/$hash"
mv "$tmp/k8svalidate" "$bin"
echo "$bin"

#!/usr/bin/env bash
# Builds kubernetes-sigs/ingress2gateway (the peer tool the `estate` bench compares
# against, `--peer`) from the Go module proxy into a cache folder outside the
# repository, and prints the path of the binary on stdout. Nothing it builds is
# committed; a second run reuses the binary.
#
#   benches/peer/ingress2gateway.sh
#   ING2GW_PEER_VERSION=v1.2.0 ING2GW_BENCH_CACHE=/tmp/x benches/peer/ingress2gateway.sh
#
# Why not `go install sigs.k8s.io/ingress2gateway@v1.2.0`:
# * v1.2.0's go.mod declares `github.com/kubernetes-sigs/ingress2gateway`, so the
#   vanity path is refused ("module declares its path as …");
# * `go install mod@version` loads the module's deprecation notice from the
#   proxy's version list, which the proxy reachable here refuses (403), so it
#   fails even for an exact version. A scratch module with `go get` + `go build`
#   needs only the exact version, which is served.
# v1.2.0 is the v1.2.x served here (v1.2.1 is refused); the version is pinned, not
# resolved, because the version list cannot be read.
set -euo pipefail

version="${ING2GW_PEER_VERSION:-v1.2.0}"
module="github.com/kubernetes-sigs/ingress2gateway"
cache="${ING2GW_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ing2gw-bench}"
bin="$cache/ingress2gateway-$version/ingress2gateway"

if [[ ! -x "$bin" ]]; then
    command -v go >/dev/null || { echo "ingress2gateway: no 'go' on PATH" >&2; exit 1; }
    build="$cache/build-$version"
    mkdir -p "$build" "$(dirname "$bin")"
    # Our own module cache keeps the build out of the user's GOPATH.
    export GOMODCACHE="$cache/gomodcache" GOFLAGS=-mod=mod
    cd "$build"
    [[ -f go.mod ]] || go mod init ing2gw-bench-peer >&2
    go get "$module@$version" >&2
    go build -o "$bin" "$module" >&2
fi
echo "$bin"

#!/usr/bin/env bash
# Builds static Linux release binaries of ing2gw and kubectl-ing2gw,
# reproducibly: the same commit gives the same bytes, whoever builds it and
# wherever the checkout is (docs/release.md).
#
#   tools/build-static.sh [--target TRIPLE] [--out DIR] [--target-dir DIR]
#
# Default target: x86_64-unknown-linux-musl (needs the rust-std of that target,
# `rustup target add x86_64-unknown-linux-musl`, and musl-gcc for ring's C code,
# Debian's `musl-tools`). When the musl target cannot be had, falls back to a
# statically linked glibc build (x86_64-unknown-linux-gnu with crt-static; see
# docs/release.md for what that means for DNS). ING2GW_STATIC_FALLBACK=0 makes
# the fallback an error.
#
# Reproducibility: --locked (Cargo.lock as committed), SOURCE_DATE_EPOCH from the
# commit, every absolute path remapped (checkout, cargo home, target dir,
# rustup toolchain), symbols stripped, one codegen unit. Prints the binaries'
# paths and sha256 sums; writes DIR/SHA256SUMS.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC="$(pwd -P)"

TARGET="x86_64-unknown-linux-musl"
OUT="$SRC/target/static"
TARGET_DIR="$SRC/target/static-build"
while [ $# -gt 0 ]; do
  case "$1" in
    --target) TARGET="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --target-dir) TARGET_DIR="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "build-static.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT" "$TARGET_DIR"
OUT="$(cd "$OUT" && pwd -P)"
TARGET_DIR="$(cd "$TARGET_DIR" && pwd -P)"

have_target() {
  rustc --print sysroot >/dev/null 2>&1 &&
    [ -d "$(rustc --print sysroot)/lib/rustlib/$1/lib" ]
}

EXTRA_RUSTFLAGS=""
case "$TARGET" in
  *-linux-musl)
    if ! have_target "$TARGET"; then
      rustup target add "$TARGET" >&2 || true
    fi
    arch="${TARGET%%-*}"
    if [ "$arch" = "x86_64" ] && ! command -v musl-gcc >/dev/null 2>&1; then
      echo "build-static.sh: musl-gcc missing (apt-get install musl-tools)" >&2
    fi
    if ! have_target "$TARGET" || { [ "$arch" = "x86_64" ] && ! command -v musl-gcc >/dev/null 2>&1; }; then
      if [ "${ING2GW_STATIC_FALLBACK:-1}" = 0 ] || [ "$arch" != "x86_64" ]; then
        echo "build-static.sh: target $TARGET unavailable" >&2
        exit 1
      fi
      echo "build-static.sh: $TARGET unavailable; static glibc build instead" >&2
      TARGET="x86_64-unknown-linux-gnu"
      EXTRA_RUSTFLAGS="-C target-feature=+crt-static"
    fi
    ;;
  *-linux-gnu)
    EXTRA_RUSTFLAGS="-C target-feature=+crt-static"
    ;;
esac
if [ "$TARGET" = "x86_64-unknown-linux-musl" ]; then
  export CC_x86_64_unknown_linux_musl="${CC_x86_64_unknown_linux_musl:-musl-gcc}"
fi

CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"
SYSROOT="$(rustc --print sysroot)"
# The commit's own time: the build does not depend on the clock.
SOURCE_DATE_EPOCH="$(git -C "$SRC" log -1 --format=%ct 2>/dev/null || echo 0)"
export SOURCE_DATE_EPOCH
# Each prefix is replaced in paths that end up in the binary (panic locations,
# file!()), so the checkout folder and the user name do not matter.
RUSTFLAGS="$EXTRA_RUSTFLAGS \
  --remap-path-prefix=$SRC=/ing2gw \
  --remap-path-prefix=$TARGET_DIR=/target \
  --remap-path-prefix=$CARGO_HOME_DIR=/cargo \
  --remap-path-prefix=$SYSROOT=/rust"
export RUSTFLAGS
export CARGO_PROFILE_RELEASE_STRIP=symbols
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_DEBUG=0
export CARGO_INCREMENTAL=0

echo "build-static.sh: cargo build --release --locked --target $TARGET" >&2
cargo build --release --locked --target "$TARGET" --target-dir "$TARGET_DIR" \
  --bin ing2gw --bin kubectl-ing2gw >&2

for bin in ing2gw kubectl-ing2gw; do
  cp "$TARGET_DIR/$TARGET/release/$bin" "$OUT/$bin"
done
# A static binary has no interpreter and needs no shared library.
for bin in ing2gw kubectl-ing2gw; do
  if command -v file >/dev/null 2>&1; then
    file "$OUT/$bin" | grep -Eq 'static(ally|-pie) linked' || {
      echo "build-static.sh: $bin is not statically linked: $(file "$OUT/$bin")" >&2
      exit 1
    }
  fi
done
(cd "$OUT" && sha256sum ing2gw kubectl-ing2gw > SHA256SUMS)
echo "$TARGET" > "$OUT/TARGET"
cat "$OUT/SHA256SUMS"

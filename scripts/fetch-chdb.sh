#!/usr/bin/env bash
# Fetches the chDB engine (ClickHouse as a shared library) for development and tests.
#
#   scripts/fetch-chdb.sh            prints the absolute path of libchdb.so on stdout
#
# The npm package @chdb/lib-linux-x64-gnu is fetched with `npm pack` (which knows its
# registry), checked against the pinned integrity below, and unpacked into a cache outside
# git: ${STATUSREG_CACHE:-$HOME/.cache/statusreg}/chdb/<version>/. A second run with the
# library present prints the path and does nothing else. Messages go to stderr.
# Never commit the library (about 180 MB packed, 566 MB unpacked).
set -euo pipefail

CHDB_PACKAGE='@chdb/lib-linux-x64-gnu'
CHDB_VERSION='26.7.3-stable.1'
# npm's dist.integrity for the package above; the tarball must match it byte for byte.
CHDB_INTEGRITY='sha512-XP97mMqnc5tZpKQywR8N7cLTsHNiTmHr30pC5mzo3jWmukjKn2IBa60c2B/gWUNcuFjOMjWoorQICCqBVj5wpw=='

die() {
  echo "fetch-chdb: $*" >&2
  exit 1
}
say() { echo "fetch-chdb: $*" >&2; }

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ;;
  *) die "chDB ${CHDB_VERSION} is only fetched for Linux x86_64 (this is $(uname -s)/$(uname -m))" ;;
esac

cache_root="${STATUSREG_CACHE:-${HOME:?HOME is not set; set STATUSREG_CACHE}/.cache/statusreg}"
dir="${cache_root}/chdb/${CHDB_VERSION}"
lib_dir="${dir}/lib"
done_marker="${dir}/.complete"

find_lib() {
  find "$lib_dir" -name libchdb.so -type f 2>/dev/null | head -n 1
}

# Fast path: already fetched, verified and unpacked.
if [ -f "$done_marker" ]; then
  lib="$(find_lib)"
  if [ -n "$lib" ]; then
    echo "$lib"
    exit 0
  fi
  say "cache ${dir} is marked complete but has no libchdb.so; fetching again"
  rm -f "$done_marker"
fi

command -v tar >/dev/null 2>&1 || die "tar is needed to unpack ${CHDB_PACKAGE}"

mkdir -p "$dir" || die "cannot create cache directory ${dir} (set STATUSREG_CACHE to a writable directory)"

# One fetch at a time per cache directory (parallel test JVMs, two shells).
exec 9>"${dir}/.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 1800 9 || die "timed out waiting for another fetch into ${dir} (lock ${dir}/.lock)"
fi
if [ -f "$done_marker" ] && [ -n "$(find_lib)" ]; then
  find_lib
  exit 0
fi

actual_integrity() {
  if command -v openssl >/dev/null 2>&1; then
    printf 'sha512-%s' "$(openssl dgst -sha512 -binary "$1" | base64 | tr -d '\n')"
  else
    printf 'sha512-%s' "$(sha512sum "$1" | cut -d' ' -f1 | xxd -r -p | base64 | tr -d '\n')"
  fi
}

tarball="$(find "$dir" -maxdepth 1 -name 'chdb-lib-linux-x64-gnu-*.tgz' -type f | head -n 1)"
if [ -n "$tarball" ] && [ "$(actual_integrity "$tarball")" != "$CHDB_INTEGRITY" ]; then
  say "discarding ${tarball}: it does not match the pinned integrity (partial download?)"
  rm -f "$tarball"
  tarball=""
fi

if [ -z "$tarball" ]; then
  command -v npm >/dev/null 2>&1 || die "npm is needed to fetch ${CHDB_PACKAGE}@${CHDB_VERSION} (install Node.js and npm)"
  say "fetching ${CHDB_PACKAGE}@${CHDB_VERSION} with npm pack (about 180 MB) into ${dir}"
  tmp="$(mktemp -d "${dir}/.pack.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && npm pack --silent "${CHDB_PACKAGE}@${CHDB_VERSION}" >"${tmp}/npm-pack.out" 2>"${tmp}/npm-pack.err"); then
    cat "${tmp}/npm-pack.err" >&2 || true
    die "npm pack ${CHDB_PACKAGE}@${CHDB_VERSION} failed (see npm's message above; is the npm registry reachable?)"
  fi
  packed="$(find "$tmp" -maxdepth 1 -name '*.tgz' -type f | head -n 1)"
  [ -n "$packed" ] || die "npm pack ${CHDB_PACKAGE}@${CHDB_VERSION} produced no .tgz in ${tmp}"
  got="$(actual_integrity "$packed")"
  if [ "$got" != "$CHDB_INTEGRITY" ]; then
    die "integrity mismatch for ${CHDB_PACKAGE}@${CHDB_VERSION}: expected ${CHDB_INTEGRITY}, got ${got}; refusing to use it"
  fi
  tarball="${dir}/$(basename "$packed")"
  mv "$packed" "$tarball"
  rm -rf "$tmp"
  trap - EXIT
  say "integrity verified (${CHDB_INTEGRITY:0:20}...)"
else
  say "using verified tarball ${tarball}"
fi

say "unpacking ${tarball}"
rm -rf "$lib_dir" "${lib_dir}.tmp"
mkdir -p "${lib_dir}.tmp"
tar -xzf "$tarball" -C "${lib_dir}.tmp" || die "cannot unpack ${tarball} (disk full? about 566 MB are needed)"
mv "${lib_dir}.tmp" "$lib_dir"
lib="$(find_lib)"
[ -n "$lib" ] || die "${CHDB_PACKAGE}@${CHDB_VERSION} unpacked into ${lib_dir} but has no libchdb.so"
# The tarball is kept so that a damaged unpack can be redone without the network; remove it to save 180 MB.
touch "$done_marker"
echo "$lib"

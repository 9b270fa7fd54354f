#!/usr/bin/env bash
# Lays out the runtime of the container image after `./mvnw -pl app -am package`:
#   layout.sh <source dir> <maven repository> <output dir> <install dir>
# copies app/target/statusreg-app-*.jar, every jar of app/target/classpath.txt (dependencies
# from the Maven repository to lib/<their repository path>, our own modules' jars to
# <module>/target/) and writes a classpath.txt whose entries point under <install dir>.
set -euo pipefail
src="$1" repo="$2" out="$3" install="$4"
mkdir -p "$out/app/target"
cp "$src"/app/target/statusreg-app-*.jar "$out/app/target/"
cp "$src/statefulsets/docker/statusreg" "$out/statusreg"
mkdir -p "$out/scripts"
cp "$src/scripts/cds.sh" "$out/scripts/cds.sh"
entries=()
# classpath.txt has no final newline: `|| [ -n "$jar" ]` keeps its last entry (read returns
# non-zero on an unterminated line, which once dropped logback-core from the image).
while read -r jar || [ -n "$jar" ]; do
  [ -n "$jar" ] || continue
  case "$jar" in
    "$repo"/*) rel="lib/${jar#"$repo"/}" ;;
    "$src"/*) rel="${jar#"$src"/}" ;;
    *) echo "layout.sh: classpath entry outside $repo and $src: $jar" >&2; exit 1 ;;
  esac
  mkdir -p "$out/$(dirname "$rel")"
  cp "$jar" "$out/$rel"
  entries+=("$install/$rel")
done < <(tr ':' '\n' < "$src/app/target/classpath.txt")
expected=$(tr ':' '\n' < "$src/app/target/classpath.txt" | grep -c .)
if [ "${#entries[@]}" -ne "$expected" ]; then
  echo "layout.sh: laid out ${#entries[@]} of the $expected classpath entries" >&2
  exit 1
fi
(IFS=:; printf '%s' "${entries[*]}") > "$out/app/target/classpath.txt"

#!/usr/bin/env bash
# Emulates the container's read-only root filesystem for one command, in a private mount
# namespace (started by `unshare --mount`, or `unshare --user --map-root-user --mount` when not
# root): read-only-root.sh <data dir> <tmp dir> <command...>
# The data dir stays writable (the state volume), the tmp dir is mounted on /tmp (the pods'
# emptyDir), and every other mount but /proc, /sys and /dev (device nodes) is remounted read-only.
#
# A checkout may itself live under /tmp (a CI clone often does): mounting the tmp dir on /tmp
# would hide it, the layout and the data dir with it. The host's /tmp is then kept reachable
# under the new /tmp long enough to mount back, at its own path, each top-level entry of it that
# holds the data dir, the tmp dir or the working directory (read-only like the rest; the data
# dir's own writable mount comes along); then it is detached.
set -euo pipefail
data="$1" tmp="$2"
shift 2
mount --bind "$data" "$data"
keep=()
for p in "$data" "$tmp" "$PWD"; do
  case "$p" in
    /tmp/?*)
      top="${p#/tmp/}"
      top="/tmp/${top%%/*}"
      [[ " ${keep[*]-} " == *" $top "* ]] || keep+=("$top")
      ;;
  esac
done
if [ "${#keep[@]}" -gt 0 ]; then
  host="$tmp/.host-tmp"
  mkdir -p "$host"
  mount --rbind /tmp "$host"
  mount --rbind "$tmp" /tmp
  for top in "${keep[@]}"; do
    mkdir -p "$top"
    mount --rbind "/tmp/.host-tmp/${top#/tmp/}" "$top"
  done
  umount -l /tmp/.host-tmp # nothing else of the host's /tmp stays reachable
  cd "$PWD"
else
  mount --bind "$tmp" /tmp
fi
while read -r _ mountpoint _; do
  case "$mountpoint" in
    /proc | /proc/* | /sys | /sys/* | /dev | /dev/pts | "$data" | /tmp) continue ;;
  esac
  if ! mount -o remount,bind,ro "$mountpoint" 2>/dev/null; then
    # A mount shadowed by a later one (the host's /tmp under the new /tmp) is still listed but
    # cannot be reached: its path lies in a read-only mount already. Anything else is an error.
    if touch "$mountpoint/.statusreg-ro-probe" 2>/dev/null; then
      rm -f "$mountpoint/.statusreg-ro-probe"
      echo "read-only-root.sh: cannot make $mountpoint read-only" >&2
      exit 1
    fi
  fi
done < <(sort -u -k2,2 /proc/self/mounts)
exec "$@"

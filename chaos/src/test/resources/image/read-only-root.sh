#!/usr/bin/env bash
# Emulates the container's read-only root filesystem for one command, in a private mount
# namespace (started by `unshare --mount`, or `unshare --user --map-root-user --mount` when not
# root): read-only-root.sh <data dir> <tmp dir> <command...>
# The data dir stays writable (the state volume), the tmp dir is mounted on /tmp (the pods'
# emptyDir), and every other mount but /proc, /sys and /dev (device nodes) is remounted read-only.
set -euo pipefail
data="$1" tmp="$2"
shift 2
mount --bind "$data" "$data"
mount --bind "$tmp" /tmp
while read -r _ mountpoint _; do
  case "$mountpoint" in
    /proc | /proc/* | /sys | /sys/* | /dev | /dev/pts | "$data" | /tmp) continue ;;
  esac
  mount -o remount,bind,ro "$mountpoint"
done < <(sort -u -k2,2 /proc/self/mounts)
exec "$@"

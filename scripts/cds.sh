# shellcheck shell=bash
# Class-data sharing for the long-running JVMs (serve, dev): sourced by ./statusreg and the
# container image's launcher. statusreg_cds_options <archive> fills the array `cds` with
#   -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=<archive>
# The JVM maps the archive at start (the classes the last run loaded, already parsed and
# verified) and writes it at exit when it is missing or stale (another JDK, another classpath),
# so a new build or image makes its own on its first clean stop; a kill -9 writes nothing.
# Measured on the 2-core machine (./statusreg dev to /health/ready, 2026-12-02): 14-15 s of CPU
# and 10-11 s without an archive, 10.7-11.8 s of CPU and 6.6-7.3 s with it.
# STATUSREG_CDS_ARCHIVE names another archive file; STATUSREG_CDS_ARCHIVE=off turns it off.
statusreg_cds_options() {
  local archive="${STATUSREG_CDS_ARCHIVE:-$1}"
  cds=()
  if [ "$archive" = off ]; then
    return 0
  fi
  if ! mkdir -p "$(dirname "$archive")" 2>/dev/null || [ ! -w "$(dirname "$archive")" ]; then
    echo "statusreg: no class-data sharing: cannot write $(dirname "$archive")" >&2
    return 0
  fi
  cds=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$archive")
}

# Sourced by scripts/test.sh: the Debian packages the tests need that this machine lacks.
# promtool (prometheus) checks and unit-tests ops/monitoring/alerts.yaml (MonitoringTest), and
# the same package's server, /usr/bin/prometheus, runs PrometheusAlertIT: the package is missing
# when either is. SoftHSM2 (softhsm2) holds the keys of the PKCS#11 signing test
# (Pkcs11SoftHsmIT); node and npm run the W3C reader and the schema check after the build; wrk
# is the load generator of bench reads and bench writes, and WrkPutScriptTest runs its write script.
# STATUSREG_PROMETHEUS_BIN names another server path (MonitoringTest uses it).
statusreg_missing_packages() {
  local missing=()
  if ! command -v promtool >/dev/null 2>&1 \
    || [ ! -x "${STATUSREG_PROMETHEUS_BIN:-/usr/bin/prometheus}" ]; then
    missing+=(prometheus)
  fi
  command -v softhsm2-util >/dev/null 2>&1 || missing+=(softhsm2)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    missing+=(nodejs npm)
  fi
  echo "${missing[*]}"
}

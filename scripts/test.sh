#!/usr/bin/env bash
# The project's test command (the README's, and what .ci/run runs): installs the Debian packages
# the tests need when they are missing (as root, or through sudo), runs ./mvnw verify (unit and
# integration tests against the real broker, RocksDB, ClickHouse engine, SoftHSM2 and promtool),
# then independent W3C and IETF readers over what the tests served and the published-schema check
# of the Kubernetes custom resources. Extra arguments go to ./mvnw.
# Needs no standard input.
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"
# The Debian packages the tests need and this machine lacks (scripts/prereqs.sh says which and why).
. scripts/prereqs.sh
read -r -a missing <<<"$(statusreg_missing_packages)"
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "test: the tests need the Debian package(s) ${missing[*]}; install them and run again" >&2
    exit 1
  fi
  echo "test: installing Debian package(s) ${missing[*]}" >&2
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
. scripts/jdk.sh
statusreg_select_jdk || exit 1
echo "test: JAVA_HOME=$JAVA_HOME; $(promtool --version 2>&1 | head -1)"
./mvnw verify "$@"

# An independent W3C reader (Digital Bazaar's vc-bitstring-status-list 2.0.1) of the credentials
# and entries W3cSuiteAssertionsTest left in api/target/w3c-reader; bounded in time.
(cd .ci/w3c-reader \
  && timeout 300 npm install --no-audit --no-fund --silent \
  && timeout 120 node check.mjs ../../api/target/w3c-reader)

# Independent IETF Token Status List readers (@sd-jwt/jwt-status-list, @owf/token-status-list,
# jose, cbor-x with node:crypto for the COSE_Sign1 signature) of the JWT and CWT tokens and the
# JWKS IetfReaderFixturesTest fetched over HTTP into api/target/ietf-reader; bounded in time.
(cd .ci/ietf-reader \
  && timeout 300 npm install --no-audit --no-fund --silent \
  && timeout 120 node check.mjs ../../api/target/ietf-reader)

# The mesh overlay's custom resources (Istio, cert-manager, Gateway API) against their published
# schemas (@kubernetes-models/*), unknown fields refused: what statefulsets' tests rendered to
# statefulsets/target/k8s-schemas (valid/ must pass, the wrong variants in invalid/ must fail).
(cd .ci/k8s-schemas \
  && timeout 300 npm install --no-audit --no-fund --silent \
  && timeout 120 node check.mjs ../../statefulsets/target/k8s-schemas)

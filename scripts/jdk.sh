# Sourced by ./mvnw, ./statusreg and .ci/run: selects a JDK 25 or stops with a clear message.
# Order: $JAVA_HOME if it is a JDK 25+, then the known install paths.
statusreg_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}
statusreg_select_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-25-openjdk /usr/lib/jvm/jdk-25* /opt/java/openjdk /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(statusreg_java_major "$candidate")
    case "$major" in
      ''|*[!0-9]*) continue ;;
    esac
    if [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "statusreg: no JDK 25 found. Set JAVA_HOME to a JDK 25 (or newer) installation, for example" >&2
  echo "  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64" >&2
  echo "(checked \$JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/*)" >&2
  return 1
}

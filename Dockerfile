# syntax=docker/dockerfile:1
# statusreg container image: `docker build -t statusreg/statusreg:<version> .`
# Build stage: JDK 25 and the repository's own ./mvnw (Maven 3.9.11, SHA-512 checked).
FROM eclipse-temurin:25.0.3_9-jdk-noble AS build
# ./mvnw fetches its pinned Maven through any Maven already present and unpacks it with unzip:
# copy the plain Maven distribution from Maven's official image rather than installing
# Debian's maven package (which would pull in a second JDK).
COPY --from=maven:3.9.11-eclipse-temurin-25 /usr/share/maven /opt/maven
RUN apt-get update \
 && apt-get install -y --no-install-recommends unzip \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s /opt/maven/bin/mvn /usr/local/bin/mvn
WORKDIR /src
COPY . .
# Build the launcher module and what it depends on, then lay the runtime out as the launcher
# expects it (statefulsets/docker/layout.sh): app/target/statusreg-app-*.jar and
# app/target/classpath.txt, its entries rewritten to copies under /opt/statusreg (dependency
# jars in lib/, our own modules' jars in <module>/target/). The Maven cache is a build cache
# mount, so the jars are copied out in the same step.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl app -am package \
 && statefulsets/docker/layout.sh /src /root/.m2/repository /out /opt/statusreg

# Runtime stage: a JRE, no build tools, no keys. Signing keys arrive at run time from a
# Kubernetes Secret mounted at /etc/statusreg/keys; nothing secret is ever copied in here.
FROM eclipse-temurin:25.0.3_9-jre-noble
RUN groupadd --system --gid 10001 statusreg \
 && useradd --system --uid 10001 --gid 10001 --home-dir /opt/statusreg --shell /usr/sbin/nologin statusreg \
 && mkdir -p /var/lib/statusreg/state \
 && chown 10001:10001 /var/lib/statusreg/state
WORKDIR /opt/statusreg
COPY --from=build --chown=root:root /out/ /opt/statusreg/
ENV STATUSREG_SKIP_BUILD=1 \
    STATUSREG_HTTP_PORT=8080 \
    STATUSREG_STATE_DIR=/var/lib/statusreg/state
USER 10001:10001
EXPOSE 8080
# No curl or wget is assumed in the JRE image: bash's /dev/tcp speaks enough HTTP for a
# liveness check. (Kubernetes ignores HEALTHCHECK and uses the pod's probes instead.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${STATUSREG_HTTP_PORT:-8080} && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["./statusreg"]
CMD ["serve"]

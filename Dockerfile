# syntax=docker/dockerfile:1
# nalu-service image.
#   docker build -t nalu-service .
#   docker run --rm -p 8080:8080 -v nalu-data:/data nalu-service
#   docker run --rm -p 8080:8080 -e SPRING_PROFILES_ACTIVE=postgres -e SPRING_DATASOURCE_URL=jdbc:postgresql://db:5432/nalu \
#     -e SPRING_DATASOURCE_USERNAME=nalu -e SPRING_DATASOURCE_PASSWORD=... nalu-service
# ND4J's natives are packaged for linux-x86_64 only (.mvn/maven.config), hence the fixed platform.
# DockerfileTest checks what it can of this file without a Docker engine; .ci/container-test.sh builds and runs it.

# The base images: a Java 17 JDK (Debian or Ubuntu, for the build) and a Java 17 JRE (to run). CI builds
# offline and passes local stand-ins made from Debian's openjdk-17 packages (.ci/container-test.sh);
# nothing else differs from what you build.
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM --platform=linux/amd64 ${JDK_IMAGE} AS build
# The Maven wrapper downloads Maven with curl or wget and unpacks it with unzip or tar; installed
# only when the base image lacks them.
RUN if ! command -v curl >/dev/null || ! command -v unzip >/dev/null; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl unzip \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /src
COPY mvnw pom.xml ./
# maven.config restricts ND4J's natives to linux-x86_64 (-Djavacpp.platform)
COPY .mvn .mvn
COPY src src
# The cache mount keeps Maven and the ~170 MB of natives between builds. The package phase also writes
# the CycloneDX SBOM into the jar (META-INF/sbom/application.cdx.json), so the image holds it at
# /app/META-INF/sbom/application.cdx.json and the actuator serves it at /actuator/sbom/application.
# The jar is then split into its layers (dependencies change rarely, the application often), each copied
# as one image layer below.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests package \
 && cp target/nalu-service-*.jar /src/nalu-service.jar \
 && java -Djarmode=tools -jar /src/nalu-service.jar extract --layers --launcher --destination /src/extracted

FROM --platform=linux/amd64 ${JRE_IMAGE}
# curl is only for HEALTHCHECK. The base image ships it; it is installed here only if a base image lacks it.
RUN if ! command -v curl >/dev/null; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# A fixed numeric user, so Kubernetes' runAsNonRoot can verify it (deploy/k8s/deployment.yaml).
RUN groupadd --system --gid 10001 nalu \
 && useradd --system --uid 10001 --gid nalu --create-home --home-dir /home/nalu --shell /usr/sbin/nologin nalu \
 && mkdir -p /app /data /home/nalu/.javacpp/cache \
 && ln -s /data /app/data \
 && chown -R nalu:nalu /data /home/nalu
WORKDIR /app
COPY --from=build /src/extracted/dependencies/ ./
COPY --from=build /src/extracted/spring-boot-loader/ ./
COPY --from=build /src/extracted/snapshot-dependencies/ ./
COPY --from=build /src/extracted/application/ ./
# The jar carries every default; Spring Boot reads ./config/application.yml on top of them (operator overrides)
COPY config /app/config

# One native thread per job: ND4J reads this only from the environment, at load.
ENV OMP_NUM_THREADS=1
# ND4J allocates off-heap up to the heap size again, so the heap gets well under half the
# container's memory.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError"

USER 10001:10001
# The embedded H2 database (./data, i.e. /app/data -> /data); unused with the profile "postgres"
VOLUME /data
# 8080: the API; 8081: the actuator (management.server.port: probes, Prometheus), for the orchestrator only
EXPOSE 8080 8081
# Shell form, so a port set with -e MANAGEMENT_SERVER_PORT is the one checked.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${MANAGEMENT_SERVER_PORT:-8081}/actuator/health/readiness" || exit 1
# sh -c expands JAVA_OPTS; exec replaces the shell, so java is PID 1 and receives SIGTERM
# (graceful shutdown); "$@" passes `docker run IMAGE --server.port=9090` arguments through.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -Dorg.bytedeco.javacpp.cachedir=/home/nalu/.javacpp/cache -cp /app org.springframework.boot.loader.launch.JarLauncher \"$@\"", "nalu-service"]

# OCI annotations, last so that a new revision rebuilds no layer; CI passes the version and the commit it built.
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
# SOURCE: the repository URL (CI passes its clone's origin, if it has one)
ARG SOURCE=""
LABEL org.opencontainers.image.title="nalu-service" \
      org.opencontainers.image.description="Train and serve Neural Arithmetic Logic Units that extrapolate" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}"

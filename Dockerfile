# syntax=docker/dockerfile:1
# nalu-service image.
#   docker build -t nalu-service .
#   docker run --rm -p 8080:8080 -v nalu-data:/data nalu-service
#   docker run --rm -p 8080:8080 -e SPRING_PROFILES_ACTIVE=postgres -e SPRING_DATASOURCE_URL=jdbc:postgresql://db:5432/nalu \
#     -e SPRING_DATASOURCE_USERNAME=nalu -e SPRING_DATASOURCE_PASSWORD=... nalu-service
# ND4J's natives are packaged for linux-x86_64 only (.mvn/maven.config), hence the fixed platform.
# DockerfileTest checks what it can of this file without a Docker engine.

FROM --platform=linux/amd64 eclipse-temurin:17-jdk AS build
# The Maven wrapper downloads Maven with curl or wget and unpacks it with unzip or tar.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl unzip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY mvnw pom.xml ./
# maven.config restricts ND4J's natives to linux-x86_64 (-Djavacpp.platform)
COPY .mvn .mvn
COPY src src
# The cache mount keeps Maven and the ~170 MB of natives between builds. The jar is then split into
# its layers (dependencies change rarely, the application often), each copied as one image layer below.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests package \
 && cp target/nalu-service-*.jar /src/nalu-service.jar \
 && java -Djarmode=tools -jar /src/nalu-service.jar extract --layers --launcher --destination /src/extracted

FROM --platform=linux/amd64 eclipse-temurin:17-jre
# curl is only for HEALTHCHECK. The base image ships it, but we install it here so the check
# still works if a later base image drops it.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
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

#!/usr/bin/env bash
# The container image against the bare jar (issue #12, "Figures"), in one run on this machine:
#   1. the image's size and what takes it: the JRE base, ND4J's natives, the other dependencies, the application,
#      and what a container writes at start (JavaCPP unpacks the natives into its own layer);
#   2. start-up to readiness, in seconds and in CPU seconds of the java process (which load from other processes
#      changes least): `podman run` of the image, `java -jar` of the same jar, and java on the jar extracted as
#      the image holds it (`-cp DIR JarLauncher`), all with the same JAVA_OPTS and OMP_NUM_THREADS=1, rounds
#      alternating between the three, each on a fresh H2 database;
#   3. memory (resident set of the java process) at idle, once ND4J has loaded, and at its peak while one job trains
#      (the README's a × b job without early stop, 30,000 steps).
# Usage (root, from the repository root; builds the image as .ci/container-test.sh does, stand-in bases included):
#     bench/container-bench.sh
# Settings (environment): ROUNDS=3  JAR=target/nalu-service-0.1.0-SNAPSHOT.jar  STEPS=30000
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/container-lib.sh
. bench/common.sh

ROUNDS=${ROUNDS:-3}
JAR=${JAR:-target/nalu-service-0.1.0-SNAPSHOT.jar}
STEPS=${STEPS:-30000}
JAVA_OPTS_BENCH="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError"
KEY=nalu_bench_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d -t nalu-container-bench.XXXXXX)
CONTAINER=nalu-bench-$$
BARE_PID=""
cleanup() {
    podman rm -f -v -t 0 "$CONTAINER" > /dev/null 2>&1 || true
    [ -n "$BARE_PID" ] && kill "$BARE_PID" 2> /dev/null && wait "$BARE_PID" 2> /dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

ci_install_tools
ci_podman_conf "$WORK"
ci_stand_in_images
ci_build_image "$WORK/build.log"
print_header "container-bench"
echo "image $NALU_IMAGE on the stand-in bases $CI_JDK_IMAGE / $CI_JRE_IMAGE (Debian bookworm, openjdk-17 $(podman run --rm --entrypoint java "$CI_JRE_IMAGE" -version 2>&1 | sed -n 's/.*build \([^)]*\)).*/\1/p' | head -1))"
echo "load at start: $(load)"

mb() { awk '{ printf "%.0f MB", $1 / 1e6 }'; }
in_image() { podman run --rm --no-healthcheck --entrypoint sh "$NALU_IMAGE" -c "$1"; }

echo
echo "## 1. Image size: $(podman image inspect -f '{{.Size}}' "$NALU_IMAGE" | mb) (podman image inspect; uncompressed)"
echo "   base image $CI_JRE_IMAGE: $(podman image inspect -f '{{.Size}}' "$CI_JRE_IMAGE" | mb), of which the JRE $(in_image 'du -sb /usr/lib/jvm | cut -f1' | mb)"
NATIVES=$(in_image 'du -cb /app/BOOT-INF/lib/*-linux-x86_64*.jar | tail -1 | cut -f1')
LIBS=$(in_image 'du -sb /app/BOOT-INF/lib | cut -f1')
echo "   ND4J's natives (BOOT-INF/lib/*-linux-x86_64*.jar: nd4j-native, openblas, javacpp): $(echo "$NATIVES" | mb)"
echo "   the other dependencies (BOOT-INF/lib): $(echo $((LIBS - NATIVES)) | mb)"
echo "   the application (BOOT-INF/classes): $(in_image 'du -sb /app/BOOT-INF/classes | cut -f1' | mb)"
echo "   the image's own layers (podman history):"
podman history --format '{{.Size}}\t{{.CreatedBy}}' "$NALU_IMAGE" | awk -F'\t' '$1 != "0 B" && $1 != "0B" { printf "     %8s  %s\n", $1, substr($2, 1, 90) }'

# ---------------------------------------------------------------- rounds
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2> /dev/null || echo 0; }
# PID: user + system CPU seconds the process has used (/proc/PID/stat fields 14 and 15, in clock ticks)
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / hz }' "/proc/$1/stat"; }
await_ready_url() { # URL LIMIT START_NS: seconds from START_NS until URL answers 2xx
    until curl -fsS -o /dev/null --max-time 2 "$1" 2> /dev/null; do
        [ $((($(date +%s%N) - $3) / 1000000000)) -lt "$2" ] || { echo "not ready after $2 s: $1" >&2; exit 1; }
        sleep 0.1
    done
    awk -v ns=$(($(date +%s%N) - $3)) 'BEGIN { printf "%.1f", ns / 1e9 }'
}
# PID API_PORT LOGFILE: idle RSS once ND4J has warmed up, then the peak RSS while one job trains; prints "idle peak" in MB
memory() {
    local pid=$1 port=$2 log=$3 id peak=0 r deadline
    deadline=$(($(date +%s) + 120))
    until grep -q 'ND4J loaded and the training loop warmed up' "$log"; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "ND4J never warmed up" >&2; exit 1; }
        sleep 0.5
    done
    sleep 5
    local idle
    idle=$(rss_kb "$pid")
    id=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/jobs" -H "Authorization: Bearer $KEY" \
        -H 'Content-Type: application/json' --data-binary "$(job_body 5 "$STEPS" false)" | jq -r .id)
    deadline=$(($(date +%s) + 300))
    while [ "$(curl -fsS "http://127.0.0.1:$port/api/v1/jobs/$id" -H "Authorization: Bearer $KEY" | jq -r .state)" != SUCCEEDED ]; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "job $id did not finish in 300 s" >&2; exit 1; }
        r=$(rss_kb "$pid")
        [ "$r" -gt "$peak" ] && peak=$r
        sleep 0.2
    done
    echo "$((idle / 1024)) $((peak / 1024))"
}
container_round() {
    free_port
    local api=$PORT mgmt ready pid mem
    free_port
    mgmt=$PORT
    local start=$(date +%s%N)
    podman run -d --rm --no-healthcheck --name "$CONTAINER" -p "127.0.0.1:$api:8080" -p "127.0.0.1:$mgmt:8081" \
        -e NALU_SECURITY_BOOTSTRAPADMINKEY="$KEY" -e JAVA_OPTS="$JAVA_OPTS_BENCH" "$NALU_IMAGE" > /dev/null 2> "$WORK/podman.err"
    ready=$(await_ready_url "http://127.0.0.1:$mgmt/actuator/health/readiness" 180 "$start")
    pid=$(podman inspect -f '{{.State.Pid}}' "$CONTAINER")
    ready="$ready $(cpu_s "$pid")"
    ( podman logs -f "$CONTAINER" > "$WORK/container.log" 2>&1 & )
    mem=$(memory "$pid" "$api" "$WORK/container.log")
    local written
    written=$(podman ps --size --filter "name=$CONTAINER" --format '{{.Size}}' | sed 's/ (.*//')
    podman rm -f -v -t 0 "$CONTAINER" > /dev/null 2>&1
    echo "container $ready $mem $written"
}
# MODE: jar (java -jar) or extracted (java -cp on the jar extracted as in the image)
bare_round() {
    local launch
    if [ "$1" = jar ]; then launch="-jar $PWD/$JAR"; else launch="-cp $WORK/extracted org.springframework.boot.loader.launch.JarLauncher"; fi
    free_port
    local api=$PORT mgmt ready mem dir
    free_port
    mgmt=$PORT
    dir=$WORK/bare-$RANDOM
    mkdir -p "$dir"
    local start=$(date +%s%N)
    # as the image runs it: OMP_NUM_THREADS=1, the same JAVA_OPTS, the working directory's ./data
    (cd "$dir" && OMP_NUM_THREADS=1 exec java $JAVA_OPTS_BENCH $launch --server.port="$api" \
        --management.server.port="$mgmt" --nalu.security.bootstrap-admin-key="$KEY" > "$dir/service.log" 2>&1) &
    BARE_PID=$!
    ready=$(await_ready_url "http://127.0.0.1:$mgmt/actuator/health/readiness" 180 "$start")
    ready="$ready $(cpu_s "$BARE_PID")"
    mem=$(memory "$BARE_PID" "$api" "$dir/service.log")
    kill "$BARE_PID"
    wait "$BARE_PID" 2> /dev/null || true
    BARE_PID=""
    rm -rf "$dir"
    echo "$1 $ready $mem -"
}

echo
echo "## 2-3. Start-up and memory, $ROUNDS rounds alternating (load before each round in brackets)"
java -Djarmode=tools -jar "$JAR" extract --launcher --destination "$WORK/extracted" > /dev/null
echo "   what        ready_s  ready_cpu_s  idle_rss_MB  training_peak_rss_MB  container_writes"
for round in $(seq 1 "$ROUNDS"); do
    for what in container jar extracted; do
        l=$(load1)
        if [ "$what" = container ]; then container_round; else bare_round "$what"; fi \
            | awk -v l="$l" '{ printf "   %-10s  %7s  %11s  %11s  %20s  %s  [load %s]\n", $1, $2, $3, $4, $5, $6, l }' | tee -a "$WORK/rounds"
    done
done
echo
echo "medians:"
for what in container jar extracted; do
    awk -v w="$what" '$1 == w { r[++n] = $2; c[n] = $3; i[n] = $4; p[n] = $5 }
        function med(a, n,   s, k, j, t) { for (k = 1; k <= n; k++) s[k] = a[k]
            for (k = 1; k <= n; k++) for (j = k + 1; j <= n; j++) if (s[j] < s[k]) { t = s[k]; s[k] = s[j]; s[j] = t }
            return n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2 }
        END { printf "   %-10s ready %.1f s (%.1f CPU s), idle %d MB, training peak %d MB (%d rounds)\n", w, med(r, n), med(c, n), med(i, n), med(p, n), n }' "$WORK/rounds"
done
echo "load at end: $(load)"

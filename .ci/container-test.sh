#!/usr/bin/env bash
# The container image, built from the Dockerfile and run for real with podman (CI runs this after
# ./mvnw -B verify, see .ci/run; run it yourself as root on Debian bookworm from the repository root):
#   1. installs podman, runc, debootstrap, podman-compose and jq when missing;
#   2. makes the stand-in images once per machine (no registry is reachable here): the Dockerfile's bases (its
#      build args) and the postgres and prometheus images of deploy/docker-compose.yml;
#   3. builds the image offline (podman build --network=none), Maven's cache seeded from ~/.m2;
#   4. one container on H2 with a named volume: readiness within 60 s, `podman healthcheck run`, uid 10001 and
#      OMP_NUM_THREADS=1, the SBOM and labels, the README's five-minute walk-through, Prometheus scraped on the
#      management port from another container and refused on the API port; then `podman stop` mid-job and
#      `podman start`: the data are still there and the job resumes;
#   5. two containers on the host network sharing a fresh database on the host's PostgreSQL: SIGKILL the one
#      training a job, the other finishes it from its checkpoint; `podman stop` of one hands its job over;
#   6. deploy/docker-compose.yml as written, with podman-compose and stand-ins for its postgres and prometheus
#      images: both replicas healthy, a job submitted to one read on the other, Prometheus scraping both.
# Every check names what failed; the script exits non-zero on the first failure and removes every container,
# volume, network and database it made. It prints how long each part took.
# Settings (environment): PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGPASSWORD= (trust authentication by default)
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/container-lib.sh
. bench/common.sh

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGPASSWORD=${PGPASSWORD:-}
RUN=nalu-ci-$$
# The admin key every container starts with (nalu.security.bootstrap-admin-key)
KEY=nalu_ci_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d -t nalu-container-test.XXXXXX)
CONTAINERS=()
DATABASE=""
COMPOSE_UP=""
TIMES=()

cleanup() {
    local status=$? c
    if [ "$status" -ne 0 ]; then
        for c in "${CONTAINERS[@]}"; do
            echo "---- last log lines of $c ----" >&2
            podman logs --tail 30 "$c" 2>&1 | grep -v 'level=error msg=".*systemd' >&2 || true
        done
    fi
    for c in "${CONTAINERS[@]}"; do # -v: and the anonymous volume of the image's VOLUME /data
        podman rm -f -v -t 0 "$c" > /dev/null 2>&1 || true
    done
    if [ -n "$COMPOSE_UP" ]; then
        NALU_ADMIN_KEY=$KEY podman-compose -p "$RUN" -f deploy/docker-compose.yml down -v > /dev/null 2>&1 || true
        podman network rm -f "${RUN}_default" > /dev/null 2>&1 || true
        podman untag "$NALU_IMAGE" localhost/nalu-service:latest > /dev/null 2>&1 || true
    fi
    podman volume rm -f "$RUN-data" > /dev/null 2>&1 || true
    podman network rm -f "$RUN-net" > /dev/null 2>&1 || true
    if [ -n "$DATABASE" ]; then
        psql -d postgres -qc "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" > /dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
    [ "$status" -eq 0 ] && echo "container test: all checks passed" || echo "container test: FAILED" >&2
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

T0=$(date +%s)
T=$T0
timed() { # NAME: records the seconds since the last call
    local now
    now=$(date +%s)
    TIMES+=("$1: $((now - T)) s")
    ci_log "$1 done in $((now - T)) s"
    T=$now
}
# podman 4.3 without systemd logs an error for each health check timer it cannot make; the check itself runs
podman_quiet() { podman "$@" 2> >(grep -v 'level=error msg=".*systemd' >&2); }

# ---------------------------------------------------------------- HTTP against a published API port
api() { # METHOD PORT PATH [BODY]: prints the body; fails unless 2xx
    local method=$1 port=$2 path=$3 body=${4:-} code
    code=$(curl -sS -o "$WORK/body" -w '%{http_code}' --max-time 30 -X "$method" "http://127.0.0.1:$port$path" \
        -H "Authorization: Bearer $KEY" ${body:+-H 'Content-Type: application/json' --data-binary "$body"}) \
        || ci_die "$method $path on port $port: no answer"
    [[ $code == 2* ]] || ci_die "$method $path on port $port answered $code: $(cat "$WORK/body")"
    cat "$WORK/body"
}
events() { # PORT JOB [SECONDS]: the job's event stream so far (the whole history once it has ended)
    curl -sN --max-time "${3:-2}" "http://127.0.0.1:$1/api/v1/jobs/$2/events" -H "Authorization: Bearer $KEY" \
        -H 'Accept: text/event-stream' || true
}
event_data() { # TYPE: the data of each event of TYPE in an event stream on stdin, one JSON per line
    awk -v t="$1" '/^event:/ { e = substr($0, 7) } /^data:/ { if (e == t) print substr($0, 6) }'
}
await_job() { # PORT JOB JQ-CONDITION SECONDS WHAT
    local deadline=$(($(date +%s) + $4))
    until [ "$(api GET "$1" "/api/v1/jobs/$2" | jq -r "$3")" = true ]; do
        [ "$(date +%s)" -lt "$deadline" ] || ci_die "job $2: not $5 within $4 s (job: $(api GET "$1" "/api/v1/jobs/$2" | jq -c '{state, progress: .progress.step, failureReason}'))"
        sleep 0.5
    done
}
submit() { # PORT BODY: prints the job id
    api POST "$1" /api/v1/jobs "$2" | jq -r .id
}
trainer() { # PORT JOB: the replica named by the job's latest RUNNING state event
    events "$1" "$2" 1 | event_data state | jq -r 'select(.replica) | .replica' | tail -1
}

# ---------------------------------------------------------------- 1-3: tools, bases, image
ci_install_tools
ci_podman_conf "$WORK"
command -v psql > /dev/null || ci_die "psql is missing (PostgreSQL's client; .ci/run starts the local server)"
timed "tools"
ci_stand_in_images
timed "stand-in images"
ci_build_image "$WORK/build.log"
timed "image build (offline)"
ci_log "image $NALU_IMAGE: $(podman image inspect -f '{{.Size}}' "$NALU_IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"

# ---------------------------------------------------------------- 4: one container on H2
podman network create "$RUN-net" > /dev/null
podman volume create "$RUN-data" > /dev/null
free_port
H2_PORT=$PORT
C=$RUN-h2
CONTAINERS+=("$C")
# checkpoint-every shortened so that a job stopped mid-training has a periodic checkpoint to fall back on
podman_quiet run -d --name "$C" --network "$RUN-net" -p "127.0.0.1:$H2_PORT:8080" -v "$RUN-data:/data" \
    -e NALU_SECURITY_BOOTSTRAPADMINKEY="$KEY" -e NALU_JOBS_CHECKPOINTEVERY=2000 "$NALU_IMAGE" > /dev/null
READY=$(ci_await_ready "$C" http://127.0.0.1:8081/actuator/health/readiness 60)
ci_log "ready after $READY s"
podman_quiet healthcheck run "$C" || ci_die "podman healthcheck run $C: unhealthy although readiness answered"
USER_ID=$(podman exec "$C" awk '/^Uid:/ { print $2 }' /proc/1/status)
[ "$USER_ID" = 10001 ] || ci_die "the service runs as uid $USER_ID, not 10001"
# (grep reads whole outputs here: grep -q would close the pipe early, and pipefail fail the writer)
podman exec "$C" sh -c 'tr "\0" "\n" < /proc/1/environ' | grep -x OMP_NUM_THREADS=1 > /dev/null \
    || ci_die "the service's environment lacks OMP_NUM_THREADS=1"
podman exec "$C" ls -ln /data | awk '$NF ~ /\.mv\.db$/ { found = 1; if ($3 != 10001) exit 1 } END { exit !found }' \
    || ci_die "no H2 database owned by 10001 under /data: $(podman exec "$C" ls -ln /data)"
for label in version revision; do
    value=$(podman image inspect -f "{{index .Labels \"org.opencontainers.image.$label\"}}" "$NALU_IMAGE")
    [ -n "$value" ] && [ "$value" != unknown ] || ci_die "the image's label org.opencontainers.image.$label is '$value'"
done
podman exec "$C" curl -fsS http://127.0.0.1:8081/actuator/sbom/application | jq -e '.bomFormat == "CycloneDX" and (.components | length > 50)' > /dev/null \
    || ci_die "/actuator/sbom/application is not the service's CycloneDX SBOM"
timed "single container: readiness ($READY s), health check, user, SBOM"

# The README's five minutes with curl
MUL=$(submit "$H2_PORT" "$(job_body 42 20000 true)")
COMPLETED=$(events "$H2_PORT" "$MUL" 60 | event_data completed)
[ "$(jq -r '.formula + " " + (.exact | tostring)' <<< "$COMPLETED")" = "y = a × b true" ] \
    || ci_die "walk-through: job $MUL did not complete with the exact y = a × b: '$COMPLETED'"
MODEL=$(jq -r .modelId <<< "$COMPLETED")
api GET "$H2_PORT" "/api/v1/models/$MODEL" | jq -e '.formula.text == "y = a × b" and .formula.exact' > /dev/null \
    || ci_die "walk-through: model $MODEL does not read y = a × b"
api POST "$H2_PORT" "/api/v1/models/$MODEL/evaluate" '{"ranges": [[1e3, 1e6]], "samples": 1000, "seed": 1}' \
    | jq -e '.results[0].success' > /dev/null || ci_die "walk-through: evaluate on [1e3, 1e6] did not succeed"
PREDICTED=$(api POST "$H2_PORT" "/api/v1/models/$MODEL/predict" '{"inputs": [{"a": 12345, "b": 678}]}' | jq -c .outputs)
[ "$PREDICTED" = "[8369910]" ] || ci_die "walk-through: predict 12345 × 678 gave $PREDICTED, not [8369910]"
timed "walk-through (submit, stream, model, evaluate, predict)"

# Prometheus scrapes the management port from inside the container network; the API port refuses it
IP=$(podman inspect -f "{{(index .NetworkSettings.Networks \"$RUN-net\").IPAddress}}" "$C")
podman_quiet run --rm --network "$RUN-net" "$CI_JRE_IMAGE" curl -fsS --max-time 10 "http://$IP:8081/actuator/prometheus" \
    | grep '^jvm_memory_used_bytes' > /dev/null || ci_die "no Prometheus scrape at http://$IP:8081/actuator/prometheus from the container network"
CODE=$(podman_quiet run --rm --network "$RUN-net" "$CI_JRE_IMAGE" curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://$IP:8080/actuator/prometheus")
[ "$CODE" = 401 ] || ci_die "the API port answered a keyless scrape with $CODE, not 401"
[ "$(podman port "$C")" = "8080/tcp -> 127.0.0.1:$H2_PORT" ] || ci_die "the container publishes more than the API port: $(podman port "$C")"
timed "Prometheus on the management port only"

# podman stop mid-job, podman start: the data survive and the job resumes
LONG=$(submit "$H2_PORT" "$(job_body 7 30000 false)")
await_job "$H2_PORT" "$LONG" '(.progress.step // 0) >= 4000' 90 "past step 4000"
podman_quiet stop -t 60 "$C" > /dev/null
EXIT=$(podman inspect -f '{{.State.ExitCode}}' "$C")
[ "$EXIT" = 143 ] || [ "$EXIT" = 0 ] || ci_die "podman stop: the service exited with $EXIT, not gracefully (0 or 143 after SIGTERM)"
podman logs "$C" 2>&1 | grep 'Graceful shutdown complete' > /dev/null || ci_die "podman stop: no 'Graceful shutdown complete' in the log"
podman_quiet start "$C" > /dev/null
READY_AGAIN=$(ci_await_ready "$C" http://127.0.0.1:8081/actuator/health/readiness 60)
api GET "$H2_PORT" "/api/v1/models/$MODEL" | jq -e '.formula.text == "y = a × b"' > /dev/null \
    || ci_die "after podman start: model $MODEL is gone from the volume"
await_job "$H2_PORT" "$LONG" '.state == "SUCCEEDED"' 120 "SUCCEEDED after the restart"
HISTORY=$(events "$H2_PORT" "$LONG" 30 | event_data state)
RELEASED=$(jq -r 'select(.releasedAtStep) | .releasedAtStep' <<< "$HISTORY" | tail -1)
RESUMED=$(jq -r 'select(.resumedFromStep) | .resumedFromStep' <<< "$HISTORY" | tail -1)
[ -n "$RELEASED" ] && [ "$RELEASED" -ge 4000 ] && [ "$RESUMED" = "$RELEASED" ] \
    || ci_die "job $LONG: expected a hand-back at stop and a resumption from that step; state events: $HISTORY"
timed "podman stop/start: data kept, job resumed from step $RESUMED (ready again after $READY_AGAIN s)"
podman_quiet rm -f -v -t 0 "$C" > /dev/null

# ---------------------------------------------------------------- 5: two containers on the host's PostgreSQL
pg_isready -q || ci_die "PostgreSQL at $PGHOST:$PGPORT does not answer (.ci/run starts it)"
DATABASE=nalu_ci_$$_$RANDOM
psql -d postgres -qc "CREATE DATABASE $DATABASE" > /dev/null
declare -A API_PORT MGMT_PORT
replica() { # NAME: starts a replica on the host network, with its own ports and db-scheduler name
    free_port
    API_PORT[$1]=$PORT
    free_port
    MGMT_PORT[$1]=$PORT
    CONTAINERS+=("$RUN-$1")
    # heartbeat 1 s × 4 (ReplicasIT's timings), so a dead replica's job is taken over within seconds
    podman_quiet run -d --name "$RUN-$1" --network host \
        -e SPRING_PROFILES_ACTIVE=postgres -e SPRING_DATASOURCE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DATABASE" \
        -e SPRING_DATASOURCE_USERNAME="$PGUSER" -e SPRING_DATASOURCE_PASSWORD="$PGPASSWORD" \
        -e SERVER_PORT="${API_PORT[$1]}" -e MANAGEMENT_SERVER_PORT="${MGMT_PORT[$1]}" \
        -e NALU_SECURITY_BOOTSTRAPADMINKEY="$KEY" -e DBSCHEDULER_SCHEDULERNAME="$1" \
        -e DBSCHEDULER_HEARTBEATINTERVAL=1s -e DBSCHEDULER_MISSEDHEARTBEATSLIMIT=4 -e DBSCHEDULER_POLLINGINTERVAL=500ms \
        -e NALU_JOBS_CHECKPOINTEVERY=2000 "$NALU_IMAGE" > /dev/null
}
readiness() { echo "http://127.0.0.1:${MGMT_PORT[$1]}/actuator/health/readiness"; }
replica a
replica b
ci_await_ready "$RUN-a" "$(readiness a)" 90 > /dev/null
ci_await_ready "$RUN-b" "$(readiness b)" 90 > /dev/null
podman_quiet healthcheck run "$RUN-a" || ci_die "podman healthcheck run: replica a (MANAGEMENT_SERVER_PORT=${MGMT_PORT[a]}) unhealthy"
timed "two replicas ready on PostgreSQL"

other() { [ "$1" = a ] && echo b || echo a; }
await_trainer() { # JOB: waits until a replica trains the job past step 4000 (past a periodic checkpoint); prints its name
    await_job "${API_PORT[a]}" "$1" '(.progress.step // 0) >= 4000' 90 "past step 4000"
    trainer "${API_PORT[a]}" "$1"
}
KILLED_JOB=$(submit "${API_PORT[a]}" "$(job_body 11 30000 false)")
VICTIM=$(await_trainer "$KILLED_JOB")
[ "$VICTIM" = a ] || [ "$VICTIM" = b ] || ci_die "job $KILLED_JOB: no replica named in its state events ('$VICTIM')"
SURVIVOR=$(other "$VICTIM")
KILLED_AT=$(now_ms)
podman kill --signal KILL "$RUN-$VICTIM" > /dev/null
until events "${API_PORT[$SURVIVOR]}" "$KILLED_JOB" 1 | event_data state | jq -e "select(.resumedFromStep and .replica == \"$SURVIVOR\")" > /dev/null; do
    [ $(($(now_ms) - KILLED_AT)) -lt 60000 ] || ci_die "job $KILLED_JOB: replica $SURVIVOR did not take it over within 60 s of SIGKILL to $VICTIM"
    sleep 0.5
done
TAKEOVER_MS=$(($(now_ms) - KILLED_AT))
await_job "${API_PORT[$SURVIVOR]}" "$KILLED_JOB" '.state == "SUCCEEDED"' 120 "finished by $SURVIVOR"
[ "$(podman inspect -f '{{.State.ExitCode}}' "$RUN-$VICTIM")" = 137 ] || ci_die "replica $VICTIM did not die of SIGKILL"
RESUMED=$(events "${API_PORT[$SURVIVOR]}" "$KILLED_JOB" 30 | event_data state | jq -r "select(.resumedFromStep and .replica == \"$SURVIVOR\") | .resumedFromStep" | tail -1)
[ "$RESUMED" -ge 2000 ] || ci_die "job $KILLED_JOB: $SURVIVOR resumed from step $RESUMED, not from a periodic checkpoint"
timed "SIGKILL to replica $VICTIM: $SURVIVOR resumed job $KILLED_JOB from step $RESUMED after $TAKEOVER_MS ms and finished it"

podman_quiet start "$RUN-$VICTIM" > /dev/null
ci_await_ready "$RUN-$VICTIM" "$(readiness "$VICTIM")" 90 > /dev/null
STOPPED_JOB=$(submit "${API_PORT[$SURVIVOR]}" "$(job_body 12 30000 false)")
STOPPING=$(await_trainer "$STOPPED_JOB")
TAKER=$(other "$STOPPING")
podman_quiet stop -t 60 "$RUN-$STOPPING" > /dev/null
EXIT=$(podman inspect -f '{{.State.ExitCode}}' "$RUN-$STOPPING")
[ "$EXIT" = 143 ] || [ "$EXIT" = 0 ] || ci_die "podman stop: replica $STOPPING exited with $EXIT, not gracefully"
await_job "${API_PORT[$TAKER]}" "$STOPPED_JOB" '.state == "SUCCEEDED"' 120 "finished by $TAKER"
HISTORY=$(events "${API_PORT[$TAKER]}" "$STOPPED_JOB" 30 | event_data state)
RELEASED=$(jq -r "select(.releasedAtStep and .replica == \"$STOPPING\") | .releasedAtStep" <<< "$HISTORY" | tail -1)
RESUMED=$(jq -r "select(.resumedFromStep and .replica == \"$TAKER\") | .resumedFromStep" <<< "$HISTORY" | tail -1)
[ -n "$RELEASED" ] && [ "$RESUMED" = "$RELEASED" ] \
    || ci_die "job $STOPPED_JOB: expected $STOPPING to hand it back at stop and $TAKER to resume from that step; state events: $HISTORY"
timed "podman stop of replica $STOPPING: $TAKER resumed job $STOPPED_JOB from step $RESUMED and finished it"

podman_quiet rm -f -v -t 0 "$RUN-a" "$RUN-b" > /dev/null

# ---------------------------------------------------------------- 6: deploy/docker-compose.yml as written
for port in 8081 8082 9090; do
    if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
        ci_die "port $port, which deploy/docker-compose.yml publishes, is in use on this machine"
    fi
done
# the compose file's image, this build (compose would build the same Dockerfile with the public bases)
podman tag "$NALU_IMAGE" localhost/nalu-service:latest
COMPOSE_UP=1
NALU_ADMIN_KEY=$KEY podman-compose -p "$RUN" -f deploy/docker-compose.yml up -d --no-build > "$WORK/compose.log" 2>&1 \
    || { tail -30 "$WORK/compose.log" >&2; ci_die "podman-compose up failed (log above)"; }
for service in nalu-1 nalu-2; do
    container=$(podman ps -a --filter "label=io.podman.compose.project=$RUN" --filter "label=com.docker.compose.service=$service" --format '{{.Names}}')
    [ -n "$container" ] || ci_die "podman-compose made no container for $service"
    CONTAINERS+=("$container")
    ci_await_ready "$container" http://127.0.0.1:8081/actuator/health/readiness 120 > /dev/null
    podman_quiet healthcheck run "$container" || ci_die "compose: podman healthcheck run $container: unhealthy"
done
# either replica answers for the other: a job submitted to nalu-1 (host port 8081) is read on nalu-2 (8082)
SHARED=$(submit 8081 "$(job_body 3 20000 true)")
await_job 8082 "$SHARED" '.state == "SUCCEEDED"' 120 "SUCCEEDED, read on nalu-2"
deadline=$(($(date +%s) + 60))
until [ "$(curl -fsS --max-time 5 http://127.0.0.1:9090/api/v1/targets 2> /dev/null \
        | jq '[.data.activeTargets[] | select(.health == "up") | .labels.instance] | sort == ["nalu-1:8081", "nalu-2:8081"]')" = true ]; do
    [ "$(date +%s)" -lt "$deadline" ] || ci_die "compose: Prometheus did not scrape both replicas within 60 s: $(curl -s http://127.0.0.1:9090/api/v1/targets | jq -c '[.data.activeTargets[] | {instance: .labels.instance, health, lastError}]')"
    sleep 2
done
timed "podman-compose: two replicas on PostgreSQL healthy, job $SHARED shared, Prometheus scrapes both"

echo "container test: times"
printf '  %s\n' "${TIMES[@]}"
echo "  total: $(($(date +%s) - T0)) s"

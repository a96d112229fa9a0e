#!/usr/bin/env bash
# Several replicas on one PostgreSQL database (issue #4, "Figures"), measured on the packaged jar over real HTTP:
#   1. jobs finished per minute: a fixed batch of identical jobs (the README's a * b job without early stop:
#      20,000 steps, K = 16), submitted at once, on one replica and on two replicas of the same database;
#   2. takeover after SIGKILL: the replica training a job is killed mid-training; the time until another replica
#      resumes it, and the steps lost (its last progress report minus the checkpoint it resumed from);
#   3. hand-over after SIGTERM: the replica training a job is stopped; its exit time, and the time until another
#      replica resumes the job (from the checkpoint written at stop, so no step is lost).
# Every replica shares this machine's cores (2 here): two replicas add no CPU, only a second JVM.
#
# Usage (from the repository root, after ./mvnw -B -o -DskipTests package, with PostgreSQL running):
#     bench/replicas-bench.sh
# Needs java 17, curl, jq and psql. Each section runs on a fresh database (created and dropped here) and every
# replica gets a free port and its own db-scheduler name; the script stops the replicas it started.
# Settings (environment):
#     JAR=target/nalu-service-0.1.0-SNAPSHOT.jar  JOBS=12  STEPS=20000  MAX_LOAD=1.3  LOAD_WAIT_SECONDS=300
#     PGHOST=127.0.0.1  PGPORT=5432  PGUSER=postgres  PGPASSWORD=  (PostgreSQL, trust authentication by default)
#     THROUGHPUT_SETUPS="1x2 2x1 2x2"   replicas x workers per replica, for section 1
#     HEARTBEAT=5s  MISSED_HEARTBEATS=6  POLLING=2s  CHECKPOINT_EVERY=5000   (the defaults of src/main/resources/application.yml)
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-target/nalu-service-0.1.0-SNAPSHOT.jar}
JOBS=${JOBS:-12}
STEPS=${STEPS:-20000}
MAX_LOAD=${MAX_LOAD:-1.3}
LOAD_WAIT_SECONDS=${LOAD_WAIT_SECONDS:-300}
THROUGHPUT_SETUPS=${THROUGHPUT_SETUPS:-1x2 2x1 2x2}
HEARTBEAT=${HEARTBEAT:-5s}
MISSED_HEARTBEATS=${MISSED_HEARTBEATS:-6}
POLLING=${POLLING:-2s}
CHECKPOINT_EVERY=${CHECKPOINT_EVERY:-5000}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGPASSWORD=${PGPASSWORD:-}

for tool in java curl jq psql; do
    command -v "$tool" > /dev/null || { echo "replicas-bench: $tool is missing" >&2; exit 2; }
done
[ -f "$JAR" ] || { echo "replicas-bench: $JAR is missing; run ./mvnw -B -o -DskipTests package" >&2; exit 2; }
psql -d postgres -Atqc 'SELECT 1' > /dev/null || { echo "replicas-bench: PostgreSQL at $PGHOST:$PGPORT does not answer" >&2; exit 2; }

WORK=$(mktemp -d -t nalu-replicas-bench.XXXXXX)
PIDS=()
DATABASES=()
stop_replicas() { # SIGTERM, as an orchestrator would, then wait
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2> /dev/null || true
    done
    for p in "${PIDS[@]}"; do
        wait "$p" 2> /dev/null || true
    done
    PIDS=()
}
cleanup() {
    local status=$?
    stop_replicas
    local d
    for d in "${DATABASES[@]}"; do
        psql -d postgres -qc "DROP DATABASE IF EXISTS $d WITH (FORCE)" || true
    done
    if [ "$status" -eq 0 ]; then
        rm -rf "$WORK"
    else
        echo "replicas-bench: the replicas' logs are in $WORK" >&2
    fi
}
trap cleanup EXIT

. bench/common.sh
await_quiet_machine

new_database() { # → sets DB to a fresh database's name
    DB="nalu_bench_$(date +%s)_$RANDOM"
    psql -d postgres -qc "CREATE DATABASE $DB"
    DATABASES+=("$DB")
}

sql() { psql -d "$DB" -Atqc "$1"; }

# The admin key every replica started here gets (nalu.security.bootstrap-admin-key); a fresh one per run.
KEY="nalu_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"

# start_replica NAME WORKERS: on $DB and a free port; appends to PIDS, sets BASE_<NAME> and PID_<NAME>
start_replica() {
    local name=$1 workers=$2 port management_port log
    free_port
    port=$PORT
    free_port
    management_port=$PORT
    log="$WORK/$name.log"
    OMP_NUM_THREADS=1 java -Dorg.bytedeco.javacpp.cachedir="$HOME/.javacpp/cache" -jar "$JAR" \
        --spring.profiles.active=postgres --spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
        --spring.datasource.username="$PGUSER" --spring.datasource.password="$PGPASSWORD" \
        --server.port="$port" --spring.main.banner-mode=off --db-scheduler.scheduler-name="$name" \
        --db-scheduler.heartbeat-interval="$HEARTBEAT" --db-scheduler.missed-heartbeats-limit="$MISSED_HEARTBEATS" \
        --db-scheduler.polling-interval="$POLLING" --nalu.jobs.checkpoint-every="$CHECKPOINT_EVERY" \
        --nalu.jobs.workers="$workers" --management.server.port="$management_port" \
        --nalu.security.bootstrap-admin-key="$KEY" > "$log" 2>&1 &
    PIDS+=("$!")
    printf -v "PID_$name" '%s' "$!"
    printf -v "BASE_$name" '%s' "http://127.0.0.1:$port"
    printf -v "MANAGEMENT_$name" '%s' "http://127.0.0.1:$management_port"
}

await_ready() { # NAME...
    local name base pid t0
    t0=$(now_ms)
    for name in "$@"; do
        base="MANAGEMENT_$name"
        pid="PID_$name"
        until curl -sf "${!base}/actuator/health/readiness" 2> /dev/null | grep -q '"status":"UP"'; do
            if ! kill -0 "${!pid}" 2> /dev/null; then
                echo "replicas-bench: $name died on start; its log:" >&2
                tail -50 "$WORK/$name.log" >&2
                exit 1
            fi
            if [ $(( $(now_ms) - t0 )) -gt 300000 ]; then
                echo "replicas-bench: $name not ready after 300 s; see $WORK/$name.log" >&2
                exit 1
            fi
            sleep 0.1
        done
        kill -0 "${!pid}" 2> /dev/null || { echo "replicas-bench: $name died; see $WORK/$name.log" >&2; exit 1; }
    done
}

# warm_up NAME...: each replica trains one short job (1,000 steps), so ND4J's native libraries are loaded and the
# training loop is compiled before the timed batch; a job that another replica picked is submitted again
warm_up() {
    local name base id ran try
    for name in "$@"; do
        base="BASE_$name"
        for try in 1 2 3 4 5; do
            id=$(submit "${!base}" 0 1000)
            until [ "$(sql "SELECT state FROM jobs WHERE id = $id")" = SUCCEEDED ]; do sleep 0.1; done
            ran=$(sql "SELECT data::json->>'replica' FROM job_events WHERE job_id = $id AND data LIKE '%\"replica\"%' LIMIT 1")
            [ "$ran" = "$name" ] && break
        done
    done
}


submit() { # BASE seed steps → job id
    curl -sf -H "Authorization: Bearer $KEY" "$1/api/v1/jobs" -H 'Content-Type: application/json' -d "$(job_body "$2" "$3" false)" | jq -r .id
}

# a PostgreSQL timestamp → epoch ms
PG_MS="(extract(epoch from %s) * 1000)::bigint"

# ---------------------------------------------------------------- header
print_header "nalu-service replicas benchmark"
echo "every replica shares this machine's $(nproc) cores"
echo "postgresql: $(psql -d postgres -Atqc 'SHOW server_version') at $PGHOST:$PGPORT"
echo "db-scheduler: heartbeat $HEARTBEAT × $MISSED_HEARTBEATS missed, polling $POLLING; checkpoint every $CHECKPOINT_EVERY steps"
echo "load average at start: $(load)"
echo

# ---------------------------------------------------------------- 1. throughput
echo "## 1. jobs finished per minute: $JOBS identical jobs (a * b, \"auto\" = one NMU, K = 16, $STEPS steps, early stop off,"
echo "##    batch 64, seeds 1..$JOBS), POSTed at once, alternating between the replicas; time from the first job's"
echo "##    createdAt to the last one's finishedAt; each replica runs 'workers' jobs at once, one thread each, and has"
echo "##    trained one warm-up job of 1,000 steps before (ND4J loaded, training loop compiled)"
for setup in $THROUGHPUT_SETUPS; do
    replicas=${setup%x*}
    workers=${setup#*x}
    new_database
    names=()
    for r in $(seq 1 "$replicas"); do
        names+=("r$r")
        start_replica "r$r" "$workers"
    done
    await_ready "${names[@]}"
    warm_up "${names[@]}"
    first=$(sql "SELECT COALESCE(MAX(id), 0) + 1 FROM jobs")
    for seed in $(seq 1 "$JOBS"); do
        base="BASE_${names[$(( (seed - 1) % replicas ))]}"
        submit "${!base}" "$seed" "$STEPS" > /dev/null
    done
    while :; do
        unfinished=$(sql "SELECT COUNT(*) FROM jobs WHERE state IN ('QUEUED', 'RUNNING')")
        [ "$unfinished" -eq 0 ] && break
        sleep 0.2
    done
    failed=$(sql "SELECT COUNT(*) FROM jobs WHERE id >= $first AND state <> 'SUCCEEDED'")
    span=$(sql "SELECT $(printf "$PG_MS" 'max(finished_at)') - $(printf "$PG_MS" 'min(created_at)') FROM jobs WHERE id >= $first")
    runs=$(sql "SELECT $(printf "$PG_MS" 'finished_at') - $(printf "$PG_MS" 'started_at') FROM jobs WHERE id >= $first ORDER BY 1" | tr '\n' ' ')
    median=$(echo "$runs" | tr ' ' '\n' | grep -v '^$' | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
    per=$(sql "SELECT data::json->>'replica', COUNT(*) FROM job_events WHERE job_id >= $first AND type = 'state'
        AND data::json->>'state' = 'RUNNING' GROUP BY 1 ORDER BY 1" | tr '|\n' ': ' | sed 's/ $//')
    awk -v r="$replicas" -v w="$workers" -v n="$JOBS" -v span="$span" -v m="$median" -v f="$failed" -v per="$per" -v l="$(load)" \
        'BEGIN { printf "%d replica(s) × %d worker(s): %d jobs in %.1f s = %.1f jobs/min; one job runs median %.1f s; %d not SUCCEEDED; ran on %s; load %s\n",
                 r, w, n, span / 1000, n * 60000 / span, m / 1000, f, per, l }'
    stop_replicas
done
echo

# takeover SIGNAL: two replicas (2 workers each) on a fresh database; one job on the first; SIGNAL to the replica
# that trains it once it has a checkpoint and a report after it; prints what happened
takeover() {
    local signal=$1 id victim other killed exited resumed_at from last lost
    new_database
    start_replica t1 2
    start_replica t2 2
    await_ready t1 t2
    id=$(submit "$BASE_t1" 1 200000)
    until [ -n "$(sql "SELECT 1 FROM job_events WHERE job_id = $id AND data LIKE '%\"replica\"%'")" ]; do sleep 0.05; done
    victim=$(sql "SELECT data::json->>'replica' FROM job_events WHERE job_id = $id AND data LIKE '%\"replica\"%' ORDER BY id LIMIT 1")
    other=$([ "$victim" = t1 ] && echo t2 || echo t1)
    until [ "$(sql "SELECT COUNT(*) FROM jobs j JOIN checkpoints c ON c.job_id = j.id WHERE j.id = $id AND j.progress_step > c.step")" = 1 ]; do
        sleep 0.05
    done
    pid="PID_$victim"
    killed=$(now_ms)
    kill -s "$signal" "${!pid}"
    wait "${!pid}" 2> /dev/null || true
    exited=$(now_ms)
    until [ -n "$(sql "SELECT 1 FROM job_events WHERE job_id = $id AND data LIKE '%resumedFromStep%'")" ]; do
        if [ $(( $(now_ms) - killed )) -gt 300000 ]; then
            echo "replicas-bench: job $id not resumed 300 s after $signal; see $WORK/$other.log" >&2
            exit 1
        fi
        sleep 0.05
    done
    IFS='|' read -r resumed_at from < <(sql "SELECT $(printf "$PG_MS" created_at), data::json->>'resumedFromStep' FROM job_events
        WHERE job_id = $id AND data LIKE '%resumedFromStep%'")
    last=$(sql "SELECT COALESCE(MAX((data::json->>'step')::bigint), 0) FROM job_events WHERE job_id = $id AND type = 'progress'
        AND id < (SELECT id FROM job_events WHERE job_id = $id AND data LIKE '%resumedFromStep%')")
    lost=$(( last - from ))
    [ "$lost" -lt 0 ] && lost=0
    echo "SIG$signal to $victim (training job $id): it exited after $((exited - killed)) ms; $other resumed the job" \
        "$((resumed_at - killed)) ms after the signal, from step $from; $victim's last progress report was step $last:" \
        "$lost steps lost; load $(load)"
    stop_replicas
}

case "$HEARTBEAT" in
    *ms) timeout_ms=$(( ${HEARTBEAT%ms} * MISSED_HEARTBEATS )) ;;
    *s) timeout_ms=$(( ${HEARTBEAT%s} * MISSED_HEARTBEATS * 1000 )) ;;
    *) timeout_ms="?" ;;
esac
echo "## 2. takeover after SIGKILL: two replicas (2 workers each); a job of 200,000 steps on one of them is killed"
echo "##    once it has a checkpoint and a report after it; dead after heartbeat $HEARTBEAT × $MISSED_HEARTBEATS = ${timeout_ms} ms"
takeover KILL
echo

echo "## 3. hand-over after SIGTERM: the same, with SIGTERM (graceful: checkpoint, release, exit)"
takeover TERM
echo

echo "load average at end: $(load)"

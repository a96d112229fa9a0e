#!/usr/bin/env bash
# The service's own figures (issue #3, "Figures"), measured on the packaged jar over real HTTP:
#   1. start-up: from `java -jar` to /actuator/health/readiness UP, median of 3 starts;
#   2. POST → SUCCEEDED with an exact model for a * b (the README's example job, "auto", seeds 1..10,
#      one job at a time), with early stop on (the default) and off;
#   3. predict: requests/s and latency percentiles with wrk, 1-row and 1,000-row requests,
#      32 concurrent connections;
#   4. predict, 1 row, with authentication on (an API key on every request) and off
#      (nalu.security.enabled=false), on fresh services started one after the other, AUTH_ROUNDS times each;
#   5. the Open Inference Protocol's infer (POST /v2/models/{name}/infer) against predict on the same model,
#      1 and 1,000 rows, OIP_ROUNDS rounds that alternate predict, infer on one fresh service.
#
# Usage (from the repository root, after ./mvnw -B -o -DskipTests package):
#     bench/service-bench.sh
# Needs java 17, curl, jq and wrk (Debian: apt-get install -y wrk jq). Every run uses a fresh temporary
# data directory and a free port, and stops the service it started. Settings (environment):
#     JAR=target/nalu-service-0.1.0-SNAPSHOT.jar  STARTS=3  SEEDS=10  WRK_SECONDS=20  WARMUP_SECONDS=5
#     CONNECTIONS=32  MAX_LOAD=1.3  LOAD_WAIT_SECONDS=300  EARLY_STOP_MODES="true false"
#     JOB_DELAY_SECONDS=0 (wait this long after the last start before the first job)
#     WARM_UP=true (nalu.jobs.warm-up: load ND4J in the background once ready)  AUTH_ROUNDS=2 (0 skips section 4)
#     OIP_ROUNDS=3 (0 skips section 5)  SECTIONS="1 2 3 4 5" (the sections to run; 3 needs 1 and 2)
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-target/nalu-service-0.1.0-SNAPSHOT.jar}
STARTS=${STARTS:-3}
SEEDS=${SEEDS:-10}
WRK_SECONDS=${WRK_SECONDS:-20}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
CONNECTIONS=${CONNECTIONS:-32}
MAX_LOAD=${MAX_LOAD:-1.3}
LOAD_WAIT_SECONDS=${LOAD_WAIT_SECONDS:-300}
EARLY_STOP_MODES=${EARLY_STOP_MODES:-true false}
JOB_DELAY_SECONDS=${JOB_DELAY_SECONDS:-0}
WARM_UP=${WARM_UP:-true}
AUTH_ROUNDS=${AUTH_ROUNDS:-2}
OIP_ROUNDS=${OIP_ROUNDS:-3}
SECTIONS=" ${SECTIONS:-1 2 3 4 5} "
# The admin key every service started here gets (nalu.security.bootstrap-admin-key); a fresh one per run.
KEY="nalu_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
AUTH=(-H "Authorization: Bearer $KEY")

for tool in java curl jq wrk; do
    command -v "$tool" > /dev/null || { echo "service-bench: $tool is missing" >&2; exit 2; }
done
[ -f "$JAR" ] || { echo "service-bench: $JAR is missing; run ./mvnw -B -o -DskipTests package" >&2; exit 2; }

WORK=$(mktemp -d -t nalu-bench.XXXXXX)
PID=
stop_service() {
    if [ -n "$PID" ] && kill -0 "$PID" 2> /dev/null; then
        kill "$PID"
        wait "$PID" 2> /dev/null || true
    fi
    PID=
}
trap 'stop_service; rm -rf "$WORK"' EXIT

. bench/common.sh
await_quiet_machine

# Starts the jar on a free port with a fresh data directory, with extra arguments "$@"; sets PID, PORT, BASE,
# MANAGEMENT (the actuator's base URL), LOG and READY_MS (ms to ready).
start_service() {
    free_port
    BASE="http://127.0.0.1:$PORT"
    free_port
    MANAGEMENT="http://127.0.0.1:$PORT"
    local management_port=$PORT
    PORT=${BASE##*:}
    local data log t0 t1
    data=$(mktemp -d "$WORK/data.XXXX")
    log="$data/service.log"
    LOG=$log
    t0=$(now_ms)
    OMP_NUM_THREADS=1 java -Dorg.bytedeco.javacpp.cachedir="$HOME/.javacpp/cache" -jar "$JAR" \
        --server.port="$PORT" --spring.datasource.url="jdbc:h2:file:$data/nalu;DB_CLOSE_ON_EXIT=FALSE" \
        --spring.main.banner-mode=off --nalu.jobs.warm-up="$WARM_UP" --management.server.port="$management_port" \
        --nalu.security.bootstrap-admin-key="$KEY" "$@" > "$log" 2>&1 &
    PID=$!
    until curl -sf "$MANAGEMENT/actuator/health/readiness" 2> /dev/null | grep -q '"status":"UP"'; do
        if ! kill -0 "$PID" 2> /dev/null; then
            echo "service-bench: the service died on start; its log:" >&2
            tail -50 "$log" >&2
            exit 1
        fi
        if [ $(( $(now_ms) - t0 )) -gt 180000 ]; then
            echo "service-bench: not ready after 180 s; see $log" >&2
            exit 1
        fi
        sleep 0.02
    done
    t1=$(now_ms)
    READY_MS=$((t1 - t0))
}

# user + system CPU clock ticks the process has used (/proc/PID/stat fields 14 and 15)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# median and max of whitespace-separated numbers
stats() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "no values"; exit }
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %d ms, max %d ms (n=%d)", m, v[NR], NR }'; }

# ---------------------------------------------------------------- header
print_header "nalu-service benchmark"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# ---------------------------------------------------------------- 1. start-up
if [[ $SECTIONS == *" 1 "* ]]; then
echo "## 1. start-up: java -jar → /actuator/health/readiness UP (fresh data directory each time); load $(cut -d' ' -f1-3 /proc/loadavg)"
times=()
for i in $(seq 1 "$STARTS"); do
    start_service
    times+=("$READY_MS")
    echo "start $i: $READY_MS ms"
    if [ "$i" -lt "$STARTS" ]; then
        stop_service
    fi
done
echo "start-up: $(echo "${times[*]}" | stats)"
if [ "$JOB_DELAY_SECONDS" != 0 ]; then
    sleep "$JOB_DELAY_SECONDS"
fi
echo "warm-up (nalu.jobs.warm-up=$WARM_UP): $(grep -o 'ND4J loaded and the training loop warmed up in [0-9]* ms' "$LOG" || echo "not finished or off"); first job ${JOB_DELAY_SECONDS} s after ready"
echo
fi

# The last start stays up for the rest.

# ---------------------------------------------------------------- 2. time to an exact model

# ISO-8601 instant with a fraction → epoch ms, in jq
JQ_MS='def ms: capture("(?<s>[^.Z]*)(\\.(?<f>[0-9]+))?Z") | ((.s + "Z" | fromdateiso8601) * 1000 + (((.f // "") + "000")[0:3] | tonumber)); '

if [[ $SECTIONS == *" 2 "* ]]; then
echo "## 2. POST /api/v1/jobs → SUCCEEDED with an exact model: a * b, train [1, 2], \"auto\","
echo "##    steps 20000, population 16, lr 0.01, batch 64, extrapolation [2, 6] and [10, 100], one job at a time;"
echo "##    the client polls GET /api/v1/jobs/{id} every 10 ms; queue and run come from the job's timestamps,"
echo "##    steps/s from its last progress report; load $(cut -d' ' -f1-3 /proc/loadavg)"
MODEL_ID=
for early in $EARLY_STOP_MODES; do
    times=()
    exact=0
    for seed in $(seq 1 "$SEEDS"); do
        body=$(job_body "$seed" 20000 "$early")
        t0=$(now_ms)
        id=$(curl -sf "${AUTH[@]}" "$BASE/api/v1/jobs" -H 'Content-Type: application/json' -d "$body" | jq -r .id)
        while :; do
            job=$(curl -sf "${AUTH[@]}" "$BASE/api/v1/jobs/$id")
            state=$(jq -r .state <<< "$job")
            case "$state" in SUCCEEDED | FAILED | CANCELLED) break ;; esac
            sleep 0.01
        done
        t1=$(now_ms)
        ms=$((t1 - t0))
        if [ "$state" != SUCCEEDED ]; then
            echo "earlyStop=$early seed $seed: $state after $ms ms: $(jq -c '.failureReason // .' <<< "$job")"
            continue
        fi
        model=$(curl -sf "${AUTH[@]}" "$BASE/api/v1/models/$(jq -r .modelId <<< "$job")")
        [ -n "$MODEL_ID" ] || MODEL_ID=$(jq -r .id <<< "$model")
        is_exact=$(jq -r .formula.exact <<< "$model")
        formula=$(jq -r .formula.text <<< "$model")
        steps=$(jq -r .metrics.steps <<< "$model")
        if [ "$is_exact" = true ]; then
            exact=$((exact + 1))
            times+=("$ms")
        fi
        split=$(jq -r "$JQ_MS"'"queue \((.startedAt|ms) - (.createdAt|ms)) ms, run \((.finishedAt|ms) - (.startedAt|ms)) ms, training \(.progress.memberStepsPerSecond / .progress.population | floor) steps/s"' <<< "$job")
        echo "earlyStop=$early seed $seed: $ms ms ($split), $steps steps, $formula (exact: $is_exact)"
    done
    echo "earlyStop=$early: $exact of $SEEDS exact; time to an exact model: $(echo "${times[*]:-}" | stats); load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
done
fi

# ---------------------------------------------------------------- 3. predict
rows_lua() { # rows [key] → a Lua script that POSTs that many rows to predict and prints a summary
    cat << EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if "$2" ~= "" then wrk.headers["Authorization"] = "Bearer $2" end
local rows = {}
for i = 1, $1 do
  rows[i] = string.format('{"a": %.3f, "b": %.3f}', 1 + (i * 7919 % 1000) * 0.997, 1 + (i * 104729 % 1000) * 1.013)
end
wrk.body = '{"inputs": [' .. table.concat(rows, ", ") .. ']}'
function done(summary, latency, requests)
  local non2xx = summary.errors.status
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("summary: %.0f requests/s, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d requests, %d non-2xx, %d socket errors\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, non2xx, errors))
end
EOF
}

if [[ $SECTIONS == *" 3 "* ]]; then
echo "## 3. predict: POST /api/v1/models/$MODEL_ID/predict (exact model, answered by its formula),"
echo "##    wrk -t2 -c$CONNECTIONS, ${WARMUP_SECONDS} s warm-up then ${WRK_SECONDS} s; wrk runs on the same 2 cores as the service"
curl -sf "${AUTH[@]}" "$BASE/api/v1/models/$MODEL_ID/predict" -H 'Content-Type: application/json' \
    -d '{"inputs": [{"a": 12345, "b": 678}]}' | jq -c '{outputs, answeredBy, formula}'
for rows in 1 1000; do
    rows_lua "$rows" "$KEY" > "$WORK/predict-$rows.lua"
    echo "### $rows row(s) per request; load $(cut -d' ' -f1-3 /proc/loadavg)"
    wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" -s "$WORK/predict-$rows.lua" \
        "$BASE/api/v1/models/$MODEL_ID/predict" > /dev/null
    wrk -t2 -c"$CONNECTIONS" -d"${WRK_SECONDS}s" --latency -s "$WORK/predict-$rows.lua" \
        "$BASE/api/v1/models/$MODEL_ID/predict"
    echo
done
fi

# ---------------------------------------------------------------- 4. authentication on and off
if [ "$AUTH_ROUNDS" -gt 0 ] && [[ $SECTIONS == *" 4 "* ]]; then
    echo "## 4. predict, 1 row, authentication on (Authorization: Bearer <admin key>, looked up in the database on every"
    echo "##    request) and off (nalu.security.enabled=false); each round starts a fresh service, trains the a * b model"
    echo "##    (seed 1, early stop) and runs wrk as in section 3; rounds alternate on, off"
    stop_service
    for round in $(seq 1 "$AUTH_ROUNDS"); do
        for auth in on off; do
            if [ "$auth" = on ]; then start_service; key=$KEY; else start_service --nalu.security.enabled=false; key=; fi
            id=$(curl -sf "${AUTH[@]}" "$BASE/api/v1/jobs" -H 'Content-Type: application/json' -d "$(job_body 1 20000 true)" | jq -r .id)
            until [ "$(curl -sf "${AUTH[@]}" "$BASE/api/v1/jobs/$id" | jq -r .state)" = SUCCEEDED ]; do sleep 0.05; done
            model=$(curl -sf "${AUTH[@]}" "$BASE/api/v1/jobs/$id" | jq -r .modelId)
            rows_lua 1 "$key" > "$WORK/auth-$auth.lua"
            wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" -s "$WORK/auth-$auth.lua" "$BASE/api/v1/models/$model/predict" > /dev/null
            echo "### round $round, authentication $auth; load $(cut -d' ' -f1-3 /proc/loadavg)"
            cpu0=$(cpu_ticks "$PID")
            out=$(wrk -t2 -c"$CONNECTIONS" -d"${WRK_SECONDS}s" --latency -s "$WORK/auth-$auth.lua" \
                "$BASE/api/v1/models/$model/predict" | grep '^summary')
            cpu1=$(cpu_ticks "$PID")
            echo "$out"
            # the service's own CPU time per request: what the other processes on the machine change least
            awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v s="$out" 'BEGIN { split(s, w, " "); n = w[14];
                sub(",", "", n); printf "service CPU: %.1f s, %.3f ms per request\n", t / hz, 1000 * t / hz / n }'
            stop_service
        done
    done
    echo
fi

# ---------------------------------------------------------------- 5. Open Inference Protocol against predict
infer_lua() { # rows key → a Lua script that POSTs the values of rows_lua to infer, as FP64 tensors a and b of shape [rows]
    cat << EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $2"
local a, b = {}, {}
for i = 1, $1 do
  a[i] = string.format('%.3f', 1 + (i * 7919 % 1000) * 0.997)
  b[i] = string.format('%.3f', 1 + (i * 104729 % 1000) * 1.013)
end
wrk.body = '{"inputs": [{"name": "a", "shape": [$1], "datatype": "FP64", "data": [' .. table.concat(a, ", ") .. ']}, '
  .. '{"name": "b", "shape": [$1], "datatype": "FP64", "data": [' .. table.concat(b, ", ") .. ']}]}'
EOF
    rows_lua "$1" "$2" | sed -n '/^function done/,$p'
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

if [ "$OIP_ROUNDS" -gt 0 ] && [[ $SECTIONS == *" 5 "* ]]; then
    echo "## 5. the Open Inference Protocol against predict on one exact a * b model (seed 1, early stop; answered by its"
    echo "##    formula): POST /v2/models/bench-mul/infer (FP64 tensors a and b of shape [rows]) and"
    echo "##    POST /api/v1/models/{id}/predict (rows as objects), the same values; each round runs predict, then infer,"
    echo "##    for 1 and then 1,000 rows, wrk as in section 3 (${WARMUP_SECONDS} s warm-up, ${WRK_SECONDS} s measured)"
    stop_service
    start_service
    id=$(curl -sf "${AUTH[@]}" "$BASE/api/v1/jobs" -H 'Content-Type: application/json' -d "$(job_body 1 20000 true)" | jq -r .id)
    until [ "$(curl -sf "${AUTH[@]}" "$BASE/api/v1/jobs/$id" | jq -r .state)" = SUCCEEDED ]; do sleep 0.05; done
    model=$(curl -sf "${AUTH[@]}" "$BASE/api/v1/jobs/$id" | jq -r .modelId)
    curl -sf "${AUTH[@]}" "$BASE/v2/models/bench-mul/infer" -H 'Content-Type: application/json' -d '{"inputs": [
        {"name": "a", "shape": [1], "datatype": "FP64", "data": [12345]},
        {"name": "b", "shape": [1], "datatype": "FP64", "data": [678]}]}' | jq -c '{model_name, model_version, outputs, parameters}'
    declare -A rps cpu
    for rows in 1 1000; do
        rows_lua "$rows" "$KEY" > "$WORK/oip-predict-$rows.lua"
        infer_lua "$rows" "$KEY" > "$WORK/oip-infer-$rows.lua"
    done
    for round in $(seq 1 "$OIP_ROUNDS"); do
        for rows in 1 1000; do
            for api in predict infer; do
                url="$BASE/api/v1/models/$model/predict"
                [ "$api" = infer ] && url="$BASE/v2/models/bench-mul/infer"
                wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" -s "$WORK/oip-$api-$rows.lua" "$url" > /dev/null
                cpu0=$(cpu_ticks "$PID")
                out=$(wrk -t2 -c"$CONNECTIONS" -d"${WRK_SECONDS}s" --latency -s "$WORK/oip-$api-$rows.lua" "$url" | grep '^summary')
                cpu1=$(cpu_ticks "$PID")
                per=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v s="$out" 'BEGIN { split(s, w, " "); n = w[14];
                    sub(",", "", n); printf "%.3f", 1000 * t / hz / n }')
                echo "round $round, $rows row(s), $api: $out; service CPU $per ms per request; load $(load)"
                rps[$rows-$api]+="$(awk '{ print $2 }' <<< "$out") "
                cpu[$rows-$api]+="$per "
            done
        done
    done
    for rows in 1 1000; do
        for api in predict infer; do
            echo "$rows row(s), $api: median of $OIP_ROUNDS rounds $(median <<< "${rps[$rows-$api]}") requests/s," \
                "$(median <<< "${cpu[$rows-$api]}") ms of service CPU per request"
        done
    done
    echo
fi

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg) (wrk's 32 connections keep about 30 threads runnable, so the load during section 3 says nothing about other work)"

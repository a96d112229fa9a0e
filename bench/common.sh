# Shared by the benchmark scripts (sourced, not run): the clock, the load, a quiet machine, free ports,
# the header every script prints, and the README's a * b job.

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
load() { cut -d' ' -f1-3 /proc/loadavg; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# Waits up to LOAD_WAIT_SECONDS until the 1-minute load average is below MAX_LOAD; then measures anyway, with a warning.
await_quiet_machine() {
    local waited=0
    while awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN { exit !(l >= m) }'; do
        if [ "$waited" -ge "$LOAD_WAIT_SECONDS" ]; then
            echo "# warning: load $(load1) is still ≥ $MAX_LOAD after ${waited} s; measuring anyway" >&2
            break
        fi
        echo "# load $(load1) ≥ $MAX_LOAD: waiting for a quiet machine (${waited} s so far)" >&2
        sleep 15
        waited=$((waited + 15))
    done
}

# Sets PORT to a port nobody listens on, above every port handed out before (a service just started may not
# listen yet, so two services started one after the other never get the same port).
LAST_PORT=18079
free_port() {
    local p
    for p in $(seq $((LAST_PORT + 1)) 18999); do
        if ! (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null; then
            PORT=$p
            LAST_PORT=$p
            return
        fi
    done
    echo "$(basename "$0"): no free port in $((LAST_PORT + 1))..18999" >&2
    exit 2
}

# TITLE: the date, commit, jar, machine and java, and the load at the start
print_header() {
    echo "$1: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit $(git rev-parse --short HEAD 2> /dev/null || echo '?'), jar $JAR"
    echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ { print $2 }') GiB RAM"
    echo "java: $(java -version 2>&1 | head -1)"
}

# SEED STEPS EARLY_STOP: the README's example job (a * b on [1, 2], "auto", K = 16, lr 0.01, batch 64)
job_body() {
    cat << JOB
{"name": "bench-mul",
 "task": {"expression": "a * b",
          "variables": {"a": {"train": [[1, 2]]}, "b": {"train": [[1, 2]]}},
          "extrapolation": [[2, 6], [10, 100]]},
 "model": "auto",
 "training": {"steps": $2, "population": 16, "seed": $1, "learningRate": 0.01, "batchSize": 64,
              "earlyStop": $3}}
JOB
}

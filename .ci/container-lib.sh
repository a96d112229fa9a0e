# Shared by .ci/container-test.sh and bench/container-bench.sh (sourced, not run): podman set up for this
# host, the stand-in images, the image built offline from the Dockerfile, and waits on a container.
# Needs root (podman, debootstrap) and a Debian host whose apt reaches Debian's mirror.

NALU_IMAGE=${NALU_IMAGE:-localhost/nalu-service:ci}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Where podman (buildah 1.28) keeps the Dockerfile's `RUN --mount=type=cache,target=/root/.m2`
BUILDAH_M2_CACHE=/var/tmp/buildah-cache/root/.m2

ci_log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
ci_die() { echo "FAIL: $*" >&2; exit 1; }

# Installs podman (with runc), debootstrap, podman-compose, jq and curl when one is missing.
ci_install_tools() {
    local missing=() t
    for t in podman runc debootstrap podman-compose jq curl; do
        command -v "$t" > /dev/null || missing+=("$t")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        ci_log "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap podman-compose jq curl > /dev/null
    fi
    # podman 4.3 on Debian 12 networks through CNI, where a compose service finds another by name (the replicas'
    # "postgres") only with the dnsname plugin; no package depends on it, so a podman installed without it (or
    # with --no-install-recommends) starts the compose replicas with UnknownHostException: postgres
    if [ "$(podman info --format '{{.Host.NetworkBackend}}' 2> /dev/null)" = cni ] && [ ! -x /usr/lib/cni/dnsname ]; then
        ci_log "installing the CNI dnsname plugin"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-github-containernetworking-plugin-dnsname > /dev/null
    fi
}

# podman's defaults fail on this host: crun refuses its hybrid cgroups, and the default ulimits exceed the
# hard limits. CONTAINERS_CONF points podman at a file in DIR that fixes both, leaving /etc alone.
ci_podman_conf() {
    local dir=$1 nofile
    nofile=$(ulimit -Hn)
    [ "$nofile" = unlimited ] && nofile=1048576
    cat > "$dir/containers.conf" << CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=16384:16384"]
[engine]
runtime = "runc"
CONF
    export CONTAINERS_CONF=$dir/containers.conf
}

# NAME MINBASE PACKAGES [SETUP [CHANGE...]]: a Debian bookworm image (a copy of the debootstrap minbase
# MINBASE) with PACKAGES, then the shell commands SETUP run in it, imported as NAME with the Dockerfile
# instructions CHANGE (ENTRYPOINT, CMD, ...). .ci/standin/IMAGE-entrypoint.sh, if there is one for the
# image's last name part, goes in as /usr/local/bin/docker-entrypoint.sh.
ci_make_base() {
    local name=$1 minbase=$2 packages=$3 setup=${4:-true} root change changes=() entrypoint
    shift 4 || shift $#
    for change in 'ENV LANG=C.UTF-8' "$@"; do
        changes+=(--change "$change")
    done
    root=$(dirname "$minbase")/$(echo "$name" | tr ':/' '__')
    cp -a "$minbase" "$root"
    entrypoint=.ci/standin/$(basename "${name%:*}")-entrypoint.sh
    [ ! -f "$entrypoint" ] || cp "$entrypoint" "$root/usr/local/bin/docker-entrypoint.sh"
    # no service starts inside the chroot while packages install (invoke-rc.d asks policy-rc.d)
    printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
    chmod +x "$root/usr/sbin/policy-rc.d"
    mount -t proc proc "$root/proc"
    if ! chroot "$root" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages \
            && apt-get clean && rm -rf /var/lib/apt/lists/* && $setup" > "$root.log" 2>&1; then
        umount "$root/proc"
        tail -20 "$root.log" >&2
        ci_die "installing $packages into the stand-in image $name failed"
    fi
    umount "$root/proc"
    rm -f "$root/usr/sbin/policy-rc.d"
    tar -C "$root" -c . | podman import "${changes[@]}" - "$name" > /dev/null
    rm -rf "$root"
}

# A debootstrap minbase of Debian bookworm in a new directory under /var/tmp; prints its path.
ci_minbase() {
    local work
    work=$(mktemp -d -p /var/tmp nalu-ci-bases.XXXXXX)
    ci_log "debootstrap --variant=minbase bookworm from $DEBIAN_MIRROR"
    debootstrap --variant=minbase bookworm "$work/minbase" "$DEBIAN_MIRROR" > "$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; rm -rf "$work"; ci_die "debootstrap failed"; }
    echo "$work/minbase"
}

# Stand-ins for the images no registry serves here, made once per machine from one debootstrap and kept in
# podman's storage (`podman rmi` one to make it again):
# - the Dockerfile's bases (its build args JDK_IMAGE and JRE_IMAGE): a JDK, curl and unzip (Maven wrapper) to
#   build; a JRE and curl (HEALTHCHECK) to run;
# - the other images of deploy/docker-compose.yml, under the names it uses in the local namespace (podman looks
#   a short name up under localhost/ first): PostgreSQL 15 with an entry point that does what the compose file
#   uses of the official image's (.ci/standin/postgres-entrypoint.sh), and Prometheus with the official
#   image's command line and user.
CI_JDK_IMAGE=localhost/nalu-ci/jdk:17
CI_JRE_IMAGE=localhost/nalu-ci/jre:17
CI_POSTGRES_IMAGE=localhost/postgres:15
CI_PROMETHEUS_IMAGE=localhost/prom/prometheus:v2.53.0
ci_stand_in_images() {
    local image missing=() minbase
    for image in "$CI_JDK_IMAGE" "$CI_JRE_IMAGE" "$CI_POSTGRES_IMAGE" "$CI_PROMETHEUS_IMAGE"; do
        podman image exists "$image" || missing+=("$image")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        ci_log "stand-in images exist: $CI_JDK_IMAGE, $CI_JRE_IMAGE, $CI_POSTGRES_IMAGE, $CI_PROMETHEUS_IMAGE"
        return
    fi
    minbase=$(ci_minbase)
    # in parallel: most of the time goes to downloading packages
    local pids=() failed=0 pid
    for image in "${missing[@]}"; do
        ci_log "making $image"
        case $image in
            "$CI_JDK_IMAGE") ci_make_base "$image" "$minbase" "openjdk-17-jdk-headless curl unzip" ;;
            "$CI_JRE_IMAGE") ci_make_base "$image" "$minbase" "openjdk-17-jre-headless curl" ;;
            "$CI_POSTGRES_IMAGE")
                ci_make_base "$image" "$minbase" "postgresql-15 postgresql-client-15" \
                    "pg_dropcluster 15 main && ln -s /usr/lib/postgresql/15/bin/pg_isready /usr/local/bin/pg_isready" \
                    'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' 'EXPOSE 5432' ;;
            "$CI_PROMETHEUS_IMAGE")
                ci_make_base "$image" "$minbase" prometheus "mkdir -p /prometheus && chown nobody:nogroup /prometheus" \
                    'ENTRYPOINT ["/usr/bin/prometheus"]' \
                    'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
                    'USER nobody' 'EXPOSE 9090' ;;
        esac &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do
        wait "$pid" || failed=1
    done
    rm -rf "$(dirname "$minbase")"
    [ "$failed" -eq 0 ] || ci_die "making the stand-in images failed (above)"
}

# Builds NALU_IMAGE from the Dockerfile without network: only the base images differ from a user's build.
# The build stage's Maven finds every artifact in its cache mount, seeded from this host's ~/.m2, which a
# host build (./mvnw -B verify, or the package run here) has filled.
ci_build_image() {
    if [ ! -d "$HOME/.m2/wrapper/dists" ] || ! ls target/nalu-service-*.jar > /dev/null 2>&1; then
        ci_log "no host build yet: ./mvnw -B -q -DskipTests package (fills ~/.m2)"
        ./mvnw -B -q -DskipTests package
    fi
    mkdir -p "$BUILDAH_M2_CACHE"
    cp -a "$HOME/.m2/." "$BUILDAH_M2_CACHE/"
    local source
    source=$(git config --get remote.origin.url 2> /dev/null || true)
    podman build --pull=never --network=none --format docker \
        --build-arg JDK_IMAGE="$CI_JDK_IMAGE" --build-arg JRE_IMAGE="$CI_JRE_IMAGE" \
        --build-arg VERSION="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)" \
        --build-arg REVISION="$(git rev-parse HEAD 2> /dev/null || echo unknown)" --build-arg SOURCE="$source" \
        -t "$NALU_IMAGE" . > "$1" 2>&1 \
        || { tail -40 "$1" >&2; ci_die "podman build failed (log above; the whole log: $1); a Maven artifact missing offline means ~/.m2 lacks it: run ./mvnw -B verify first"; }
    # the previous build's image and the build stage's, untagged now: without this every run keeps ~1.5 GB
    podman image prune -f > /dev/null
}

# CONTAINER URL SECONDS: waits until URL answers 2xx inside CONTAINER; prints the seconds waited.
ci_await_ready() {
    local container=$1 url=$2 limit=$3 start now
    start=$(date +%s%N)
    while ! podman exec "$container" curl -fsS -o /dev/null --max-time 2 "$url" 2> /dev/null; do
        now=$(date +%s%N)
        if [ $(((now - start) / 1000000000)) -ge "$limit" ]; then
            podman logs --tail 40 "$container" >&2 || true
            ci_die "$container: $url did not answer within $limit s (its last log lines above)"
        fi
        if [ "$(podman inspect -f '{{.State.Running}}' "$container")" != true ]; then
            podman logs --tail 40 "$container" >&2 || true
            ci_die "$container exited while starting (its last log lines above)"
        fi
        sleep 0.25
    done
    now=$(date +%s%N)
    awk -v ns=$((now - start)) 'BEGIN { printf "%.1f\n", ns / 1e9 }'
}

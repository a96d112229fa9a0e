# Shared by .ci/container-test.sh and bench/container-bench.sh (sourced, not run): podman set up for this
# host, the stand-in base images, the image built offline from the Dockerfile, and waits on a container.
# Needs root (podman, debootstrap) and a Debian host whose apt reaches Debian's mirror.

NALU_IMAGE=${NALU_IMAGE:-localhost/nalu-service:ci}
# Stand-ins for eclipse-temurin:17-jdk and :17-jre, which no registry serves here (the Dockerfile's build args)
CI_JDK_IMAGE=localhost/nalu-ci/jdk:17
CI_JRE_IMAGE=localhost/nalu-ci/jre:17
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

# NAME PACKAGES...: a Debian bookworm image (debootstrap minbase from MINBASE) with PACKAGES, imported as NAME.
ci_make_base() {
    local name=$1 minbase=$2 root
    shift 2
    root=$(dirname "$minbase")/$(basename "$name" | tr ':/' '__')
    cp -a "$minbase" "$root"
    mount -t proc proc "$root/proc"
    if ! chroot "$root" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $* \
            && apt-get clean && rm -rf /var/lib/apt/lists/*" > "$root.log" 2>&1; then
        umount "$root/proc"
        tail -20 "$root.log" >&2
        ci_die "installing $* into the stand-in base image $name failed"
    fi
    umount "$root/proc"
    tar -C "$root" -c . | podman import --change 'ENV LANG=C.UTF-8' - "$name" > /dev/null
    rm -rf "$root"
}

# The stand-in base images, made once per machine (kept in podman's storage; `podman rmi` them to remake).
ci_base_images() {
    if podman image exists "$CI_JDK_IMAGE" && podman image exists "$CI_JRE_IMAGE"; then
        ci_log "stand-in base images exist: $CI_JDK_IMAGE, $CI_JRE_IMAGE"
        return
    fi
    local work
    work=$(mktemp -d -p /var/tmp nalu-ci-bases.XXXXXX)
    ci_log "debootstrap --variant=minbase bookworm from $DEBIAN_MIRROR"
    debootstrap --variant=minbase bookworm "$work/minbase" "$DEBIAN_MIRROR" > "$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; rm -rf "$work"; ci_die "debootstrap failed"; }
    # What the Dockerfile needs of its bases: a JDK, curl and unzip (Maven wrapper) to build; a JRE and curl (HEALTHCHECK) to run
    ci_make_base "$CI_JDK_IMAGE" "$work/minbase" openjdk-17-jdk-headless curl unzip
    ci_make_base "$CI_JRE_IMAGE" "$work/minbase" openjdk-17-jre-headless curl
    rm -rf "$work"
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
        || { tail -40 "$1" >&2; ci_die "podman build failed (log above; the whole log: $1)"; }
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

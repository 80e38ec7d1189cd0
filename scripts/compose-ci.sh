#!/usr/bin/env bash
# `docker compose up` for real: a container engine of its own, the stack built and started from compose.yaml,
# a sign-in in headless Chromium on the published ports, the stack's lifecycle (down/up, restart aws), and
# everything it started removed again. Called by .ci/run; runnable by hand (as root):
#
#     bash scripts/compose-ci.sh            # the whole run
#     KEEP=1 bash scripts/compose-ci.sh     # leave the stack and the engine running at the end (no cleanup)
#
# The engine runs in a network namespace of its own (NETNS below): the stack's published ports
# (127.0.0.1:4566/8000/9000/9229) are that namespace's loopback, never the host's, so a sandbox on the
# default ports is untouched; the browser runs inside the namespace too (nsenter --net), so it opens the
# same http://localhost:8000 a person on the host would. A veth pair and one NAT rule on the host give the
# namespace the host's way out (to the package registries, for the image build).
# Everything dockerd leaves behind (docker0, its iptables chains, ip_forward=1) lives in the namespace and
# goes with it; the host's veth, NAT/FORWARD rules and ip_forward are put back as they were.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

NETNS=${COMPOSE_CI_NETNS:-sandbox-compose-ci}
HOST_IF=sbxci0 NS_IF=sbxci1                    # the veth pair (host side, namespace side)
HOST_IP=10.231.16.1 NS_IP=10.231.16.2 NET=10.231.16.0/30
RUN=/run/sandbox-compose-ci                    # dockerd's socket, pid file, exec root
DATA=/var/lib/sandbox-compose-ci               # dockerd's data root (removed at the end)
CACHE=/var/cache/sandbox-compose-ci            # reused between runs: the stand-in base image's root fs
BASE_IMAGE=python:3.12-slim                    # the Dockerfile's FROM
PROJECT=sandbox-compose-ci
export DOCKER_HOST=unix://$RUN/docker.sock COMPOSE_PROJECT_NAME=$PROJECT
COMPOSE=(docker compose -f "$ROOT/compose.yaml")
PY=${PYTHON:-$ROOT/.venv/bin/python}
TAG=sandbox-compose-ci                         # comment on the host's iptables rules, to find them again

T0=$(date +%s)
PHASES=()
phase_start() { PHASE=$1; PHASE_T=$(date +%s); echo "== compose-ci: $PHASE"; }
phase_end() {
    local took=$(( $(date +%s) - PHASE_T ))
    PHASES+=("$PHASE ${took}s")
    echo "== compose-ci: $PHASE done in ${took}s"
}
say() { echo "compose-ci: $*"; }
in_ns() { nsenter --net=/run/netns/$NETNS "$@"; }

# ---------------------------------------------------------------------------------------------------------
# Cleanup: whatever was started, in reverse; each step tolerates what was never started.
BUILT_BASE=0 DOCKERD_PID= OLD_IP_FORWARD= STARTED_NETNS=0
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ "$rc" != 0 ] && [ -S "$RUN/docker.sock" ]; then
        failing_logs || true
    fi
    if [ -n "${KEEP:-}" ]; then
        say "KEEP set: the stack and dockerd (pid $DOCKERD_PID) keep running in netns $NETNS; DOCKER_HOST=$DOCKER_HOST"
        return
    fi
    phase_start cleanup
    if [ -S "$RUN/docker.sock" ] && docker info >/dev/null 2>&1; then
        # Containers, networks, volumes and the image this stack built; then the stand-in base image.
        "${COMPOSE[@]}" down --volumes --rmi all --remove-orphans --timeout 10 >/dev/null 2>&1 || true
        remove_containers
        if [ "$BUILT_BASE" = 1 ]; then docker rmi -f "$BASE_IMAGE" >/dev/null 2>&1 || true; fi
        docker builder prune -af >/dev/null 2>&1 || true
    fi
    stop_dockerd
    unmount_under "$RUN" "$DATA"
    # The namespace takes docker0, dockerd's iptables chains, its ip_forward and the veth's peer with it.
    if [ "$STARTED_NETNS" = 1 ]; then
        ip netns delete "$NETNS" 2>/dev/null || true
    fi
    ip link delete "$HOST_IF" 2>/dev/null || true
    host_rules -D
    if [ -n "$OLD_IP_FORWARD" ]; then sysctl -qw net.ipv4.ip_forward="$OLD_IP_FORWARD"; fi
    rm -rf "$RUN" "$DATA"
    phase_end
    report
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

report() {
    say "phase timings: ${PHASES[*]}; total $(( $(date +%s) - T0 ))s"
}

# The logs of each service that is not running healthy (or exited non-zero), else of every service.
failing_logs() {
    local bad=() name cid state
    [ -n "$("${COMPOSE[@]}" ps -aq 2>/dev/null)" ] || return 0
    "${COMPOSE[@]}" ps -a || true
    for name in $("${COMPOSE[@]}" config --services); do
        cid=$("${COMPOSE[@]}" ps -aq "$name" 2>/dev/null | head -1)
        [ -n "$cid" ] || continue
        state=$(docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}/{{.State.ExitCode}}' "$cid")
        case "$state" in
            running/healthy/*|running//*|exited//0) ;;
            *) bad+=("$name") ;;
        esac
    done
    [ ${#bad[@]} -gt 0 ] || bad=($("${COMPOSE[@]}" config --services))
    for name in "${bad[@]}"; do
        echo "---- logs of service $name (last 150 lines) ----"
        "${COMPOSE[@]}" logs --no-color --tail 150 "$name" || true
    done
}

# The host's part of the namespace's way out; -A adds, -D removes (quietly, when absent).
host_rules() {
    command -v iptables >/dev/null 2>&1 || return 0
    local op=$1 spec
    for spec in "-t nat POSTROUTING -s $NET ! -o $HOST_IF -j MASQUERADE" \
                "-t filter FORWARD -i $HOST_IF -j ACCEPT" \
                "-t filter FORWARD -o $HOST_IF -j ACCEPT"; do
        set -- $spec
        local table=$2 chain=$3; shift 3
        if [ "$op" = -A ]; then
            iptables -t "$table" -I "$chain" "$@" -m comment --comment "$TAG"
        else
            while iptables -t "$table" -D "$chain" "$@" -m comment --comment "$TAG" 2>/dev/null; do :; done
        fi
    done
}

# Every container of this engine, running or not (containerd's shims outlive a stopped dockerd).
remove_containers() {
    local ids
    ids=$(docker ps -aq 2>/dev/null) || return 0
    [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
}

stop_dockerd() {
    [ -n "$DOCKERD_PID" ] || return 0
    kill "$DOCKERD_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$DOCKERD_PID" 2>/dev/null && kill -9 "$DOCKERD_PID" 2>/dev/null
    DOCKERD_PID=
}

# Unmount what dockerd left mounted below these directories (overlays, namespace files), deepest first.
unmount_under() {
    local dir mount
    for dir in "$@"; do
        awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/mounts | sort -r |
            while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
    done
}

apt_updated=0
apt_install() {
    [ "$apt_updated" = 1 ] || { apt-get update -qq; apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# ---------------------------------------------------------------------------------------------------------
phase_start engine
[ "$(id -u)" = 0 ] || { say "needs root (a network namespace, dockerd, iptables)"; exit 2; }
if ! command -v dockerd >/dev/null 2>&1 || ! command -v iptables >/dev/null 2>&1; then
    say "no container engine here: installing Debian's docker.io"
    apt_install docker.io iptables
fi
if ! docker compose version >/dev/null 2>&1; then
    # Compose v2: bookworm has only v1; the plugin is in trixie's docker-compose package. Fetched with a
    # private apt list directory, so the host's sources and lists stay as they are.
    say "no compose v2 plugin: unpacking it from Debian trixie's docker-compose package"
    apt_dir=$(mktemp -d)
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
    echo "deb http://deb.debian.org/debian trixie main" >"$apt_dir/sources.list"
    apt_opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
              -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" -o APT::Sandbox::User=root -qq)
    apt-get "${apt_opts[@]}" update
    (cd "$apt_dir" && apt-get "${apt_opts[@]}" download docker-compose)
    dpkg-deb -x "$apt_dir"/docker-compose_*.deb "$apt_dir/root"
    install -D -m 0755 "$apt_dir/root/usr/libexec/docker/cli-plugins/docker-compose" \
        /usr/local/lib/docker/cli-plugins/docker-compose
    rm -rf "$apt_dir"
fi
docker compose version

# What an interrupted (or KEEP=1) run left goes first: its containers, its dockerd (by the pid file it
# wrote), the mounts under its directories, its namespace and host rules.
if [ -f "$RUN/dockerd.pid" ] && kill -0 "$(cat "$RUN/dockerd.pid")" 2>/dev/null; then
    say "stopping what an earlier run left: its containers and dockerd (pid $(cat "$RUN/dockerd.pid"))"
    DOCKERD_PID=$(cat "$RUN/dockerd.pid")
    remove_containers
    stop_dockerd
fi
unmount_under "$RUN" "$DATA"
ip netns delete "$NETNS" 2>/dev/null || true
ip link delete "$HOST_IF" 2>/dev/null || true
host_rules -D
# ip_forward as it was before any run of this script (a KEEP=1 run left it on, and noted what it was).
OLD_IP_FORWARD=$(cat "$RUN/ip_forward.before" 2>/dev/null || sysctl -n net.ipv4.ip_forward)
rm -rf "$RUN" "$DATA"
mkdir -p "$RUN" "$DATA"
echo "$OLD_IP_FORWARD" >"$RUN/ip_forward.before"

ip netns add "$NETNS"; STARTED_NETNS=1
ip link add "$HOST_IF" type veth peer name "$NS_IF"
ip link set "$NS_IF" netns "$NETNS"
ip addr add "$HOST_IP/30" dev "$HOST_IF"
ip link set "$HOST_IF" up
in_ns ip link set lo up
in_ns ip addr add "$NS_IP/30" dev "$NS_IF"
in_ns ip link set "$NS_IF" up
in_ns ip route add default via "$HOST_IP"
sysctl -qw net.ipv4.ip_forward=1
host_rules -A

start_dockerd() {
    # nsenter, not `ip netns exec` (which remounts /sys and fails: "Devices cgroup isn't mounted").
    # Started directly (not through a shell function), so $! is dockerd itself: nsenter execs it.
    nsenter --net=/run/netns/$NETNS dockerd --host "$DOCKER_HOST" --data-root "$DATA" --exec-root "$RUN/exec" \
        --pidfile "$RUN/dockerd.pid" --storage-driver "$1" >"$RUN/dockerd-$1.log" 2>&1 &
    DOCKERD_PID=$!
    for _ in $(seq 1 120); do
        if docker info >/dev/null 2>&1; then
            [ "$(cat "$RUN/dockerd.pid")" = "$DOCKERD_PID" ] || { say "dockerd's pid file does not name pid $DOCKERD_PID"; return 1; }
            return 0
        fi
        kill -0 "$DOCKERD_PID" 2>/dev/null || break
        sleep 0.5
    done
    kill "$DOCKERD_PID" 2>/dev/null || true; wait "$DOCKERD_PID" 2>/dev/null || true
    DOCKERD_PID=
    tail -20 "$RUN/dockerd-$1.log"
    return 1
}
start_dockerd overlay2 || { say "overlay2 failed, trying vfs"; rm -rf "$DATA"; mkdir -p "$DATA"; start_dockerd vfs; }
say "dockerd $(docker version -f '{{.Server.Version}}') pid $DOCKERD_PID in netns $NETNS, $DOCKER_HOST"
phase_end

# ---------------------------------------------------------------------------------------------------------
phase_start "base image"
if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    say "$BASE_IMAGE is there already"
elif timeout 60 docker pull -q "$BASE_IMAGE" >/dev/null 2>&1; then
    say "pulled $BASE_IMAGE"
else
    # No image registry answers here: a stand-in from Debian's packages, python3 in a venv first on PATH (so
    # `python` and `pip` exist and PEP 668 lets pip install), with the host's CA bundle and pip.conf.
    say "cannot pull $BASE_IMAGE: building a STAND-IN from Debian bookworm's packages (Python 3.11, not 3.12)"
    BUILT_BASE=1
    tarball=$CACHE/python-standin-bookworm.tar
    if [ -s "$tarball" ]; then
        say "reusing the stand-in's root fs from $tarball"
    else
        command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
        rootfs=$(mktemp -d "${TMPDIR:-/tmp}/python-standin.XXXXXX")
        debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates \
            bookworm "$rootfs" http://deb.debian.org/debian >"$RUN/debootstrap.log" 2>&1 ||
            { tail -30 "$RUN/debootstrap.log"; exit 1; }
        chroot "$rootfs" python3 -m venv /opt/venv
        cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
        if [ -f /etc/pip.conf ]; then cp /etc/pip.conf "$rootfs/etc/pip.conf"; fi
        rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
        mkdir -p "$CACHE"
        tar -C "$rootfs" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
        rm -rf "$rootfs"
    fi
    docker import --change 'ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["python3"]' "$tarball" "$BASE_IMAGE" >/dev/null
    docker run --rm "$BASE_IMAGE" python --version
fi
phase_end

# ---------------------------------------------------------------------------------------------------------
phase_start build
"${COMPOSE[@]}" --progress plain build >"$RUN/build.log" 2>&1 || { tail -60 "$RUN/build.log"; exit 1; }
sed -n -E '/internal\]/d; s/^#[0-9]+ (\[[a-z]+ [0-9]+\/[0-9]+\].*)/  \1/p' "$RUN/build.log" | sort -u
phase_end

phase_start up
"${COMPOSE[@]}" up --build --wait --quiet-pull 2>&1 | sed -e '/^#/d' -e '/^$/d' 
# Build once: the project's one image, and no per-service image beside it.
images=$(docker images --filter dangling=false --format '{{.Repository}}:{{.Tag}}' | grep -v "^$BASE_IMAGE\$" || true)
say "images: $(echo $images)"
[ "$(echo "$images" | grep -c .)" = 1 ] || { say "expected one built image, found: $images"; exit 1; }
"${COMPOSE[@]}" ps
phase_end

# ---------------------------------------------------------------------------------------------------------
# The browser's part: pytest in the namespace (its loopback has the published ports), one Chromium for both
# phases: sign-in, then the lifecycle (the driver calls `docker compose` itself, holding the session).
# COMPOSE_CI_LIFECYCLE=0 runs the sign-in only.
tests=("$ROOT/scripts/compose_ci/test_signin.py")
[ "${COMPOSE_CI_LIFECYCLE:-1}" = 0 ] || tests+=("$ROOT/scripts/compose_ci/test_lifecycle.py")
say "browser: ${tests[*]##*/} (headless Chromium in netns $NETNS)"
: >"$RUN/phases"
status=0
in_ns env COMPOSE_CI_PHASES="$RUN/phases" "$PY" -m pytest -p no:cacheprovider -q \
    --rootdir "$ROOT" "${tests[@]}" ${COMPOSE_CI_PYTEST_ARGS:-} || status=$?
while read -r name took; do PHASES+=("$name $took"); done <"$RUN/phases"
exit "$status"

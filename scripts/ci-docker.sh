#!/usr/bin/env bash
# CI check of the Docker demo (docker/Dockerfile, docker/compose.yaml), run for real:
#
#   1. make sure a Docker engine answers (install Debian's docker.io, start dockerd when needed);
#   2. make sure the base images docker/Dockerfile names exist locally; where they don't (no
#      container registry is reachable here), build stand-ins under the same names from a
#      debootstrap Debian root and this machine's Rust toolchain (CI plumbing only: the
#      Dockerfile users get is the standard one);
#   3. build the image from docker/Dockerfile (BuildKit; cargo caches kept between runs);
#   4. run it (host network, loopback only), wait for its HEALTHCHECK, take a token through the
#      OAuth flow and call 은행-001 (GET /v1/bank/accounts) expecting 200 and rsp_code 00000;
#   5. stop it with SIGTERM and require a clean exit (code 0) within a few seconds;
#   6. check the compose file (`config`) and bring the demo up and down with it.
#
# Usage: bash scripts/ci-docker.sh      (as root; any failure exits non-zero)
# Environment (all optional):
#   CI_DOCKER_PORT=18180          loopback port for the `docker run` check (compose uses +1)
#   CI_DOCKER_IMAGE=mydata-testbed:ci
#   CI_DOCKER_CACHE=/var/cache/mydata-testbed-ci   debootstrap package cache, logs of the engine
#   CI_DOCKER_KEEP_ENGINE=0       1: leave a dockerd this script started running afterwards
#   CI_DOCKER_BUILD_TIMEOUT=900   seconds for the image build (a fresh one takes 3-6 min here)
#   DEBIAN_MIRROR=http://deb.debian.org/debian
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORT=${CI_DOCKER_PORT:-18180}
COMPOSE_PORT=$((PORT + 1))
IMAGE=${CI_DOCKER_IMAGE:-mydata-testbed:ci}
CACHE=${CI_DOCKER_CACHE:-/var/cache/mydata-testbed-ci}
BUILD_TIMEOUT=${CI_DOCKER_BUILD_TIMEOUT:-900}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
CONTAINER=mydata-testbed-ci-$$
COMPOSE_PROJECT=mydata-testbed-ci-$$
# Bump when the way the stand-ins are made changes, so old ones are rebuilt.
STANDIN_RECIPE=3
STANDIN_LABEL=org.mydata-testbed.ci-standin

WORK=$(mktemp -d /tmp/ci-docker.XXXXXX)
DOCKERD_PID=
STEP=starting
export DEBIAN_FRONTEND=noninteractive

log() { printf '[ci-docker %4ss] %s\n' "$SECONDS" "$*"; }
step() {
    STEP=$*
    log "== $*"
}
die() {
    printf '[ci-docker %4ss] FAILED during "%s": %s\n' "$SECONDS" "$STEP" "$*" >&2
    exit 1
}
# Prints the last lines of a log file, indented, to stderr.
show_tail() {
    local file=$1 n=${2:-40}
    [ -s "$file" ] || return 0
    echo "---- last $n lines of $file ----" >&2
    tail -n "$n" "$file" | sed 's/^/    /' >&2
    echo "----" >&2
}

cleanup() {
    local rc=$?
    set +e
    if [ -n "${DOCKER:-}" ]; then
        if [ "$rc" -ne 0 ] && "$DOCKER" inspect "$CONTAINER" >/dev/null 2>&1; then
            echo "---- container $CONTAINER: state and logs ----" >&2
            "$DOCKER" inspect -f 'status={{.State.Status}} exit={{.State.ExitCode}} health={{if .State.Health}}{{.State.Health.Status}}{{end}}' "$CONTAINER" >&2
            "$DOCKER" logs --tail 40 "$CONTAINER" 2>&1 | sed 's/^/    /' >&2
        fi
        "$DOCKER" rm -f "$CONTAINER" >/dev/null 2>&1
        if [ -n "${COMPOSE:-}" ] && [ -f "$WORK/compose.ci.yaml" ]; then
            compose down --remove-orphans --timeout 5 >/dev/null 2>&1
        fi
    fi
    if [ -n "$DOCKERD_PID" ] && [ "${CI_DOCKER_KEEP_ENGINE:-0}" != 1 ]; then
        kill -TERM "$DOCKERD_PID" 2>/dev/null
        for _ in $(seq 1 30); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 1; done
    fi
    rm -rf "$WORK"
    if [ "$rc" -ne 0 ]; then
        echo "ci-docker: FAILED (exit $rc) during: $STEP" >&2
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || die "must run as root (installs packages, starts dockerd)"
mkdir -p "$CACHE"
cd "$ROOT"

# ------------------------------------------------------------------------------------------------
step "Docker engine"

APT_UPDATED=0
apt_install() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "apt-get install ${missing[*]}"
    local t0=$SECONDS
    if [ "$APT_UPDATED" = 0 ]; then
        timeout 300 apt-get update -q >"$WORK/apt.log" 2>&1 || { show_tail "$WORK/apt.log"; die "apt-get update failed"; }
        APT_UPDATED=1
    fi
    timeout 600 apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$WORK/apt.log" 2>&1 \
        || { show_tail "$WORK/apt.log"; die "apt-get install ${missing[*]} failed"; }
    log "apt-get took $((SECONDS - t0))s"
}

engine_answers() { timeout 20 "$1" info >/dev/null 2>&1; }

# dockerd and its runtime; debootstrap for the stand-ins; compose v1 when no compose is there.
need=(docker.io debootstrap)
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || need+=(docker-compose)
if command -v docker >/dev/null 2>&1 && engine_answers docker; then
    apt_install debootstrap
    command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || apt_install docker-compose
else
    apt_install "${need[@]}"
fi

if ! engine_answers docker; then
    command -v dockerd >/dev/null 2>&1 || die "no dockerd after installing docker.io"
    log "starting dockerd --iptables=false --bridge=none (log: $CACHE/dockerd.log)"
    dockerd --iptables=false --bridge=none >"$CACHE/dockerd.log" 2>&1 </dev/null &
    DOCKERD_PID=$!
    for _ in $(seq 1 60); do
        engine_answers docker && break
        kill -0 "$DOCKERD_PID" 2>/dev/null || { show_tail "$CACHE/dockerd.log"; die "dockerd exited at start"; }
        sleep 1
    done
    engine_answers docker || { show_tail "$CACHE/dockerd.log"; die "dockerd did not answer within 60s"; }
fi

# A client that can build with BuildKit (the Dockerfile uses cache mounts): buildx when present;
# otherwise a pre-23 client (Debian's docker.io) with DOCKER_BUILDKIT=1. Docker CLIs from 23 on
# refuse DOCKER_BUILDKIT=1 without buildx.
DOCKER=
BUILD=()
if docker buildx version >/dev/null 2>&1; then
    DOCKER=docker
    BUILD=(docker buildx build --load)
else
    for c in docker /usr/bin/docker; do
        command -v "$c" >/dev/null 2>&1 || continue
        v=$("$c" version --format '{{.Client.Version}}' 2>/dev/null || true)
        if [ -n "$v" ] && [ "${v%%.*}" -lt 23 ] 2>/dev/null; then
            DOCKER=$c
            BUILD=(env DOCKER_BUILDKIT=1 "$c" build)
            break
        fi
    done
fi
[ -n "$DOCKER" ] || die "no docker client that builds with BuildKit (no buildx plugin, no Debian docker.io client)"
engine_answers "$DOCKER" || die "client $DOCKER cannot reach the engine"
log "engine $("$DOCKER" version --format '{{.Server.Version}}'), client $DOCKER ($("$DOCKER" version --format '{{.Client.Version}}')), build: ${BUILD[*]}"

if docker compose version >/dev/null 2>&1; then
    COMPOSE_CMD=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE_CMD=(docker-compose)
else
    die "no docker compose"
fi
COMPOSE=1

# ------------------------------------------------------------------------------------------------
step "base images named by docker/Dockerfile"

DOCKERFILE=docker/Dockerfile
arg_default() { sed -n "s/^ARG $1=\(.*\)$/\1/p" "$DOCKERFILE" | head -n 1; }
RUST_VERSION=$(arg_default RUST_VERSION)
DEBIAN_RELEASE=$(arg_default DEBIAN_RELEASE)
[ -n "$RUST_VERSION" ] && [ -n "$DEBIAN_RELEASE" ] || die "cannot read ARG RUST_VERSION / DEBIAN_RELEASE defaults from $DOCKERFILE"
grep -q '^FROM rust:${RUST_VERSION}-slim-${DEBIAN_RELEASE} AS build' "$DOCKERFILE" \
    && grep -q '^FROM debian:${DEBIAN_RELEASE}-slim AS runtime' "$DOCKERFILE" \
    || die "the FROM lines of $DOCKERFILE changed: teach scripts/ci-docker.sh the new base images"
RUNTIME_BASE=debian:${DEBIAN_RELEASE}-slim
BUILDER_BASE=rust:${RUST_VERSION}-slim-${DEBIAN_RELEASE}

# The machine's Rust toolchain goes into the builder stand-in.
if ! command -v rustc >/dev/null 2>&1 && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/rustc" ]; then
    PATH=${CARGO_HOME:-$HOME/.cargo}/bin:$PATH
fi
command -v rustc >/dev/null 2>&1 || die "no rustc on this machine for the builder stand-in"
RUSTC_FULL=$(rustc -V | awk '{print $2}')
RUSTC_HOST=$(rustc -vV | sed -n 's/^host: //p')
RUSTC_COMMIT=$(rustc -vV | sed -n 's/^commit-hash: //p')
SYSROOT=$(rustc --print sysroot)
case "$RUSTC_FULL" in
    "$RUST_VERSION" | "$RUST_VERSION".*) ;;
    *) log "warning: this machine has rustc $RUSTC_FULL; the Dockerfile names rust:$RUST_VERSION (its stand-in gets $RUSTC_FULL)" ;;
esac

# Prints "real", "current", "stale" or "missing" for an image name.
image_state() {
    local label
    if ! label=$("$DOCKER" image inspect -f "{{index .Config.Labels \"$STANDIN_LABEL\"}}" "$1" 2>/dev/null); then
        echo missing
    elif [ -z "$label" ] || [ "$label" = "<no value>" ]; then
        echo real
    elif [ "$label" = "$2" ]; then
        echo current
    else
        echo stale
    fi
}

RUNTIME_STAMP="recipe=$STANDIN_RECIPE debian=$DEBIAN_RELEASE"
# The machine's CA bundle: its egress to the registries may present certificates signed by a CA
# that only this machine's trust store has (seen here: a TLS-intercepting egress proxy).
CA_BUNDLE=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
[ -f "$CA_BUNDLE" ] || die "no CA bundle at $CA_BUNDLE"
BUILDER_STAMP="recipe=$STANDIN_RECIPE debian=$DEBIAN_RELEASE rustc=$RUSTC_FULL-$RUSTC_COMMIT ca=$(sha256sum "$CA_BUNDLE" | cut -c1-16)"

runtime_state=$(image_state "$RUNTIME_BASE" "$RUNTIME_STAMP")
log "$RUNTIME_BASE: $runtime_state"
if [ "$runtime_state" = missing ] || [ "$runtime_state" = stale ]; then
    # Like the official slim image: a minbase debootstrap with docs, man pages, locales and the
    # apt lists removed.
    command -v debootstrap >/dev/null 2>&1 || die "debootstrap missing"
    rootfs=$WORK/rootfs-$DEBIAN_RELEASE
    mkdir -p "$CACHE/debootstrap-debs"
    log "debootstrap --variant=minbase $DEBIAN_RELEASE (stand-in for $RUNTIME_BASE)"
    timeout 900 debootstrap --variant=minbase --cache-dir="$CACHE/debootstrap-debs" \
        "$DEBIAN_RELEASE" "$rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
        || { show_tail "$WORK/debootstrap.log"; die "debootstrap failed"; }
    (
        cd "$rootfs"
        find usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete
        find usr/share/doc -mindepth 1 -type d -empty -delete
        rm -rf usr/share/man/* usr/share/info/* usr/share/groff/* usr/share/lintian/* \
            usr/share/linda/* var/cache/man/* usr/share/locale/*
        rm -rf var/lib/apt/lists/* var/cache/apt/*.bin var/cache/apt/archives/*.deb \
            var/cache/ldconfig/aux-cache var/log/apt/* var/log/dpkg.log var/log/bootstrap.log
        rm -f etc/hostname etc/resolv.conf
    )
    tar --numeric-owner -C "$rootfs" -cf - . | "$DOCKER" import \
        -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        -c 'CMD ["bash"]' \
        -c "LABEL $STANDIN_LABEL=\"$RUNTIME_STAMP\"" \
        - "$RUNTIME_BASE" >/dev/null || die "docker import of the $RUNTIME_BASE stand-in failed"
    rm -rf "$rootfs"
    log "built stand-in $RUNTIME_BASE"
fi

builder_state=$(image_state "$BUILDER_BASE" "$BUILDER_STAMP")
log "$BUILDER_BASE: $builder_state"
if [ "$builder_state" = missing ] || [ "$builder_state" = stale ]; then
    # Made the way the official rust:*-slim image is: the Debian slim image, the packages it
    # installs (ca-certificates gcc libc6-dev), RUSTUP_HOME/CARGO_HOME under /usr/local, the
    # toolchain's commands on PATH; the toolchain is this machine's instead of a download.
    # What this machine needs to reach crates.io goes in too: its CA bundle, its cargo config file
    # and CARGO_* network settings.
    tc=$RUSTC_FULL-$RUSTC_HOST
    ctx=$WORK/builder-context
    mkdir -p "$ctx/toolchain" "$ctx/cargo-home"
    cp "$CA_BUNDLE" "$ctx/ca-certificates.crt"
    for d in bin lib libexec; do
        [ -d "$SYSROOT/$d" ] || continue
        # Hard links when /tmp shares the toolchain's file system, a copy otherwise.
        cp -al "$SYSROOT/$d" "$ctx/toolchain/" 2>/dev/null || cp -a "$SYSROOT/$d" "$ctx/toolchain/"
    done
    for f in config.toml config; do
        if [ -f "${CARGO_HOME:-$HOME/.cargo}/$f" ]; then
            cp "${CARGO_HOME:-$HOME/.cargo}/$f" "$ctx/cargo-home/$f"
            log "copying this machine's cargo $f into the builder stand-in"
        fi
    done
    cargo_env=()
    while IFS= read -r kv; do
        [ -n "$kv" ] && cargo_env+=("$kv")
    done < <(env | grep -E '^CARGO_(REGISTRIES|REGISTRY|HTTP|NET|SOURCE)_[A-Z0-9_]*=' || true)
    {
        echo "FROM $RUNTIME_BASE"
        echo "ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin RUST_VERSION=$RUSTC_FULL"
        for kv in "${cargo_env[@]}"; do printf 'ENV %s="%s"\n' "${kv%%=*}" "${kv#*=}"; done
        echo "RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates gcc libc6-dev && rm -rf /var/lib/apt/lists/*"
        echo "COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt"
        echo "COPY toolchain /usr/local/rustup/toolchains/$tc"
        echo "COPY cargo-home /usr/local/cargo"
        echo "RUN mkdir -p /usr/local/cargo/bin && for b in /usr/local/rustup/toolchains/$tc/bin/*; do ln -s \"\$b\" /usr/local/cargo/bin/; done && chmod -R a+w /usr/local/cargo && cargo --version && rustc --version"
    } >"$ctx/Dockerfile"
    proxy_args=()
    for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
        [ -n "${!v:-}" ] && proxy_args+=(--build-arg "$v")
    done
    log "building stand-in $BUILDER_BASE from $RUNTIME_BASE and the toolchain at $SYSROOT"
    timeout 900 "${BUILD[@]}" --network host --progress=plain "${proxy_args[@]}" \
        --label "$STANDIN_LABEL=$BUILDER_STAMP" -t "$BUILDER_BASE" "$ctx" >"$WORK/builder.log" 2>&1 \
        || { show_tail "$WORK/builder.log"; die "building the $BUILDER_BASE stand-in failed"; }
    rm -rf "$ctx"
    log "built stand-in $BUILDER_BASE"
fi

# ------------------------------------------------------------------------------------------------
step "docker build -f docker/Dockerfile"

proxy_args=()
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    [ -n "${!v:-}" ] && proxy_args+=(--build-arg "$v")
done
t0=$SECONDS
# --network host: the engine here runs without a bridge; cargo needs crates.io on a fresh cache.
if ! timeout "$BUILD_TIMEOUT" "${BUILD[@]}" --network host --progress=plain "${proxy_args[@]}" \
    -f "$DOCKERFILE" -t "$IMAGE" . >"$WORK/build.log" 2>&1; then
    show_tail "$WORK/build.log" 60
    die "docker build failed (or took more than ${BUILD_TIMEOUT}s)"
fi
grep -E '(Compiling mydata-testbed|Finished .release)' "$WORK/build.log" | sed 's/^/    /' || true
SIZE=$("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE")
log "built $IMAGE in $((SECONDS - t0))s; image size $((SIZE / 1000000)) MB ($SIZE bytes)"
"$DOCKER" history --format '    {{.Size}}\t{{.CreatedBy}}' "$IMAGE" | cut -c1-110

# ------------------------------------------------------------------------------------------------
step "image metadata"

user=$("$DOCKER" image inspect -f '{{.Config.User}}' "$IMAGE")
[ -n "$user" ] && [ "${user%%:*}" != root ] && [ "${user%%:*}" != 0 ] || die "image runs as '${user:-root}', not a non-root user"
hc=$("$DOCKER" image inspect -f '{{if .Config.Healthcheck}}{{join .Config.Healthcheck.Test " "}}{{end}}' "$IMAGE")
case "$hc" in *mydata-testbed*) ;; *) die "image HEALTHCHECK does not use the binary: '$hc'" ;; esac
bind=$("$DOCKER" image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE" | sed -n 's/^MYDATA_BIND=//p')
[ "${bind%:*}" = 0.0.0.0 ] || die "image MYDATA_BIND is '$bind', not 0.0.0.0:*"
log "user=$user healthcheck='$hc' MYDATA_BIND=$bind"

# ------------------------------------------------------------------------------------------------
step "run the container on 127.0.0.1:$PORT"

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_busy "$PORT" && die "127.0.0.1:$PORT is already in use (set CI_DOCKER_PORT)"
port_busy "$COMPOSE_PORT" && die "127.0.0.1:$COMPOSE_PORT is already in use (set CI_DOCKER_PORT)"

# Host network (no bridge here): the server binds the host's loopback directly. Only the health
# check's timing is shortened; its command stays the image's.
timeout 60 "$DOCKER" run -d --name "$CONTAINER" --network host \
    -e MYDATA_BIND="127.0.0.1:$PORT" -e MYDATA_LOG_FORMAT=json \
    --health-interval 1s --health-start-period 30s --health-retries 3 \
    "$IMAGE" >/dev/null || die "docker run failed"
uid=$(timeout 30 "$DOCKER" exec "$CONTAINER" id -u) || die "docker exec id -u failed"
[ "$uid" != 0 ] || die "the server runs as root inside the container"

wait_healthy() {
    local name=$1 limit=$2 status=
    for _ in $(seq 1 "$limit"); do
        status=$("$DOCKER" inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$name" 2>/dev/null || echo gone/)
        case "$status" in
            running/healthy) return 0 ;;
            running/*) sleep 1 ;;
            *) break ;;
        esac
    done
    echo "container $name: $status after waiting" >&2
    "$DOCKER" inspect -f '{{if .State.Health}}{{range .State.Health.Log}}    health check exit {{.ExitCode}}: {{.Output}}{{end}}{{end}}' "$name" >&2 || true
    return 1
}
t0=$SECONDS
wait_healthy "$CONTAINER" 60 || die "the container did not become healthy within 60s"
log "healthy after $((SECONDS - t0))s (uid $uid)"

# ------------------------------------------------------------------------------------------------
step "call the API through the container: token, then 은행-001"

api_flow() {
    local base=$1 tran=TBAPP00001M00000000000001 ci out rid code token body
    ci=$(python3 -c 'import json,sys; print(next(c["ci"] for c in json.load(open(sys.argv[1])) if c["id"] == "C001"))' fixtures/customers.json) \
        || { echo "cannot read C001's CI from fixtures/customers.json" >&2; return 1; }
    local curl=(curl -sS --max-time 10 --noproxy '*')

    out=$("${curl[@]}" -o "$WORK/authorize.body" -w '%{http_code} %{redirect_url}' \
        -H "x-user-ci: $ci" -H "x-api-tran-id: $tran" \
        "$base/oauth/2.0/authorize?org_code=TBBANK0001&response_type=code&client_id=tbdemoapp&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback&app_scheme=tbdemo%3A%2F%2Fmydata&state=s1") \
        || { echo "authorize: curl failed" >&2; return 1; }
    rid=$(sed -n 's/.*[?&]request_id=\([^&]*\).*/\1/p' <<<"${out#* }")
    [ "${out%% *}" = 302 ] && [ -n "$rid" ] || { echo "authorize: expected 302 with request_id, got '$out': $(head -c 400 "$WORK/authorize.body")" >&2; return 1; }

    out=$("${curl[@]}" -o "$WORK/consent.body" -w '%{http_code} %{redirect_url}' \
        --data "request_id=$rid&customer_id=C001&asset=110482913570&is_scheduled=true&action=consent" \
        "$base/oauth/2.0/consent") || { echo "consent: curl failed" >&2; return 1; }
    code=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"${out#* }")
    [ "${out%% *}" = 302 ] && [ -n "$code" ] || { echo "consent: expected 302 with code, got '$out': $(head -c 400 "$WORK/consent.body")" >&2; return 1; }

    out=$("${curl[@]}" -o "$WORK/token.body" -w '%{http_code}' -H "x-api-tran-id: $tran" \
        --data "org_code=TBBANK0001&grant_type=authorization_code&code=$code&client_id=tbdemoapp&client_secret=tbdemosecret0001&redirect_uri=http://localhost:8080/callback" \
        "$base/oauth/2.0/token") || { echo "token: curl failed" >&2; return 1; }
    token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' "$WORK/token.body" 2>/dev/null) || token=
    [ "$out" = 200 ] && [ -n "$token" ] || { echo "token: expected 200 with access_token, got $out: $(head -c 400 "$WORK/token.body")" >&2; return 1; }

    out=$("${curl[@]}" -o "$WORK/accounts.body" -w '%{http_code}' \
        -H "Authorization: Bearer $token" -H "x-api-tran-id: $tran" -H "x-api-type: user-consent" \
        "$base/v1/bank/accounts?org_code=TBBANK0001&limit=10") || { echo "은행-001: curl failed" >&2; return 1; }
    body=$(head -c 300 "$WORK/accounts.body")
    [ "$out" = 200 ] || { echo "은행-001: expected 200, got $out: $body" >&2; return 1; }
    python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); sys.exit(0 if b.get("rsp_code") == "00000" else 1)' "$WORK/accounts.body" \
        || { echo "은행-001: rsp_code is not 00000: $body" >&2; return 1; }
    echo "은행-001 200 rsp_code 00000, $(python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); print(b.get("account_cnt", len(b.get("account_list", []))), "accounts")' "$WORK/accounts.body")"
}
out=$(curl -sS --max-time 5 --noproxy '*' "http://127.0.0.1:$PORT/healthz") || die "GET /healthz failed"
[ "$out" = ok ] || die "GET /healthz answered '$out'"
result=$(api_flow "http://127.0.0.1:$PORT") || die "the API flow failed (see above)"
log "$result"
# The README's longer walkthrough (refresh, revoke, paging), when the project has it.
if [ -f scripts/walkthrough.sh ] && command -v jq >/dev/null 2>&1; then
    timeout 120 bash scripts/walkthrough.sh "http://127.0.0.1:$PORT" >"$WORK/walkthrough.log" 2>&1 \
        || { show_tail "$WORK/walkthrough.log"; die "scripts/walkthrough.sh failed against the container"; }
    log "scripts/walkthrough.sh passed against the container"
fi

# The conformance client, from the same image, against the container: no deviation allowed.
"$DOCKER" run --rm --network host --entrypoint mydata-testbed "$IMAGE" check --target "http://127.0.0.1:$PORT" \
    --login testbed --quiet --report-json /tmp/check.json >"$WORK/check.log" 2>&1 \
    || { show_tail "$WORK/check.log"; die "mydata-testbed check found deviations in the container (or could not run)"; }
log "mydata-testbed check against the container: no deviation"

# ------------------------------------------------------------------------------------------------
step "SIGTERM: clean shutdown"

# Prints the seconds a container took to stop after SIGTERM; fails unless it exited 0 in time.
stop_with_sigterm() {
    local name=$1 limit=$2 t0 running code
    t0=$(date +%s%N)
    "$DOCKER" kill --signal SIGTERM "$name" >/dev/null || return 1
    for _ in $(seq 1 $((limit * 5))); do
        running=$("$DOCKER" inspect -f '{{.State.Running}}' "$name") || return 1
        [ "$running" = false ] && break
        sleep 0.2
    done
    if [ "$running" != false ]; then
        echo "$name still running ${limit}s after SIGTERM" >&2
        "$DOCKER" kill "$name" >/dev/null 2>&1 || true
        return 1
    fi
    code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$name")
    [ "$code" = 0 ] || { echo "$name exited with code $code after SIGTERM" >&2; return 1; }
    echo "$((($(date +%s%N) - t0) / 1000000))"
}
secs=$(stop_with_sigterm "$CONTAINER" 10) || die "no clean exit within 10s of SIGTERM"
"$DOCKER" logs "$CONTAINER" 2>&1 | grep -q 'shutting down' || die "the server log has no 'shutting down' line"
log "exited 0 ${secs} ms after SIGTERM"
"$DOCKER" rm -f "$CONTAINER" >/dev/null

# ------------------------------------------------------------------------------------------------
step "compose: config and a real up/down"

# The file as users get it: valid with its defaults, with the check profile, and with settings.
"${COMPOSE_CMD[@]}" -f docker/compose.yaml config -q || die "compose config failed"
"${COMPOSE_CMD[@]}" -f docker/compose.yaml --profile check config -q || die "compose config --profile check failed"
TESTBED_PORT=9999 MYDATA_LOG_FORMAT=json "${COMPOSE_CMD[@]}" -f docker/compose.yaml config >"$WORK/config.out" \
    || die "compose config with settings failed"
grep -q '9999' "$WORK/config.out" || die "TESTBED_PORT does not reach the published port"
log "compose config ok (${COMPOSE_CMD[*]} $("${COMPOSE_CMD[@]}" version --short 2>/dev/null || true))"

# A real `up` of the file users get, rendered by compose itself, with one CI-only change: the
# engine here has no bridge and all traffic stays on loopback, so every service gets the host
# network, the published ports are dropped (compose refuses both together) and the server
# binds a loopback port. Everything else (image, settings, health check, stop signal,
# profiles) is the user's file as compose resolved it.
PY=
for p in /usr/bin/python3 python3; do
    "$p" -c 'import yaml' >/dev/null 2>&1 && { PY=$p; break; }
done
[ -n "$PY" ] || { apt_install python3-yaml; PY=/usr/bin/python3; }
TESTBED_IMAGE=$IMAGE "${COMPOSE_CMD[@]}" -f docker/compose.yaml config >"$WORK/compose.rendered.yaml" \
    || die "compose config (render) failed"
"$PY" - "$WORK/compose.rendered.yaml" "$WORK/compose.ci.yaml" "$COMPOSE_PORT" <<'PYEOF' || die "cannot adapt the rendered compose file"
import sys, yaml
src, dst, port = sys.argv[1], sys.argv[2], sys.argv[3]
doc = yaml.safe_load(open(src))
doc.pop("networks", None)
for name, svc in doc["services"].items():
    svc.pop("ports", None)
    svc.pop("networks", None)
    svc["network_mode"] = "host"
tb = doc["services"]["testbed"]
tb.setdefault("environment", {})["MYDATA_BIND"] = f"127.0.0.1:{port}"
tb["healthcheck"] = {"interval": "1s", "start_period": "30s"}  # timing only; the test stays the image's
yaml.safe_dump(doc, open(dst, "w"), sort_keys=False)
PYEOF
compose() {
    timeout 120 "${COMPOSE_CMD[@]}" -p "$COMPOSE_PROJECT" -f "$WORK/compose.ci.yaml" "$@"
}
# As the README has it: a plain `up` (no service named) must start the server alone.
compose up -d --no-build >"$WORK/compose.log" 2>&1 || { show_tail "$WORK/compose.log"; die "compose up failed"; }
cid=$(compose ps -q testbed) && [ -n "$cid" ] || die "compose started no testbed container"
started=$(compose ps -q | wc -l)
[ "$started" = 1 ] || die "a plain compose up started $started containers, want only testbed (check is behind a profile)"
wait_healthy "$cid" 60 || die "the compose testbed did not become healthy within 60s"
result=$(api_flow "http://127.0.0.1:$COMPOSE_PORT") || die "the API flow through compose failed"
log "compose: $result"
t0=$SECONDS
compose stop --timeout 10 >>"$WORK/compose.log" 2>&1 || { show_tail "$WORK/compose.log"; die "compose stop failed"; }
code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$cid")
[ "$code" = 0 ] || die "the compose testbed exited with code $code on stop"
compose down --remove-orphans --timeout 5 >>"$WORK/compose.log" 2>&1 || die "compose down failed"
rm -f "$WORK/compose.ci.yaml"
log "compose up, healthy, 은행-001, stop in $((SECONDS - t0))s (exit 0), down: ok"

STEP=done
log "ci-docker: all Docker checks passed (image $IMAGE, $((SIZE / 1000000)) MB)"

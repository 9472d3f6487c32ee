#!/bin/sh
# SPDX-License-Identifier: MPL-2.0
# nginx healthcheck: the load balancer's own question (GET /__lbheartbeat__) on this container's
# listener, HTTPS in production (no SNI, as a load balancer asks), plain HTTP in local mode.
set -eu
url="$(cat /tmp/nginx/health-url 2>/dev/null)" || exit 1
exec curl -fsSk --max-time 2 -o /dev/null "$url"

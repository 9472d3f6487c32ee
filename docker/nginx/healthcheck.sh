#!/bin/bash
# SPDX-License-Identifier: MPL-2.0
# nginx healthcheck without curl: an HTTP request over bash's /dev/tcp to nginx's own lbheartbeat.
set -eu
exec 3<>/dev/tcp/127.0.0.1/8080
printf 'GET /__lbheartbeat__ HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 2 status <&3
case "$status" in "HTTP/1."?" 200"*) exit 0 ;; *) exit 1 ;; esac

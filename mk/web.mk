# Web front end (services/web) and its browser tests.
.PHONY: web-build web-test browser-test

## make web-build: bundle include.js, the dialog and pages into services/web/dist (esbuild).
web-build:
	node services/web/build.ts

## make web-test: the front end's fast unit tests (encoding, JWS, keys, build output).
web-test:
	node --test --test-reporter=spec 'services/web/test/**/*.test.ts'

## make browser-test: the sign-in flows in Chromium against the whole stack (screenshots in test-output/screenshots).
browser-test:
	node --test --test-reporter=spec --test-timeout=900000 'test/browser/**/*.test.ts'

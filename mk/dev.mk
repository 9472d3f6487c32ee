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

// SPDX-License-Identifier: MPL-2.0
// Each cluster's load balancer, standing in for the region's ALB: nginx terminating TLS for the public
// names and spreading requests over the cluster's webheads (their own nginx, over TLS, checked against
// the simulation's CA), moving on to another webhead when one refuses a connection. Port 80 answers
// the DNS health check (`/__lbheartbeat__`, passed to a webhead) unless the cluster's drain switch is
// on (a file): then it answers 503 and the DNS server stops naming the cluster.

export interface LbOptions {
  readonly address: string
  readonly webheads: readonly string[]
  readonly serverNames: readonly string[]
  readonly certFile: string
  readonly keyFile: string
  readonly caFile: string
  readonly drainFile: string
  readonly runDir: string
  readonly accessLog: string
}

export function renderLbConfig(o: LbOptions): string {
  const upstream = `    proxy_pass https://webheads;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $remote_addr;
    proxy_set_header X-Forwarded-Proto https;
    proxy_ssl_server_name on;
    proxy_ssl_name $host;
    proxy_ssl_verify on;
    proxy_ssl_trusted_certificate ${o.caFile};
    proxy_ssl_session_reuse on;
    proxy_connect_timeout 1s;
    proxy_read_timeout 30s;
    proxy_next_upstream error timeout http_502;
    proxy_next_upstream_tries 2;`
  return `# Load balancer of one simulated cluster (scripts/multi/lb.ts): the ALB's part.
daemon off;
worker_processes 1;
pid ${o.runDir}/nginx.pid;
error_log stderr warn;
events {
  worker_connections 1024;
}
http {
  client_body_temp_path ${o.runDir}/client_body;
  proxy_temp_path ${o.runDir}/proxy;
  fastcgi_temp_path ${o.runDir}/fastcgi;
  uwsgi_temp_path ${o.runDir}/uwsgi;
  scgi_temp_path ${o.runDir}/scgi;
  access_log ${o.accessLog};
  server_tokens off;
  client_max_body_size 64k;
  upstream webheads {
${o.webheads.map((w) => `    server ${w}:443 max_fails=1 fail_timeout=2s;`).join('\n')}
    keepalive 16;
  }
  server {
    listen ${o.address}:443 ssl;
    server_name ${o.serverNames.join(' ')};
    ssl_certificate ${o.certFile};
    ssl_certificate_key ${o.keyFile};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:lb_tls:1m;
    location / {
${upstream}
    }
  }
  server {
    listen ${o.address}:80;
    server_name ${o.serverNames.join(' ')};
    location = /__lbheartbeat__ {
      if (-f ${o.drainFile}) {
        return 503 'drained';
      }
${upstream
  .replace(/^ {4}/gm, '      ')
  .replace('Host $host', `Host ${o.serverNames[0]}`)
  .replace('proxy_ssl_name $host', `proxy_ssl_name ${o.serverNames[0]}`)}
    }
    location / {
      return 301 https://$host$request_uri;
    }
  }
}
`
}

{{/*
SPDX-License-Identifier: MPL-2.0
Names, labels, images and the topology facts the chart needs (ports, secret holders). The ports and
holders mirror services/kit/src/topology.ts; test/helm checks they agree.
*/}}

{{- define "persona.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "persona.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels shared by every object. */}}
{{- define "persona.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "persona.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component; call with (dict "root" $ "component" "reader"). */}}
{{- define "persona.selectorLabels" -}}
app.kubernetes.io/name: {{ include "persona.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "persona.componentLabels" -}}
{{ include "persona.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Image of a process, the deployment contract's name: <registry>/persona-<process>:<tag>; call with
(dict "root" $ "process" "reader" "override" .Values.x.image). */}}
{{- define "persona.image" -}}
{{- $img := .root.Values.image -}}
{{- $tag := default .root.Chart.AppVersion $img.tag -}}
{{- if eq $tag "latest" -}}{{- fail "image.tag: name a version (make push prints it), never latest" -}}{{- end -}}
{{- $repo := printf "%s/persona-%s" (required "image.registry: where `make push` put the images" $img.registry) .process -}}
{{- with .override -}}
{{- if .repository -}}{{- $repo = .repository -}}{{- end -}}
{{- if .tag -}}{{- $tag = .tag -}}{{- end -}}
{{- end -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}

{{/* Ports the services listen on: SERVICE_SPECS[svc].port in topology.ts. */}}
{{- define "persona.topology.ports" -}}
router: 10002
static: 10003
reader: 10004
writer: 10005
certifier: 10006
verifier: 10007
proxy: 10008
{{- end -}}

{{/* The host class each service runs on: SERVICE_SPECS[svc].hostClass in topology.ts (the `host_class`
label of its metrics). */}}
{{- define "persona.topology.hostClasses" -}}
router: webhead
static: webhead
reader: webhead
writer: dbwriter
certifier: certifier
verifier: webhead
proxy: webhead
{{- end -}}

{{/* The seven services in topology order. */}}
{{- define "persona.topology.services" -}}
- router
- static
- reader
- writer
- certifier
- verifier
- proxy
{{- end -}}

{{/* Secret holders: SECRETS[name].holders in topology.ts, less `init` (the jobs are listed in the
job templates). Each reaches its holder as a file named like its variable in /run/secrets/persona
(the deployment contract); the certifier key as root.secretkey.json there. `optional`: provided by the
operator (the mail relay's account), absent when the relay wants none. */}}
{{- define "persona.topology.secretHolders" -}}
dbWriterPassword: { env: DB_WRITER_PASSWORD, holders: [writer] }
dbReaderPassword: { env: DB_READER_PASSWORD, holders: [reader] }
dbAdminPassword: { env: DB_ADMIN_PASSWORD, holders: [] }
sessionSecret: { env: SESSION_SECRET, holders: [reader] }
writerToken: { env: WRITER_TOKEN, holders: [reader, writer] }
certifierToken: { env: CERTIFIER_TOKEN, holders: [reader, certifier] }
smtpUser: { env: SMTP_USER, holders: [writer], optional: true }
smtpPassword: { env: SMTP_PASS, holders: [writer], optional: true }
certifierPrivateKey: { env: CERTIFIER_PRIVATE_KEY_FILE, holders: [certifier] }
{{- end -}}

{{/* Services that read the public key (PUBLIC_KEY_FILE). */}}
{{- define "persona.publicKeyHolders" -}}
- reader
- verifier
{{- end -}}

{{/* The secrets directory of every container (deploy/src/parts.ts CONTAINER_PATHS). */}}
{{- define "persona.secretsDir" -}}/run/secrets/persona{{- end -}}

{{/* A projected volume of one holder's secrets, each a file named like its variable; call with
(dict "root" $ "names" (list "writerToken" ...) "key" true-if-the-certifier-key). */}}
{{- define "persona.secretsVolume" -}}
{{- $root := .root -}}
{{- $holders := include "persona.topology.secretHolders" $root | fromYaml -}}
projected:
  defaultMode: 0440
  sources:
    {{- if .names }}
    - secret:
        name: {{ include "persona.secretName" $root }}
        items:
          {{- range $name := .names }}
          {{- $spec := get $holders $name }}
          - key: {{ get $root.Values.secrets.keys $name }}
            path: {{ $spec.env }}
          {{- end }}
    {{- end }}
    {{- range $name := .optional }}
    {{- $spec := get $holders $name }}
    - secret:
        name: {{ include "persona.secretName" $root }}
        optional: true
        items:
          - key: {{ get $root.Values.secrets.keys $name }}
            path: {{ $spec.env }}
    {{- end }}
    {{- if .key }}
    - secret:
        name: {{ include "persona.privateKeySecret" $root }}
        items:
          - key: {{ $root.Values.keys.privateKeyKey }}
            path: root.secretkey.json
    {{- end }}
{{- end -}}

{{- define "persona.secretName" -}}
{{- default (printf "%s-secrets" (include "persona.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "persona.privateKeySecret" -}}
{{- default (printf "%s-certifier-key" (include "persona.fullname" .)) .Values.keys.privateKeySecret -}}
{{- end -}}

{{- define "persona.publicKeySecret" -}}
{{- default (printf "%s-public-key" (include "persona.fullname" .)) .Values.keys.publicKeySecret -}}
{{- end -}}

{{- define "persona.issuerDomain" -}}
{{- default .Values.publicHost .Values.issuerDomain -}}
{{- end -}}

{{/* terminationGracePeriodSeconds: preStop sleep + the services' drain + a margin. */}}
{{- define "persona.terminationGrace" -}}
{{- $p := .Values.pod -}}
{{- add $p.preStopSleepSeconds (div (add $p.shutdownGraceMs 999) 1000) $p.terminationMarginSeconds -}}
{{- end -}}

{{/* Pod-level security context: non-root, RuntimeDefault seccomp. */}}
{{- define "persona.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.pod.runAsUser }}
runAsGroup: {{ .Values.pod.runAsGroup }}
fsGroup: {{ .Values.pod.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level security context: read-only root, no privilege escalation, no capabilities. */}}
{{- define "persona.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.pod.runAsUser }}
runAsGroup: {{ .Values.pod.runAsGroup }}
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Topology spread over zones and nodes for one component. */}}
{{- define "persona.spread" -}}
{{- $a := .root.Values.availability -}}
- maxSkew: {{ $a.maxSkew }}
  topologyKey: topology.kubernetes.io/zone
  whenUnsatisfiable: {{ $a.zoneWhenUnsatisfiable }}
  labelSelector:
    matchLabels:
      {{- include "persona.selectorLabels" . | nindent 6 }}
- maxSkew: {{ $a.maxSkew }}
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: {{ $a.nodeWhenUnsatisfiable }}
  labelSelector:
    matchLabels:
      {{- include "persona.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/* Startup, liveness and readiness probes; call with (dict "root" $ "port" "http" "paths" optional). */}}
{{- define "persona.probes" -}}
{{- $p := .root.Values.probes -}}
{{- $paths := default (dict) .paths -}}
startupProbe:
  httpGet: { path: {{ default $p.startup.path $paths.startup }}, port: {{ .port }} }
  periodSeconds: {{ $p.startup.periodSeconds }}
  timeoutSeconds: {{ $p.startup.timeoutSeconds }}
  failureThreshold: {{ $p.startup.failureThreshold }}
livenessProbe:
  httpGet: { path: {{ default $p.liveness.path $paths.liveness }}, port: {{ .port }} }
  periodSeconds: {{ $p.liveness.periodSeconds }}
  timeoutSeconds: {{ $p.liveness.timeoutSeconds }}
  failureThreshold: {{ $p.liveness.failureThreshold }}
readinessProbe:
  httpGet: { path: {{ default $p.readiness.path $paths.readiness }}, port: {{ .port }} }
  periodSeconds: {{ $p.readiness.periodSeconds }}
  timeoutSeconds: {{ $p.readiness.timeoutSeconds }}
  failureThreshold: {{ $p.readiness.failureThreshold }}
{{- end -}}

{{/* Where a flow end lands in the chart: a component name, "edge" (who stands for the internet in
front of us), "internet", "db-master", "db-replica", or "smtp". */}}
{{- define "persona.flowNode" -}}
{{- $n := .node -}}
{{- $ports := include "persona.topology.ports" .root | fromYaml -}}
{{- if hasKey $ports $n -}}{{ $n }}
{{- else if eq $n "nginx" -}}{{ ternary "nginx" "edge" .root.Values.nginx.enabled }}
{{- else if eq $n "internet" -}}internet
{{- else if has $n (list "db-master" "db-replica" "smtp") -}}{{ $n }}
{{- else -}}{{ fail (printf "networkPolicy.flows: unknown node %q (expected a service, nginx, internet, db-master, db-replica or smtp)" $n) }}
{{- end -}}
{{- end -}}

{{/* The port a flow opens on the chart: services' own, nginx's pod port, external endpoints' configured ports. */}}
{{- define "persona.flowPort" -}}
{{- $v := .root.Values -}}
{{- if eq .node "nginx" -}}{{ $v.nginx.port }}
{{- else if eq .node "db-master" -}}{{ $v.database.master.port }}
{{- else if eq .node "db-replica" -}}{{ $v.database.replica.port }}
{{- else if eq .node "smtp" -}}{{ $v.smtp.port }}
{{- else -}}{{ .flow.port }}
{{- end -}}
{{- end -}}

{{/* NetworkPolicy peers of a flow end. */}}
{{- define "persona.flowPeers" -}}
{{- $v := .root.Values -}}
{{- if or (eq .node "edge") (and (eq .node "internet") (eq .dir "from")) -}}
{{ toYaml $v.networkPolicy.edgePeers }}
{{- else if eq .node "internet" -}}
- ipBlock:
    cidr: {{ $v.networkPolicy.internet.cidr }}
    except: {{ toJson $v.networkPolicy.internet.except }}
{{- else if eq .node "db-master" -}}{{ toYaml $v.database.master.networkPeers }}
{{- else if eq .node "db-replica" -}}{{ toYaml $v.database.replica.networkPeers }}
{{- else if eq .node "smtp" -}}{{ toYaml $v.smtp.networkPeers }}
{{- else -}}
- podSelector:
    matchLabels:
      {{- include "persona.selectorLabels" (dict "root" .root "component" .node) | nindent 6 }}
{{- end -}}
{{- end -}}

{{/* Egress to the cluster DNS. */}}
{{- define "persona.dnsRule" -}}
- to:
    {{- toYaml .Values.networkPolicy.dnsPeers | nindent 4 }}
  ports:
    - { protocol: UDP, port: 53 }
    - { protocol: TCP, port: 53 }
{{- end -}}

{{/* Hook annotations of the pre-install/pre-upgrade jobs and what they need; call with (dict "weight" N). */}}
{{- define "persona.hook" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}

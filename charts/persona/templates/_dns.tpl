{{- /*
SPDX-License-Identifier: MPL-2.0
One release per cluster: this cluster's public records, kept by external-dns from these annotations
(values dns.*). With external-dns run as --annotation-filter='persona.dev/in-dns in (true)', a release
with dns.inDns=false (a deploy draining the cluster) is ignored and, under --policy=sync, its records go.
*/ -}}

{{/* external-dns annotations; call with (dict "root" . "hosts" (list ...)). Empty when dns.externalDns is off. */}}
{{- define "persona.externalDnsAnnotations" -}}
{{- $d := .root.Values.dns -}}
{{- if $d.externalDns -}}
persona.dev/in-dns: {{ $d.inDns | toString | quote }}
{{- if $d.inDns }}
external-dns.alpha.kubernetes.io/hostname: {{ join "," .hosts | quote }}
{{- end }}
external-dns.alpha.kubernetes.io/ttl: {{ $d.ttl | toString | quote }}
{{- with $d.setIdentifier }}
external-dns.alpha.kubernetes.io/set-identifier: {{ . | quote }}
{{- end }}
{{- with $d.awsRegion }}
external-dns.alpha.kubernetes.io/aws-region: {{ . | quote }}
{{- end }}
{{- end -}}
{{- end -}}

{{/* Labels of every object: the kustomize base's (app.kubernetes.io/name, part-of) plus Helm's. */}}
{{- define "edgewave.labels" -}}
app.kubernetes.io/part-of: edgewave
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "edgewave.image" -}}
{{ .image.repository }}:{{ .image.tag | default .root.Chart.AppVersion }}
{{- end }}

{{/* The broker the operator connects to: the value, else the chart's own Mosquitto, else none. */}}
{{- define "edgewave.operatorBroker" -}}
{{- if .Values.operator.mqttBroker -}}
{{ .Values.operator.mqttBroker }}
{{- else if .Values.mosquitto.enabled -}}
ssl://mosquitto.{{ .Release.Namespace }}.svc:8883
{{- end -}}
{{- end }}

{{/* Webhook references (dict refs, ns) as namespace/name, comma-separated: a bare name is in namespace ns. */}}
{{- define "edgewave.webhookRefs" -}}
{{- $out := list -}}
{{- range .refs -}}
{{- if contains "/" . -}}{{- $out = append $out . -}}{{- else -}}{{- $out = append $out (printf "%s/%s" $.ns .) -}}{{- end -}}
{{- end -}}
{{- join "," $out -}}
{{- end }}

{{/* The webhook Secrets the operator may read, as JSON {namespace: [names]}. */}}
{{- define "edgewave.webhookSecretsByNamespace" -}}
{{- $byNs := dict -}}
{{- range concat .Values.operator.alertWebhooks .Values.operator.notifyWebhooks -}}
{{- $ns := $.Release.Namespace -}}{{- $name := . -}}
{{- if contains "/" . -}}{{- $ns = first (splitList "/" .) -}}{{- $name = last (splitList "/" .) -}}{{- end -}}
{{- $_ := set $byNs $ns (append (get $byNs $ns | default list) $name | uniq) -}}
{{- end -}}
{{- toJson $byNs -}}
{{- end }}

{{- define "edgewave.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
- name: {{ . }}
{{- end }}
{{- end }}
{{- end }}

{{- define "recorder.name" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "recorder.labels" -}}
app.kubernetes.io/name: vpc-flowlogs-recorder
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "recorder.selector" -}}
app.kubernetes.io/name: vpc-flowlogs-recorder
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "recorder.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "recorder.name" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Several replicas share one store and one queue: H2 in a pod cannot be shared. */}}
{{- define "recorder.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.database.url) -}}
{{- fail "replicaCount > 1 needs PostgreSQL: set database.url (and database.username, database.existingSecret)" -}}
{{- end -}}
{{- if and .Values.database.url (not (hasPrefix "jdbc:postgresql:" .Values.database.url)) -}}
{{- fail "database.url must be a PostgreSQL JDBC URL (jdbc:postgresql://...)" -}}
{{- end -}}
{{- /* Values without a safe default: refused here rather than by the pod at start. */ -}}
{{- $recorder := .Values.config.recorder | default dict -}}
{{- $flowLogs := get $recorder "flow-logs" | default dict -}}
{{- $_ := required "config.recorder.flow-logs.delivery-role-arn is required: the role VPC Flow Logs writes with (output DeliveryRoleArn of deploy/recorder-aws.yaml)" (get $flowLogs "delivery-role-arn") -}}
{{- $discovery := get $recorder "discovery" | default dict -}}
{{- if and (empty (get $recorder "nat-gateways")) (empty (get $discovery "tags")) -}}
{{- fail "config.recorder.nat-gateways is required: name at least one NAT gateway (config.recorder.nat-gateways[0].id), or discover them by tag (config.recorder.discovery.tags)" -}}
{{- end -}}
{{- end -}}

{{/* The image, pinned by digest when one is given. */}}
{{- define "recorder.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The JVM's options: the image's own (Dockerfile, JAVA_TOOL_OPTIONS) with the heap share and extras of the values. */}}
{{- define "recorder.javaToolOptions" -}}
{{- $tiers := "" -}}
{{- if .Values.jvm.c1Only -}}
{{- $tiers = " -XX:TieredStopAtLevel=1" -}}
{{- end -}}
{{- $options := printf "-XX:AOTCache=vpc-flowlogs-recorder.aot -XX:+UseSerialGC -XX:+UseCompactObjectHeaders%s -XX:MaxRAMPercentage=%v -XX:InitialRAMPercentage=6 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp" $tiers .Values.jvm.maxRamPercentage -}}
{{- if .Values.jvm.extraOptions -}}
{{- $options = printf "%s %s" $options .Values.jvm.extraOptions -}}
{{- end -}}
{{- $options -}}
{{- end -}}

{{/* H2 keeps the store in the pod's volume: one pod at a time. */}}
{{- define "recorder.h2" -}}
{{- if not .Values.database.url -}}true{{- end -}}
{{- end -}}

{{- define "recorder.dataClaim" -}}
{{- default (printf "%s-data" (include "recorder.name" .)) .Values.persistence.existingClaim -}}
{{- end -}}

{{- define "recorder.serviceMonitorAvailable" -}}
{{- if or .Values.serviceMonitor.skipCrdCheck (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor") -}}true{{- end -}}
{{- end -}}

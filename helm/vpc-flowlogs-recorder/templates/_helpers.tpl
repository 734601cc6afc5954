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
{{- end -}}

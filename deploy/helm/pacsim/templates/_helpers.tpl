{{- define "pacsim.name" -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "pacsim.labels" -}}
app.kubernetes.io/name: pacsim
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "pacsim.selector" -}}
app.kubernetes.io/name: pacsim
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "pacsim.podSecurity" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "pacsim.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
{{- end -}}

{{- define "pacsim.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}

package helm

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"helm.sh/helm/v4/pkg/chart/v2/lint"
	"helm.sh/helm/v4/pkg/chart/v2/lint/support"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
)

func TestChartDefaults(t *testing.T) {
	r := render(t, nil)
	require.Len(t, r.StatefulSets, 1)
	require.Len(t, r.Services, 1)
	assert.Empty(t, r.ConfigMaps, "no site.file, no ConfigMap")
	assert.Empty(t, r.Jobs, "conform off")
	assert.Empty(t, r.ServiceMonitor, "serviceMonitor off")
	require.Len(t, r.TestPods, 1)

	ss := r.StatefulSets[0]
	require.NotNil(t, ss.Spec.Replicas)
	assert.EqualValues(t, 1, *ss.Spec.Replicas)
	require.Len(t, ss.Spec.Template.Spec.Containers, 1, "driver off")
	checkSite(t, r, 1)

	// Without a ServiceMonitor, the Service carries the scrape annotations.
	svc := r.Services[0]
	assert.Equal(t, "true", svc.Annotations["prometheus.io/scrape"])
	assert.Equal(t, "/metrics", svc.Annotations["prometheus.io/path"])
	assert.Equal(t, "9700", svc.Annotations["prometheus.io/port"])
}

func TestChartFleet(t *testing.T) {
	r := render(t, fleetValues())
	require.Len(t, r.StatefulSets, 1)
	require.Len(t, r.Services, 1)
	ss := r.StatefulSets[0]
	require.NotNil(t, ss.Spec.Replicas)
	assert.EqualValues(t, 3, *ss.Spec.Replicas)
	checkSite(t, r, 3)

	cs := ss.Spec.Template.Spec.Containers
	require.Len(t, cs, 2)
	drv := cs[1]
	assert.Equal(t, "driver", drv.Name)
	assert.Equal(t, "driver", drv.Args[0])
	assert.Equal(t, "127.0.0.1", flagValue(t, drv.Args, "--host"), "the driver points at its own site")
	assert.Equal(t, "8801", flagValue(t, drv.Args, "--port"))

	// The conform Job: one completion per site, completion k against site k.
	require.Len(t, r.Jobs, 1)
	job := r.Jobs[0]
	require.NotNil(t, job.Spec.CompletionMode)
	assert.Equal(t, "Indexed", string(*job.Spec.CompletionMode))
	require.NotNil(t, job.Spec.Completions)
	assert.EqualValues(t, 3, *job.Spec.Completions)
	jc := job.Spec.Template.Spec.Containers
	require.Len(t, jc, 1)
	assert.Equal(t, "conform", jc[0].Args[0])
	assert.Equal(t, "http://fleet-$(JOB_COMPLETION_INDEX).fleet:8801", flagValue(t, jc[0].Args, "--entrapass-url"))
	assert.Equal(t, "junit", flagValue(t, jc[0].Args, "--print"), "the JUnit report in kubectl logs: the pod's files die with it")
	checkPodSecurity(t, "conform job", job.Spec.Template.Spec)
	assert.False(t, selects(r.Services[0].Spec.Selector, job.Spec.Template.Labels), "the Service must not route to conform pods")

	// The ServiceMonitor scrapes the Service's named ports.
	require.Len(t, r.ServiceMonitor, 1)
	sm := r.ServiceMonitor[0]
	svc := r.Services[0]
	assert.Empty(t, svc.Annotations["prometheus.io/scrape"], "a ServiceMonitor replaces the annotations")
	sel, err := metav1LabelSelector(sm)
	require.NoError(t, err)
	assert.True(t, sel.Matches(labels.Set(svc.Labels)), "ServiceMonitor selector %v, Service labels %v", sm.Spec.Selector, svc.Labels)
	var ports []string
	for _, e := range sm.Spec.Endpoints {
		ports = append(ports, e.Port)
		assert.Equal(t, "/metrics", e.Path)
		assert.Equal(t, "30s", e.Interval)
		assert.True(t, hasServicePort(svc, e.Port), "endpoint port %q not on the Service", e.Port)
	}
	assert.Equal(t, []string{"control", "dataserver"}, ports)
}

// checkSite checks what every install shares: the headless Service that
// names each pod, the probes, the security context, one test pod a site.
func checkSite(t *testing.T, r *rendered, sites int) {
	t.Helper()
	ss, svc := r.StatefulSets[0], r.Services[0]
	assert.Equal(t, "fleet", ss.Name)
	assert.Equal(t, corev1.ClusterIPNone, svc.Spec.ClusterIP, "headless")
	assert.Equal(t, svc.Name, ss.Spec.ServiceName, "site k is fleet-k.fleet")
	assert.True(t, selects(svc.Spec.Selector, ss.Spec.Template.Labels), "the Service selects the sites")
	sel, err := metav1SelectorOf(ss)
	require.NoError(t, err)
	assert.True(t, sel.Matches(labels.Set(ss.Spec.Template.Labels)), "the StatefulSet selects its own pods")
	for _, name := range []string{"entrapass", "genetec", "control"} {
		assert.True(t, hasServicePort(svc, name), name)
	}
	for _, p := range svc.Spec.Ports {
		assert.Equal(t, p.Name, p.TargetPort.StrVal, "service port %s targets the container port of its name", p.Name)
		assert.True(t, hasContainerPort(ss.Spec.Template.Spec, p.TargetPort.StrVal), "service port %s: no container port of that name", p.Name)
	}

	pod := ss.Spec.Template.Spec
	checkPodSecurity(t, "statefulset", pod)
	site := pod.Containers[0]
	assert.Equal(t, "pacsim", site.Name)
	assert.Equal(t, "pacsim:dev", site.Image)
	assert.Equal(t, "serve", site.Args[0])
	require.NotNil(t, site.ReadinessProbe)
	require.NotNil(t, site.LivenessProbe)
	require.NotNil(t, site.ReadinessProbe.HTTPGet)
	require.NotNil(t, site.LivenessProbe.HTTPGet)
	assert.Equal(t, "/readyz", site.ReadinessProbe.HTTPGet.Path)
	assert.Equal(t, "/healthz", site.LivenessProbe.HTTPGet.Path)
	for _, c := range pod.Containers {
		checkPorts(t, c)
		assert.NotEmpty(t, c.Resources.Requests, "%s: requests", c.Name)
		assert.NotEmpty(t, c.Resources.Limits, "%s: limits", c.Name)
	}

	// helm test: one pod per site, each asking that site's /readyz by name
	// with the pacsim image's own probe (no shell, no other image), as
	// restricted as the sites; none of them behind the sites' Service.
	require.Len(t, r.TestPods, sites)
	seen := map[int]bool{}
	for _, p := range r.TestPods {
		k, err := strconv.Atoi(strings.TrimPrefix(p.Name, "fleet-test-readyz-"))
		require.NoError(t, err, p.Name)
		require.True(t, k >= 0 && k < sites && !seen[k], "%s: site %d of %d", p.Name, k, sites)
		seen[k] = true
		assert.Equal(t, "test", p.Annotations["helm.sh/hook"])
		assert.Equal(t, corev1.RestartPolicyNever, p.Spec.RestartPolicy)
		checkPodSecurity(t, p.Name, p.Spec)
		assert.Equal(t, pod.SecurityContext, p.Spec.SecurityContext, "%s: the sites' pod security context", p.Name)
		require.Len(t, p.Spec.Containers, 1)
		c := p.Spec.Containers[0]
		assert.Equal(t, site.Image, c.Image, "%s: the pacsim image", p.Name)
		assert.Equal(t, site.ImagePullPolicy, c.ImagePullPolicy, p.Name)
		assert.Empty(t, c.Command, "%s: the image's entrypoint, pacsim", p.Name)
		assert.Equal(t, []string{"probe", "http://fleet-" + itoa(k) + ".fleet:9700/readyz"}, c.Args, p.Name)
		assert.Equal(t, site.SecurityContext, c.SecurityContext, "%s: the sites' container security context", p.Name)
		assert.False(t, selects(svc.Spec.Selector, p.Labels), "%s: the sites' Service must not route to a test pod", p.Name)
		assert.False(t, sel.Matches(labels.Set(p.Labels)), "%s: the StatefulSet's selector must not match a test pod", p.Name)
	}
}

// checkPodSecurity: non-root, read-only root, no escalation, no capability.
func checkPodSecurity(t *testing.T, what string, pod corev1.PodSpec) {
	t.Helper()
	require.NotNil(t, pod.SecurityContext, what)
	require.NotNil(t, pod.SecurityContext.RunAsNonRoot, what)
	assert.True(t, *pod.SecurityContext.RunAsNonRoot, what)
	require.NotNil(t, pod.AutomountServiceAccountToken, what)
	assert.False(t, *pod.AutomountServiceAccountToken, "%s: no API token in a pod that never calls the API", what)
	for _, c := range pod.Containers {
		sc := c.SecurityContext
		require.NotNil(t, sc, "%s/%s", what, c.Name)
		require.NotNil(t, sc.ReadOnlyRootFilesystem, "%s/%s", what, c.Name)
		assert.True(t, *sc.ReadOnlyRootFilesystem, "%s/%s", what, c.Name)
		require.NotNil(t, sc.AllowPrivilegeEscalation, "%s/%s", what, c.Name)
		assert.False(t, *sc.AllowPrivilegeEscalation, "%s/%s", what, c.Name)
		require.NotNil(t, sc.Capabilities, "%s/%s", what, c.Name)
		assert.Equal(t, []corev1.Capability{"ALL"}, sc.Capabilities.Drop, "%s/%s", what, c.Name)
		assert.Empty(t, sc.Capabilities.Add, "%s/%s", what, c.Name)
	}
}

func TestChartLint(t *testing.T) {
	for name, vals := range map[string]map[string]any{"defaults": nil, "fleet": fleetValues()} {
		t.Run(name, func(t *testing.T) {
			// `helm lint --strict`: Helm v4.3.2's action.Lint runs these
			// rules and fails on a warning or worse (pkg/action/lint.go).
			for _, m := range lintStrict(vals) {
				assert.Fail(t, "helm lint --strict", "%s", m)
			}
		})
	}
	// The same linter fails a value the schema refuses: it runs.
	fails := lintStrict(map[string]any{"sites": -1})
	require.NotEmpty(t, fails, "helm lint --strict with sites: -1")
	assert.Contains(t, fails[0].Error(), "/sites")
}

// lintStrict is `helm lint --strict` of the chart with vals: the messages
// of warning severity or worse.
func lintStrict(vals map[string]any) []support.Message {
	var out []support.Message
	for _, m := range lint.RunAll(chartDir, vals, namespace).Messages {
		if m.Severity >= support.WarningSev {
			out = append(out, m)
		}
	}
	return out
}

// TestChartSchemaRefuses: values.schema.json refuses a wrong value before
// anything renders, and says which field.
func TestChartSchemaRefuses(t *testing.T) {
	for name, c := range map[string]struct {
		vals  map[string]any
		field string
	}{
		"sites -1":     {map[string]any{"sites": -1}, "sites"},
		"sites 0":      {map[string]any{"sites": 0}, "sites"},
		"sites three":  {map[string]any{"sites": "three"}, "sites"},
		"sites 1.5":    {map[string]any{"sites": 1.5}, "sites"},
		"port 0":       {map[string]any{"ports": map[string]any{"control": 0}}, "control"},
		"clock wrong":  {map[string]any{"clock": "fast"}, "clock"},
		"generate bad": {map[string]any{"site": map[string]any{"generate": "doors=eight"}}, "generate"},
		"retention -1": {map[string]any{"site": map[string]any{"journalRetention": -1}}, "journalRetention"},
		"retention x":  {map[string]any{"site": map[string]any{"journalRetention": "lots"}}, "journalRetention"},
		"sm labels":    {map[string]any{"metrics": map[string]any{"serviceMonitor": map[string]any{"labels": map[string]any{"release": 3}}}}, "release"},
		"poll bad":     {map[string]any{"driver": map[string]any{"poll": "1 second"}}, "poll"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := install(c.vals)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "values don't meet the specifications of the schema")
			assert.Contains(t, err.Error(), c.field)
		})
	}
}

// TestChartKeepsRetiredValues: a value once published keeps installing
// after it stops being used (test.image: the helm test pods run the pacsim
// image's own probe now), so users' values files survive an upgrade.
func TestChartKeepsRetiredValues(t *testing.T) {
	_, err := install(map[string]any{"test": map[string]any{"image": "busybox:1.36"}})
	require.NoError(t, err)
}

// TestChartServiceMonitorLabels: metrics.serviceMonitor.labels are added
// to the ServiceMonitor's own, for a Prometheus that selects by label.
func TestChartServiceMonitorLabels(t *testing.T) {
	r := render(t, map[string]any{"metrics": map[string]any{"serviceMonitor": map[string]any{
		"enabled": true, "labels": map[string]any{"release": "kube-prometheus-stack"}}}})
	require.Len(t, r.ServiceMonitor, 1)
	sm := r.ServiceMonitor[0]
	assert.Equal(t, "kube-prometheus-stack", sm.Labels["release"])
	assert.Equal(t, r.Services[0].Labels["app.kubernetes.io/name"], sm.Labels["app.kubernetes.io/name"], "its own labels kept")
}

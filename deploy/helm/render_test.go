package helm

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"
	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

const (
	chartDir  = "pacsim"
	releaseNm = "fleet"
	namespace = "ci"
)

// rendered is what one install of the chart would create, each object
// decoded into its API type.
type rendered struct {
	StatefulSets   []*appsv1.StatefulSet
	Services       []*corev1.Service
	ConfigMaps     []*corev1.ConfigMap
	Jobs           []*batchv1.Job
	TestPods       []*corev1.Pod // the helm test hooks
	ServiceMonitor []*serviceMonitor
}

// serviceMonitor is the part of monitoring.coreos.com/v1 ServiceMonitor the
// chart writes; it has no k8s.io type, and a field it does not name fails
// the strict decoding like any misspelling.
type serviceMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Selector  metav1.LabelSelector `json:"selector"`
		Endpoints []struct {
			Port     string `json:"port"`
			Path     string `json:"path"`
			Interval string `json:"interval"`
		} `json:"endpoints"`
	} `json:"spec"`
}

// install renders the chart as `helm install --dry-run=client` does,
// values checked against values.schema.json.
//
// It is the client-only path of Helm v4.3.2's action.Install
// (pkg/action/install.go RunWithContext, pkg/action/action.go
// renderResources), step by step, through the packages it calls: the
// action package itself is not imported, since it brings Kubernetes'
// clients, kubectl, kustomize, the OCI registry and the plugin runtime
// (about 500 more packages to compile: see the README's make targets).
func install(vals map[string]any) (*release.Release, error) {
	ch, err := loader.Load(chartDir)
	if err != nil {
		return nil, err
	}
	if err := chartutil.ValidateReleaseName(releaseNm); err != nil {
		return nil, fmt.Errorf("release name check failed: release name %q: %w", releaseNm, err)
	}
	if err := chartutil.ProcessDependencies(ch, vals); err != nil {
		return nil, fmt.Errorf("chart dependencies processing failed: %w", err)
	}
	// No cluster: the capabilities `helm template` assumes.
	caps := common.DefaultCapabilities.Copy()
	if kv := ch.Metadata.KubeVersion; kv != "" && !chartutil.IsCompatibleRange(kv, caps.KubeVersion.String()) {
		return nil, fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", kv, caps.KubeVersion.Version)
	}
	opts := common.ReleaseOptions{Name: releaseNm, Namespace: namespace, Revision: 1, IsInstall: true}
	top, err := util.ToRenderValuesWithSchemaValidation(ch, vals, opts, caps, false)
	if err != nil {
		return nil, err
	}
	files, err := engine.Engine{}.Render(ch, top)
	if err != nil {
		return nil, err
	}
	for name := range files {
		if strings.HasSuffix(name, "NOTES.txt") {
			delete(files, name)
		}
	}
	hooks, manifests, err := releaseutil.SortManifests(files, nil, releaseutil.InstallOrder)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, m := range manifests {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", m.Name, m.Content)
	}
	return &release.Release{
		Name:      releaseNm,
		Namespace: namespace,
		Chart:     ch,
		Manifest:  b.String(),
		Hooks:     hooks,
		Version:   1,
	}, nil
}

// render installs with vals and decodes every object strictly.
func render(t *testing.T, vals map[string]any) *rendered {
	t.Helper()
	rel, err := install(vals)
	require.NoError(t, err)
	out := &rendered{}
	// Several hooks may come from one template (a test pod per site): keep
	// them all, in order, after the release's own objects.
	manifests := releaseutil.SplitManifests(rel.Manifest)
	keys := make([]string, 0, len(manifests))
	for k := range manifests {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var docs, from []string
	for _, k := range keys {
		docs, from = append(docs, manifests[k]), append(from, k)
	}
	for _, h := range rel.Hooks {
		docs, from = append(docs, h.Manifest), append(from, h.Path)
	}
	for i, d := range docs {
		for _, doc := range strings.Split(d, "\n---") {
			if strings.TrimSpace(stripComments(doc)) == "" {
				continue
			}
			require.NoError(t, out.add(doc), "%s:\n%s", from[i], doc)
		}
	}
	return out
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, l := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// add decodes one YAML document into the type its apiVersion and kind
// name: a duplicate key, an unknown or misspelt field (case included) or a
// wrong type is an error.
func (r *rendered) add(doc string) error {
	js, err := yaml.YAMLToJSONStrict([]byte(doc))
	if err != nil {
		return err
	}
	var tm metav1.TypeMeta
	if err := json.Unmarshal(js, &tm); err != nil {
		return err
	}
	var obj any
	switch tm.APIVersion + " " + tm.Kind {
	case "apps/v1 StatefulSet":
		o := &appsv1.StatefulSet{}
		r.StatefulSets, obj = append(r.StatefulSets, o), o
	case "v1 Service":
		o := &corev1.Service{}
		r.Services, obj = append(r.Services, o), o
	case "v1 ConfigMap":
		o := &corev1.ConfigMap{}
		r.ConfigMaps, obj = append(r.ConfigMaps, o), o
	case "batch/v1 Job":
		o := &batchv1.Job{}
		r.Jobs, obj = append(r.Jobs, o), o
	case "v1 Pod":
		o := &corev1.Pod{}
		r.TestPods, obj = append(r.TestPods, o), o
	case "monitoring.coreos.com/v1 ServiceMonitor":
		o := &serviceMonitor{}
		r.ServiceMonitor, obj = append(r.ServiceMonitor, o), o
	default:
		return fmt.Errorf("no type for %s %s", tm.APIVersion, tm.Kind)
	}
	// The API server's own strict decoding: encoding/json would take
	// readOnlyRootFileSystem for readOnlyRootFilesystem (it matches names
	// case-insensitively); the API server does not.
	strict, err := kjson.UnmarshalStrict(js, obj)
	if err != nil {
		return fmt.Errorf("%s: %w", tm.Kind, err)
	}
	if len(strict) > 0 {
		return fmt.Errorf("%s: %w", tm.Kind, errors.Join(strict...))
	}
	return nil
}

// fleetValues are the values of the second install: three sites
// with every option on.
func fleetValues() map[string]any {
	return map[string]any{
		"sites":   3,
		"driver":  map[string]any{"enabled": true},
		"conform": map[string]any{"enabled": true},
		"metrics": map[string]any{"serviceMonitor": map[string]any{"enabled": true}},
	}
}

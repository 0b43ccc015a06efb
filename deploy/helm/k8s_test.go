package helm

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

func itoa(i int) string { return strconv.Itoa(i) }

// selects reports whether a Service selector matches pod labels.
func selects(selector, podLabels map[string]string) bool {
	return len(selector) > 0 && labels.SelectorFromSet(selector).Matches(labels.Set(podLabels))
}

func metav1SelectorOf(ss *appsv1.StatefulSet) (labels.Selector, error) {
	return metav1.LabelSelectorAsSelector(ss.Spec.Selector)
}

func metav1LabelSelector(sm *serviceMonitor) (labels.Selector, error) {
	return metav1.LabelSelectorAsSelector(&sm.Spec.Selector)
}

func hasServicePort(svc *corev1.Service, name string) bool {
	for _, p := range svc.Spec.Ports {
		if p.Name == name {
			return true
		}
	}
	return false
}

func hasContainerPort(pod corev1.PodSpec, name string) bool {
	for _, c := range pod.Containers {
		for _, p := range c.Ports {
			if p.Name == name {
				return true
			}
		}
	}
	return false
}

// flagValue is the value after flag in args (the chart writes flag and
// value as two arguments).
func flagValue(t *testing.T, args []string, flag string) string {
	t.Helper()
	for i, a := range args {
		if a == flag {
			require.Less(t, i+1, len(args), "%s has no value", flag)
			return args[i+1]
		}
	}
	require.Failf(t, "flag missing", "%s not in %q", flag, args)
	return ""
}

package helm

import (
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// listenFlags are the flags of serve and driver that open a listener; the
// binary prints each one's address under the flag's name
// (--print-addresses json).
var listenFlags = []string{"entrapass", "genetec", "control", "dataserver", "debug"}

// listeners maps each listener flag in args to its port.
func listeners(t *testing.T, args []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for i, a := range args {
		name, ok := strings.CutPrefix(a, "--")
		if !ok || !contains(listenFlags, name) {
			continue
		}
		require.Less(t, i+1, len(args), "%s has no value", a)
		host, port, err := net.SplitHostPort(args[i+1])
		require.NoError(t, err, "%s %s", a, args[i+1])
		assert.Equal(t, "0.0.0.0", host, "%s: inside a pod a listener must take the pod's address", a)
		n, err := strconv.Atoi(port)
		require.NoError(t, err, "%s %s", a, args[i+1])
		out[name] = n
	}
	return out
}

// checkPorts: every listener the command line opens is a container port of
// the flag's name and number, and nothing else is; each probe's port is the
// listener its path is served on (serve's --control, the driver's
// --dataserver).
func checkPorts(t *testing.T, c corev1.Container) {
	t.Helper()
	ls := listeners(t, c.Args)
	declared := map[string]int{}
	for _, p := range c.Ports {
		declared[p.Name] = int(p.ContainerPort)
		assert.Contains(t, []corev1.Protocol{"", corev1.ProtocolTCP}, p.Protocol, "%s: port %s", c.Name, p.Name)
	}
	assert.Equal(t, ls, declared, "%s: container ports against the listener flags %q", c.Name, c.Args)

	health := map[string]string{"serve": "control", "driver": "dataserver"}[c.Args[0]]
	require.NotEmpty(t, health, "%s: %s has no health listener", c.Name, c.Args[0])
	for what, p := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		require.NotNil(t, p, "%s: %s probe", c.Name, what)
		require.NotNil(t, p.HTTPGet, "%s: %s probe", c.Name, what)
		assert.Equal(t, ls[health], probePort(t, c, p.HTTPGet.Port), "%s: %s probe port against --%s", c.Name, what, health)
		assert.Contains(t, []string{"/healthz", "/readyz"}, p.HTTPGet.Path, "%s: %s probe", c.Name, what)
	}
	assert.Equal(t, "/readyz", c.ReadinessProbe.HTTPGet.Path, c.Name)
	assert.Equal(t, "/healthz", c.LivenessProbe.HTTPGet.Path, c.Name)
}

// probePort resolves a probe's port, a name or a number, as the kubelet
// does: a name must be one of the container's ports.
func probePort(t *testing.T, c corev1.Container, p intstr.IntOrString) int {
	t.Helper()
	if p.Type == intstr.Int {
		return p.IntValue()
	}
	for _, cp := range c.Ports {
		if cp.Name == p.StrVal {
			return int(cp.ContainerPort)
		}
	}
	require.Failf(t, "probe port", "%s: probe port %q is no container port", c.Name, p.StrVal)
	return 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

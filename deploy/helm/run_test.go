package helm

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pacsim/pacsim/deploy/image"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds the image's pacsim binary once for the package's tests.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		root, err := image.Root(".")
		if err != nil {
			binErr = err
			return
		}
		dir, err := os.MkdirTemp("", "pacsim-chart-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "pacsim")
		binErr = image.BuildBinary(root, runtime.GOARCH, "test", binPath)
	})
	require.NoError(t, binErr)
	return binPath
}

// pod is what the kubelet would give a container of site k: its name and
// the downward-API fields the chart reads.
type pod struct {
	name  string
	index int
}

// env resolves a container's environment as the kubelet would for p.
func (p pod) env(t *testing.T, c corev1.Container, extra map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range extra {
		out[k] = v
	}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			out[e.Name] = e.Value
		case e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == "metadata.name":
			out[e.Name] = p.name
		case e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == "metadata.labels['apps.kubernetes.io/pod-index']":
			out[e.Name] = strconv.Itoa(p.index)
		default:
			require.Failf(t, "env", "%s: %s from %+v: no local stand-in", c.Name, e.Name, e.ValueFrom)
		}
	}
	return out
}

var varRef = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// expand substitutes $(VAR) in args from env as the kubelet does; a
// reference to an undefined variable is left as it is by Kubernetes, which
// would hand the binary a literal "$(VAR)": that fails here.
func expand(t *testing.T, args []string, env map[string]string) []string {
	t.Helper()
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = varRef.ReplaceAllStringFunc(a, func(ref string) string {
			v, ok := env[ref[2:len(ref)-1]]
			require.True(t, ok, "%s: %s is not in the container's environment", a, ref)
			return v
		})
	}
	return out
}

// loopback gives every 0.0.0.0:port listener a free loopback port instead.
func loopback(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.HasPrefix(a, "0.0.0.0:") {
			a = "127.0.0.1:0"
		}
		out[i] = a
	}
	return out
}

// start runs the binary with args and env, and returns the listeners'
// addresses it prints (--print-addresses json), keyed by flag name.
func start(t *testing.T, args []string, env map[string]string) map[string]string {
	t.Helper()
	// The binary first: built on a cold cache it takes minutes, which
	// must not count against the process's own time.
	bin := binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, bin, append(args, "--print-addresses", "json")...)
	cmd.Env = []string{"PATH=/usr/local/bin"} // as in the image: nothing else
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	require.True(t, sc.Scan(), "%q: no address line; stderr: %s", args, stderr.String())
	var addrs map[string]string
	require.NoError(t, json.Unmarshal(sc.Bytes(), &addrs), "%q: not the address line: %s", args, sc.Text())
	go io.Copy(io.Discard, out)
	return addrs
}

// get polls GET http://addr+path with the Host header host until 200 or the
// deadline (the driver is ready only once logged in: nothing to wait on
// from outside the process).
func get(t *testing.T, addr, host, path string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last string
	for {
		req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		require.NoError(t, err)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = fmt.Sprintf("%d %s", resp.StatusCode, b)
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			require.Failf(t, "not ready", "GET %s (Host %s) on %s: %s", path, host, addr, last)
		}
		time.Sleep(100 * time.Millisecond) // polling: the probe's own way
	}
}

// probe runs c's probes against the running container: each probe's port
// is a listener flag, its address the one the binary printed.
func probe(t *testing.T, c corev1.Container, addrs map[string]string) {
	t.Helper()
	ls := listeners(t, c.Args)
	for _, p := range []*corev1.Probe{c.ReadinessProbe, c.LivenessProbe} {
		port := probePort(t, c, p.HTTPGet.Port)
		flag := ""
		for name, n := range ls {
			if n == port {
				flag = name
			}
		}
		require.NotEmpty(t, flag, "%s: probe port %d is no listener", c.Name, port)
		addr := addrs[flag]
		require.NotEmpty(t, addr, "%s: no address printed for --%s: %v", c.Name, flag, addrs)
		// The kubelet asks the pod IP: an IP passes the Host check.
		get(t, addr, addr, p.HTTPGet.Path)
	}
}

// TestChartContainersRun runs site 2 of the fleet install as its pod would:
// each container's rendered command line, environment resolved, listeners on
// loopback, until its probes pass.
func TestChartContainersRun(t *testing.T) {
	r := render(t, fleetValues())
	p := pod{name: "fleet-2", index: 2}
	cs := r.StatefulSets[0].Spec.Template.Spec.Containers
	require.Len(t, cs, 2)
	site, drv := cs[0], cs[1]

	siteArgs := loopback(expand(t, site.Args, p.env(t, site, nil)))
	assert.Equal(t, "2", flagValue(t, siteArgs, "--seed"), "site k is seeded with k")
	siteAddrs := start(t, siteArgs, nil)
	probe(t, site, siteAddrs)

	// A client in the cluster reaches site 2 by its names: they pass the
	// Host check, so --allow-host is right; an unknown name does not.
	_, ctl, err := net.SplitHostPort(siteAddrs["control"])
	require.NoError(t, err)
	for _, host := range []string{"fleet-2.fleet", "fleet-2.fleet.ci.svc", "fleet-2.fleet.ci.svc.cluster.local"} {
		get(t, siteAddrs["control"], host+":"+ctl, "/readyz")
	}
	req, err := http.NewRequest(http.MethodGet, "http://"+siteAddrs["control"]+"/readyz", nil)
	require.NoError(t, err)
	req.Host = "fleet-1.fleet:9700"
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.NotEqual(t, http.StatusOK, resp.StatusCode, "another site's name must not pass site 2's Host check")

	// The driver beside it, pointed at its SmartService: 127.0.0.1 as in
	// the pod, the port the site actually took.
	_, ep, err := net.SplitHostPort(siteAddrs["entrapass"])
	require.NoError(t, err)
	drvArgs := loopback(expand(t, drv.Args, p.env(t, drv, nil)))
	for i := range drvArgs {
		if i > 0 && drvArgs[i-1] == "--port" {
			drvArgs[i] = ep
		}
	}
	env := map[string]string{}
	for _, e := range drv.Env {
		if e.ValueFrom == nil {
			env[e.Name] = e.Value
		}
	}
	probe(t, drv, start(t, drvArgs, env))

	// helm test's pod for site 2, its command line run against the site:
	// the site's name, which only the cluster's DNS resolves, replaced by
	// the control listener's loopback address (an IP passes the Host
	// check, as the name does: see above).
	var test *corev1.Container
	for _, tp := range r.TestPods {
		if tp.Name == "fleet-test-readyz-2" {
			test = &tp.Spec.Containers[0]
		}
	}
	require.NotNil(t, test, "no helm test pod for site 2")
	testArgs := make([]string, len(test.Args))
	for i, a := range test.Args {
		testArgs[i] = strings.Replace(a, "fleet-2.fleet:9700", siteAddrs["control"], 1)
	}
	require.NotEqual(t, test.Args, testArgs, "the site's name is in the URL")
	out, err := runOnce(t, testArgs, nil)
	require.NoError(t, err, "%q:\n%s", testArgs, out)

	// And it fails, with the reason, where no site answers.
	testArgs = append(loopbackRefused(t, test.Args, "fleet-2.fleet:9700"), "--timeout", "2s")
	out, err = runOnce(t, testArgs, nil)
	require.Error(t, err, "%q: a site that does not answer must fail the test", testArgs)
	assert.Contains(t, out, "connection refused")
}

// loopbackRefused replaces host in args by a loopback address nothing
// listens on.
func loopbackRefused(t *testing.T, args []string, host string) []string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = strings.Replace(a, host, addr, 1)
	}
	return out
}

// runOnce runs the binary with args to its end, as the image would (no
// environment but env), and returns its output, stdout then stderr.
func runOnce(t *testing.T, args []string, env map[string]string) (string, error) {
	t.Helper()
	bin := binary(t) // before the deadline: see start
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = []string{"PATH=/usr/local/bin"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String() + stderr.String(), err
}

// TestChartConformArgs hands completion 2's rendered command line to the
// binary with --dry-run: its flags and scenario selection are accepted. The
// run itself needs the site's name resolved (fleet-2.fleet), a cluster's.
func TestChartConformArgs(t *testing.T) {
	r := render(t, fleetValues())
	require.Len(t, r.Jobs, 1)
	c := r.Jobs[0].Spec.Template.Spec.Containers[0]
	// The Job controller adds JOB_COMPLETION_INDEX to an Indexed Job's pods.
	env := pod{name: "fleet-conform-2-x", index: 2}.env(t, c, map[string]string{"JOB_COMPLETION_INDEX": "2"})
	args := expand(t, c.Args, env)
	assert.Equal(t, "http://fleet-2.fleet:8801", flagValue(t, args, "--entrapass-url"))
	for i := range args {
		if i > 0 && args[i-1] == "--out" {
			args[i] = t.TempDir()
		}
	}
	assert.Equal(t, "junit", flagValue(t, args, "--print"))
	bin := binary(t) // before the deadline: see start
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(args, "--dry-run")...)
	cmd.Env = []string{"PATH=/usr/local/bin", "PACSIM_ENTRAPASS_PASSWORD=" + env["PACSIM_ENTRAPASS_PASSWORD"]}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "%q:\n%s%s", args, stdout.String(), stderr.String())
	// With --print, stdout is kept for the report (a dry run writes none);
	// the dry run's line is on stderr.
	assert.Empty(t, stdout.String(), "%q", args)
	assert.Regexp(t, `^dry run: [1-9]\d* scenarios, \d+ steps, every step defined\n$`, stderr.String(), "%q", args)
}

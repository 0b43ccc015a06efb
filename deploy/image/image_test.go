package image

import (
	"archive/tar"
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// staticBinary builds the image's binary once for the package's tests.
func staticBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		root, err := Root(".")
		if err != nil {
			binErr = err
			return
		}
		dir, err := os.MkdirTemp("", "pacsim-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "pacsim")
		binErr = BuildBinary(root, runtime.GOARCH, "test", binPath)
	})
	require.NoError(t, binErr)
	return binPath
}

// TestImageTarball writes the tarball as make image does, opens it with
// go-containerregistry, checks its config and layers, then runs the binary
// it holds with the image's own command (loopback for 0.0.0.0) until
// /readyz answers.
func TestImageTarball(t *testing.T) {
	bin, err := os.ReadFile(staticBinary(t))
	require.NoError(t, err)
	img, err := Build(bin, runtime.GOARCH, Meta{Version: "test", Revision: "abc123", Source: "https://github.com/pacsim/pacsim", Created: time.Unix(0, 0)})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "pacsim-image.tar")
	require.NoError(t, WriteFile(path, "pacsim:test", img))

	got, err := tarball.ImageFromPath(path, nil)
	require.NoError(t, err)
	cf, err := got.ConfigFile()
	require.NoError(t, err)
	assert.Equal(t, "linux", cf.OS)
	assert.Equal(t, "65532:65532", cf.Config.User)
	assert.Equal(t, []string{"pacsim"}, cf.Config.Entrypoint)
	assert.Equal(t, []string{"serve", "--entrapass", "0.0.0.0:8801", "--genetec", "0.0.0.0:4590", "--control", "0.0.0.0:9700"}, cf.Config.Cmd)
	assert.Equal(t, map[string]struct{}{"8801/tcp": {}, "4590/tcp": {}, "9700/tcp": {}}, cf.Config.ExposedPorts)
	for _, l := range []string{"org.opencontainers.image.version", "org.opencontainers.image.revision", "org.opencontainers.image.source"} {
		assert.NotEmpty(t, cf.Config.Labels[l], l)
	}
	assert.Equal(t, "abc123", cf.Config.Labels["org.opencontainers.image.revision"])

	// The layers hold the binary and directories: no shell, nothing else.
	layers, err := got.Layers()
	require.NoError(t, err)
	var files []string
	var inImage []byte
	for _, l := range layers {
		rc, err := l.Uncompressed()
		require.NoError(t, err)
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			if h.Typeflag == tar.TypeDir {
				continue
			}
			files = append(files, "/"+h.Name)
			if "/"+h.Name == BinaryPath {
				assert.Equal(t, int64(0o755), h.Mode&0o777)
				inImage, err = io.ReadAll(tr)
				require.NoError(t, err)
			}
		}
		rc.Close()
	}
	assert.Equal(t, []string{BinaryPath}, files, "the image holds the binary only (no /bin/sh)")
	require.NotEmpty(t, inImage)

	// Run the binary as the image would, on loopback, until ready.
	exe := filepath.Join(t.TempDir(), "pacsim")
	require.NoError(t, os.WriteFile(exe, inImage, 0o755))
	args := Loopback(cf.Config.Cmd)
	args = append(args, "--print-addresses", "json")
	addrs := runUntilReady(t, exe, args, "control")
	assert.NotEmpty(t, addrs)
}

// Loopback replaces 0.0.0.0:port by 127.0.0.1:0 in a command line: the
// same command, on a free loopback port.
func Loopback(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.HasPrefix(a, "0.0.0.0:") {
			a = "127.0.0.1:0"
		}
		out[i] = a
	}
	return out
}

// runUntilReady starts exe args, reads its --print-addresses json line,
// and waits for GET /readyz on the listener named ready to answer 200.
func runUntilReady(t *testing.T, exe string, args []string, ready string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = []string{"PATH=/usr/local/bin"} // as in the image: nothing else
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	require.True(t, sc.Scan(), "no address line; stderr: %s", stderr.String())
	addrs := parseAddrs(t, sc.Text())
	go io.Copy(io.Discard, out)
	host := addrs[ready]
	require.NotEmpty(t, host, "%v", addrs)
	_, _, err = net.SplitHostPort(host)
	require.NoError(t, err)
	resp, err := http.Get("http://" + host + "/readyz")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	return addrs
}

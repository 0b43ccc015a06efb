//go:build unix

package main

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
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Figures of TestServeSurvivesConnectionFlood, each overridden by the
// environment variable of the same name. The figure is 20,000
// connections: run
//
//	PACSIM_FLOOD_CONNS=20000 PACSIM_FLOOD_ULIMIT=4096 go test -run TestServeSurvivesConnectionFlood ./cmd/pacsim
//
// on a machine whose `ulimit -n` allows the test 20,000 sockets; the test
// opens fewer when its own limit forbids (it says so).
const (
	floodConns    = 400 // PACSIM_FLOOD_CONNS: slow connections to SmartService
	floodUlimit   = 256 // PACSIM_FLOOD_ULIMIT: `ulimit -n` of the pacsim process
	floodMaxConns = 64  // PACSIM_FLOOD_MAX_CONNS: --max-conns of each listener
)

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	require.NoError(t, err, "$%s", name)
	return n
}

// TestServeSurvivesConnectionFlood (issue 18): slow-body connections on
// SmartService, more than the process has file descriptors, never take
// the control API down: each listener holds at most --max-conns, the rest
// wait in the kernel's queue. Without the caps the process runs out of
// descriptors (EMFILE) and the control API accepts nothing until
// SmartService's connections time out a minute later.
func TestServeSurvivesConnectionFlood(t *testing.T) {
	bin := binary(t)
	conns := envInt(t, "PACSIM_FLOOD_CONNS", floodConns)
	ulimit := envInt(t, "PACSIM_FLOOD_ULIMIT", floodUlimit)
	maxConns := envInt(t, "PACSIM_FLOOD_MAX_CONNS", floodMaxConns)
	var lim syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim))
	if room := int(lim.Cur) - 256; conns > room {
		t.Logf("ulimit -n of the test is %d: %d slow connections instead of %d", lim.Cur, room, conns)
		conns = room
	}
	require.Greater(t, conns, ulimit, "the flood must exceed the pacsim process's descriptors to mean anything")

	// The pacsim process with few descriptors (hard limit too, so Go
	// cannot raise it), on ephemeral ports, without the Web SDK.
	cmd := exec.Command("/bin/sh", "-c", fmt.Sprintf(`ulimit -n %d && exec "$0" "$@"`, ulimit), bin, "serve",
		"--control", "127.0.0.1:0", "--entrapass", "127.0.0.1:0", "--genetec", "off",
		"--max-conns", strconv.Itoa(maxConns), "--print-addresses", "json")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	sc := bufio.NewScanner(stdout)
	require.True(t, sc.Scan(), "no addresses printed; stderr: %s", stderr)
	var addrs map[string]string
	require.NoError(t, json.Unmarshal(sc.Bytes(), &addrs), sc.Text())

	// The flood: each connection sends a request (whose answer tells the
	// test SmartService took the connection), then a request header
	// announcing a body it never sends, as a slow client would.
	var (
		mu       sync.Mutex
		open     []net.Conn
		refused  atomic.Int64
		answered atomic.Int64
	)
	t.Cleanup(func() {
		for _, c := range open {
			c.Close()
		}
	})
	var wg sync.WaitGroup
	work := make(chan struct{})
	for range 256 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				c, err := net.DialTimeout("tcp", addrs["entrapass"], time.Second)
				if err != nil {
					refused.Add(1) // the kernel's queue is full: the flood is held off
					continue
				}
				_, _ = c.Write([]byte("GET /SmartService/Version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
					"POST /SmartService/Login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\nx"))
				mu.Lock()
				open = append(open, c)
				mu.Unlock()
				go func() {
					_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
					if _, err := io.ReadFull(c, make([]byte, 9)); err == nil {
						answered.Add(1)
					}
				}()
			}
		}()
	}
	for range conns {
		work <- struct{}{}
	}
	close(work)
	wg.Wait()
	t.Logf("%d slow connections open to SmartService, %d not let in by the kernel", len(open), refused.Load())

	// Wait until SmartService has taken what it will: its cap (nothing
	// tells when it stops accepting, so poll with a deadline; without a
	// cap it stops short, out of descriptors).
	want := int64(min(conns, maxConns))
	deadline := time.Now().Add(10 * time.Second)
	for answered.Load() < want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("SmartService took %d connections", answered.Load())

	// The control API answers, within a deadline generous for a busy CI
	// machine (it answers at once when it answers at all).
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, addrs["control_url"]+"/clock", nil)
	require.NoError(t, err)
	asked := time.Now()
	resp, err := http.DefaultClient.Do(req)
	t.Logf("the control API answered in %v", time.Since(asked).Round(time.Millisecond))
	require.NoError(t, err, "the control API did not answer under the flood; pacsim's stderr: %s", stderr)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	// SmartService held no more than its cap: the rest wait in the queue.
	require.LessOrEqual(t, answered.Load(), int64(maxConns), "SmartService holds more connections than --max-conns")
}

package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds pacsim once per test run, as a user would run it.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pacsim-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "pacsim")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Stderr = os.Stderr
		buildErr = cmd.Run()
	})
	require.NoError(t, buildErr)
	return binPath
}

// process is a pacsim command running in the background.
type process struct {
	cmd  *exec.Cmd
	out  *bufio.Scanner
	seen []string
}

// start runs pacsim with args and reads its stdout until every pattern has
// matched, returning the first group of each.
func start(t *testing.T, args []string, patterns ...*regexp.Regexp) (*process, []string) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	p := &process{cmd: cmd, out: bufio.NewScanner(stdout)}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	found := make([]string, len(patterns))
	left := len(patterns)
	for left > 0 && p.out.Scan() {
		line := p.out.Text()
		p.seen = append(p.seen, line)
		for i, re := range patterns {
			if m := re.FindStringSubmatch(line); m != nil && found[i] == "" {
				found[i] = m[1]
				left--
			}
		}
	}
	require.Zero(t, left, "pacsim %v printed %q; stderr: %s", args, p.seen, stderr.String())
	go io.Copy(io.Discard, stdout)
	return p, found
}

func (p *process) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, p.cmd.Wait())
}

// sseEvents follows a server-sent event stream and sends each data line.
func sseEvents(t *testing.T, url string) <-chan string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	t.Cleanup(func() { resp.Body.Close() })
	ch := make(chan string, 256)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				ch <- data
			}
		}
	}()
	return ch
}

// waitFor reads the stream until match accepts an event, or fails after d.
func waitFor(t *testing.T, events <-chan string, d time.Duration, what string, match func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case data, ok := <-events:
			require.True(t, ok, "stream ended waiting for %s", what)
			var ev map[string]any
			require.NoError(t, json.Unmarshal([]byte(data), &ev))
			if match(ev) {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %s within %v", what, d)
		}
	}
}

// TestBlackBoxServeAndDriver starts `pacsim serve` and `pacsim driver` as
// processes, as the README tells a user to, and drives them only through
// the control API and the northbound API.
func TestBlackBoxServeAndDriver(t *testing.T) {
	serve, addrs := start(t, []string{"serve", "--clock", "virtual", "--control", "127.0.0.1:0", "--entrapass", "127.0.0.1:0", "--genetec", "127.0.0.1:0"},
		controlLine, entrapassLine)
	control, smartService := addrs[0], addrs[1]
	u, err := url.Parse(smartService)
	require.NoError(t, err)

	driver, daddrs := start(t, []string{"driver", "--host", "127.0.0.1", "--port", u.Port(),
		"--username", "pacsim", "--password", "pacsim", "--poll", "100ms",
		"--dataserver", "127.0.0.1:0", "--debug", "127.0.0.1:0"},
		dataserverLine)
	ds := daddrs[0]
	events := sseEvents(t, ds+"/events")

	// The driver discovers the site and shows the doors Secure. Its first
	// poll may come before the stream was opened, so ask the asset itself.
	require.Eventually(t, func() bool {
		resp, err := http.Get(ds + "/assets/door/20")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var a map[string]any
		return json.NewDecoder(resp.Body).Decode(&a) == nil && a["status"] == "Secure"
	}, 10*time.Second, 20*time.Millisecond, "Front Door never showed Secure")

	// A card presented at the simulated reader reaches the driver as a Last Access Event.
	postJSON(t, control+"/readers/30/present", `{"card":"100:1001"}`)
	ev := waitFor(t, events, 10*time.Second, "Last Access Event", func(ev map[string]any) bool {
		return ev["event"] == "Last Access Event" && ev["type"] == "door"
	})
	require.Equal(t, true, ev["Access Granted"])
	require.Equal(t, "100:1001", ev["CardId"])
	require.Equal(t, "Alice Martin", ev["Username"])

	// Pass through the northbound API unlocks the simulated door; 5 s later it relocks.
	resp, err := http.Post(ds+"/assets/door/21/commands", "application/json", strings.NewReader(`{"command":"Pass","seconds":5}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var door struct {
		Lock string `json:"lock"`
	}
	getJSON(t, control+"/doors/21", &door)
	require.Equal(t, "unlocked-temporary", door.Lock)
	waitFor(t, events, 10*time.Second, "Office Door Unsecure", func(ev map[string]any) bool {
		return ev["type"] == "door" && ev["id"] == float64(21) && ev["to"] == "Unsecure"
	})
	postJSON(t, control+"/clock/advance", `{"seconds":5}`)
	getJSON(t, control+"/doors/21", &door)
	require.Equal(t, "locked", door.Lock)
	waitFor(t, events, 10*time.Second, "Office Door Secure again", func(ev map[string]any) bool {
		return ev["type"] == "door" && ev["id"] == float64(21) && ev["to"] == "Secure"
	})

	// Out of range: refused by the driver, nothing sent.
	resp, err = http.Post(ds+"/assets/door/21/commands", "application/json", strings.NewReader(`{"command":"Pass","seconds":256}`))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s", body)
	require.Contains(t, string(body), "255")

	// A gateway cut off: Gateway Connection Changed, both ways.
	postJSON(t, control+"/gateways/1/disconnect", "")
	ev = waitFor(t, events, 10*time.Second, "gateway offline", func(ev map[string]any) bool {
		return ev["event"] == "Gateway Connection Changed"
	})
	require.Equal(t, false, ev["Gateway Connected State"])
	postJSON(t, control+"/gateways/1/connect", "")
	ev = waitFor(t, events, 10*time.Second, "gateway online", func(ev map[string]any) bool {
		return ev["event"] == "Gateway Connection Changed"
	})
	require.Equal(t, true, ev["Gateway Connected State"])

	driver.stop(t)
	serve.stop(t)
}

package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
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

	"github.com/pacsim/pacsim/sim"
)

var (
	controlLine   = regexp.MustCompile(`control API: (http://\S+/v1)`)
	entrapassLine = regexp.MustCompile(`EntraPass SmartService: (https?://\S+/SmartService/)`)
)

// startServe runs `pacsim serve args…` in process on ephemeral ports and
// returns the control API's and SmartService's base URLs once printed.
func startServe(t *testing.T, args ...string) (base, ep string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"serve", "--control", "127.0.0.1:0", "--entrapass", "127.0.0.1:0", "--genetec", "127.0.0.1:0"}, args...), pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	sc := bufio.NewScanner(pr)
	for base == "" || ep == "" {
		if !sc.Scan() {
			break
		}
		if m := controlLine.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
		if m := entrapassLine.FindStringSubmatch(sc.Text()); m != nil {
			ep = m[1]
		}
	}
	require.NotEmpty(t, base, "serve printed no control API address")
	require.NotEmpty(t, ep, "serve printed no SmartService address")
	go io.Copy(io.Discard, pr)
	var once sync.Once
	var stopErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			stopErr = <-done
		})
		return stopErr
	}
	t.Cleanup(func() { _ = stop() })
	return base, ep, stop
}

func postJSON(t *testing.T, url, body string) map[string]any {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %v", url, out)
	return out
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, url)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(v))
}

func TestServeDefaultSiteVirtualClock(t *testing.T) {
	base, ep, stop := startServe(t, "--clock", "virtual")

	var site struct {
		Doors []struct {
			ID      int    `json:"id"`
			Lock    string `json:"lock"`
			Contact string `json:"contact"`
		} `json:"doors"`
		Inputs []any `json:"inputs"`
	}
	getJSON(t, base+"/site", &site)
	require.Len(t, site.Doors, 8)
	require.Len(t, site.Inputs, 16)
	for _, d := range site.Doors {
		require.Equal(t, "locked", d.Lock, "door %d", d.ID)
		require.Equal(t, "closed", d.Contact, "door %d", d.ID)
	}

	// Opening a locked door without a grant forces it; 30 s later it is still forced.
	postJSON(t, base+"/doors/20/open", "")
	postJSON(t, base+"/clock/advance", `{"seconds":30}`)
	var door struct {
		Contact string `json:"contact"`
	}
	getJSON(t, base+"/doors/20", &door)
	require.Equal(t, "forced", door.Contact)

	var clock struct {
		Time time.Time `json:"time"`
		Mode string    `json:"mode"`
	}
	getJSON(t, base+"/clock", &clock)
	require.Equal(t, "virtual", clock.Mode)
	require.Equal(t, time.Date(2026, 1, 5, 9, 0, 30, 0, time.UTC), clock.Time.UTC())

	// The SmartService of the same site answers a plain login and sees the door.
	resp, err := http.Get(ep + "Login?userName=pacsim&password=pacsim")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	key := regexp.MustCompile(`SessionKey>([^<]+)<`).FindSubmatch(body)
	require.NotNil(t, key, "%s", body)
	resp, err = http.Get(ep + "Doors/20?sdKey=" + string(key[1]))
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Contains(t, string(body), "Front Door")

	require.NoError(t, stop())
}

// --journal-retention bounds the journal: of six events the control API
// still has the last four, and says two were missed.
func TestServeJournalRetention(t *testing.T) {
	base, _, _ := startServe(t, "--clock", "virtual", "--journal-retention", "4")
	for range 3 {
		postJSON(t, base+"/doors/20/open", "")
		postJSON(t, base+"/doors/20/close", "")
	}
	var page struct {
		Events []struct {
			Seq uint64 `json:"seq"`
		} `json:"events"`
		Last   uint64 `json:"last"`
		Missed uint64 `json:"missed"`
	}
	getJSON(t, base+"/events?after=0", &page)
	require.Equal(t, uint64(6), page.Last, "six events journaled")
	require.Len(t, page.Events, 4, "%+v", page)
	require.Equal(t, uint64(3), page.Events[0].Seq)
	require.Equal(t, uint64(2), page.Missed)
}

func TestServeEntraPassTLS(t *testing.T) {
	_, ep, _ := startServe(t, "--entrapass-tls")
	require.True(t, strings.HasPrefix(ep, "https://"), ep)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := c.Get(ep + "Login?userName=pacsim&password=pacsim")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Contains(t, string(body), "<SessionKey>")
}

func TestServeFaultFlag(t *testing.T) {
	base, ep, _ := startServe(t, "--clock", "virtual",
		"--fault", "entrapass:status=503,path=/SmartService/Events*",
		"--fault", "site:controller-fail,id=10,start_after=10s,for=30s")
	resp, err := http.Get(ep + "Events?sdKey=x")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	resp, err = http.Get(ep + "CardTypes?sdKey=x")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "a fault matching Events only")

	var list struct {
		Faults []struct {
			ID    string `json:"id"`
			Kind  string `json:"kind"`
			State string `json:"state"`
		} `json:"faults"`
	}
	getJSON(t, base+"/faults", &list)
	require.Len(t, list.Faults, 2)
	require.Equal(t, "pending", list.Faults[1].State)

	// The controller fault starts 10 s of site time later and heals 30 s after.
	var ctl struct {
		Online bool `json:"online"`
	}
	postJSON(t, base+"/clock/advance", `{"seconds":10}`)
	getJSON(t, base+"/controllers/10", &ctl)
	require.False(t, ctl.Online)
	postJSON(t, base+"/clock/advance", `{"seconds":30}`)
	getJSON(t, base+"/controllers/10", &ctl)
	require.True(t, ctl.Online)
}

func TestServeRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--clock", "sometimes"},
		{"serve", "--start", "2026-01-05 09:00:00"}, // needs --clock virtual
		{"serve", "--clock", "virtual", "--start", "tomorrow"},
		{"serve", "--site", "x.yaml", "--generate", "doors=2"},
		{"serve", "--generate", "doors=zero"},
		{"serve", "--site", filepath.Join(t.TempDir(), "missing.yaml")},
		{"serve", "extra"},
		{"serve", "--fault", "entrapass:teleport"},
		{"serve", "--fault", "site:controller-fail,id=999", "--control", "127.0.0.1:0", "--entrapass", "127.0.0.1:0", "--genetec", "127.0.0.1:0"},
		{"serve", "--entrapass-cert", "c.pem", "--entrapass-key", "k.pem", "--control", "127.0.0.1:0", "--entrapass", "127.0.0.1:0", "--genetec", "127.0.0.1:0"},
		{"serve", "--entrapass-tls", "--entrapass-cert", "c.pem", "--control", "127.0.0.1:0", "--entrapass", "127.0.0.1:0", "--genetec", "127.0.0.1:0"},
		{"serve", "--journal-retention", "-1"},
		{"serve", "--journal-retention", "many"},
	} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		require.Error(t, err, "%v", args)
	}
}

func TestSiteGenerateIsDeterministic(t *testing.T) {
	var a, b strings.Builder
	require.NoError(t, run(context.Background(), []string{"site", "--generate", "doors=20,users=30", "--seed", "7"}, &a, io.Discard))
	require.NoError(t, run(context.Background(), []string{"site", "--generate", "doors=20,users=30", "--seed", "7"}, &b, io.Discard))
	require.Equal(t, a.String(), b.String())
	require.Contains(t, a.String(), "version: 1")
}

// TestServeStopsOnSignal builds the binary and stops it with SIGTERM and
// SIGINT, as an operator's terminal or a service manager would.
func TestServeStopsOnSignal(t *testing.T) {
	bin := binary(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(bin, "serve", "--control", "127.0.0.1:0", "--entrapass", "127.0.0.1:0", "--genetec", "127.0.0.1:0")
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		sc := bufio.NewScanner(out)
		var base string
		for sc.Scan() {
			if m := controlLine.FindStringSubmatch(sc.Text()); m != nil {
				base = m[1]
				break
			}
		}
		require.NotEmpty(t, base)
		var snap map[string]any
		getJSON(t, base+"/site", &snap)
		require.NoError(t, cmd.Process.Signal(sig))
		go io.Copy(io.Discard, out)
		require.NoError(t, cmd.Wait(), "exit status after %v", sig)
	}
}

var genetecLine = regexp.MustCompile(`Genetec Web SDK: (https?://\S+/WebSdk/)`)

// TestServeGenetec: `pacsim serve` announces the Web SDK and serves it over
// HTTPS with a generated certificate, credentials required.
func TestServeGenetec(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--control", "127.0.0.1:0", "--entrapass", "off", "--genetec", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var base string
	for base == "" && sc.Scan() {
		if m := genetecLine.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
	}
	require.True(t, strings.HasPrefix(base, "https://"), "banner: %q", base)
	go io.Copy(io.Discard, pr)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	get := func(authz string) (int, string) {
		req, _ := http.NewRequest("GET", base, nil)
		req.Header.Set("Accept", "text/json")
		if authz != "" {
			req.SetBasicAuth(authz, "pacsim")
		}
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, _ := get("")
	require.Equal(t, http.StatusUnauthorized, code)
	code, body := get("admin;" + sim.GenetecDevAppID)
	require.Equal(t, http.StatusOK, code)
	require.JSONEq(t, `{"Rsp":{"Status":"Ok"}}`, body)
	cancel()
	require.NoError(t, <-done)
}

var visitorsLine = regexp.MustCompile(`visitor-badge connector on (http://\S+/v1)`)

// TestVisitorsCommand: `pacsim visitors` serves its API on the address it
// prints, with its store and key file made 0600.
func TestVisitorsCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PACSIM_VISITORS_KEY", "") // restored after the test
	os.Unsetenv("PACSIM_VISITORS_KEY")  // the key file, then
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"visitors", "--listen", "127.0.0.1:0", "--store", filepath.Join(dir, "v.db"), "--timezone", "America/Toronto"}, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var base string
	for base == "" && sc.Scan() {
		if m := visitorsLine.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
	}
	require.NotEmpty(t, base)
	go io.Copy(io.Discard, pr)
	resp, err := http.Post(base+"/providers/test", "application/json", strings.NewReader(`{"url":"http://127.0.0.1:1/WebSdk/","username":"a","password":"b"}`))
	require.NoError(t, err)
	var res struct {
		OK      bool
		Message string
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&res))
	resp.Body.Close()
	require.False(t, res.OK)
	require.Contains(t, res.Message, "127.0.0.1:1")
	cancel()
	require.NoError(t, <-done)
	for _, f := range []string{"v.db", "v.db.key"} {
		st, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), f)
	}
	// Bad flags are refused before anything starts.
	require.Error(t, run(context.Background(), []string{"visitors", "--end-of-day", "25:00", "--store", filepath.Join(dir, "w.db")}, io.Discard, io.Discard))
	require.Error(t, run(context.Background(), []string{"visitors", "--timezone", "Mars/Olympus"}, io.Discard, io.Discard))
}

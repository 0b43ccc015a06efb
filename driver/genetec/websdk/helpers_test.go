package websdk_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec/websdk"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/fault"
	"github.com/pacsim/pacsim/sim/simtest"
)

// testPassword replaces the default site's "pacsim": that one is also the
// project's name, in application IDs ("pacsim-visitors") and messages, so a
// search for it in error strings would find it where it is no secret.
const testPassword = "Tq9-wobble-Kx4"

// startSite starts the default site with testPassword as admin's password,
// changed by mods.
func startSite(t *testing.T, mods ...func(*sim.SiteFile)) *simtest.Site {
	t.Helper()
	sf := sim.DefaultSite()
	require.NotEmpty(t, sf.Genetec.Users)
	sf.Genetec.Users[0].Password = testPassword
	for _, m := range mods {
		m(sf)
	}
	return simtest.Start(t, simtest.WithSite(sf))
}

// config is the site's Web SDK as its first user, through the client that
// trusts the site's certificate.
func config(s *simtest.Site) websdk.Config {
	user, app, pass := s.GenetecUser()
	return websdk.Config{URL: s.GenetecURL(), Username: user, AppID: app, Password: pass, HTTPClient: s.HTTPClient()}
}

func newClient(t *testing.T, cfg websdk.Config) *websdk.Client {
	t.Helper()
	cl, err := websdk.New(cfg)
	require.NoError(t, err)
	return cl
}

// recorder is a transport that notes every request and its answer.
type recorder struct {
	next  http.RoundTripper
	mu    sync.Mutex
	calls []call
}

type call struct {
	Method, Path, Accept, Auth string
	Status                     int // 0: no answer
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	c := call{Method: req.Method, Path: req.URL.Path, Accept: req.Header.Get("Accept"), Auth: req.Header.Get("Authorization")}
	if resp != nil {
		c.Status = resp.StatusCode
	}
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
	return resp, err
}

func (r *recorder) list() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls...)
}

// recorded returns cfg sending through a recorder.
func recorded(s *simtest.Site, cfg websdk.Config) (websdk.Config, *recorder) {
	rec := &recorder{next: s.HTTPClient().Transport}
	cfg.HTTPClient = &http.Client{Transport: rec}
	return cfg, rec
}

// addFault adds a Web SDK fault and removes it when the test ends (a hang
// would otherwise hold requests until the site stops).
func addFault(t *testing.T, s *simtest.Site, f fault.Fault) {
	t.Helper()
	f.Target = fault.TargetGenetec
	st, err := s.Control().AddFault(context.Background(), f)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Control().RemoveFault(context.Background(), st.ID) })
}

// seen holds every error the tests got from the package, with the secrets
// of the client that produced it, for TestMain's final check.
var seen struct {
	sync.Mutex
	errs []seenError
}

type seenError struct {
	test, text string
	secrets    []string
}

// secrets are what must never appear in an error of a client of cfg: the
// password and the Basic credentials, encoded or not.
func secrets(cfg websdk.Config) []string {
	cred := cfg.Username + ";" + cfg.AppID + ":" + cfg.Password
	out := []string{cred, base64.StdEncoding.EncodeToString([]byte(cred))}
	if cfg.Password != "" {
		out = append(out, cfg.Password)
	}
	return out
}

// note records err (if any) as produced by a client of cfg, and returns it.
func note(t *testing.T, cfg websdk.Config, err error) error {
	if err != nil {
		seen.Lock()
		seen.errs = append(seen.errs, seenError{test: t.Name(), text: err.Error(), secrets: secrets(cfg)})
		seen.Unlock()
	}
	return err
}

// leaks lists the recorded errors that hold a secret.
func leaks() []string {
	seen.Lock()
	defer seen.Unlock()
	var out []string
	for _, e := range seen.errs {
		for _, s := range e.secrets {
			if strings.Contains(e.text, s) {
				out = append(out, fmt.Sprintf("%s: %q holds a secret", e.test, e.text))
			}
		}
	}
	return out
}

// TestMain checks, once every test ran, that no error any of them got
// holds a password or the Authorization value.
func TestMain(m *testing.M) {
	code := m.Run()
	if l := leaks(); len(l) > 0 {
		fmt.Fprintln(os.Stderr, "FAIL: errors leaked credentials:\n"+strings.Join(l, "\n"))
		code = 1
	}
	os.Exit(code)
}

// guidOf reads {"Guid":…}.
func guidOf(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var r struct{ Guid string }
	require.NoError(t, json.Unmarshal(raw, &r), string(raw))
	require.NotEmpty(t, r.Guid, string(raw))
	return r.Guid
}

// adaGUID is the default site's cardholder Ada Lovelace.
func adaGUID(t *testing.T, ctx context.Context, cl *websdk.Client) string {
	t.Helper()
	rows, err := cl.ReportAll(ctx, "EntityConfiguration", "EntityTypes@Cardholder,Name=Ada Lovelace,NameSearchMode=Is", 0)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	return guidOf(t, rows[0])
}

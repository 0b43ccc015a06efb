package entrapass

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// IDs of the embedded default site (sim/sites/default.yaml).
const (
	gwMain     sim.ID = 1
	siteOffice sim.ID = 2
	siteShop   sim.ID = 3
	ctrlOffice sim.ID = 10
	ctrlShop   sim.ID = 11
	doorFront  sim.ID = 20 // readers 30 (entry), 31 (exit)
	doorOffice sim.ID = 21 // reader 32, keypad
	doorServer sim.ID = 22 // reader 33, keypad
	doorShop   sim.ID = 24 // readers 36, 37
	rdFrontIn  sim.ID = 30
	rdFrontOut sim.ID = 31
	rdOffice   sim.ID = 32
	rdServer   sim.ID = 33
	rdShopIn   sim.ID = 36
	inFrontREX sim.ID = 50
	inMotion   sim.ID = 52
	outBuzzer  sim.ID = 70
	outSiren   sim.ID = 71

	userAlice = 200 // 100:1001, Full Access on both sites
	userBruno = 201 // 100:1002, Office only, PIN 12345
)

// testSite is a simulated EntraPass server on a real loopback HTTP server,
// over a world on the manual clock.
type testSite struct {
	t    testing.TB
	w    *sim.World
	clk  *sim.ManualClock
	srv  *Server
	ts   *httptest.Server
	base string // ends with /SmartService/
}

// newSite serves the default site.
func newSite(t testing.TB, opts ...Option) *testSite {
	t.Helper()
	return newSiteFrom(t, sim.DefaultSite(), opts...)
}

// newSiteYAML serves a site given as YAML.
func newSiteYAML(t testing.TB, src string, opts ...Option) *testSite {
	t.Helper()
	sf, err := sim.ParseSiteFile([]byte(src))
	require.NoError(t, err)
	return newSiteFrom(t, sf, opts...)
}

func newSiteFrom(t testing.TB, sf *sim.SiteFile, opts ...Option) *testSite {
	t.Helper()
	clk := sim.NewManualClock(sf.StartTime())
	w, err := sim.New(sf, sim.WithClock(clk))
	require.NoError(t, err)
	srv, err := New(w, opts...)
	require.NoError(t, err)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return &testSite{t: t, w: w, clk: clk, srv: srv, ts: ts, base: ts.URL + "/SmartService/"}
}

// do sends a request to path (relative to /SmartService/) and returns the
// status and body.
func (s *testSite) do(method, path, body string) (int, string) {
	s.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.base+path, rd)
	require.NoError(s.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/xml")
	}
	resp, err := s.ts.Client().Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp.StatusCode, string(b)
}

// ok sends a request that must answer 200 and returns the body.
func (s *testSite) ok(method, path, body string) string {
	s.t.Helper()
	code, b := s.do(method, path, body)
	require.Equal(s.t, http.StatusOK, code, b)
	return b
}

func (s *testSite) get(path string) string { s.t.Helper(); return s.ok(http.MethodGet, path, "") }
func (s *testSite) put(path, body string) string {
	s.t.Helper()
	return s.ok(http.MethodPut, path, body)
}

// login logs in pacsim/pacsim in clear and returns the session key.
func (s *testSite) login() string {
	s.t.Helper()
	return sessionKey(s.t, s.get("Login?userName=pacsim&password=pacsim"))
}

var sessionKeyRE = regexp.MustCompile(`<SessionKey>([^<]+)</SessionKey>`)

func sessionKey(t testing.TB, body string) string {
	t.Helper()
	m := sessionKeyRE.FindStringSubmatch(body)
	require.NotNil(t, m, "no SessionKey in %s", body)
	return m[1]
}

// with appends the session key to path.
func with(path, key string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "sdKey=" + url.QueryEscape(key)
}

// fault parses body as a StandardFault, failing the test when it is not.
func fault(t testing.TB, body string) *wire.Fault {
	t.Helper()
	f, ok := wire.ParseFault([]byte(body))
	require.True(t, ok, "not a StandardFault: %s", body)
	return f
}

// requireFault checks body is a fault with code and a VisibleMessage
// containing each of words.
func requireFault(t testing.TB, body, code string, words ...string) *wire.Fault {
	t.Helper()
	f := fault(t, body)
	require.Equal(t, code, f.Message, body)
	for _, w := range words {
		require.Contains(t, f.VisibleMessage, w, body)
	}
	return f
}

// rows parses an ArrayOfSmartLinkDataRow.
func rows(t testing.TB, body string) []wire.Row {
	t.Helper()
	r, err := wire.ParseRows([]byte(body))
	require.NoError(t, err, body)
	return r
}

// val returns a row's value for key, failing when absent.
func val(t testing.TB, r wire.Row, key string) string {
	t.Helper()
	v, ok := r.Get(key)
	require.True(t, ok, "no %s in %v", key, r)
	return v
}

// keys returns a row's keys in order.
func keys(r wire.Row) []string {
	out := make([]string, len(r))
	for i, kv := range r {
		out[i] = kv.Key
	}
	return out
}

// advance moves the site clock.
func (s *testSite) advance(d time.Duration) { s.clk.Advance(d) }

// present presents a card at a reader and returns the decision.
func (s *testSite) present(reader sim.ID, card, pin string) sim.Presented {
	s.t.Helper()
	p, err := s.w.PresentCard(reader, card, pin)
	require.NoError(s.t, err)
	return p
}

const xsiXsd = `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"`

// item writes one SmartLinkDataRow item, for golden documents.
func item(k, v string) string {
	return "<item><key><string>" + k + "</string></key><value><SmartLinkDataValue><Value>" + v + "</Value></SmartLinkDataValue></value></item>"
}

// row writes one SmartLinkDataRow of key/value pairs, for golden documents.
func row(kv ...string) string {
	var b strings.Builder
	b.WriteString("<SmartLinkDataRow>")
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteString(item(kv[i], kv[i+1]))
	}
	b.WriteString("</SmartLinkDataRow>")
	return b.String()
}

// table writes an ArrayOfSmartLinkDataRow of rows, for golden documents.
func table(rows ...string) string {
	return `<ArrayOfSmartLinkDataRow ` + xsiXsd + `>` + strings.Join(rows, "") + `</ArrayOfSmartLinkDataRow>`
}

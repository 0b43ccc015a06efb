package genetec_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass"
	"github.com/pacsim/pacsim/sim/genetec"
)

// site is a default world with both head-ends and the Web SDK served.
type site struct {
	t     *testing.T
	world *sim.World
	clock *sim.ManualClock
	gs    *genetec.Server
	srv   *httptest.Server
}

func newSite(t *testing.T, opts ...genetec.Option) *site {
	t.Helper()
	sf := sim.DefaultSite()
	clock := sim.NewManualClock(sf.StartTime())
	w, err := sim.New(sf, sim.WithClock(clock))
	require.NoError(t, err)
	_, err = entrapass.New(w)
	require.NoError(t, err)
	gs, err := genetec.New(w, opts...)
	require.NoError(t, err)
	srv := httptest.NewServer(gs.Handler())
	t.Cleanup(func() { gs.Close(); srv.Close() })
	return &site{t: t, world: w, clock: clock, gs: gs, srv: srv}
}

const devApp = sim.GenetecDevAppID

func auth(user, app, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+";"+app+":"+pass))
}

// do sends a request as admin with the given Accept ("" for none) and
// returns the status and body.
func (s *site) do(method, path, accept string) (int, string) {
	s.t.Helper()
	return s.doAuth(method, path, accept, auth("admin", devApp, "pacsim"))
}

func (s *site) doAuth(method, path, accept, authz string) (int, string) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, nil)
	require.NoError(s.t, err)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// rsp is a text/json envelope.
type rsp struct {
	Rsp struct {
		Status string          `json:"Status"`
		Result json.RawMessage `json:"Result"`
	} `json:"Rsp"`
}

// json sends a text/json request and decodes the envelope.
func (s *site) json(method, path string) rsp {
	s.t.Helper()
	code, body := s.do(method, path, "text/json")
	require.Equal(s.t, 200, code, body)
	var r rsp
	require.NoError(s.t, json.Unmarshal([]byte(body), &r), body)
	return r
}

// ok sends a text/json request that must answer Ok and decodes Result into out.
func (s *site) ok(method, path string, out any) {
	s.t.Helper()
	r := s.json(method, path)
	require.Equal(s.t, "Ok", r.Rsp.Status, string(r.Rsp.Result))
	if out != nil {
		require.NoError(s.t, json.Unmarshal(r.Rsp.Result, out), string(r.Rsp.Result))
	}
}

// fail sends a text/json request that must answer Fail and returns its code and message.
func (s *site) fail(method, path string) (string, string) {
	s.t.Helper()
	r := s.json(method, path)
	require.Equal(s.t, "Fail", r.Rsp.Status, string(r.Rsp.Result))
	var e struct{ SdkErrorCode, Message string }
	require.NoError(s.t, json.Unmarshal(r.Rsp.Result, &e))
	return e.SdkErrorCode, e.Message
}

// q builds /entity?q=… percent-encoded.
func q(path, query string) string {
	return path + "?q=" + url.QueryEscape(query)
}

// create creates an entity and returns its GUID.
func (s *site) create(query string) string {
	s.t.Helper()
	var res struct{ Guid string }
	s.ok("POST", q("/WebSdk/entity", query+",Guid"), &res)
	require.NotEmpty(s.t, res.Guid)
	return res.Guid
}

func (s *site) present(reader sim.ID, card string) sim.Presented {
	s.t.Helper()
	p, err := s.world.PresentCard(reader, card, "")
	require.NoError(s.t, err)
	return p
}

func has(body, sub string) bool { return strings.Contains(body, sub) }

package scenarios_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/scenarios"
	"github.com/pacsim/pacsim/sim/fault"
	"github.com/pacsim/pacsim/sim/simtest"
)

// recProxy is a Recorder served on a loopback port, with a way to wait for
// its exchanges to be written.
type recProxy struct {
	rec  *scenarios.Recorder
	w    *scenarios.Writer
	path string
	url  string // the proxy's base URL, no trailing slash
	srv  *httptest.Server
	// done receives once per request, when ServeHTTP has returned: the
	// exchange is written by then.
	done chan struct{}
}

// recStart starts a Recorder of upstream writing to a new file. cfg's
// Upstream, Writer and (unless set) System are filled in.
func recStart(t *testing.T, upstream string, cfg scenarios.RecorderConfig) *recProxy {
	t.Helper()
	u, err := url.Parse(upstream)
	require.NoError(t, err)
	p := &recProxy{path: filepath.Join(t.TempDir(), "rec.jsonl"), done: make(chan struct{}, 64)}
	system := cfg.System
	if system == "" {
		system = scenarios.SystemOfPath(u.Path)
	}
	p.w, err = scenarios.Create(p.path, scenarios.Header{
		Format: scenarios.FormatName, Version: scenarios.Version, System: system,
		RecordedAt: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), Upstream: upstream, Redacted: cfg.Redact,
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.w.Close() })
	cfg.Upstream, cfg.Writer = u, p.w
	p.rec, err = scenarios.NewRecorder(cfg)
	require.NoError(t, err)
	p.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { p.done <- struct{}{} }()
		p.rec.ServeHTTP(w, r)
	}))
	p.srv.Start()
	t.Cleanup(p.srv.Close)
	p.url = p.srv.URL
	return p
}

// wait waits until n more requests are done (and their exchanges
// written).
func (p *recProxy) wait(t *testing.T, n int) {
	t.Helper()
	for range n {
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			t.Fatal("the recorder did not finish a request within 10 s")
		}
	}
	// The handlers finished: their exchanges are queued; wait for the
	// writes.
	p.rec.Flush()
}

// recording reads the file back.
func (p *recProxy) recording(t *testing.T) *scenarios.Recording {
	t.Helper()
	p.rec.Flush()
	r, err := scenarios.Open(p.path)
	require.NoError(t, err)
	return r
}

// recAnswer is what a client got.
type recAnswer struct {
	status int
	ctype  string
	body   string
}

func recGet(t *testing.T, c *http.Client, u string, header http.Header) recAnswer {
	t.Helper()
	return recDo(t, c, http.MethodGet, u, header, "")
}

func recDo(t *testing.T, c *http.Client, method, u string, header http.Header, body string) recAnswer {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return recAnswer{resp.StatusCode, resp.Header.Get("Content-Type"), string(b)}
}

var recSessionKey = regexp.MustCompile(`<SessionKey>([^<]+)</SessionKey>`)

// (a) SmartService through the recorder answers byte for byte as it does
// directly, and the file holds each exchange, complete, in order.
func TestRecordSmartService(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	p := recStart(t, s.EntraPassURL(), scenarios.RecorderConfig{})
	direct, proxied := s.HTTPClient(), &http.Client{}
	viaProxy := p.url + "/SmartService/"
	user, pass := s.Operator()
	login := "Login?" + url.Values{"userName": {user}, "password": {pass}}.Encode()

	dLogin := recGet(t, direct, s.EntraPassURL()+login, nil)
	pLogin := recGet(t, proxied, viaProxy+login, nil)
	p.wait(t, 1)
	require.Equal(t, http.StatusOK, pLogin.status, pLogin.body)
	dKey, pKey := recSessionKey.FindStringSubmatch(dLogin.body), recSessionKey.FindStringSubmatch(pLogin.body)
	require.NotNil(t, pKey, pLogin.body)
	require.NotEqual(t, dKey[1], pKey[1], "two logins, two sessions")
	require.Equal(t, dLogin.ctype, pLogin.ctype)
	require.Equal(t, strings.Replace(dLogin.body, dKey[1], "KEY", 1), strings.Replace(pLogin.body, pKey[1], "KEY", 1),
		"the login answers differ only by their session key")

	// The same session's GatewaysSites, directly and through the recorder.
	sites := "GatewaysSites?sdKey=" + url.QueryEscape(pKey[1])
	dSites := recGet(t, direct, s.EntraPassURL()+sites, nil)
	pSites := recGet(t, proxied, viaProxy+sites, nil)
	p.wait(t, 1)
	require.Equal(t, dSites, pSites)

	// Each session's queue of events holds the same events.
	d, err := s.Present(30, "100:1001", "")
	require.NoError(t, err)
	require.True(t, d.Granted)
	dEvents := recGet(t, direct, s.EntraPassURL()+"Events?sdKey="+url.QueryEscape(dKey[1]), nil)
	pEvents := recGet(t, proxied, viaProxy+"Events?sdKey="+url.QueryEscape(pKey[1]), nil)
	p.wait(t, 1)
	require.Equal(t, dEvents, pEvents)
	require.Contains(t, pEvents.body, "Access granted")

	require.Equal(t, 3, p.rec.Count())
	require.Equal(t, 0, p.rec.Failed())
	rec := p.recording(t)
	require.Equal(t, scenarios.SystemEntraPass, rec.Header.System)
	require.Len(t, rec.Exchanges, 3)
	for i, want := range []struct{ path, query string }{
		{"/SmartService/Login", login[len("Login?"):]},
		{"/SmartService/GatewaysSites", sites[len("GatewaysSites?"):]},
		{"/SmartService/Events", "sdKey=" + url.QueryEscape(pKey[1])},
	} {
		e := rec.Exchanges[i]
		require.Equal(t, i+1, e.Seq)
		require.Equal(t, http.MethodGet, e.Request.Method)
		require.Equal(t, want.path, e.Request.Path)
		require.Equal(t, want.query, e.Request.Query)
		require.Equal(t, http.StatusOK, e.Response.Status)
		require.Empty(t, e.Error)
		require.Empty(t, e.Response.Chunks)
		require.NotEmpty(t, e.Response.Header["Content-Type"])
		require.GreaterOrEqual(t, e.DurationMS, int64(0))
		if i > 0 {
			require.GreaterOrEqual(t, e.OffsetMS, rec.Exchanges[i-1].OffsetMS)
		}
	}
	require.Equal(t, pSites.body, rec.Exchanges[1].Response.Body, "the body is recorded whole")
	require.Equal(t, pEvents.body, rec.Exchanges[2].Response.Body)
}

// recStream is an open event stream read line by line.
type recStream struct {
	lines  chan string
	cancel context.CancelFunc
}

func recOpenStream(t *testing.T, c *http.Client, u string, header http.Header) *recStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	require.NoError(t, err)
	req.Header = header.Clone()
	resp, err := c.Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	st := &recStream{lines: make(chan string, 64), cancel: cancel}
	go func() {
		defer close(st.lines)
		defer resp.Body.Close()
		r := bufio.NewReader(resp.Body)
		for {
			l, err := r.ReadString('\n')
			if l != "" {
				st.lines <- strings.TrimRight(l, "\r\n")
			}
			if err != nil {
				return
			}
		}
	}()
	return st
}

// until reads lines until one contains want; false when the stream ended
// first.
func (st *recStream) until(t *testing.T, want string) bool {
	t.Helper()
	for {
		select {
		case l, ok := <-st.lines:
			if !ok {
				return false
			}
			if strings.Contains(l, want) {
				return true
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no %q from the event stream within 10 s", want)
		}
	}
}

// ended waits for the stream to end.
func (st *recStream) ended(t *testing.T) {
	t.Helper()
	for {
		select {
		case _, ok := <-st.lines:
			if !ok {
				return
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the event stream did not end within 10 s")
		}
	}
}

func recGenetecHeader(s *simtest.Site) http.Header {
	user, app, pass := s.GenetecUser()
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	req.SetBasicAuth(user+";"+app, pass)
	req.Header.Set("Accept", "text/json")
	return req.Header
}

// (b) The Web SDK over HTTPS with Basic auth: a keep-alive, an entity
// created, and the event stream, which reaches the client as it comes and
// is recorded as timed chunks.
func TestRecordWebSdkAndEventStream(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	p := recStart(t, s.GenetecURL(), scenarios.RecorderConfig{Transport: s.HTTPClient().Transport})
	h := recGenetecHeader(s)
	c := &http.Client{}
	sdk := p.url + "/WebSdk/"

	keep := recGet(t, c, sdk, h)
	require.Equal(t, http.StatusOK, keep.status, keep.body)
	create := recDo(t, c, http.MethodPost, sdk+"entity?q="+url.QueryEscape("entity=NewEntity(Visitor),FirstName=Grace,LastName=Hopper,Guid"), h, "")
	require.Equal(t, http.StatusOK, create.status)
	require.Contains(t, create.body, `"Status":"Ok"`)
	p.wait(t, 2)

	st := recOpenStream(t, c, sdk+"events", h)
	// The first part comes while the stream is open: nothing is held back
	// until the answer ends.
	require.True(t, st.until(t, "ConnectionId:"))
	sub := recGet(t, c, sdk+"events/subscribe?q="+url.QueryEscape("event(Door,AccessGranted)"), h)
	require.Equal(t, http.StatusOK, sub.status, sub.body)
	p.wait(t, 1)
	_, err := s.Present(30, "200:2001", "")
	require.NoError(t, err)
	require.True(t, st.until(t, `"EventType":"AccessGranted"`))
	st.cancel()
	p.wait(t, 1)

	require.Equal(t, 4, p.rec.Count())
	require.Equal(t, 0, p.rec.Failed(), "a client ending its stream is not an upstream failure")
	rec := p.recording(t)
	require.Equal(t, scenarios.SystemGenetec, rec.Header.System)
	require.Len(t, rec.Exchanges, 4)
	require.Equal(t, "/WebSdk/", rec.Exchanges[0].Request.Path)
	require.Equal(t, []string{h.Get("Authorization")}, rec.Exchanges[0].Request.Header["Authorization"], "not redacted when not asked")
	require.Equal(t, http.MethodPost, rec.Exchanges[1].Request.Method)
	require.Equal(t, create.body, rec.Exchanges[1].Response.Body)
	// The file is in the order exchanges completed, Seq in the order they
	// arrived: the stream (third to arrive) ends last.
	require.Equal(t, 4, rec.Exchanges[2].Seq)
	ev := rec.Exchanges[3]
	require.Equal(t, 3, ev.Seq)
	require.Equal(t, "/WebSdk/events", ev.Request.Path)
	require.Equal(t, http.StatusOK, ev.Response.Status)
	require.Equal(t, "stream ended by the client", ev.Error)
	require.Empty(t, ev.Response.Body)
	require.GreaterOrEqual(t, len(ev.Response.Chunks), 2)
	require.True(t, strings.HasPrefix(ev.Response.Chunks[0].Data, "ConnectionId:"), ev.Response.Chunks[0].Data)
	var all strings.Builder
	for i, ch := range ev.Response.Chunks {
		require.GreaterOrEqual(t, ch.OffsetMS, int64(0))
		if i > 0 {
			require.GreaterOrEqual(t, ch.OffsetMS, ev.Response.Chunks[i-1].OffsetMS)
		}
		all.WriteString(ch.Data)
	}
	require.Contains(t, all.String(), `"EventType":"AccessGranted"`)
	require.GreaterOrEqual(t, ev.DurationMS, ev.Response.Chunks[len(ev.Response.Chunks)-1].OffsetMS)
}

// (c) An upstream that is not there: the client gets a 502 naming it, and
// the exchange is recorded with the error.
func TestRecordUpstreamDown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	p := recStart(t, "http://"+addr, scenarios.RecorderConfig{System: scenarios.SystemEntraPass})

	got := recGet(t, &http.Client{}, p.url+"/SmartService/Login?userName=a&password=b", nil)
	p.wait(t, 1)
	require.Equal(t, http.StatusBadGateway, got.status)
	require.True(t, strings.HasPrefix(got.body, "pacsim record: upstream "+addr+": "), got.body)
	require.Contains(t, got.body, "connection refused")
	require.Equal(t, 1, p.rec.Count())
	require.Equal(t, 1, p.rec.Failed())
	e := p.recording(t).Exchanges[0]
	require.Equal(t, http.StatusBadGateway, e.Response.Status)
	require.Contains(t, e.Error, "connection refused")
	require.Equal(t, got.body, e.Response.Body, "recorded as the client got it")
}

// (c) A connection the upstream resets: the same.
func TestRecordUpstreamReset(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	_, err := s.Control().AddFault(context.Background(), fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindReset})
	require.NoError(t, err)
	p := recStart(t, s.EntraPassURL(), scenarios.RecorderConfig{})

	got := recGet(t, &http.Client{}, p.url+"/SmartService/Login?userName=a&password=b", nil)
	p.wait(t, 1)
	require.Equal(t, http.StatusBadGateway, got.status)
	require.True(t, strings.HasPrefix(got.body, "pacsim record: upstream "), got.body)
	require.Equal(t, 1, p.rec.Failed())
	e := p.recording(t).Exchanges[0]
	require.Equal(t, http.StatusBadGateway, e.Response.Status)
	require.NotEmpty(t, e.Error)
}

// A stream the upstream cuts is recorded up to the cut, with the error,
// and the client sees the cut too.
func TestRecordUpstreamCutsStream(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	_, err := s.Control().AddFault(context.Background(), fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStreamCut,
		Params: fault.Params{Events: 2}, Match: fault.Match{Path: "/WebSdk/events"}})
	require.NoError(t, err)
	p := recStart(t, s.GenetecURL(), scenarios.RecorderConfig{Transport: s.HTTPClient().Transport})
	h := recGenetecHeader(s)
	c := &http.Client{}

	st := recOpenStream(t, c, p.url+"/WebSdk/events", h)
	require.True(t, st.until(t, "ConnectionId:"))
	require.Equal(t, http.StatusOK, recGet(t, c, p.url+"/WebSdk/events/subscribe?q="+url.QueryEscape("event(Door,AccessGranted)"), h).status)
	_, err = s.Present(30, "200:2001", "")
	require.NoError(t, err)
	require.True(t, st.until(t, "AccessGranted"))
	st.ended(t)
	p.wait(t, 2)

	require.Equal(t, 1, p.rec.Failed())
	rec := p.recording(t)
	require.Len(t, rec.Exchanges, 2)
	ev := rec.Exchanges[1]
	require.Equal(t, "/WebSdk/events", ev.Request.Path)
	require.Equal(t, "upstream ended the stream: unexpected EOF", ev.Error)
	require.NotEmpty(t, ev.Response.Chunks)
}

// The request, headers and all, reaches the upstream unchanged, and its
// answer the client; the file keeps the headers that matter, with the
// recorder's own clock.
func TestRecordPassesEverythingThrough(t *testing.T) {
	t.Parallel()
	type seen struct {
		method, uri, body string
		header            http.Header
		host              string
	}
	got := make(chan seen, 1)
	var now atomic.Int64 // ms since t0
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.RequestURI, string(b), r.Header.Clone(), r.Host}
		now.Add(250) // the upstream takes 250 ms to answer
		w.Header().Set("Content-Type", "application/xml")
		w.Header().Set("X-Upstream", "yes")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, "<ok/>")
	}))
	t.Cleanup(up.Close)
	p := recStart(t, up.URL, scenarios.RecorderConfig{System: scenarios.SystemEntraPass,
		Clock: func() time.Time { return t0.Add(time.Duration(now.Load()) * time.Millisecond) }})

	now.Store(1000)
	req, err := http.NewRequest(http.MethodPut, p.url+"/SmartService/Cards/7?sdKey=k&a=%2F", strings.NewReader("<card/>"))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("Content-Type", "application/xml")
	req.Header.Set("X-Custom", "1")
	req.Header.Set("Accept", "application/xml")
	req.Header.Set("User-Agent", "driver/1.0")
	resp, err := (&http.Client{}).Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	p.wait(t, 1)

	s := <-got
	require.Equal(t, http.MethodPut, s.method)
	require.Equal(t, "/SmartService/Cards/7?sdKey=k&a=%2F", s.uri)
	require.Equal(t, "<card/>", s.body)
	require.Equal(t, strings.TrimPrefix(up.URL, "http://"), s.host)
	for _, k := range []string{"Authorization", "Content-Type", "X-Custom", "Accept"} {
		require.Equal(t, req.Header.Get(k), s.header.Get(k), k)
	}
	require.Equal(t, req.UserAgent(), s.header.Get("User-Agent"), "the client's own User-Agent, not the recorder's")
	require.Empty(t, s.header.Get("X-Forwarded-For"), "the upstream sees the request as the client sent it")
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	require.Equal(t, "yes", resp.Header.Get("X-Upstream"))
	require.Equal(t, "<ok/>", string(body))

	e := p.recording(t).Exchanges[0]
	require.Equal(t, int64(1000), e.OffsetMS)
	require.Equal(t, int64(250), e.DurationMS)
	require.Equal(t, "/SmartService/Cards/7", e.Request.Path)
	require.Equal(t, "sdKey=k&a=%2F", e.Request.Query)
	require.Equal(t, "<card/>", e.Request.Body)
	require.Equal(t, map[string][]string{
		"Authorization": {"Bearer t"}, "Content-Type": {"application/xml"}, "Accept": {"application/xml"},
	}, e.Request.Header, "only the headers that matter are kept")
	require.Equal(t, http.StatusCreated, e.Response.Status)
	require.Equal(t, []string{"application/xml"}, e.Response.Header["Content-Type"])
	require.Equal(t, "<ok/>", e.Response.Body)
}

// A body over the limit is refused with 413, recorded, and never sent.
func TestRecordRefusesLargeBody(t *testing.T) {
	t.Parallel()
	var reached atomic.Bool
	up := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Store(true) }))
	t.Cleanup(up.Close)
	p := recStart(t, up.URL, scenarios.RecorderConfig{System: scenarios.SystemEntraPass, MaxBody: 10})

	got := recDo(t, &http.Client{}, http.MethodPut, p.url+"/SmartService/CardPictures/1", nil, strings.Repeat("x", 11))
	p.wait(t, 1)
	require.Equal(t, http.StatusRequestEntityTooLarge, got.status)
	require.False(t, reached.Load())
	require.Equal(t, 0, p.rec.Failed())
	e := p.recording(t).Exchanges[0]
	require.Equal(t, http.StatusRequestEntityTooLarge, e.Response.Status)
	require.Contains(t, e.Error, "refused")
	require.Empty(t, e.Request.Body)
}

// Requests at once get distinct Seq numbers in the order they arrived, and
// every one is written.
func TestRecordConcurrentRequests(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	p := recStart(t, s.EntraPassURL(), scenarios.RecorderConfig{Redact: true})
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			resp, err := http.Get(fmt.Sprintf("%s/SmartService/Login?userName=nobody%d&password=x", p.url, i))
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	p.wait(t, n)
	require.Equal(t, n, p.rec.Count())
	seqs := map[int]bool{}
	for _, e := range p.recording(t).Exchanges {
		seqs[e.Seq] = true
	}
	for i := 1; i <= n; i++ {
		require.True(t, seqs[i], "seq %d", i)
	}
}

// A writer that fails does not punish the client: the answer goes
// through, and the exchange is counted as not written.
func TestRecordWriterFailure(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	p := recStart(t, s.EntraPassURL(), scenarios.RecorderConfig{})
	require.NoError(t, p.w.Close()) // as a full disk would, Write now fails
	user, pass := s.Operator()
	got := recGet(t, &http.Client{}, p.url+"/SmartService/Login?"+url.Values{"userName": {user}, "password": {pass}}.Encode(), nil)
	p.wait(t, 1)
	require.Equal(t, http.StatusOK, got.status)
	require.Contains(t, got.body, "<SessionKey>")
	require.Equal(t, 0, p.rec.Count())
	require.Equal(t, 1, p.rec.Unwritten())
	require.Error(t, p.rec.WriteErr())
}

// A stream open when the server's requests are cancelled with a cause
// (pacsim record's stop) is recorded as ended by that cause, not by the
// client.
func TestRecordStreamEndedByStop(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	p := recStart(t, s.GenetecURL(), scenarios.RecorderConfig{Transport: s.HTTPClient().Transport})
	base, stop := context.WithCancelCause(context.Background())
	stopped := errors.New("recorder stopped")
	srv := httptest.NewUnstartedServer(p.srv.Config.Handler)
	srv.Config.BaseContext = func(net.Listener) context.Context { return base }
	srv.Start()
	t.Cleanup(srv.Close)

	st := recOpenStream(t, &http.Client{}, srv.URL+"/WebSdk/events", recGenetecHeader(s))
	require.True(t, st.until(t, "ConnectionId:"))
	stop(stopped)
	p.wait(t, 1)
	e := p.recording(t).Exchanges[0]
	require.Equal(t, "stream ended: recorder stopped", e.Error)
	require.NotEmpty(t, e.Response.Chunks)
}

// (e) Redaction is of the file only: the client gets the real session key
// and can use it, the file has neither the password nor the key.
func TestRecordRedacts(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	p := recStart(t, s.EntraPassURL(), scenarios.RecorderConfig{Redact: true})
	user, pass := s.Operator()
	require.Equal(t, "pacsim", pass, "the default site's operator")
	c := &http.Client{}
	login := recGet(t, c, p.url+"/SmartService/Login?"+url.Values{"userName": {user}, "password": {pass}}.Encode(), nil)
	key := recSessionKey.FindStringSubmatch(login.body)
	require.NotNil(t, key, login.body)
	sites := recGet(t, c, p.url+"/SmartService/GatewaysSites?sdKey="+url.QueryEscape(key[1]), nil)
	require.Equal(t, http.StatusOK, sites.status, "the client's session key is the real one")
	p.wait(t, 2)

	raw, err := os.ReadFile(p.path)
	require.NoError(t, err)
	require.NotContains(t, string(raw), "password=pacsim")
	require.NotContains(t, string(raw), key[1])
	rec := p.recording(t)
	require.True(t, rec.Header.Redacted)
	require.Len(t, rec.Exchanges, 2)
}

func TestNewRecorderRefusesBadConfig(t *testing.T) {
	t.Parallel()
	w, err := scenarios.Create(filepath.Join(t.TempDir(), "r.jsonl"), scenarios.Header{
		Format: scenarios.FormatName, Version: scenarios.Version, System: scenarios.SystemEntraPass, RecordedAt: time.Now(), Upstream: "x",
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = w.Close() })
	ftp, _ := url.Parse("ftp://host/")
	ok, _ := url.Parse("http://host:8801/")
	for name, cfg := range map[string]scenarios.RecorderConfig{
		"no upstream": {Writer: w},
		"ftp":         {Upstream: ftp, Writer: w},
		"no writer":   {Upstream: ok},
		"bad system":  {Upstream: ok, Writer: w, System: "lenel"},
	} {
		_, err := scenarios.NewRecorder(cfg)
		require.Error(t, err, name)
	}
}

func TestRecordSystemOfPath(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]string{
		"/SmartService/Login": scenarios.SystemEntraPass, "/smartservice": scenarios.SystemEntraPass,
		"/WebSdk/events": scenarios.SystemGenetec, "/websdk/": scenarios.SystemGenetec,
		"/": "", "": "", "/SmartServiceX": "",
	} {
		require.Equal(t, want, scenarios.SystemOfPath(p), p)
	}
}

// The default transport verifies the upstream's certificate, unless told
// not to (a head-end's self-signed certificate).
func TestRecordUpstreamCertificate(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	h := recGenetecHeader(s)

	strict := recStart(t, s.GenetecURL(), scenarios.RecorderConfig{})
	got := recGet(t, &http.Client{}, strict.url+"/WebSdk/", h)
	strict.wait(t, 1)
	require.Equal(t, http.StatusBadGateway, got.status)
	require.Contains(t, got.body, "certificate")
	require.Equal(t, 1, strict.rec.Failed())

	lax := recStart(t, s.GenetecURL(), scenarios.RecorderConfig{InsecureSkipVerify: true})
	got = recGet(t, &http.Client{}, lax.url+"/WebSdk/", h)
	lax.wait(t, 1)
	require.Equal(t, http.StatusOK, got.status, got.body)
	require.Equal(t, 0, lax.rec.Failed())
}

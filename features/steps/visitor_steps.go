package steps

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pacsim/pacsim/driver/genetec"
	"github.com/pacsim/pacsim/driver/genetec/store"
	"github.com/pacsim/pacsim/driver/genetec/websdk"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/fault"
	gsim "github.com/pacsim/pacsim/sim/genetec"
)

// Genetec visitor badges: the visitor-badge connector (driver/genetec) of
// a scenario, served over HTTP on 127.0.0.1:0 as `pacsim visitors` serves
// it. The steps act and look through its API (SPEC §7), as a receptionist's
// application would; doors are tried with the simulated hardware (badge
// 5001 of the provider's facility code 200 is card "200:5001"), and what
// Security Center holds is read through its Web SDK.
//
// Against the simulator the provider points at the scenario's simulated Web
// SDK (HTTPS on 127.0.0.1:0, user admin/pacsim, application
// pacsim-visitors) and the connector runs on the site's manual clock;
// against a real Security Center (GenetecTarget) it points at that one and
// runs on the wall clock.

const (
	// providerName is the friendly name of the providers the steps add.
	providerName = "Main building"
	// providerFacility is the facility code of the providers the steps add.
	providerFacility = 200
	// waitAPI bounds how long a step waits for what the connector records
	// asynchronously (accesses from the event stream).
	waitAPI = 5 * time.Second
	// waitStream bounds how long a step waits for the connector to open its
	// event stream and subscribe.
	waitStream = 10 * time.Second
)

// GenetecTarget is a real Security Center the visitor connector's provider
// points at (`pacsim conform --genetec-url`); the zero GenetecTarget is the
// scenario's simulated one.
type GenetecTarget struct {
	// URL is the Web SDK's base URL, e.g. https://sc.example.com:4590/WebSdk/.
	URL string
	// Username and Password are the Security Center user; AppID the SDK
	// application ID (default pacsim-visitors, whose licence part is
	// GSC-1SDK-TRACTIONGUEST-VM).
	Username, Password, AppID string
	// Insecure accepts any certificate of an https URL.
	Insecure bool
}

// Real reports whether g is a real Security Center.
func (g GenetecTarget) Real() bool { return g.URL != "" }

// Validate checks a real Security Center's settings (the zero target is
// valid).
func (g GenetecTarget) Validate() error {
	if !g.Real() {
		switch {
		case g.Username != "":
			return errors.New("--genetec-user needs --genetec-url")
		case g.AppID != "":
			return errors.New("--genetec-app-id needs --genetec-url")
		case g.Insecure:
			return errors.New("--genetec-insecure needs --genetec-url")
		}
		return nil
	}
	u, err := url.Parse(g.URL)
	if err != nil {
		return fmt.Errorf("--genetec-url %q: %v", g.URL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("--genetec-url %q: the scheme is not http or https (e.g. https://sc.example.com:4590/WebSdk/)", g.URL)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("--genetec-url %q: no host", g.URL)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("--genetec-url %q: port %q is not 1–65535", g.URL, p)
		}
	}
	if g.Username == "" {
		return errors.New("--genetec-url needs --genetec-user")
	}
	if g.Password == "" {
		return errors.New("--genetec-url needs the user's password in $PACSIM_GENETEC_PASSWORD")
	}
	if strings.ContainsAny(g.Username+g.AppID, ":;") {
		return errors.New("--genetec-user and --genetec-app-id cannot hold ':' or ';'")
	}
	return nil
}

// visitors is a scenario's visitor connector and what the steps saw of it.
type visitors struct {
	c      *genetec.Connector
	api    string // http://127.0.0.1:port/v1
	hc     *http.Client
	tr     *streamConns // the connector's transport to the simulated Web SDK; nil against a real one
	prov   *providerSettings
	badges map[string]string // badge name → id
	visits map[string]string // visitor name → id of their last visit
	signIn map[string]answer // visitor name → the answer to their last sign-in
	last   answer            // the last answer of a step that may be refused
	// follow is the provider's Following channel when it was last seen
	// closed (the stream open and subscribed); a reconnection replaces it.
	follow <-chan struct{}
	plain  *httptest.Server // the simulated Web SDK over plain HTTP, once asked for
}

// providerSettings are a provider as the steps gave it (the password too,
// which the API never answers back).
type providerSettings struct {
	ID       string
	Location string
	Name     string
	URL      string
	Username string
	Password string
	AppID    string
	Insecure bool
	Facility uint64
}

// body is the provider's JSON for POST /v1/providers (and /test).
func (p providerSettings) body(withURL bool) map[string]any {
	m := map[string]any{"location": p.Location, "name": p.Name, "username": p.Username, "password": p.Password,
		"app_id": p.AppID, "insecure": p.Insecure, "facility_code": p.Facility}
	if withURL {
		m["url"] = p.URL
	}
	return m
}

// answer is one answer of the connector's API.
type answer struct {
	what   string // what was asked: "add a provider", "refresh", "sign-in", …
	status int
	body   []byte
}

// message is the answer's {"error":…}, or its body.
func (a answer) message() string {
	var e struct{ Error string }
	if json.Unmarshal(a.body, &e) == nil && e.Error != "" {
		return e.Error
	}
	return strings.TrimSpace(string(a.body))
}

func (a answer) String() string { return fmt.Sprintf("HTTP %d %s", a.status, a.message()) }

// visitorConnector starts the scenario's connector once: its store in a
// temporary folder (a fresh key), its API on 127.0.0.1:0, its background
// work (retries, the end of day, the event followers) running.
func (w *World) visitorConnector() (*visitors, error) {
	if w.vis != nil {
		return w.vis, nil
	}
	if err := w.needSite(); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pacsim-visitors-")
	if err != nil {
		return nil, err
	}
	w.defer_(func() { os.RemoveAll(dir) })
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	st, err := store.Open(filepath.Join(dir, "visitors.db"), store.WithKey(key))
	if err != nil {
		return nil, fmt.Errorf("the connector's store: %w", err)
	}
	v := &visitors{badges: map[string]string{}, visits: map[string]string{}, signIn: map[string]answer{}}
	cfg := genetec.Config{Store: st, Location: w.w.Location(), Timeout: 5 * time.Second,
		RetryMin: 10 * time.Millisecond, RetryMax: 100 * time.Millisecond}
	if !w.gen.Real() {
		cfg.Clock = w.clk
		base, ok := w.gts.Client().Transport.(*http.Transport)
		if !ok {
			st.Close()
			return nil, errors.New("the simulated Web SDK's client has no *http.Transport")
		}
		v.tr = &streamConns{base: base.Clone()}
		cfg.HTTPClient = &http.Client{Transport: v.tr}
	}
	c, err := genetec.New(cfg)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("the visitor connector: %w", err)
	}
	c.Start()
	ts := httptest.NewServer(c.Handler())
	v.c, v.api, v.hc = c, ts.URL+"/v1", ts.Client()
	w.defer_(func() {
		ts.Close()
		c.Close()
		if v.tr != nil {
			v.tr.base.CloseIdleConnections()
		}
		if v.plain != nil {
			v.plain.Close()
		}
		st.Close()
	})
	w.vis = v
	return v, nil
}

// needProvider fails a step that needs a provider before one was added.
func (w *World) needProvider() (*visitors, error) {
	if w.vis == nil || w.vis.prov == nil || w.vis.prov.ID == "" {
		return nil, errors.New(`no provider: start with "Given the visitor connector with a refreshed provider for location "HQ""`)
	}
	return w.vis, nil
}

// needSimulatedGenetec fails a step that only the simulator can take.
func (w *World) needSimulatedGenetec(what string) error {
	if w.gen.Real() {
		return fmt.Errorf("%s needs the simulated Security Center, not %s", what, w.gen.URL)
	}
	return w.needSite()
}

// call sends one request to the connector's API.
func (v *visitors) call(what, method, path string, body any) (answer, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return answer{}, err
		}
		r = bytes.NewReader(b)
	}
	ctx, cancel := ctxT()
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, v.api+path, r)
	if err != nil {
		return answer{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := v.hc.Do(req)
	if err != nil {
		return answer{}, fmt.Errorf("%s: %s %s: %w", what, method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return answer{}, fmt.Errorf("%s: %s %s: %w", what, method, path, err)
	}
	return answer{what: what, status: resp.StatusCode, body: b}, nil
}

// try sends a request that may be refused; its answer is kept for the
// next step.
func (v *visitors) try(what, method, path string, body any) (answer, error) {
	a, err := v.call(what, method, path, body)
	if err != nil {
		return a, err
	}
	v.last = a
	return a, nil
}

// must sends a request that must be answered with one of the statuses
// given, and decodes the answer into out (when not nil).
func (v *visitors) must(what, method, path string, body, out any, statuses ...int) error {
	a, err := v.call(what, method, path, body)
	if err != nil {
		return err
	}
	if !slices.Contains(statuses, a.status) {
		return fmt.Errorf("%s: %s %s answered %s, expected HTTP %v", what, method, path, a, statuses)
	}
	if out != nil {
		if err := json.Unmarshal(a.body, out); err != nil {
			return fmt.Errorf("%s: %s %s: the answer is not the JSON expected: %v: %s", what, method, path, err, a.body)
		}
	}
	return nil
}

// defaultProvider is a provider of the location at the scenario's Security
// Center: the simulated one (its first user, application pacsim-visitors)
// or the real one of the target.
func (w *World) defaultProvider(location string) providerSettings {
	if w.gen.Real() {
		app := w.gen.AppID
		if app == "" {
			app = genetec.DefaultAppID
		}
		return providerSettings{Location: location, Name: providerName, URL: w.gen.URL, Username: w.gen.Username,
			Password: w.gen.Password, AppID: app, Insecure: w.gen.Insecure, Facility: providerFacility}
	}
	p := providerSettings{Location: location, Name: providerName, URL: w.gts.URL + gsim.Prefix,
		AppID: sim.GenetecVisitorsAppID, Facility: providerFacility}
	for _, u := range w.sf.Genetec.Users {
		if !u.Disabled {
			p.Username, p.Password = u.Name, u.Password
			break
		}
	}
	return p
}

// addProvider posts a provider; once saved it is the scenario's provider.
func (v *visitors) addProvider(p providerSettings, withURL bool) (answer, error) {
	a, err := v.try("add a provider", http.MethodPost, "/providers", p.body(withURL))
	if err != nil || a.status != http.StatusCreated {
		return a, err
	}
	var got genetec.Provider
	if err := json.Unmarshal(a.body, &got); err != nil || got.ID == "" {
		return a, fmt.Errorf("adding a provider answered 201 without its id: %s", a.body)
	}
	p.ID, p.URL = got.ID, got.URL
	v.prov = &p
	return a, nil
}

// Set-up.

func (w *World) visitorConnectorRunning() error {
	_, err := w.visitorConnector()
	return err
}

func (w *World) connectorWithProvider(location string) error {
	if _, err := w.visitorConnector(); err != nil {
		return err
	}
	return w.providerAdded(location)
}

// connectorWithRefreshedProvider adds the provider, refreshes it and waits
// until the connector follows its event stream (so that no access of the
// scenario happens before it subscribed).
func (w *World) connectorWithRefreshedProvider(location string) error {
	if err := w.connectorWithProvider(location); err != nil {
		return err
	}
	v := w.vis
	if err := v.must("refresh the provider", http.MethodPost, "/providers/"+v.prov.ID+"/refresh", nil, nil, http.StatusOK); err != nil {
		return err
	}
	ch, err := v.following()
	if err != nil {
		return err
	}
	v.follow = ch
	return nil
}

// following waits until the provider's event stream is open and
// subscribed, and returns its Following channel.
func (v *visitors) following() (<-chan struct{}, error) {
	ch := v.c.Following(v.prov.ID)
	select {
	case <-ch:
		return ch, nil
	case <-time.After(waitStream):
		return nil, fmt.Errorf("the connector did not open and subscribe to the event stream of provider %s within %v", v.prov.ID, waitStream)
	}
}

// awaitFollowingAgain waits until the follower has replaced the channel
// old (it saw its stream end) and the new one is closed (it opened a new
// stream and subscribed again).
func (v *visitors) awaitFollowingAgain(old <-chan struct{}) error {
	deadline := time.Now().Add(waitStream)
	for {
		ch := v.c.Following(v.prov.ID)
		if ch != old {
			select {
			case <-ch:
				v.follow = ch
				if v.tr != nil && !v.tr.subscribedSinceOpen() {
					return errors.New("the connector opened a new event stream but did not subscribe again (no GET /WebSdk/events/subscribe since)")
				}
				return nil
			default:
			}
		}
		if time.Now().After(deadline) {
			if ch == old {
				return fmt.Errorf("the connector's event stream never ended: its follower still holds the stream it had (within %v)", waitStream)
			}
			return fmt.Errorf("the connector did not open a new event stream and subscribe again within %v", waitStream)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// awaitStreamEnded waits until the follower saw its stream end (it
// replaced the channel old).
func (v *visitors) awaitStreamEnded(old <-chan struct{}) error {
	deadline := time.Now().Add(waitStream)
	for v.c.Following(v.prov.ID) == old {
		if time.Now().After(deadline) {
			return fmt.Errorf("the connector did not notice its event stream was cut within %v", waitStream)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return nil
}

// Providers.

func (w *World) providerAdded(location string) error {
	v, err := w.visitorConnector()
	if err != nil {
		return err
	}
	a, err := v.addProvider(w.defaultProvider(location), true)
	if err != nil {
		return err
	}
	if a.status != http.StatusCreated {
		return fmt.Errorf("adding the provider of %q answered %s, expected 201", location, a)
	}
	return nil
}

func (w *World) providerAddedWithoutURL(location string) error {
	v, err := w.visitorConnector()
	if err != nil {
		return err
	}
	a, err := v.addProvider(w.defaultProvider(location), false)
	if err != nil {
		return err
	}
	if a.status != http.StatusCreated {
		return fmt.Errorf("adding the provider of %q without a URL answered %s, expected 201", location, a)
	}
	return nil
}

func (w *World) providerAddedWithURL(location, u string) error {
	v, err := w.visitorConnector()
	if err != nil {
		return err
	}
	p := w.defaultProvider(location)
	p.URL = u
	_, err = v.addProvider(p, true)
	return err
}

func (w *World) providerRefused(text string) error {
	if w.vis == nil {
		return errors.New("no visitor connector")
	}
	a := w.vis.last
	if a.what != "add a provider" && a.what != "edit the provider" {
		return fmt.Errorf("no provider was added or edited since the last request (%q)", a.what)
	}
	if a.status != http.StatusBadRequest {
		return fmt.Errorf("%s answered %s, expected HTTP 400", a.what, a)
	}
	if !containsFold(a.message(), text) {
		return fmt.Errorf("%s was refused with %q, which does not contain %q", a.what, a.message(), text)
	}
	return nil
}

// provider reads the scenario's provider back.
func (v *visitors) provider() (map[string]any, error) {
	var p map[string]any
	err := v.must("read the provider", http.MethodGet, "/providers/"+v.prov.ID, nil, &p, http.StatusOK)
	return p, err
}

var providerFields = map[string]string{"name": "name", "url": "url", "username": "username", "application id": "app_id", "password": "password"}

func (w *World) providerFieldIs(field, value string) error {
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	key := providerFields[strings.ToLower(field)]
	p, err := v.provider()
	if err != nil {
		return err
	}
	got, _ := p[key].(string)
	if got != value {
		return fmt.Errorf("the provider's %s is %q, expected %q", field, got, value)
	}
	return nil
}

// providerPasswordHidden: neither the provider nor the list of providers
// answers a password, nor the password's value.
func (w *World) providerPasswordHidden() error {
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	for _, path := range []string{"/providers/" + v.prov.ID, "/providers"} {
		a, err := v.call("read the providers", http.MethodGet, path, nil)
		if err != nil {
			return err
		}
		if a.status != http.StatusOK {
			return fmt.Errorf("GET %s answered %s", path, a)
		}
		var doc any
		if err := json.Unmarshal(a.body, &doc); err != nil {
			return fmt.Errorf("GET %s: %v", path, err)
		}
		if where := findSecret(doc, v.prov.Password, "$"); where != "" {
			return fmt.Errorf("GET %s answers the password (%s): %s", path, where, a.body)
		}
	}
	return nil
}

// findSecret returns where doc holds a "password" member or the secret as
// a value, "" when nowhere.
func findSecret(doc any, secret, at string) string {
	switch d := doc.(type) {
	case map[string]any:
		for k, x := range d {
			if strings.EqualFold(k, "password") {
				return at + "." + k
			}
			if s := findSecret(x, secret, at+"."+k); s != "" {
				return s
			}
		}
	case []any:
		for i, x := range d {
			if s := findSecret(x, secret, fmt.Sprintf("%s[%d]", at, i)); s != "" {
				return s
			}
		}
	case string:
		if secret != "" && d == secret {
			return at
		}
	}
	return ""
}

// testConnection posts the settings to /providers/test; the answer is
// kept.
func (v *visitors) testConnection(p providerSettings) error {
	_, err := v.try("test the connection", http.MethodPost, "/providers/test", map[string]any{
		"url": p.URL, "username": p.Username, "password": p.Password, "app_id": p.AppID, "insecure": p.Insecure})
	return err
}

func (w *World) connectionTested() error {
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	return v.testConnection(*v.prov)
}

func (w *World) connectionTestedWithPassword(password string) error {
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	p := *v.prov
	p.Password = password
	return v.testConnection(p)
}

// webSDKOtherPortTested tests a connection to the simulated Web SDK over
// http or https on an ephemeral port (not 4590): https is the site's
// served Web SDK, http the same behind the same faults, served plain.
func (w *World) webSDKOtherPortTested(scheme string) error {
	if err := w.needSimulatedGenetec("serving the Web SDK on another port"); err != nil {
		return err
	}
	v, err := w.visitorConnector()
	if err != nil {
		return err
	}
	p := w.defaultProvider("HQ")
	switch scheme {
	case "https":
		p.URL = w.gts.URL + gsim.Prefix
	case "http":
		if v.plain == nil {
			v.plain = httptest.NewServer(w.plan.Middleware(string(fault.TargetGenetec), w.gs.Handler()))
		}
		p.URL = v.plain.URL + gsim.Prefix
	default:
		return fmt.Errorf("scheme %q: http or https", scheme)
	}
	u, err := url.Parse(p.URL)
	if err != nil {
		return err
	}
	if u.Port() == "4590" {
		return errors.New("the ephemeral port happened to be 4590; cannot show another port works")
	}
	return v.testConnection(p)
}

// testResult is the last connection test's result.
func (w *World) testResult() (genetec.TestResult, error) {
	var r genetec.TestResult
	if w.vis == nil || w.vis.last.what != "test the connection" {
		return r, errors.New(`no connection was tested: add "When the provider's connection is tested"`)
	}
	a := w.vis.last
	if a.status != http.StatusOK {
		return r, fmt.Errorf("the connection test answered %s, expected HTTP 200 with ok and a message", a)
	}
	if err := json.Unmarshal(a.body, &r); err != nil {
		return r, fmt.Errorf("the connection test answered %s: %v", a.body, err)
	}
	if strings.TrimSpace(r.Message) == "" {
		return r, fmt.Errorf("the connection test answered no message: %s", a.body)
	}
	return r, nil
}

func (w *World) connectionTestSucceeds() error {
	r, err := w.testResult()
	if err != nil {
		return err
	}
	if !r.OK {
		return fmt.Errorf("the connection test failed: %s", r.Message)
	}
	return nil
}

func (w *World) connectionTestFails(text string) error {
	r, err := w.testResult()
	if err != nil {
		return err
	}
	if r.OK {
		return fmt.Errorf("the connection test succeeded (%s), expected it to fail with %q", r.Message, text)
	}
	if !containsFold(r.Message, text) {
		return fmt.Errorf("the connection test failed with %q, which does not contain %q", r.Message, text)
	}
	return nil
}

func (w *World) providerEdited(field, value string) error {
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	key := providerFields[strings.ToLower(field)]
	a, err := v.try("edit the provider", http.MethodPut, "/providers/"+v.prov.ID, map[string]any{key: value})
	if err != nil {
		return err
	}
	if a.status == http.StatusOK {
		switch key {
		case "password":
			v.prov.Password = value
		case "url":
			v.prov.URL = value
		case "username":
			v.prov.Username = value
		case "name":
			v.prov.Name = value
		}
	}
	return nil
}

func (w *World) providerDeleted() error {
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	return v.must("delete the provider", http.MethodDelete, "/providers/"+v.prov.ID, nil, nil, http.StatusOK)
}

func (w *World) providerGone() error {
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	a, err := v.call("read the provider", http.MethodGet, "/providers/"+v.prov.ID, nil)
	if err != nil {
		return err
	}
	if a.status != http.StatusNotFound {
		return fmt.Errorf("GET /v1/providers/%s answered %s, expected 404", v.prov.ID, a)
	}
	var list []genetec.Provider
	if err := v.must("list the providers", http.MethodGet, "/providers", nil, &list, http.StatusOK); err != nil {
		return err
	}
	for _, p := range list {
		if p.ID == v.prov.ID {
			return fmt.Errorf("the providers still list provider %s (%q)", p.ID, p.Name)
		}
	}
	return nil
}

// Refresh.

func (w *World) providerRefreshed() error {
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	_, err = v.try("refresh", http.MethodPost, "/providers/"+v.prov.ID+"/refresh", nil)
	return err
}

func (w *World) refreshFails(text string) error {
	if w.vis == nil || w.vis.last.what != "refresh" {
		return errors.New(`the provider was not refreshed: add "When the provider is refreshed"`)
	}
	a := w.vis.last
	if a.status != http.StatusBadGateway {
		return fmt.Errorf("the refresh answered %s, expected a 502 with Security Center's error", a)
	}
	if !containsFold(a.message(), text) {
		return fmt.Errorf("the refresh failed with %q, which does not contain %q", a.message(), text)
	}
	return nil
}

// synced reads the provider's synced list (cardholder groups, access
// rules, badge types) as the connector keeps it.
func (w *World) synced(list string) ([]string, error) {
	v, err := w.needProvider()
	if err != nil {
		return nil, err
	}
	var p genetec.Provider
	if err := v.must("read the provider", http.MethodGet, "/providers/"+v.prov.ID, nil, &p, http.StatusOK); err != nil {
		return nil, err
	}
	if p.Synced == nil {
		return nil, fmt.Errorf("provider %s holds no synced lists: it was never refreshed", p.ID)
	}
	var named []genetec.Named
	switch list {
	case "cardholder groups":
		named = p.Synced.CardholderGroups
	case "access rules":
		named = p.Synced.AccessRules
	case "badge types":
		named = p.Synced.BadgeTypes
	default:
		return nil, fmt.Errorf("no synced list %q", list)
	}
	names := make([]string, len(named))
	for i, n := range named {
		names[i] = n.Name
	}
	return names, nil
}

func (w *World) syncedInclude(list, name string) error {
	names, err := w.synced(list)
	if err != nil {
		return err
	}
	if !slices.Contains(names, name) {
		return fmt.Errorf("the synced %s are %s: no %q", list, quoteList(names), name)
	}
	return nil
}

func (w *World) syncedExclude(list, name string) error {
	names, err := w.synced(list)
	if err != nil {
		return err
	}
	if slices.Contains(names, name) {
		return fmt.Errorf("the synced %s include %q: %s", list, name, quoteList(names))
	}
	return nil
}

// securityCenterGetsGroup creates a cardholder group in the simulated
// Security Center, through its Web SDK.
func (w *World) securityCenterGetsGroup(name string) error {
	if err := w.needSimulatedGenetec("creating a cardholder group"); err != nil {
		return err
	}
	cl, err := w.webSDK(w.defaultProvider("HQ"))
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	if _, err := cl.Create(ctx, "entity=NewEntity(CardholderGroup),Name="+name); err != nil {
		return fmt.Errorf("creating cardholder group %q in Security Center: %w", name, err)
	}
	return nil
}

// Badges.

func (w *World) badgeCreated(name, uniqueID, typ string) error {
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	var b genetec.Badge
	if err := v.must("create a badge", http.MethodPost, "/providers/"+v.prov.ID+"/badges",
		map[string]any{"name": name, "unique_id": uniqueID, "badge_type": typ}, &b, http.StatusCreated); err != nil {
		return err
	}
	v.badges[name] = b.ID
	return nil
}

func (w *World) badgeRefused(name, uniqueID, typ, text string) error {
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	a, err := v.try("create a badge", http.MethodPost, "/providers/"+v.prov.ID+"/badges",
		map[string]any{"name": name, "unique_id": uniqueID, "badge_type": typ})
	if err != nil {
		return err
	}
	if a.status != http.StatusBadRequest {
		return fmt.Errorf("creating badge %q with unique ID %q of type %q answered %s, expected a 400", name, uniqueID, typ, a)
	}
	if !containsFold(a.message(), text) {
		return fmt.Errorf("creating badge %q was refused with %q, which does not contain %q", name, a.message(), text)
	}
	bs, err := v.badgeList()
	if err != nil {
		return err
	}
	for _, b := range bs {
		if b.Name == name {
			return fmt.Errorf("the refused badge %q was saved all the same (id %s)", name, b.ID)
		}
	}
	return nil
}

func (v *visitors) badgeList() ([]genetec.Badge, error) {
	var bs []genetec.Badge
	err := v.must("list the badges", http.MethodGet, "/providers/"+v.prov.ID+"/badges", nil, &bs, http.StatusOK)
	return bs, err
}

func (w *World) providerHasBadge(name, uniqueID, typ string) error {
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	bs, err := v.badgeList()
	if err != nil {
		return err
	}
	var names []string
	for _, b := range bs {
		if b.Name != name {
			names = append(names, b.Name)
			continue
		}
		if b.UniqueID != uniqueID || b.BadgeType != typ {
			return fmt.Errorf("badge %q has unique ID %q and type %q, expected %q and %q", name, b.UniqueID, b.BadgeType, uniqueID, typ)
		}
		return nil
	}
	return fmt.Errorf("the provider has no badge %q (it has %s)", name, quoteList(names))
}

// User groups.

func (w *World) userMayAssign(user, group string) error {
	v, err := w.visitorConnector()
	if err != nil {
		return err
	}
	return v.must("create a user group", http.MethodPost, "/user-groups", map[string]any{
		"name": group + " assigners", "cardholder_groups": []string{group}, "users": []string{user}}, nil, http.StatusCreated)
}

// Visits.

// splitName splits "Grace Hopper" into its first and last names.
func splitName(name string) (first, last string) {
	first, last, _ = strings.Cut(strings.TrimSpace(name), " ")
	return first, strings.TrimSpace(last)
}

func (w *World) visitorSignsIn(name, badge, group, by string) error {
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	id, ok := v.badges[badge]
	if !ok {
		return fmt.Errorf("no badge %q was created in this scenario", badge)
	}
	first, last := splitName(name)
	a, err := v.try("sign-in", http.MethodPost, "/visits", map[string]any{
		"location": v.prov.Location, "visitor": map[string]string{"first_name": first, "last_name": last},
		"badge": id, "cardholder_groups": []string{group}, "by": by})
	if err != nil {
		return err
	}
	v.signIn[name] = a
	if a.status == http.StatusCreated {
		var vis genetec.Visit
		if err := json.Unmarshal(a.body, &vis); err != nil || vis.ID == "" {
			return fmt.Errorf("the sign-in answered 201 without the visit's id: %s", a.body)
		}
		v.visits[name] = vis.ID
	}
	return nil
}

func (w *World) signInRefused(status int, text string) error {
	if w.vis == nil || w.vis.last.what != "sign-in" {
		return errors.New("no visitor signed in since the last request")
	}
	a := w.vis.last
	if a.status != status {
		return fmt.Errorf("the sign-in answered %s, expected HTTP %d", a, status)
	}
	if !containsFold(a.message(), text) {
		return fmt.Errorf("the sign-in was refused with %q, which does not contain %q", a.message(), text)
	}
	return nil
}

// visit reads the last visit of a visitor.
func (w *World) visit(name string) (genetec.Visit, error) {
	var vis genetec.Visit
	if w.vis == nil {
		return vis, errors.New("no visitor connector")
	}
	if a, ok := w.vis.signIn[name]; ok && a.status != http.StatusCreated {
		return vis, fmt.Errorf("the last sign-in of %q was refused: %s", name, a)
	}
	id, ok := w.vis.visits[name]
	if !ok {
		return vis, fmt.Errorf("%q has not signed in in this scenario", name)
	}
	err := w.vis.must("read the visit", http.MethodGet, "/visits/"+id, nil, &vis, http.StatusOK)
	return vis, err
}

// settledVisit reads the visitor's last visit; while it is
// pending-deactivation and want is another state, it reads it again (up to
// waitAPI): a deactivation Security Center has not confirmed yet is
// retried by the connector in the background.
func (w *World) settledVisit(name, want string) (genetec.Visit, error) {
	deadline := time.Now().Add(waitAPI)
	for {
		vis, err := w.visit(name)
		if err != nil || vis.State != genetec.StatePendingDeactivation || want == genetec.StatePendingDeactivation ||
			time.Now().After(deadline) {
			return vis, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (w *World) visitIs(name, state string) error {
	vis, err := w.settledVisit(name, state)
	if err != nil {
		return err
	}
	if vis.State != state {
		return fmt.Errorf("the visit of %q is %q, expected %q (end reason %q, last error %q)", name, vis.State, state, vis.EndReason, vis.LastError)
	}
	return nil
}

func (w *World) visitEndedWith(name, reason string) error {
	vis, err := w.settledVisit(name, genetec.StateEnded)
	if err != nil {
		return err
	}
	if vis.State != genetec.StateEnded || vis.EndReason != reason {
		return fmt.Errorf("the visit of %q is %q with end reason %q, expected it ended with %q (last error %q)", name, vis.State, vis.EndReason, reason, vis.LastError)
	}
	return nil
}

func (w *World) activeVisits(names string) error {
	v, err := w.visitorConnector()
	if err != nil {
		return err
	}
	var list []genetec.Visit
	if err := v.must("list the active visits", http.MethodGet, "/visits?active=true", nil, &list, http.StatusOK); err != nil {
		return err
	}
	var got []string
	for _, vis := range list {
		if vis.State != genetec.StateActive {
			return fmt.Errorf("?active=true lists visit %s in state %q", vis.ID, vis.State)
		}
		got = append(got, strings.TrimSpace(vis.Visitor.FirstName+" "+vis.Visitor.LastName))
	}
	want := namesList(names)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("the active visits are %s, expected %s", quoteList(got), quoteList(want))
	}
	return nil
}

// namesList splits "a, b" into its items; "none" (or "") is no item.
func namesList(s string) []string {
	if strings.TrimSpace(s) == "" || strings.EqualFold(strings.TrimSpace(s), "none") {
		return []string{}
	}
	var out []string
	for _, x := range strings.Split(s, ",") {
		out = append(out, strings.TrimSpace(x))
	}
	return out
}

func (w *World) visitorSignsOut(name string) error {
	vis, err := w.visit(name)
	if err != nil {
		return err
	}
	return w.vis.must("sign out", http.MethodPost, "/visits/"+vis.ID+"/signout", nil, nil, http.StatusOK, http.StatusAccepted)
}

func (w *World) badgeDeactivated(by, name string) error {
	vis, err := w.visit(name)
	if err != nil {
		return err
	}
	return w.vis.must("deactivate the badge", http.MethodPost, "/visits/"+vis.ID+"/deactivate", map[string]string{"by": by}, nil,
		http.StatusOK, http.StatusAccepted)
}

func (w *World) endOfDayRun(location string) error {
	v, err := w.visitorConnector()
	if err != nil {
		return err
	}
	return v.must("end the day", http.MethodPost, "/locations/"+url.PathEscape(location)+"/end-of-day", nil, nil, http.StatusOK)
}

// connectorClockReaches moves the site clock (the connector's) forward to
// a time of day, then runs the connector's end-of-day check, as its
// once-a-second loop does.
func (w *World) connectorClockReaches(hhmm string) error {
	if err := w.needSimulatedGenetec("moving the connector's clock"); err != nil {
		return err
	}
	v, err := w.visitorConnector()
	if err != nil {
		return err
	}
	if err := w.clockAt(hhmm); err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	v.c.Tick(ctx)
	return nil
}

// Accesses.

// accesses waits until the visit's accesses satisfy ok (polling the API,
// up to waitAPI) and returns the last ones read.
func (w *World) accesses(name string, ok func([]genetec.Access) bool) ([]genetec.Access, bool, error) {
	vis, err := w.visit(name)
	if err != nil {
		return nil, false, err
	}
	deadline := time.Now().Add(waitAPI)
	for {
		var as []genetec.Access
		if err := w.vis.must("read the accesses", http.MethodGet, "/visits/"+vis.ID+"/accesses", nil, &as, http.StatusOK); err != nil {
			return nil, false, err
		}
		if ok(as) {
			return as, true, nil
		}
		if time.Now().After(deadline) {
			return as, false, nil
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func describeAccesses(as []genetec.Access) string {
	if len(as) == 0 {
		return "none"
	}
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.Door + " " + outcome(a)
		if !a.Granted && a.Reason != "" {
			s[i] += " (" + a.Reason + ")"
		}
	}
	return strings.Join(s, ", ")
}

func outcome(a genetec.Access) string {
	if a.Granted {
		return "granted"
	}
	return "refused"
}

func (w *World) accessGranted(name, door string) error {
	as, ok, err := w.accesses(name, func(as []genetec.Access) bool {
		return slices.ContainsFunc(as, func(a genetec.Access) bool { return a.Door == door && a.Granted })
	})
	if err != nil || ok {
		return err
	}
	return fmt.Errorf("the visit of %q has no access granted at %q within %v: its accesses are %s", name, door, waitAPI, describeAccesses(as))
}

func (w *World) accessRefused(name, door, reason string) error {
	as, ok, err := w.accesses(name, func(as []genetec.Access) bool {
		return slices.ContainsFunc(as, func(a genetec.Access) bool { return a.Door == door && !a.Granted && a.Reason == reason })
	})
	if err != nil || ok {
		return err
	}
	return fmt.Errorf("the visit of %q has no access refused at %q with reason %q within %v: its accesses are %s", name, door, reason, waitAPI, describeAccesses(as))
}

// journalAccesses counts the access events of a visit's card in the
// simulated world's journal during the visit (ok false without one).
func (w *World) journalAccesses(name string) (int, bool) {
	if w.w == nil {
		return 0, false
	}
	vis, err := w.visit(name)
	if err != nil || vis.Card == "" {
		return 0, false
	}
	j := w.w.Journal()
	n := 0
	var buf []sim.Event
	after := uint64(0)
	if f := j.First(); f > 0 {
		after = f - 1
	}
	for {
		buf, _ = j.Read(after, buf[:0], 1024)
		if len(buf) == 0 {
			return n, true
		}
		after = buf[len(buf)-1].Seq
		for i := range buf {
			e := &buf[i]
			if !e.Type.IsAccess() || e.Card != vis.Card || e.Time.Before(vis.SignedInAt.Time) ||
				!vis.EndedAt.IsZero() && !e.Time.Before(vis.EndedAt.Time) {
				continue
			}
			n++
		}
	}
}

// accessesAre: the visit's accesses, in order, are exactly these ("Front
// Door granted, Shop Front refused"): none lost, none doubled.
func (w *World) accessesAre(name, list string) error {
	var want []string
	for _, x := range namesList(list) {
		f := strings.Fields(x)
		if len(f) < 2 || (f[len(f)-1] != "granted" && f[len(f)-1] != "refused") {
			return fmt.Errorf("%q: write each access as <door> granted or <door> refused", x)
		}
		want = append(want, strings.Join(f, " "))
	}
	got := func(as []genetec.Access) []string {
		out := make([]string, len(as))
		for i, a := range as {
			out[i] = a.Door + " " + outcome(a)
		}
		return out
	}
	// Wait for every access the visit really had — on the simulated site
	// the world's journal says how many — or, on a real server, for as
	// many as expected: comparing as soon as the expected number arrived
	// would miss a doubled or extra one still on its way.
	need := len(want)
	if n, ok := w.journalAccesses(name); ok {
		need = max(need, n)
	}
	as, _, err := w.accesses(name, func(as []genetec.Access) bool { return len(as) >= need })
	if err != nil {
		return err
	}
	if g := got(as); !slices.Equal(g, want) {
		return fmt.Errorf("the accesses of the visit of %q are %s, expected %s", name, quoteList(g), quoteList(want))
	}
	return nil
}

// Security Center, through its Web SDK.

// webSDK is a Web SDK client of the provider's Security Center.
func (w *World) webSDK(p providerSettings) (*websdk.Client, error) {
	cfg := websdk.Config{URL: p.URL, Username: p.Username, Password: p.Password, AppID: p.AppID, Insecure: p.Insecure,
		Timeout: 5 * time.Second}
	if !w.gen.Real() {
		cfg.HTTPClient = w.gts.Client()
	}
	return websdk.New(cfg)
}

// entityState reads an entity's members and its Status.State.
func readEntity(ctx context.Context, cl *websdk.Client, guid string, members ...string) (map[string]json.RawMessage, string, error) {
	raw, err := cl.Read(ctx, "entity="+guid+","+strings.Join(append(members, "Status"), ","))
	if err != nil {
		return nil, "", fmt.Errorf("reading entity %s in Security Center: %w", guid, err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, "", fmt.Errorf("entity %s: %v: %s", guid, err, raw)
	}
	var st struct{ State string }
	_ = json.Unmarshal(m["Status"], &st)
	return m, st.State, nil
}

func jsonString(raw json.RawMessage) string {
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

const emptyGUID = "00000000-0000-0000-0000-000000000000"

// badgeCredential is a badge's credential GUID in Security Center.
func (w *World) badgeCredential(badge string) (string, error) {
	v, err := w.needProvider()
	if err != nil {
		return "", err
	}
	id, ok := v.badges[badge]
	if !ok {
		return "", fmt.Errorf("no badge %q was created in this scenario", badge)
	}
	var b genetec.Badge
	if err := v.must("read the badge", http.MethodGet, "/providers/"+v.prov.ID+"/badges/"+id, nil, &b, http.StatusOK); err != nil {
		return "", err
	}
	if b.CredentialGUID == "" {
		return "", fmt.Errorf("badge %q has no credential in Security Center: it was never provisioned", badge)
	}
	return strings.ToLower(b.CredentialGUID), nil
}

// securityCenterShowsVisitor: Security Center holds the visit's visitor
// (its names), active, a member of the cardholder group, holding the
// badge's credential, active.
func (w *World) securityCenterShowsVisitor(name, group, badge string) error {
	vis, err := w.visit(name)
	if err != nil {
		return err
	}
	cred, err := w.badgeCredential(badge)
	if err != nil {
		return err
	}
	if strings.ToLower(vis.CredentialGUID) != cred {
		return fmt.Errorf("the visit of %q holds credential %s, badge %q is %s", name, vis.CredentialGUID, badge, cred)
	}
	if vis.VisitorGUID == "" {
		return fmt.Errorf("the visit of %q has no visitor in Security Center (state %q, last error %q)", name, vis.State, vis.LastError)
	}
	groupGUID := ""
	for _, g := range w.vis.prov.syncedGroups(w) {
		if g.Name == group {
			groupGUID = strings.ToLower(g.GUID)
		}
	}
	if groupGUID == "" {
		return fmt.Errorf("cardholder group %q is not in the provider's synced list", group)
	}
	cl, err := w.webSDK(*w.vis.prov)
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	m, state, err := readEntity(ctx, cl, vis.VisitorGUID, "FirstName", "LastName", "Groups")
	if err != nil {
		return err
	}
	if got := strings.TrimSpace(jsonString(m["FirstName"]) + " " + jsonString(m["LastName"])); got != name {
		return fmt.Errorf("Security Center's visitor %s is %q, expected %q", vis.VisitorGUID, got, name)
	}
	if state != "Active" {
		return fmt.Errorf("Security Center's visitor %q is %q, expected Active", name, state)
	}
	var groups []string
	_ = json.Unmarshal(m["Groups"], &groups)
	if !slices.ContainsFunc(groups, func(g string) bool { return strings.EqualFold(g, groupGUID) }) {
		return fmt.Errorf("Security Center's visitor %q is not a member of %q (%s); its groups are %v", name, group, groupGUID, groups)
	}
	m, state, err = readEntity(ctx, cl, cred, "CardholderGuid")
	if err != nil {
		return err
	}
	if h := strings.ToLower(jsonString(m["CardholderGuid"])); h != strings.ToLower(vis.VisitorGUID) {
		return fmt.Errorf("in Security Center badge %q's credential is held by %q, not the visitor %s", badge, h, vis.VisitorGUID)
	}
	if state != "Active" {
		return fmt.Errorf("in Security Center badge %q's credential is %q, expected Active", badge, state)
	}
	return nil
}

// securityCenterShowsBadgeFree: the badge's credential is inactive and
// assigned to no cardholder. It is read again (up to waitAPI) until it is:
// a deactivation Security Center has not confirmed yet is retried by the
// connector in the background.
func (w *World) securityCenterShowsBadgeFree(badge string) error {
	cred, err := w.badgeCredential(badge)
	if err != nil {
		return err
	}
	cl, err := w.webSDK(*w.vis.prov)
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	deadline := time.Now().Add(waitAPI)
	for {
		m, state, err := readEntity(ctx, cl, cred, "CardholderGuid")
		if err != nil {
			return err
		}
		h := strings.ToLower(jsonString(m["CardholderGuid"]))
		switch {
		case h != "" && h != emptyGUID:
			err = fmt.Errorf("in Security Center badge %q's credential is still assigned to cardholder %s", badge, h)
		case state == "Active":
			err = fmt.Errorf("in Security Center badge %q's credential is still Active", badge)
		default:
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// syncedGroups are the provider's synced cardholder groups (none when it
// cannot read them).
func (p *providerSettings) syncedGroups(w *World) []genetec.Named {
	var got genetec.Provider
	if err := w.vis.must("read the provider", http.MethodGet, "/providers/"+p.ID, nil, &got, http.StatusOK); err != nil || got.Synced == nil {
		return nil
	}
	return got.Synced.CardholderGroups
}

// The event stream.

// streamConns is the connector's transport to the simulated Web SDK: it
// keeps the connection of each event stream the connector opens (GET
// …/events), so that a step can cut the one that is open, and whether the
// connector subscribed (GET …/events/subscribe) since it opened the last.
type streamConns struct {
	base       *http.Transport
	mu         sync.Mutex
	last       net.Conn // the connection of the last stream opened
	subscribed bool     // a subscription succeeded since the last stream was opened
}

func (s *streamConns) RoundTrip(r *http.Request) (*http.Response, error) {
	path := strings.ToLower(r.URL.Path)
	switch {
	case r.Method == http.MethodGet && strings.HasSuffix(path, "/events"):
		s.mu.Lock()
		s.subscribed = false
		s.mu.Unlock()
		trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
			s.mu.Lock()
			s.last = i.Conn
			s.mu.Unlock()
		}}
		r = r.WithContext(httptrace.WithClientTrace(r.Context(), trace))
	case strings.HasSuffix(path, "/events/subscribe"):
		resp, err := s.base.RoundTrip(r)
		if err == nil && resp.StatusCode == http.StatusOK {
			s.mu.Lock()
			s.subscribed = true
			s.mu.Unlock()
		}
		return resp, err
	}
	return s.base.RoundTrip(r)
}

// subscribedSinceOpen reports whether the connector subscribed since it
// opened its last stream.
func (s *streamConns) subscribedSinceOpen() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subscribed
}

// cut closes the connection of the open event stream: the connector's
// read of it fails mid-stream, as when the network drops it.
func (s *streamConns) cut() error {
	s.mu.Lock()
	c := s.last
	s.last = nil
	s.mu.Unlock()
	if c == nil {
		return errors.New("the connector has no event stream open")
	}
	return c.Close()
}

// followingStream checks that the connector can have its stream cut: a
// provider, the simulator, the stream open and subscribed.
func (w *World) followingStream() (*visitors, error) {
	if err := w.needSimulatedGenetec("cutting the event stream"); err != nil {
		return nil, err
	}
	v, err := w.needProvider()
	if err != nil {
		return nil, err
	}
	ch, err := v.following()
	if err != nil {
		return nil, err
	}
	v.follow = ch
	return v, nil
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

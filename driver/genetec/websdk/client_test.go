package websdk_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec/websdk"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/fault"
	"github.com/pacsim/pacsim/sim/simtest"
)

// The keep-alive answers Ok on the untouched default site.
func TestKeepAliveDefaultSite(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	cl := newClient(t, config(s))
	require.NoError(t, cl.KeepAlive(context.Background()))
}

// Every request carries Basic user;app:password and Accept text/json.
func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg, rec := recorded(s, config(s))
	cl := newClient(t, cfg)
	ctx := context.Background()
	require.NoError(t, cl.KeepAlive(ctx))
	_, err := cl.Read(ctx, "entity=00000000-0000-0000-0000-000000000007,Name")
	require.NoError(t, note(t, cfg, err))
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.Username+";"+cfg.AppID+":"+cfg.Password))
	calls := rec.list()
	require.Len(t, calls, 2)
	for _, c := range calls {
		assert.Equal(t, "text/json", c.Accept)
		assert.Equal(t, want, c.Auth)
		assert.Equal(t, 200, c.Status)
	}
	assert.Equal(t, "/WebSdk/", calls[0].Path)
	assert.Equal(t, "/WebSdk/entity", calls[1].Path)
}

// A wrong password is retried once (the session may have been dropped),
// then reported as an *AuthError.
func TestWrongPassword(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cfg.Password = "not-the-Pw-77"
	cfg, rec := recorded(s, cfg)
	cl := newClient(t, cfg)
	err := note(t, cfg, cl.KeepAlive(context.Background()))
	var ae *websdk.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 401, ae.Status)
	assert.False(t, ae.Forbidden)
	assert.Contains(t, err.Error(), "HTTP 401")
	assert.Len(t, rec.list(), 2, "one request and one retry")
}

// An application Security Center does not know is a 403, not retried.
func TestUnknownApplication(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cfg.AppID = "no-such-app"
	cfg, rec := recorded(s, cfg)
	cl := newClient(t, cfg)
	err := note(t, cfg, cl.KeepAlive(context.Background()))
	var ae *websdk.AuthError
	require.ErrorAs(t, err, &ae)
	assert.True(t, ae.Forbidden)
	assert.Equal(t, 403, ae.Status)
	assert.EqualError(t, err, "Security Center refused application no-such-app (HTTP 403): its licence part is not in the licence")
	assert.Len(t, rec.list(), 1, "a 403 is not retried")
}

// A licence without the visitor connector's part refuses its application,
// while the development application still connects.
func TestUnlicensedApplication(t *testing.T) {
	t.Parallel()
	s := startSite(t, func(sf *sim.SiteFile) { sf.Genetec.LicenceParts = []string{"GSC-SDK"} })
	ctx := context.Background()
	require.NoError(t, newClient(t, config(s)).KeepAlive(ctx))

	cfg := config(s)
	cfg.AppID = sim.GenetecVisitorsAppID
	err := note(t, cfg, newClient(t, cfg).KeepAlive(ctx))
	var ae *websdk.AuthError
	require.ErrorAs(t, err, &ae)
	assert.True(t, ae.Forbidden)
	assert.EqualError(t, err, "Security Center refused application pacsim-visitors (HTTP 403): its licence part is not in the licence")
}

// Create, Read, Query, Entity, Exists and Delete on a cardholder.
func TestCardholderRoundTrip(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cl := newClient(t, cfg)
	ctx := context.Background()

	// A space and an ampersand travel percent-encoded.
	g, err := cl.Create(ctx, "entity=NewEntity(Cardholder),FirstName=Grace,LastName=Hopper & Co")
	require.NoError(t, note(t, cfg, err))
	require.NotEmpty(t, g)

	raw, err := cl.Read(ctx, "entity="+g+",FirstName,LastName")
	require.NoError(t, note(t, cfg, err))
	assert.JSONEq(t, `{"FirstName":"Grace","LastName":"Hopper & Co"}`, string(raw))

	res, err := cl.Query(ctx, "entity="+g+",FirstName=Ada Grace")
	require.NoError(t, note(t, cfg, err))
	assert.Nil(t, res, "a set answers no Result")

	raw, err = cl.Entity(ctx, g)
	require.NoError(t, note(t, cfg, err))
	var ent struct{ Guid, FirstName, LastName string }
	require.NoError(t, json.Unmarshal(raw, &ent))
	assert.True(t, strings.EqualFold(g, ent.Guid), "%s vs %s", g, ent.Guid)
	assert.Equal(t, "Ada Grace", ent.FirstName)
	assert.Equal(t, "Hopper & Co", ent.LastName)

	ok, err := cl.Exists(ctx, g)
	require.NoError(t, note(t, cfg, err))
	assert.True(t, ok)

	require.NoError(t, note(t, cfg, cl.Delete(ctx, g)))
	ok, err = cl.Exists(ctx, g)
	require.NoError(t, note(t, cfg, err))
	assert.False(t, ok, "a deleted entity does not exist")

	_, err = cl.Entity(ctx, g)
	var se *websdk.SdkError
	require.ErrorAs(t, note(t, cfg, err), &se)
	assert.Equal(t, "UnableToRetrieveEntity", se.Code)
	err = note(t, cfg, cl.Delete(ctx, g))
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "UnableToRetrieveEntity", se.Code)

	// Create keeps a ",Guid" the caller wrote.
	g2, err := cl.Create(ctx, "entity=NewEntity(Cardholder),FirstName=Alan,Guid")
	require.NoError(t, note(t, cfg, err))
	assert.NotEqual(t, g, g2)
}

// A query Security Center cannot run answers Fail InvalidOperation.
func TestSdkError(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cl := newClient(t, cfg)
	ctx := context.Background()
	ada := adaGUID(t, ctx, cl)

	for _, q := range []string{"entity=" + ada + ",NoSuchProperty", "entity=" + ada + ",FirstName=(((", "entity=" + ada + ",NoSuchMethod()"} {
		_, err := cl.Read(ctx, q)
		var se *websdk.SdkError
		require.ErrorAs(t, note(t, cfg, err), &se, q)
		assert.Equal(t, "InvalidOperation", se.Code, q)
		assert.NotEmpty(t, se.Message, q)
		assert.Contains(t, err.Error(), "InvalidOperation")
	}
	_, _, err := cl.Report(ctx, "EntityConfiguration", "Nonsense=1")
	var se *websdk.SdkError
	require.ErrorAs(t, note(t, cfg, err), &se)
	assert.Equal(t, "InvalidOperation", se.Code)
}

// Transport faults come back as the matching error types.
func TestFaultStatus(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	addFault(t, s, fault.Fault{Kind: fault.KindStatus, Params: fault.Params{Status: 503}})
	err := note(t, cfg, newClient(t, cfg).KeepAlive(context.Background()))
	var he *websdk.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 503, he.Status)
	assert.LessOrEqual(t, len(he.Body), 200+len("…"))
	assert.Contains(t, err.Error(), "503")
}

func TestFaultMalformed(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	addFault(t, s, fault.Fault{Kind: fault.KindMalformed, Params: fault.Params{Mode: "truncate", At: 10}})
	err := note(t, cfg, newClient(t, cfg).KeepAlive(context.Background()))
	var pe *websdk.ProtocolError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.What, "invalid JSON")
	assert.Equal(t, `{"Rsp":{"S`, pe.Body)
}

func TestFaultGarbled(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	addFault(t, s, fault.Fault{Kind: fault.KindMalformed, Params: fault.Params{Mode: "garble"}})
	_, err := newClient(t, cfg).Entity(context.Background(), "00000000-0000-0000-0000-000000000007")
	var pe *websdk.ProtocolError
	require.ErrorAs(t, note(t, cfg, err), &pe)
	assert.NotContains(t, pe.Body, "\x00", "control characters are not repeated")
}

func TestFaultEmpty(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	addFault(t, s, fault.Fault{Kind: fault.KindEmpty})
	err := note(t, cfg, newClient(t, cfg).KeepAlive(context.Background()))
	var pe *websdk.ProtocolError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.What, "empty")
}

// A server that holds the request past Config.Timeout is a timeout naming
// the host.
func TestFaultHang(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cfg.Timeout = 200 * time.Millisecond
	addFault(t, s, fault.Fault{Kind: fault.KindHang})
	err := note(t, cfg, newClient(t, cfg).KeepAlive(context.Background()))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var ne *websdk.NetError
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.IsTimeout())
	u, _ := url.Parse(s.GenetecURL())
	assert.Contains(t, err.Error(), u.Host)
	assert.Contains(t, err.Error(), "200ms")
}

// The caller's own context ending is not reported as our timeout.
func TestCallerContextCancelled(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := note(t, cfg, newClient(t, cfg).KeepAlive(ctx))
	assert.ErrorIs(t, err, context.Canceled)
	var ne *websdk.NetError
	require.ErrorAs(t, err, &ne)
	assert.Zero(t, ne.Timeout)
}

func TestFaultReset(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	addFault(t, s, fault.Fault{Kind: fault.KindReset})
	err := note(t, cfg, newClient(t, cfg).KeepAlive(context.Background()))
	var ne *websdk.NetError
	require.ErrorAs(t, err, &ne)
	u, _ := url.Parse(s.GenetecURL())
	assert.Equal(t, u.Host, ne.Host)
	assert.Contains(t, err.Error(), u.Host)
}

// The application fault of the Web SDK itself is an *SdkError.
func TestFaultAppFault(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	addFault(t, s, fault.Fault{Kind: fault.KindAppFault, Params: fault.Params{Code: "SdkRequestError", Message: "role busy"}})
	err := note(t, cfg, newClient(t, cfg).KeepAlive(context.Background()))
	var se *websdk.SdkError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "SdkRequestError", se.Code)
}

// An answer over MaxBody stops being read.
func TestMaxBody(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cfg.MaxBody = 100
	cl := newClient(t, cfg)
	ctx := context.Background()
	require.NoError(t, cl.KeepAlive(ctx), "a small answer fits")
	_, err := cl.Entity(ctx, "00000000-0000-0000-0000-000000000007")
	var pe *websdk.ProtocolError
	require.ErrorAs(t, note(t, cfg, err), &pe)
	assert.ErrorIs(t, err, websdk.ErrTooLarge)
	assert.Contains(t, err.Error(), "100 bytes")
}

// The certificate is verified unless Insecure is set.
func TestTLSVerification(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	ctx := context.Background()
	cfg := config(s)
	cfg.HTTPClient = nil
	err := note(t, cfg, newClient(t, cfg).KeepAlive(ctx))
	var ne *websdk.NetError
	require.ErrorAs(t, err, &ne, "the test certificate is not trusted by default")
	assert.Contains(t, err.Error(), "certificate")

	cfg.Insecure = true
	require.NoError(t, newClient(t, cfg).KeepAlive(ctx))
}

// A role with SSL off is served over plain HTTP.
func TestPlainHTTP(t *testing.T) {
	t.Parallel()
	sf := sim.DefaultSite()
	sf.Genetec.Users[0].Password = testPassword
	s := simtest.Start(t, simtest.WithSite(sf), simtest.WithGenetecPlainHTTP())
	cfg := config(s)
	cfg.HTTPClient = nil
	cfg.URL = strings.TrimSuffix(cfg.URL, "/") // the slash is optional
	require.True(t, strings.HasPrefix(cfg.URL, "http://"), cfg.URL)
	require.NoError(t, newClient(t, cfg).KeepAlive(context.Background()))
}

// A redirect is reported, not followed.
func TestRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	addFault(t, s, fault.Fault{Kind: fault.KindStatus, Params: fault.Params{Status: 302}})
	err := note(t, cfg, newClient(t, cfg).KeepAlive(context.Background()))
	var he *websdk.HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 302, he.Status)
}

// New refuses what cannot work, naming the field.
func TestNewChecksConfig(t *testing.T) {
	t.Parallel()
	ok := websdk.Config{URL: "https://sc.example.com:4590/WebSdk/", Username: "admin", AppID: "app", Password: "S3cret-pw"}
	for _, tc := range []struct {
		name  string
		edit  func(*websdk.Config)
		field string
	}{
		{"no URL", func(c *websdk.Config) { c.URL = "" }, "Config.URL"},
		{"ftp", func(c *websdk.Config) { c.URL = "ftp://sc.example.com/WebSdk/" }, "Config.URL"},
		{"no scheme", func(c *websdk.Config) { c.URL = "sc.example.com:4590/WebSdk/" }, "Config.URL"},
		{"no host", func(c *websdk.Config) { c.URL = "https:///WebSdk/" }, "Config.URL"},
		{"credentials", func(c *websdk.Config) { c.URL = "https://admin:S3cret-pw@sc.example.com:4590/WebSdk/" }, "Config.URL"},
		{"bad URL", func(c *websdk.Config) { c.URL = "https://sc.example.com:45 90/%zz" }, "Config.URL"},
		{"query", func(c *websdk.Config) { c.URL = "https://sc.example.com/WebSdk/?x=1" }, "Config.URL"},
		{"no user", func(c *websdk.Config) { c.Username = "" }, "Config.Username"},
		{"user with ;", func(c *websdk.Config) { c.Username = "a;b" }, "Config.Username"},
		{"no app", func(c *websdk.Config) { c.AppID = "" }, "Config.AppID"},
		{"app with :", func(c *websdk.Config) { c.AppID = "a:b" }, "Config.AppID"},
		{"negative timeout", func(c *websdk.Config) { c.Timeout = -time.Second }, "Config.Timeout"},
		{"negative max body", func(c *websdk.Config) { c.MaxBody = -1 }, "Config.MaxBody"},
	} {
		cfg := ok
		tc.edit(&cfg)
		_, err := websdk.New(cfg)
		require.Error(t, note(t, cfg, err), tc.name)
		assert.Contains(t, err.Error(), tc.field, tc.name)
		assert.NotContains(t, err.Error(), "S3cret-pw", tc.name)
	}
	_, err := websdk.New(ok)
	require.NoError(t, err)
	cfg := ok
	cfg.URL = "HTTP://sc.example.com:4590/WebSdk"
	_, err = websdk.New(cfg)
	require.NoError(t, err, "the scheme compares ignoring case, the slash is optional")
}

// Printing a Config or a Client never shows the password.
func TestStringsHidePassword(t *testing.T) {
	t.Parallel()
	cfg := websdk.Config{URL: "https://sc.example.com:4590/WebSdk/", Username: "admin", AppID: "app", Password: "S3cret-pw"}
	cl := newClient(t, cfg)
	for _, s := range []string{
		fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%v", &cfg),
		fmt.Sprint(cl), fmt.Sprintf("%+v", cl), fmt.Sprintf("%#v", cl),
	} {
		for _, secret := range secrets(cfg) {
			assert.NotContains(t, s, secret)
		}
	}
}

// The caller's HTTP client is copied, not changed.
func TestHTTPClientNotModified(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	hc := &http.Client{Transport: s.HTTPClient().Transport}
	cfg := config(s)
	cfg.HTTPClient = hc
	cfg.Insecure = true
	require.NoError(t, newClient(t, cfg).KeepAlive(context.Background()))
	assert.Nil(t, hc.CheckRedirect)
	assert.Same(t, s.HTTPClient().Transport, hc.Transport)
}

package entrapass_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

func newClient(t *testing.T, s *site, user, password string, opts ...entrapass.Option) *entrapass.Client {
	t.Helper()
	c, err := entrapass.NewClient(s.config(user, password), opts...)
	require.NoError(t, err)
	return c
}

// TestLoginEncrypted: the driver logs in with encrypted=1 and a
// ConnectedProgram of "56,<GUID>", as the simulator checks it, and reads the
// login answer.
func TestLoginEncrypted(t *testing.T) {
	s := newSite(t, nil)
	c := newClient(t, s, "pacsim", "pacsim")
	op, err := c.Login(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, "pacsim", op.Name)
	assert.Equal(t, "8.10.0.1234", op.ServerVersion)
	assert.Equal(t, entrapass.Version{8, 10, 0, 1234}, op.Version)
	assert.Equal(t, 5, op.PINLength)
	assert.Equal(t, 90, op.DefaultCardType)
	assert.Equal(t, "PACSIM", op.SystemName)
	assert.Equal(t, s.w.Now().UTC(), op.UTCDateTime)
	assert.Equal(t, uint64(1), c.Generation())
	assert.Equal(t, 1, s.srv.Sessions())

	// What went on the wire: everything encrypted with the password.
	u := s.lastRequest("/Login")
	require.NotNil(t, u)
	q := u.Query()
	assert.Equal(t, "1", q.Get("encrypted"))
	name, err := wire.Decrypt(q.Get("userName"), "pacsim")
	require.NoError(t, err)
	assert.Equal(t, "pacsim", name)
	pw, err := wire.Decrypt(q.Get("password"), "pacsim")
	require.NoError(t, err)
	assert.Equal(t, "pacsim", pw)
	cp, err := wire.Decrypt(q.Get("ConnectedProgram"), "pacsim")
	require.NoError(t, err)
	id, guid, ok := strings.Cut(cp, ",")
	require.True(t, ok, cp)
	assert.Equal(t, "56", id)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, guid)

	// Every login sends a new GUID (the server refuses a GUID seen
	// before), and logs the previous session out first.
	_, err = c.Login(ctx(t))
	require.NoError(t, err)
	cp2, err := wire.Decrypt(s.lastRequest("/Login").Query().Get("ConnectedProgram"), "pacsim")
	require.NoError(t, err)
	assert.NotEqual(t, cp, cp2)
	assert.Equal(t, uint64(2), c.Generation())
	assert.Equal(t, 1, s.srv.Sessions(), "the first session was logged out")

	require.NoError(t, c.Logout(ctx(t)))
	assert.Equal(t, 0, s.srv.Sessions())
	assert.False(t, c.LoggedIn())
	_, err = c.GatewaysSites(ctx(t))
	assert.ErrorIs(t, err, entrapass.ErrNotLoggedIn)
}

// TestLoginPlainVersusEncrypted: the simulator accepts a plain login (one
// public client sends only userName and password) as well as the driver's
// encrypted one, and refuses an encrypted login keyed with a wrong
// password the same way as a wrong plain password.
func TestLoginPlainVersusEncrypted(t *testing.T) {
	s := newSite(t, nil)
	get := func(q string) string {
		resp, err := http.Get(s.ts.URL + "/SmartService/Login?" + q)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return string(b)
	}
	assert.Contains(t, get("userName=pacsim&password=pacsim"), "<SessionKey>")
	assert.Contains(t, get("userName=pacsim&password=wrong"), "Error Login")

	// The driver never logs in in clear.
	c := newClient(t, s, "PacSim", "pacsim") // user names compare case-insensitively
	_, err := c.Login(ctx(t))
	require.NoError(t, err)
	for _, u := range []string{s.lastRequest("/Login").RawQuery} {
		assert.NotContains(t, u, "password=pacsim")
		assert.NotContains(t, u, "userName=pacsim")
	}
	bad := newClient(t, s, "pacsim", "wrong")
	_, err = bad.Login(ctx(t))
	assert.ErrorIs(t, err, entrapass.ErrBadLogin)
}

// TestLoginRefused: EP-CONF-BAD-LOGIN, UM-OPERATOR-HYGIENE,
// EP-COMPAT-VERSION, EP-LIC-CONNECT — each refusal is a clear error that
// says what to check.
func TestLoginRefused(t *testing.T) {
	t.Run("wrong password", func(t *testing.T) {
		s := newSite(t, nil)
		_, err := newClient(t, s, "pacsim", "not-the-password").Login(ctx(t))
		require.Error(t, err)
		assert.ErrorIs(t, err, entrapass.ErrBadLogin)
		var le *entrapass.LoginError
		require.ErrorAs(t, err, &le)
		var f *entrapass.Fault
		require.ErrorAs(t, err, &f)
		assert.Equal(t, "Error Login", f.Code)
		assert.Contains(t, err.Error(), "Username and Password")
		assert.NotContains(t, err.Error(), "not-the-password")
		assert.Equal(t, 0, s.srv.Sessions())
	})
	t.Run("unknown operator", func(t *testing.T) {
		s := newSite(t, nil)
		_, err := newClient(t, s, "nobody", "pacsim").Login(ctx(t))
		assert.ErrorIs(t, err, entrapass.ErrBadLogin)
	})
	t.Run("disabled operator", func(t *testing.T) {
		s := newSite(t, nil)
		_, err := newClient(t, s, "disabled", "disabled").Login(ctx(t))
		assert.ErrorIs(t, err, entrapass.ErrBadLogin)
		assert.Contains(t, err.Error(), "is disabled")
	})
	t.Run("expired password", func(t *testing.T) {
		s := newSite(t, nil)
		_, err := newClient(t, s, "expired", "expired").Login(ctx(t))
		assert.ErrorIs(t, err, entrapass.ErrBadLogin)
		assert.Contains(t, err.Error(), "expired on 2025-12-31")
	})
	t.Run("version 7.40", func(t *testing.T) {
		s := newSite(t, siteFile(func(ep *sim.EntraPassSpec) { ep.ServerVersion = "7.40.0.100" }))
		_, err := newClient(t, s, "pacsim", "pacsim").Login(ctx(t))
		require.Error(t, err)
		assert.ErrorIs(t, err, entrapass.ErrVersion)
		var ve *entrapass.VersionError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "7.40.0.100", ve.Got)
		assert.Contains(t, err.Error(), "7.50 or later")
		assert.Equal(t, 0, s.srv.Sessions(), "the session opened to read the version was logged out")
	})
	t.Run("version 7.50 accepted", func(t *testing.T) {
		s := newSite(t, siteFile(func(ep *sim.EntraPassSpec) { ep.ServerVersion = "7.50.0.1" }))
		_, err := newClient(t, s, "pacsim", "pacsim").Login(ctx(t))
		assert.NoError(t, err)
	})
	t.Run("no connect licence", func(t *testing.T) {
		s := newSite(t, siteFile(func(ep *sim.EntraPassSpec) { ep.Edition, ep.Licences = "Special", []string{} }))
		_, err := newClient(t, s, "pacsim", "pacsim").Login(ctx(t))
		require.Error(t, err)
		assert.ErrorIs(t, err, entrapass.ErrLicence)
		assert.Contains(t, err.Error(), "SMARTLINK_UNKNOWN_WEB_SDK_ID")
		assert.Contains(t, err.Error(), "E-GLOB-CONNECT")
	})
	t.Run("another integration id", func(t *testing.T) {
		s := newSite(t, nil)
		cfg := s.config("pacsim", "pacsim")
		cfg.IntegrationID = 57
		c, err := entrapass.NewClient(cfg)
		require.NoError(t, err)
		_, err = c.Login(ctx(t))
		assert.ErrorIs(t, err, entrapass.ErrLicence)
	})
	t.Run("corporate connect", func(t *testing.T) {
		s := newSite(t, siteFile(func(ep *sim.EntraPassSpec) {
			ep.Edition, ep.Licences, ep.CorporateIntegrationID = "Corporate", []string{"E-COR-CONNECT"}, 4242
		}))
		cfg := s.config("pacsim", "pacsim")
		_, err := entrapass.NewClient(cfg)
		require.NoError(t, err)
		c, _ := entrapass.NewClient(cfg)
		_, err = c.Login(ctx(t))
		assert.ErrorIs(t, err, entrapass.ErrLicence, "56 is not licensed on a Corporate site")
		cfg.IntegrationID = 4242
		c, _ = entrapass.NewClient(cfg)
		_, err = c.Login(ctx(t))
		assert.NoError(t, err)
	})
	t.Run("session limit", func(t *testing.T) {
		s := newSite(t, siteFile(func(ep *sim.EntraPassSpec) { ep.Operators[0].MaxSessions = 1 }))
		a := newClient(t, s, "pacsim", "pacsim")
		_, err := a.Login(ctx(t))
		require.NoError(t, err)
		_, err = newClient(t, s, "pacsim", "pacsim").Login(ctx(t))
		assert.ErrorIs(t, err, entrapass.ErrSessionLimit)
		// Logging in again with the same client logs its session out
		// first, so it never runs into its own limit.
		_, err = a.Login(ctx(t))
		assert.NoError(t, err)
	})
	t.Run("server down", func(t *testing.T) {
		s := newSite(t, nil)
		s.stop(true)
		_, err := newClient(t, s, "pacsim", "pacsim").Login(ctx(t))
		assert.ErrorIs(t, err, entrapass.ErrUnreachable)
		assert.Contains(t, err.Error(), "password=REDACTED")
		assert.NotContains(t, err.Error(), url.QueryEscape(entrapass.Encrypt("pacsim", "pacsim")))
	})
}

// TestSessionExpiry: a request whose session expired (SmartService answers
// a fault naming the SessionKey) logs the old key out, logs in again and is
// retried once, transparently.
func TestSessionExpiry(t *testing.T) {
	s := newSite(t, siteFile(func(ep *sim.EntraPassSpec) { ep.Operators[0].MaxSessions = 1 }))
	c := newClient(t, s, "pacsim", "pacsim")
	_, err := c.Login(ctx(t))
	require.NoError(t, err)
	sites, err := c.GatewaysSites(ctx(t))
	require.NoError(t, err)
	require.Len(t, sites, 2)

	s.clk.Advance(31 * time.Minute)
	sites2, err := c.GatewaysSites(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, sites, sites2)
	assert.Equal(t, uint64(2), c.Generation())
	assert.Len(t, s.sessionKeys(), 2)

	// A logged-out key is refused the same way, and replaced.
	s.srv.Close()
	require.NoError(t, c.LockDoor(ctx(t), doorFront))
	assert.Equal(t, uint64(3), c.Generation())
}

// TestCommandsAndReads exercises every read and command of the client.
func TestCommandsAndReads(t *testing.T) {
	s := newSite(t, nil)
	c := newClient(t, s, "pacsim", "pacsim")
	_, err := c.Login(ctx(t))
	require.NoError(t, err)

	sites, err := c.GatewaysSites(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, []entrapass.Light{
		{Object: "GatewaySite", ID: 2, Description: "Office", Owner: 1},
		{Object: "GatewaySite", ID: 3, Description: "Shop", Owner: 1},
	}, sites)
	relays, err := c.SiteRelays(ctx(t), siteOffice)
	require.NoError(t, err)
	assert.Len(t, relays, 4)
	assert.Equal(t, "Front Door Buzzer", relays[0].Description)
	inputs, err := c.SiteInputs(ctx(t), siteOffice)
	require.NoError(t, err)
	assert.Len(t, inputs, 8)
	doors, err := c.SiteDoors(ctx(t), siteOffice)
	require.NoError(t, err)
	require.Len(t, doors, 4)
	assert.Equal(t, entrapass.DoorRow{ID: 20, Name: "Front Door", KTType: doors[0].KTType}, doors[0])
	d, err := c.Door(ctx(t), doorFront)
	require.NoError(t, err)
	assert.Equal(t, ctrlOffice, d.Controller)
	assert.Equal(t, siteOffice, d.GatewaySiteID)

	_, err = c.Door(ctx(t), 9999)
	var f *entrapass.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, entrapass.CodeComponentNotExist, f.Code)

	require.NoError(t, c.RegisterStates(ctx(t), []int{doorFront, outBuzzer, inMotion, ctrlOffice, gwMain}))
	rows, err := c.States(ctx(t), 0)
	require.NoError(t, err)
	require.Len(t, rows, 5)
	assert.Equal(t, "20", rows[0].Value("UNIQUEID"))
	assert.Equal(t, "LOCK", rows[0].Value("LOCKSTATE"))

	require.NoError(t, c.TemporarilyUnlockDoor(ctx(t), doorFront, 5))
	ds, _ := s.w.Door(doorFront)
	assert.Equal(t, sim.LockUnlockedTemporary, ds.Lock)
	require.NoError(t, c.LockDoor(ctx(t), doorFront))
	require.NoError(t, c.UnlockDoor(ctx(t), doorFront))
	ds, _ = s.w.Door(doorFront)
	assert.Equal(t, sim.LockUnlockedOperator, ds.Lock)
	require.NoError(t, c.DisableReader(ctx(t), doorFront, true))
	rs, _ := s.w.Reader(rdFrontOut)
	assert.False(t, rs.Enabled)
	require.NoError(t, c.EnableReader(ctx(t), doorFront, true))
	require.NoError(t, c.ActivateRelay(ctx(t), outBuzzer))
	require.NoError(t, c.DeactivateRelay(ctx(t), outBuzzer))
	require.NoError(t, c.TemporarilyActivateRelay(ctx(t), outBuzzer, 64800))

	assert.Error(t, c.TemporarilyUnlockDoor(ctx(t), doorFront, 0))
	assert.Error(t, c.TemporarilyActivateRelay(ctx(t), outBuzzer, 64801))
	err = c.LockDoor(ctx(t), 9999)
	assert.ErrorAs(t, err, &f)

	evs, err := c.Events(ctx(t))
	require.NoError(t, err)
	require.NotEmpty(t, evs)
	assert.Equal(t, "Door temporarily unlocked", evs[0].Text)
	assert.Equal(t, "Front Door", evs[0].P1)
	assert.Equal(t, s.w.Now().UTC(), evs[0].Time)

	hist, err := c.EventHistory(ctx(t), s.w.Now())
	require.NoError(t, err)
	assert.Equal(t, len(evs), len(hist))

	cards, err := c.Cards(ctx(t), entrapass.CardQuery{Index: "CARDNUMBER", Filter: cardAlice, Extended: []string{"BADGING"}})
	require.NoError(t, err)
	require.Len(t, cards, 1)
	assert.Equal(t, "Alice Martin", cards[0].Value("USERNAME"))
	assert.Equal(t, "1", cards[0].Value("BADGING"))
}

// TestTransportErrorsAreRedacted: an error on a request with a session key
// shows the URL without it.
func TestTransportErrorsAreRedacted(t *testing.T) {
	s := newSite(t, nil)
	c := newClient(t, s, "pacsim", "pacsim")
	_, err := c.Login(ctx(t))
	require.NoError(t, err)
	_, err = c.GatewaysSites(ctx(t))
	require.NoError(t, err)
	keys := s.sessionKeys()
	require.Len(t, keys, 1)
	s.stop(false)
	_, err = c.GatewaysSites(ctx(t))
	require.Error(t, err)
	assert.True(t, errors.Is(err, entrapass.ErrUnreachable))
	assert.Contains(t, err.Error(), "sdKey=REDACTED")
	for _, k := range keys {
		assert.NotContains(t, err.Error(), k)
	}
}

// TestTLS: with TLS the server's certificate is verified unless
// InsecureSkipVerify is set explicitly.
func TestTLS(t *testing.T) {
	s := newSite(t, nil)
	ts := httptest.NewTLSServer(s.srv.Handler())
	t.Cleanup(ts.Close)
	u, err := url.Parse(ts.URL)
	require.NoError(t, err)
	port, err := strconv.Atoi(u.Port())
	require.NoError(t, err)
	cfg := entrapass.Config{Host: u.Hostname(), Port: port, Username: "pacsim", Password: "pacsim", TLS: true}
	c, err := entrapass.NewClient(cfg)
	require.NoError(t, err)
	assert.Equal(t, "https://"+u.Host+"/SmartService/", c.BaseURL())
	_, err = c.Login(ctx(t))
	require.Error(t, err)
	assert.ErrorIs(t, err, entrapass.ErrUnreachable)
	assert.Contains(t, err.Error(), "certificate")

	cfg.InsecureSkipVerify = true
	c, err = entrapass.NewClient(cfg)
	require.NoError(t, err)
	_, err = c.Login(ctx(t))
	require.NoError(t, err)

	// Or the caller's client, trusting the server's certificate.
	cfg.InsecureSkipVerify = false
	c, err = entrapass.NewClient(cfg, entrapass.WithHTTPClient(ts.Client()))
	require.NoError(t, err)
	_, err = c.Login(ctx(t))
	require.NoError(t, err)
}

package scenarios_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/driver/genetec"
	"github.com/pacsim/pacsim/driver/genetec/store"
	"github.com/pacsim/pacsim/scenarios"
	"github.com/pacsim/pacsim/sim/simtest"
)

// driverAt is the EntraPass driver pointed at a SmartService base URL.
func driverAt(t *testing.T, base string) *entrapass.Driver {
	t.Helper()
	u, err := url.Parse(base)
	require.NoError(t, err)
	host, port, _ := net.SplitHostPort(u.Host)
	p, _ := strconv.Atoi(port)
	d, err := entrapass.New(entrapass.Config{Host: host, Port: p, Username: "pacsim", Password: "pacsim",
		Poll: 100 * time.Millisecond})
	require.NoError(t, err)
	return d
}

// states are every asset's status and, for doors, whether its last access
// was granted.
func states(d *entrapass.Driver) map[string]string {
	out := map[string]string{}
	for _, s := range d.Registry().List() {
		v := string(s.Status)
		if s.LastAccess != nil {
			v += " last access granted=" + strconv.FormatBool(s.LastAccess.AccessGranted)
		}
		out[s.Ref.String()] = v
	}
	return out
}

// RP-REPLAY: the driver runs against the recording of its first minute on
// the default site (scenarios/recordings, made by pacsim record, redacted)
// and reaches the same asset states as against the simulator given the
// same stimuli.
func TestDriverReplaysItsFirstMinute(t *testing.T) {
	t.Parallel()
	rec, err := scenarios.Open("recordings/entrapass-driver-first-minute.jsonl")
	require.NoError(t, err)
	require.True(t, rec.Header.Redacted)
	rp, err := scenarios.NewReplayer(scenarios.ReplayConfig{Recording: rec})
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		rp.ServeHTTP(rec, r)
		if rec.Code == http.StatusNotFound {
			t.Logf("unmatched %s %s?%s: %s", r.Method, r.URL.Path, r.URL.RawQuery, rec.Body.String())
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	defer srv.Close()
	replayed := driverAt(t, srv.URL+"/SmartService/")
	ctx := context.Background()
	// The driver runs as it ran when recorded (its loop, with the card
	// cache warmed from the card list), until it has made as many requests
	// as the recording holds, less its Logout: the last answers repeat.
	run, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- replayed.Start(run) }()
	deadline := time.Now().Add(30 * time.Second)
	for rp.Served()+rp.Unmatched() < len(rec.Exchanges)-1 && time.Now().Before(deadline) {
		<-time.After(10 * time.Millisecond)
	}
	stop()
	<-done
	assert.Zero(t, rp.Unmatched(), "every request of the driver matched a recorded exchange")

	// The same minute against the simulator.
	s := simtest.Start(t)
	live := driverAt(t, s.EntraPassURL())
	require.NoError(t, live.PollOnce(ctx))
	_, err = s.Present(30, "100:1001", "") // Alice, Front Door: granted
	require.NoError(t, err)
	_, err = s.Present(33, "100:1002", "") // Bruno, Server Room: no access level
	require.NoError(t, err)
	require.NoError(t, live.Registry().Execute(ctx, asset.Ref{Type: asset.Door, ID: 21}, asset.Command{Name: "Pass", Seconds: 5}))
	_, err = s.Control().OpenDoor(ctx, 23)
	require.NoError(t, err)
	_, err = s.Control().CloseDoor(ctx, 23)
	require.NoError(t, err)
	require.NoError(t, live.Registry().Execute(ctx, asset.Ref{Type: asset.Output, ID: 70}, asset.Command{Name: "Timed Activation", Seconds: 3}))
	s.Advance(time.Minute)
	require.NoError(t, live.PollOnce(ctx))

	want, got := states(live), states(replayed)
	assert.Equal(t, want, got)
	assert.Contains(t, got["door/20"], "granted=true")
	assert.Contains(t, got["door/22"], "granted=false")
}

// recordedSignIn finds, in a recording of the visitor connector, the
// pseudonyms its sign-in sent: the visitor's names and e-mail, and the
// badge's facility and card. A redacted recording replays for the same
// (pseudonymised) input.
func recordedSignIn(t *testing.T, rec *scenarios.Recording) (first, last, email, facility, card string) {
	t.Helper()
	for _, e := range rec.Exchanges {
		q, err := url.QueryUnescape(strings.TrimPrefix(e.Request.Query, "q="))
		require.NoError(t, err)
		if strings.Contains(q, "NewEntity(Visitor)") {
			for _, term := range strings.Split(q, ",") {
				k, v, _ := strings.Cut(term, "=")
				switch k {
				case "FirstName":
					first = v
				case "LastName":
					last = v
				case "EmailAddress":
					email = v
				}
			}
		}
		if i := strings.Index(q, "NewEntity(Credential)"); i >= 0 {
			args := q[strings.Index(q, "WiegandStandardCredentialFormat(")+len("WiegandStandardCredentialFormat("):]
			args = args[:strings.Index(args, ")")]
			facility, card, _ = strings.Cut(args, ",")
		}
	}
	require.NotEmpty(t, first)
	require.NotEmpty(t, card)
	return first, last, email, facility, card
}

// RP-REPLAY for the Genetec head-end: the visitor connector runs against the
// recording of its provisioning and deactivation of one badge, and reaches
// the same visit states, with the entities Security Center created then.
func TestConnectorReplaysOneBadge(t *testing.T) {
	t.Parallel()
	rec, err := scenarios.Open("recordings/visitors-provision-one-badge.jsonl")
	require.NoError(t, err)
	require.Equal(t, scenarios.SystemGenetec, rec.Header.System)
	first, last, email, fac, card := recordedSignIn(t, rec)
	rp, err := scenarios.NewReplayer(scenarios.ReplayConfig{Recording: rec})
	require.NoError(t, err)
	srv := httptest.NewServer(rp)
	defer srv.Close()

	st, err := store.Open(filepath.Join(t.TempDir(), "v.db"), store.WithKey([]byte("0123456789abcdef0123456789abcdef")))
	require.NoError(t, err)
	defer st.Close()
	// The connector's clock stands at the recording's time, so the visit
	// ends (and the visitor departs) when it did then.
	at := rec.Header.RecordedAt
	c, err := genetec.New(genetec.Config{Store: st, Clock: fixedClock{at}, Location: time.UTC})
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	f, _ := strconv.ParseUint(fac, 10, 64)
	res, err := c.TestConnection(ctx, genetec.Provider{URL: srv.URL + "/WebSdk/", Username: "admin", Password: "pacsim"})
	require.NoError(t, err)
	require.True(t, res.OK, res.Message)
	p, err := c.AddProvider(genetec.Provider{Location: "HQ", Name: "Main building", URL: srv.URL + "/WebSdk/",
		Username: "admin", Password: "pacsim", FacilityCode: &f})
	require.NoError(t, err)
	_, err = c.Refresh(ctx, p.ID)
	require.NoError(t, err)
	b, err := c.AddBadge(p.ID, genetec.Badge{Name: "Badge 1", UniqueID: card, BadgeType: "Standard 26 bits"})
	require.NoError(t, err)
	_, err = c.AddUserGroup(genetec.UserGroup{Name: "Reception", CardholderGroups: []string{"Visitors - Office"}, Users: []string{"rita@example.com"}})
	require.NoError(t, err)
	v, err := c.SignIn(ctx, genetec.SignInRequest{Location: "HQ", Badge: b.ID, Visitor: genetec.Visitor{FirstName: first, LastName: last, Email: email},
		CardholderGroups: []string{"Visitors - Office"}, By: "rita@example.com"})
	require.NoError(t, err)
	assert.Equal(t, genetec.StateActive, v.State)
	assert.NotEmpty(t, v.VisitorGUID)
	assert.NotEmpty(t, v.CredentialGUID)
	v, err = c.SignOut(ctx, v.ID)
	require.NoError(t, err)
	assert.Equal(t, genetec.StateEnded, v.State)
	assert.Zero(t, rp.Unmatched(), "every request of the connector matched a recorded exchange")
}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

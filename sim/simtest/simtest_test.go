package simtest_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
	"github.com/pacsim/pacsim/sim/simtest"
)

// smartService is a minimal SmartService client written with net/http
// only, as a user's own driver would be.
type smartService struct {
	t    testing.TB
	base string
	http *http.Client
	key  string
}

func login(t testing.TB, s *simtest.Site) *smartService {
	t.Helper()
	user, pass := s.Operator()
	c := &smartService{t: t, base: s.EntraPassURL(), http: s.HTTPClient()}
	body := c.get("Login", url.Values{"userName": {user}, "password": {pass}})
	m := regexp.MustCompile(`<SessionKey>([^<]+)</SessionKey>`).FindStringSubmatch(body)
	require.NotNil(t, m, "login answered %s", body)
	c.key = m[1]
	return c
}

func (c *smartService) do(method, op string, q url.Values, body string) string {
	c.t.Helper()
	if q == nil {
		q = url.Values{}
	}
	if c.key != "" {
		q.Set("sdKey", c.key)
	}
	req, err := http.NewRequest(method, c.base+op+"?"+q.Encode(), strings.NewReader(body))
	require.NoError(c.t, err)
	resp, err := c.http.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	require.Equal(c.t, http.StatusOK, resp.StatusCode, "%s %s: %s", method, op, b)
	return string(b)
}

func (c *smartService) get(op string, q url.Values) string { return c.do(http.MethodGet, op, q, "") }

// rows reads an ArrayOfSmartLinkDataRow into key/value maps.
func rows(t testing.TB, body string) []map[string]string {
	t.Helper()
	var doc struct {
		Rows []struct {
			Items []struct {
				Key   string `xml:"key>string"`
				Value string `xml:"value>SmartLinkDataValue>Value"`
			} `xml:"item"`
		} `xml:"SmartLinkDataRow"`
	}
	require.NoError(t, xml.Unmarshal([]byte(body), &doc), body)
	out := make([]map[string]string, len(doc.Rows))
	for i, r := range doc.Rows {
		out[i] = map[string]string{}
		for _, it := range r.Items {
			out[i][it.Key] = it.Value
		}
	}
	return out
}

func TestLoginPollStatesAndEvents(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	require.True(t, strings.HasSuffix(s.EntraPassURL(), "/SmartService/"), s.EntraPassURL())
	require.True(t, strings.HasSuffix(s.ControlURL(), "/v1"), s.ControlURL())
	ss := login(t, s)

	// Register the Front Door and read its state.
	ss.do(http.MethodPut, "ComponentsStates", url.Values{"statusID": {"0"}}, "<string>20</string>")
	state := rows(t, ss.get("ComponentsStatesByStatusId", url.Values{"statusID": {"0"}}))
	require.Len(t, state, 1)
	require.Equal(t, "LOCK", state[0]["LOCKSTATE"])
	require.Equal(t, "CLOSE", state[0]["OPENSTATE"])
	since := state[0]["STATUSID"]

	// A person badges in and opens the door.
	ctx := context.Background()
	d, err := s.Control().Present(ctx, 30, "100:1001", "")
	require.NoError(t, err)
	require.True(t, d.Granted)
	_, err = s.Control().OpenDoor(ctx, 20)
	require.NoError(t, err)

	changed := rows(t, ss.get("ComponentsStatesByStatusId", url.Values{"statusID": {since}}))
	require.Len(t, changed, 1)
	require.Equal(t, "OPEN", changed[0]["OPENSTATE"])
	require.Equal(t, "UNLOCKONACCESS", changed[0]["LOCKSTATE"])

	events := rows(t, ss.get("Events", nil))
	require.Len(t, events, 2)
	require.Equal(t, "Access granted", events[0]["ETXT"])
	require.Equal(t, "Alice Martin", events[0]["P2TXT"])
	require.Equal(t, "Door opened", events[1]["ETXT"])

	// Left open past its open time, the door is open too long.
	s.Advance(30 * time.Second)
	door, err := s.Control().Door(ctx, 20)
	require.NoError(t, err)
	require.Equal(t, sim.ContactHeldOpen, door.Contact)
}

func TestTemporaryUnlockRelocksAfterAdvance(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	ss := login(t, s)
	require.Contains(t, ss.do(http.MethodPut, "TemporarilyUnlockDoor", url.Values{"id": {"20"}, "delay": {"5"}}, ""), "OK")
	ctx := context.Background()
	door, err := s.Control().Door(ctx, 20)
	require.NoError(t, err)
	require.Equal(t, sim.LockUnlockedTemporary, door.Lock)
	s.Advance(4 * time.Second)
	door, _ = s.Control().Door(ctx, 20)
	require.Equal(t, sim.LockUnlockedTemporary, door.Lock, "relocked early")
	s.Advance(time.Second)
	door, _ = s.Control().Door(ctx, 20)
	require.Equal(t, sim.LockLocked, door.Lock)
}

func TestWaitEventWithoutSleeping(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got := make(chan control.Event, 1)
	errc := make(chan error, 1)
	go func() {
		ev, err := s.Control().WaitEvent(ctx, 0, func(e control.Event) bool { return e.Type == sim.EventDoorForcedOpen })
		got <- ev
		errc <- err
	}()
	_, err := s.Control().OpenDoor(ctx, 23) // no grant: forced
	require.NoError(t, err)
	require.NoError(t, <-errc)
	ev := <-got
	require.Equal(t, "Back Door", ev.SourceName)
}

func TestOptions(t *testing.T) {
	t.Parallel()
	t.Run("old version", func(t *testing.T) {
		t.Parallel()
		s := simtest.Start(t, simtest.WithEntraPassVersion("7.40.0.100"))
		c := &smartService{t: t, base: s.EntraPassURL(), http: s.HTTPClient()}
		require.Contains(t, c.get("Login", url.Values{"userName": {"pacsim"}, "password": {"pacsim"}}), "<ServerVersion>7.40.0.100</ServerVersion>")
	})
	t.Run("generated", func(t *testing.T) {
		t.Parallel()
		s := simtest.Start(t, simtest.WithGenerated(40, 100, 7))
		snap, err := s.Control().Site(context.Background())
		require.NoError(t, err)
		require.Len(t, snap.Doors, 40)
	})
	t.Run("tls", func(t *testing.T) {
		t.Parallel()
		s := simtest.Start(t, simtest.WithTLS())
		require.True(t, strings.HasPrefix(s.EntraPassURL(), "https://127.0.0.1:"), s.EntraPassURL())
		login(t, s)
	})
	t.Run("real clock", func(t *testing.T) {
		t.Parallel()
		s := simtest.Start(t, simtest.WithRealClock())
		c, err := s.Control().Clock(context.Background())
		require.NoError(t, err)
		require.Equal(t, "real", c.Mode)
		// Advance fails Start's test (TestAdvanceOnTheRealClockFailsTheTest);
		// a site made by New has no test to fail, and panics.
		n, err := simtest.New(simtest.WithRealClock())
		require.NoError(t, err)
		defer n.Close()
		require.Panics(t, func() { n.Advance(time.Second) })
	})
	t.Run("bad site file", func(t *testing.T) {
		t.Parallel()
		_, err := simtest.New(simtest.WithSiteFile("no/such/site.yaml"))
		require.Error(t, err)
		_, err = simtest.New(simtest.WithEntraPassEdition("Platinum"))
		require.ErrorIs(t, err, sim.ErrSiteFile)
	})
}

func TestAPIErrorCarriesServerMessage(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	_, err := s.Control().OpenDoor(context.Background(), 999)
	var apiErr *control.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	require.Equal(t, http.StatusNotFound, apiErr.Status)
	require.Contains(t, err.Error(), "999")
}

// TestSixteenSitesInParallel: sites share nothing.
func TestSixteenSitesInParallel(t *testing.T) {
	t.Parallel()
	for i := range 16 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			s := simtest.Start(t)
			ss := login(t, s)
			ctx := context.Background()
			for range 5 {
				d, err := s.Control().Present(ctx, 30, "100:1001", "")
				require.NoError(t, err)
				require.True(t, d.Granted)
				_, err = s.Control().OpenDoor(ctx, 20)
				require.NoError(t, err)
				_, err = s.Control().CloseDoor(ctx, 20)
				require.NoError(t, err)
			}
			// Each site's session sees its own 15 events, no other site's.
			require.Len(t, rows(t, ss.get("Events", nil)), 15)
		})
	}
}

// BenchmarkStartDefaultSite is what a test pays for its own site.
func BenchmarkStartDefaultSite(b *testing.B) {
	for b.Loop() {
		s, err := simtest.New()
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

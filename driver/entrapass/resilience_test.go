package entrapass_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
	epsim "github.com/pacsim/pacsim/sim/entrapass"
)

// allNoCommunication asserts that every asset shows No Communication.
func allNoCommunication(t *testing.T, d *entrapass.Driver) {
	t.Helper()
	list := d.Registry().List()
	require.Greater(t, len(list), 1)
	for _, a := range list {
		assert.Equal(t, asset.NoCommunication, a.Status, a.Ref.String())
	}
}

// TestSessionExpiryNoLostEvent: FT-SESSION-EXPIRY — after 31 min idle on
// the site clock the session is gone; the driver logs the old key out, logs
// in again, and delivers the events of the gap (from the history) once.
func TestSessionExpiryNoLostEvent(t *testing.T) {
	h := start(t)
	w := h.s.w

	// One event polled before, one raised just before the session
	// expires (its queue is lost with it), one after.
	_, err := w.PresentCard(rdFrontIn, cardAlice, "")
	require.NoError(t, err)
	h.poll()
	require.Len(t, h.accesses(), 2)

	h.s.clk.Advance(time.Minute)
	_, err = w.PresentCard(rdShopIn, cardAlice, "")
	require.NoError(t, err)
	h.s.clk.Advance(31 * time.Minute)
	_, err = w.PresentCard(rdFrontOut, cardAlice, "")
	require.NoError(t, err)

	h.poll()
	evs := h.accesses()
	require.Len(t, evs, 4, "both events of the gap, on door and reader, once")
	assert.Equal(t, doorRef(doorShop), evs[0].Ref)
	assert.Equal(t, doorRef(doorFront), evs[2].Ref)
	assert.Equal(t, uint64(2), h.d.Client().Generation())
	assert.Equal(t, 1, h.s.srv.Sessions())
	assert.Contains(t, strings.Join(h.s.paths(), " "), "/SmartService/Logout", "the old key was logged out")
	assert.Equal(t, asset.Secure, h.status(doorRef(doorShop)))

	// Nothing comes twice afterwards.
	h.poll()
	assert.Empty(t, h.accesses())
	_, err = w.PresentCard(rdFrontIn, cardAlice, "")
	require.NoError(t, err)
	h.poll()
	assert.Len(t, h.accesses(), 2)
	st := h.d.Stats()
	assert.Equal(t, uint64(2), st.Recovered)
}

// TestServerDownAndBack: FT-SERVER-DOWN — the server stops: every asset
// shows No Communication at the next poll; it restarts on the same address
// (its sessions lost): the driver logs in, resynchronises every state, and
// the events raised while it was away arrive exactly once.
func TestServerDownAndBack(t *testing.T) {
	for _, lose := range []bool{true, false} {
		name := "sessions kept"
		if lose {
			name = "sessions lost"
		}
		t.Run(name, func(t *testing.T) {
			h := start(t)
			w := h.s.w
			_, err := w.PresentCard(rdFrontIn, cardAlice, "")
			require.NoError(t, err)
			h.poll()
			require.Len(t, h.accesses(), 2)

			h.s.stop(lose)
			err = h.d.PollOnce(ctx(t))
			require.Error(t, err)
			assert.ErrorIs(t, err, entrapass.ErrUnreachable)
			allNoCommunication(t, h.d)
			assert.ErrorIs(t, h.d.Err(), entrapass.ErrUnreachable)
			require.Error(t, h.d.PollOnce(ctx(t)), "still down")

			// While it is away: a grant, a forced door, an input in alarm.
			h.s.clk.Advance(time.Minute)
			_, err = w.PresentCard(rdShopIn, cardAlice, "")
			require.NoError(t, err)
			h.s.clk.Advance(5 * time.Second) // the grant's door relocks
			_, err = w.OpenDoor(doorFront)
			require.NoError(t, err)
			_, err = w.SetInput(inMotion, true)
			require.NoError(t, err)

			h.s.restart()
			h.poll()
			assert.Nil(t, h.d.Err())
			assert.Equal(t, asset.ForcedOpen, h.status(doorRef(doorFront)))
			assert.Equal(t, asset.Active, h.status(inputRef(inMotion)))
			assert.Equal(t, asset.Secure, h.status(doorRef(doorShop)))
			assert.Equal(t, asset.Normal, h.status(asset.SystemRef))
			evs := h.accesses()
			require.Len(t, evs, 2, "the grant raised while away, once")
			assert.Equal(t, doorRef(doorShop), evs[0].Ref)
			assert.Equal(t, 1, h.s.srv.Sessions(), "the old session was logged out or lost")

			h.poll()
			assert.Empty(t, h.accesses(), "nothing twice")
			_, err = w.PresentCard(rdFrontOut, cardAlice, "")
			require.NoError(t, err)
			h.poll()
			assert.Len(t, h.accesses(), 2)
		})
	}
}

// TestHistoryQueueOverlap: an event raised after the new login but before
// the history is read is in both; it is delivered once.
func TestHistoryQueueOverlap(t *testing.T) {
	h := start(t)
	w := h.s.w
	h.s.stop(true)
	require.Error(t, h.d.PollOnce(ctx(t)))
	_, err := w.PresentCard(rdFrontIn, cardAlice, "") // while away
	require.NoError(t, err)
	h.s.restart()
	var raised atomic.Bool
	h.s.setIntercept(func(_ http.ResponseWriter, r *http.Request) bool {
		if strings.EqualFold(r.URL.Path, "/SmartService/Events") && r.URL.Query().Get("startDate") != "" && !raised.Swap(true) {
			h.s.clk.Advance(time.Second)
			_, err := w.PresentCard(rdShopIn, cardAlice, "") // after the login, before the history
			require.NoError(t, err)
		}
		return false
	})
	h.poll()
	require.True(t, raised.Load())
	evs := h.accesses()
	require.Len(t, evs, 4)
	assert.Equal(t, doorRef(doorFront), evs[0].Ref)
	assert.Equal(t, doorRef(doorShop), evs[2].Ref)
	h.poll()
	assert.Empty(t, h.accesses(), "the queued copy of the overlap was not delivered again")
}

// TestMalformedAnswer: FT-MALFORMED, FT-HTTP-ERROR, FT-APP-FAULT — an
// answer that cannot be read (here an Events answer truncated after the
// server dequeued its events) is a clear error and No Communication; the
// next cycle recovers the events from the history, once.
func TestMalformedAnswer(t *testing.T) {
	h := start(t)
	w := h.s.w
	_, err := w.PresentCard(rdFrontIn, cardAlice, "")
	require.NoError(t, err)
	var once atomic.Bool
	h.s.setIntercept(func(rw http.ResponseWriter, r *http.Request) bool {
		if !strings.EqualFold(r.URL.Path, "/SmartService/Events") || r.URL.Query().Get("startDate") != "" || once.Swap(true) {
			return false
		}
		rec := httptest.NewRecorder()
		h.s.srv.Handler().ServeHTTP(rec, r) // the server dequeues the events
		body := rec.Body.Bytes()
		_, _ = rw.Write(body[:len(body)/2])
		return true
	})
	err = h.d.PollOnce(ctx(t))
	require.Error(t, err)
	assert.ErrorIs(t, err, entrapass.ErrMalformed)
	allNoCommunication(t, h.d)
	assert.Empty(t, h.accesses())

	h.poll()
	assert.Len(t, h.accesses(), 2, "recovered from the history")
	assert.Equal(t, asset.Unsecure, h.status(doorRef(doorFront)))
	h.poll()
	assert.Empty(t, h.accesses())

	// An HTTP 503, then an application fault, each recovered the same way.
	for _, answer := range []func(http.ResponseWriter){
		func(rw http.ResponseWriter) { rw.WriteHeader(http.StatusServiceUnavailable) },
		func(rw http.ResponseWriter) {
			_, _ = rw.Write([]byte(`<StandardFault xmlns="http://schemas.datacontract.org/2004/07/Kantech.SmartLinkSDK"><Message>INTERNAL</Message><VisibleMessage>Boom.</VisibleMessage></StandardFault>`))
		},
	} {
		once.Store(false)
		h.s.setIntercept(func(rw http.ResponseWriter, r *http.Request) bool {
			if strings.HasSuffix(r.URL.Path, "ComponentsStatesByStatusId") && !once.Swap(true) {
				answer(rw)
				return true
			}
			return false
		})
		_, err = w.PresentCard(rdFrontOut, cardAlice, "")
		require.NoError(t, err)
		require.Error(t, h.d.PollOnce(ctx(t)))
		h.poll()
		assert.Len(t, h.accesses(), 2)
	}
}

// TestHang: FT-HANG — a server that does not answer: the request times out
// and every asset shows No Communication.
func TestHang(t *testing.T) {
	s := newSite(t, nil)
	h := newHarness(t, s, "pacsim", "pacsim", func(c *entrapass.Config) { c.RequestTimeout = 200 * time.Millisecond })
	h.poll()
	release := make(chan struct{})
	defer close(release)
	s.setIntercept(func(_ http.ResponseWriter, r *http.Request) bool {
		select {
		case <-r.Context().Done():
		case <-release:
		}
		return true
	})
	// The driver's own RequestTimeout ends the request, not the test's
	// deadline: the poll's context is still live when it returns.
	pollCtx := ctx(t)
	err := h.d.PollOnce(pollCtx)
	require.Error(t, err)
	assert.ErrorIs(t, err, entrapass.ErrUnreachable)
	assert.Contains(t, err.Error(), "timeout")
	assert.NoError(t, pollCtx.Err(), "the request timed out by itself")
	allNoCommunication(t, h.d)
	s.setIntercept(nil)
	h.poll()
	assert.Equal(t, asset.Normal, h.status(asset.SystemRef))
}

// TestDriverLoginRefused: EP-CONF-BAD-LOGIN, EP-COMPAT-VERSION,
// EP-LIC-CONNECT, UM-OPERATOR-HYGIENE at the driver: a clear error and the
// System asset shows No Communication.
func TestDriverLoginRefused(t *testing.T) {
	for _, tc := range []struct {
		name       string
		sf         *sim.SiteFile
		user, pass string
		want       error
		text       string
	}{
		{"bad password", nil, "pacsim", "nope", entrapass.ErrBadLogin, "Error Login"},
		{"disabled", nil, "disabled", "disabled", entrapass.ErrBadLogin, "is disabled"},
		{"expired", nil, "expired", "expired", entrapass.ErrBadLogin, "expired"},
		{"old server", siteFile(func(ep *sim.EntraPassSpec) { ep.ServerVersion = "7.40.0.100" }), "pacsim", "pacsim", entrapass.ErrVersion, "7.50"},
		{"no licence", siteFile(func(ep *sim.EntraPassSpec) { ep.Edition, ep.Licences = "Special", []string{} }), "pacsim", "pacsim", entrapass.ErrLicence, "SMARTLINK_UNKNOWN_WEB_SDK_ID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t, tc.sf)
			h := newHarness(t, s, tc.user, tc.pass)
			err := h.d.PollOnce(ctx(t))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.text)
			assert.Equal(t, asset.NoCommunication, h.status(asset.SystemRef))
			assert.ErrorIs(t, h.d.Err(), tc.want)
			assert.Contains(t, h.logs.String(), tc.text, "logged for troubleshooting (EP-LOG-TROUBLESHOOT)")
			assert.Equal(t, 0, s.srv.Sessions())
		})
	}
}

// waitFor reads the subscription until an event satisfies ok, or fails the
// test after timeout.
func waitFor(t *testing.T, sub *asset.Subscription, timeout time.Duration, what string, ok func(asset.Event) bool) asset.Event {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case e := <-sub.Events():
			if ok(e) {
				return e
			}
		case <-deadline.C:
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
			return nil
		}
	}
}

func systemBecomes(s asset.Status) func(asset.Event) bool {
	return func(e asset.Event) bool {
		c, ok := e.(*asset.StatusChanged)
		return ok && c.Ref == asset.SystemRef && c.To == s
	}
}

// TestLoop: the poll loop (Start/Stop) — the site is read, a stopped server
// shows No Communication within two poll intervals, the loop retries with
// back-off and recovers, and a command shows its effect at once.
func TestLoop(t *testing.T) {
	s := newSite(t, nil)
	const poll = 100 * time.Millisecond
	h := newHarness(t, s, "pacsim", "pacsim", func(c *entrapass.Config) { c.Poll, c.MaxBackoff = poll, 400*time.Millisecond })
	require.NoError(t, h.d.Start(context.Background()))
	assert.Error(t, h.d.Start(context.Background()), "already started")
	waitFor(t, h.sub, 5*time.Second, "System Normal", systemBecomes(asset.Normal))

	_, err := s.w.SetInput(inShopREX, true)
	require.NoError(t, err)
	waitFor(t, h.sub, 5*time.Second, "input Active", func(e asset.Event) bool {
		c, ok := e.(*asset.StatusChanged)
		return ok && c.Ref == inputRef(inShopREX) && c.To == asset.Active
	})

	s.stop(true)
	waitFor(t, h.sub, 5*time.Second, "System No Communication", systemBecomes(asset.NoCommunication))
	_, err = s.w.PresentCard(rdFrontIn, cardAlice, "")
	require.NoError(t, err)
	s.restart()
	waitFor(t, h.sub, 5*time.Second, "a Last Access Event raised while away", func(e asset.Event) bool {
		a, ok := e.(*asset.LastAccessEvent)
		return ok && a.Ref == doorRef(doorFront) && a.AccessGranted
	})
	assert.Equal(t, asset.Normal, h.status(asset.SystemRef))
	// "Within two poll intervals", as the document asks, is No
	// Communication on the first failed cycle, before any back-off: the
	// outage was announced once, by that cycle, before any retry failed.
	// How long a cycle takes is not measured (the back-off is TestBackoff's).
	logs := h.logs.String()
	assert.Equal(t, 1, strings.Count(logs, "communication lost; every asset shows No Communication"), logs)
	if retry := strings.Index(logs, "still no communication"); retry >= 0 {
		assert.Less(t, strings.Index(logs, "communication lost"), retry, "the first failed cycle announced it")
	}

	// A command pokes the loop: its effect shows without waiting a poll.
	require.NoError(t, h.exec(doorRef(doorShop), asset.Unlock, 0))
	waitFor(t, h.sub, 5*time.Second, "door Unsecure", func(e asset.Event) bool {
		c, ok := e.(*asset.StatusChanged)
		return ok && c.Ref == doorRef(doorShop) && c.To == asset.Unsecure
	})

	h.d.Stop()
	assert.Equal(t, asset.NoCommunication, h.status(asset.SystemRef))
	assert.Equal(t, 0, s.srv.Sessions(), "logged out at stop")
	h.d.Stop() // harmless
}

// TestIdenticalEvents: rows without ids are counted, not merely keyed: two
// identical events (same second, text, door, card, reader) are two events,
// in the queue and through a recovery.
func TestIdenticalEvents(t *testing.T) {
	h := start(t)
	w := h.s.w
	for i := 0; i < 2; i++ {
		_, err := w.PresentCard(rdFrontIn, "999:1", "")
		require.NoError(t, err)
	}
	h.poll()
	assert.Len(t, h.accesses(), 4)

	h.s.stop(true)
	require.Error(t, h.d.PollOnce(ctx(t)))
	for i := 0; i < 2; i++ { // the same second again, while away
		_, err := w.PresentCard(rdFrontIn, "999:1", "")
		require.NoError(t, err)
	}
	h.s.restart()
	h.poll()
	assert.Len(t, h.accesses(), 4, "the two new ones, not the two old ones again")
	h.poll()
	assert.Empty(t, h.accesses())
}

// TestEventBurst: answers as full as the server's batch are followed at
// once by another poll, so a burst is read in one cycle, in order.
func TestEventBurst(t *testing.T) {
	s := newSite(t, nil, epsim.WithEventBatch(5))
	h := newHarness(t, s, "pacsim", "pacsim", func(c *entrapass.Config) { c.EventBatch = 5 })
	h.poll()
	for i := 0; i < 23; i++ {
		s.clk.Advance(time.Second)
		_, err := s.w.PresentCard(rdFrontIn, cardAlice, "")
		require.NoError(t, err)
	}
	h.poll()
	evs := h.accesses()
	require.Len(t, evs, 46)
	for i := 2; i < len(evs); i += 2 {
		assert.True(t, evs[i].DateTime.After(evs[i-2].DateTime), "in order")
	}
	assert.Equal(t, uint64(0), h.d.Stats().Recovered)
}

// TestEventBurstSessionLost: the session expires while a burst is read
// (the next answer, fetched while the previous one is delivered, comes from
// a new session): the rest of the burst comes from the history, every
// event once. The history holds one batch, the newest events: a gap longer
// than that loses the older events with the session, and the driver says
// so (an error in the log, Stats.HistoryTruncated).
func TestEventBurstSessionLost(t *testing.T) {
	for _, tc := range []struct {
		name      string
		burst     int
		lost      int // the events between the second answer and the history
		truncated uint64
	}{
		{"the gap fits in the history", 13, 0, 0},
		{"the gap is longer than the history", 23, 8, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t, nil, epsim.WithEventBatch(5))
			h := newHarness(t, s, "pacsim", "pacsim", func(c *entrapass.Config) { c.EventBatch = 5 })
			h.poll()
			h.drain()
			var sent []time.Time
			for i := 0; i < tc.burst; i++ {
				s.clk.Advance(time.Second)
				sent = append(sent, s.w.Now().UTC())
				_, err := s.w.PresentCard(rdFrontIn, cardAlice, "")
				require.NoError(t, err)
			}
			var queued atomic.Int32
			s.setIntercept(func(_ http.ResponseWriter, r *http.Request) bool {
				if strings.EqualFold(r.URL.Path, "/SmartService/Events") && r.URL.Query().Get("startDate") == "" && queued.Add(1) == 3 {
					s.clk.Advance(31 * time.Minute) // the session idles out under this request
				}
				return false
			})
			h.poll()
			var got []time.Time
			for _, e := range h.accesses() {
				if e.Ref.Type == asset.Door {
					got = append(got, e.DateTime)
				}
			}
			want := append(sent[:10:10], sent[10+tc.lost:]...)
			assert.Equal(t, want, got, "the first two answers, then the history, in order, each once")
			assert.Equal(t, uint64(2), h.d.Client().Generation())
			assert.Equal(t, tc.truncated, h.d.Stats().HistoryTruncated)
			if tc.truncated > 0 {
				assert.Contains(t, h.logs.String(), "history answer was full")
			}
			h.poll()
			assert.Empty(t, h.accesses())
		})
	}
}

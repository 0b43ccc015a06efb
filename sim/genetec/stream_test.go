package genetec_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/genetec"
)

// streamWait bounds every wait for a line: generous, since nothing here
// sleeps; a line that is due comes at once.
const streamWait = 10 * time.Second

// eventStream is a client of GET /WebSdk/events reading the chunked body
// line by line, as WebSDKStudio's EventsMonitor does.
type eventStream struct {
	t     *testing.T
	resp  *http.Response
	lines chan string // lines without their CR LF, closed at the end
	end   chan error  // why the body ended (io.EOF when the server closed it)
	id    string      // the ConnectionId
}

func (s *site) openStream(accept string) *eventStream {
	s.t.Helper()
	req, err := http.NewRequest("GET", s.srv.URL+"/WebSdk/events", nil)
	require.NoError(s.t, err)
	req.Header.Set("Authorization", adminAuth)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	require.Equal(s.t, http.StatusOK, resp.StatusCode)
	es := &eventStream{t: s.t, resp: resp, lines: make(chan string, 4096), end: make(chan error, 1)}
	go func() {
		defer close(es.lines)
		br := bufio.NewReader(resp.Body)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				if line != "" {
					es.lines <- line
				}
				es.end <- err
				return
			}
			es.lines <- strings.TrimRight(line, "\r\n")
		}
	}()
	s.t.Cleanup(func() { resp.Body.Close() })
	first := es.line()
	id, ok := strings.CutPrefix(first, "ConnectionId:")
	require.True(s.t, ok, "the first line is ConnectionId:<guid>, not %q", first)
	require.Regexp(s.t, guidRe, id)
	es.id = id
	return es
}

// line returns the next line, failing the test when none comes in time or
// the stream ended.
func (es *eventStream) line() string {
	es.t.Helper()
	select {
	case l, ok := <-es.lines:
		if !ok {
			require.FailNow(es.t, "the stream ended", "%v", <-es.end)
		}
		return l
	case <-time.After(streamWait):
		require.FailNow(es.t, "no line on the event stream")
	}
	return ""
}

// part reads the next event part, skipping KeepAlive lines, and returns
// its Content-type and its data line.
func (es *eventStream) part() (string, string) {
	es.t.Helper()
	l := es.line()
	for l == "KeepAlive" {
		l = es.line()
	}
	require.Equal(es.t, "--GENETECBOUNDARY", l)
	ct, ok := strings.CutPrefix(es.line(), "Content-type: ")
	require.True(es.t, ok, "a part's second line is its Content-type")
	return ct, es.line()
}

// streamEvent is an event object of the text/json stream.
type streamEvent struct {
	EventType      string
	EventTypeId    int
	SourceGuid     string
	Timestamp      string
	DoorGuid       string
	ReaderGuid     string
	CardholderGuid string
	CredentialGuid string
	Reason         string
}

// event reads the next text/json event.
func (es *eventStream) event() streamEvent {
	es.t.Helper()
	ct, data := es.part()
	require.Equal(es.t, "text/json", ct)
	var env struct {
		Rsp struct {
			Status string
			Result streamEvent
		}
	}
	require.NoError(es.t, json.Unmarshal([]byte(data), &env), data)
	require.Equal(es.t, "Ok", env.Rsp.Status, data)
	return env.Rsp.Result
}

// ended waits for the server to end the stream.
func (es *eventStream) ended() error {
	es.t.Helper()
	for {
		select {
		case _, ok := <-es.lines:
			if !ok {
				return <-es.end
			}
		case <-time.After(streamWait):
			require.FailNow(es.t, "the stream did not end")
			return nil
		}
	}
}

func (s *site) subscribe(query string) {
	s.t.Helper()
	s.okRaw("GET", "/WebSdk/events/subscribe?q="+query, nil)
}

// The WebSDKStudio flow: open the stream, subscribe, and read the access
// events with every field a client keys on.
func TestStreamAccessEvents(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	es := s.openStream("text/json")
	s.subscribe("event(Door,AccessGranted),event(Door,AccessRefused)")

	require.True(t, s.present(frontEntry, "200:2001").Granted)
	ev := es.event()
	assert.Equal(t, "AccessGranted", ev.EventType)
	assert.Equal(t, 35, ev.EventTypeId)
	assert.Equal(t, fx.door, ev.SourceGuid)
	assert.Equal(t, fx.door, ev.DoorGuid)
	assert.Equal(t, fx.reader, ev.ReaderGuid)
	assert.Equal(t, fx.ada, ev.CardholderGuid)
	assert.Equal(t, fx.badge, ev.CredentialGuid)
	assert.Equal(t, "2026-01-05T09:00:00Z", ev.Timestamp)
	assert.True(t, strings.HasSuffix(ev.Timestamp, "Z"))
	ts, err := time.Parse(time.RFC3339Nano, ev.Timestamp)
	require.NoError(t, err)
	assert.True(t, ts.Equal(s.clock.Now()), "the site clock's time")

	s.clock.Advance(90 * time.Second)
	require.False(t, s.present(frontEntry, "999:1").Granted)
	ev = es.event()
	assert.Equal(t, "AccessRefused", ev.EventType)
	assert.Equal(t, 36, ev.EventTypeId)
	assert.Equal(t, "UnknownCredential", ev.Reason)
	assert.Equal(t, fx.door, ev.SourceGuid)
	assert.Equal(t, fx.door, ev.DoorGuid)
	assert.Equal(t, fx.reader, ev.ReaderGuid)
	assert.Empty(t, ev.CardholderGuid)
	assert.Equal(t, "2026-01-05T09:01:30Z", ev.Timestamp)

	// Refusals carry their reason.
	s.ok("POST", q("/WebSdk/entity", "entity="+fx.badge+",Status.Lost()"), nil)
	require.False(t, s.present(frontEntry, "200:2001").Granted)
	ev = es.event()
	assert.Equal(t, "AccessRefused", ev.EventType)
	assert.Equal(t, "LostCredential", ev.Reason)
	assert.Equal(t, fx.badge, ev.CredentialGuid)
}

// Events of types not subscribed never reach the stream.
func TestStreamOnlySubscribedTypes(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	es := s.openStream("text/json")
	s.subscribe("event(Door,AccessGranted),event(Door,AccessRefused)")

	// Unlock, open, close, force: none subscribed.
	s.okRaw("POST", "/WebSdk/action?q=UnlockDoor("+fx.door+")", nil)
	_, err := s.world.OpenDoor(frontDoor)
	require.NoError(t, err)
	_, err = s.world.CloseDoor(frontDoor)
	require.NoError(t, err)
	s.clock.Advance(5 * time.Second)
	_, err = s.world.OpenDoor(frontDoor) // locked again: forced
	require.NoError(t, err)
	_, err = s.world.CloseDoor(frontDoor)
	require.NoError(t, err)

	require.False(t, s.present(frontEntry, "999:1").Granted)
	ev := es.event()
	assert.Equal(t, "AccessRefused", ev.EventType, "nothing came before the subscribed event")
}

// The door events, each subscribed on its own.
func TestStreamDoorEvents(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, sub string
		id        int
		do        func(t *testing.T, s *site)
	}{
		{"DoorForcedOpen", "DoorForcedOpen", 29, func(t *testing.T, s *site) {
			_, err := s.world.OpenDoor(frontDoor)
			require.NoError(t, err)
		}},
		{"DoorOpen", "DoorOpen", 27, func(t *testing.T, s *site) {
			require.True(t, s.present(frontEntry, "200:2001").Granted)
			_, err := s.world.OpenDoor(frontDoor)
			require.NoError(t, err)
		}},
		{"DoorClose", "DoorClose", 28, func(t *testing.T, s *site) {
			require.True(t, s.present(frontEntry, "200:2001").Granted)
			_, err := s.world.OpenDoor(frontDoor)
			require.NoError(t, err)
			_, err = s.world.CloseDoor(frontDoor)
			require.NoError(t, err)
		}},
		{"DoorOpenedForTooLong", "DoorOpenedForTooLong", 24, func(t *testing.T, s *site) {
			require.True(t, s.present(frontEntry, "200:2001").Granted)
			_, err := s.world.OpenDoor(frontDoor)
			require.NoError(t, err)
			s.clock.Advance(time.Minute)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newSite(t)
			fx := s.fixture()
			es := s.openStream("text/json")
			s.subscribe("event(Door," + c.sub + ")")
			c.do(t, s)
			ev := es.event()
			assert.Equal(t, c.name, ev.EventType)
			assert.Equal(t, c.id, ev.EventTypeId)
			assert.Equal(t, fx.door, ev.SourceGuid)
			assert.True(t, strings.HasSuffix(ev.Timestamp, "Z"), ev.Timestamp)
		})
	}
}

// A subscription to one door, by GUID or LogicalID, takes that door's
// events only; the subscribed list shows what was subscribed; unsubscribe
// removes.
func TestStreamSubscribeUnsubscribe(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	es := s.openStream("text/json")
	s.subscribe("event(" + strings.ToUpper(undash(fx.door)) + ",AccessGranted),event(LogicalID(Door,1),AccessRefused)")

	var subs []struct {
		EventType string
		Entities  []string
	}
	s.ok("GET", "/WebSdk/events/subscribed", &subs)
	require.Len(t, subs, 2)
	got := map[string][]string{}
	for _, sub := range subs {
		got[sub.EventType] = sub.Entities
	}
	assert.Equal(t, map[string][]string{"AccessGranted": {fx.door}, "AccessRefused": {fx.door}}, got)

	require.True(t, s.present(shopEntry, "200:2001").Granted) // another door
	require.True(t, s.present(frontEntry, "200:2001").Granted)
	ev := es.event()
	assert.Equal(t, "AccessGranted", ev.EventType)
	assert.Equal(t, fx.door, ev.DoorGuid, "the Shop Front's grant is not this subscription's")

	s.okRaw("GET", "/WebSdk/events/unsubscribe?q=event("+fx.door+",AccessGranted)", nil)
	s.ok("GET", "/WebSdk/events/subscribed", &subs)
	require.Len(t, subs, 1)
	assert.Equal(t, "AccessRefused", subs[0].EventType)

	require.True(t, s.present(frontEntry, "200:2001").Granted) // no longer subscribed
	require.False(t, s.present(frontEntry, "999:1").Granted)
	ev = es.event()
	assert.Equal(t, "AccessRefused", ev.EventType, "the unsubscribed grant did not come")

	// Unsubscribing what is not subscribed succeeds; a bad event type fails.
	s.okRaw("GET", "/WebSdk/events/unsubscribe?q=event(Door,DoorForcedOpen)", nil)
	s.mustFail("GET", "/WebSdk/events/subscribe?q=event(Door,Teleported)", badValue, "Teleported")
	s.mustFail("GET", "/WebSdk/events/subscribe?q=event(0badc0de-0000-4000-8000-000000000001,AccessGranted)", notRetrieved)
	s.ok("GET", "/WebSdk/events/subscribed", &subs)
	assert.Len(t, subs, 1, "a refused subscription adds nothing")
}

// The type subscriptions clients use: every cardholder's grants.
func TestStreamCardholderTypeSubscription(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	es := s.openStream("text/json")
	s.subscribe("event(Cardholder,AccessGranted)")
	require.False(t, s.present(frontEntry, "999:1").Granted)
	require.True(t, s.present(shopEntry, "200:2001").Granted)
	ev := es.event()
	assert.Equal(t, "AccessGranted", ev.EventType)
	assert.Equal(t, fx.ada, ev.CardholderGuid)
	assert.Equal(t, fx.shopDoor, ev.DoorGuid)
}

func TestStreamCloseConnection(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	es := s.openStream("text/json")
	other := s.openStream("text/json")
	require.NotEqual(t, es.id, other.id)
	s.mustFail("POST", "/WebSdk/events/closeconnection/0badc0de-0000-4000-8000-000000000001", invalidOp)
	r := s.send("POST", "/WebSdk/events/closeconnection/"+es.id, "text/json", adminAuth, nil)
	assert.Equal(t, `{"Rsp":{"Status":"Ok"}}`, r.body)
	assert.ErrorIs(t, es.ended(), io.EOF, "the reader sees the end of the body")

	// The other connection goes on.
	s.subscribe("event(Door,AccessRefused)")
	require.False(t, s.present(frontEntry, "999:1").Granted)
	assert.Equal(t, "AccessRefused", other.event().EventType)
}

func TestStreamKeepAlive(t *testing.T) {
	t.Parallel()
	s := newSite(t, genetec.WithKeepAlive(20*time.Millisecond))
	es := s.openStream("text/json")
	for range 3 {
		assert.Equal(t, "KeepAlive", es.line())
	}
	// An event still arrives between keep-alives.
	s.subscribe("event(Door,AccessRefused)")
	require.False(t, s.present(frontEntry, "999:1").Granted)
	assert.Equal(t, "AccessRefused", es.event().EventType)
	assert.Equal(t, "KeepAlive", es.line())
}

func TestStreamTextXML(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	es := s.openStream("text/xml")
	s.subscribe("event(Door,AccessGranted)")
	require.True(t, s.present(frontEntry, "200:2001").Granted)
	ct, data := es.part()
	assert.Equal(t, "text/xml", ct)
	assert.True(t, strings.HasPrefix(data, "<WebSdk><Rsp><Status>Ok</Status><Result>"), data)
	assert.Contains(t, data, "<EventType>AccessGranted</EventType>")
	assert.Contains(t, data, "<SourceGuid>"+fx.door+"</SourceGuid>")
	assert.Contains(t, data, "<Timestamp>2026-01-05T09:00:00Z</Timestamp>")
}

// An EntraPass card decided by EntraPass reaches the Web SDK stream too:
// one world, two head-ends.
func TestStreamCarriesEntraPassDecisions(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	es := s.openStream("text/json")
	s.subscribe("event(Door,AccessGranted)")
	p := s.present(frontEntry, "100:1001")
	require.True(t, p.Granted)
	ev := es.event()
	assert.Equal(t, "AccessGranted", ev.EventType)
	assert.Equal(t, fx.door, ev.DoorGuid)
	assert.Equal(t, fx.reader, ev.ReaderGuid)
}

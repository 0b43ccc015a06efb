package control_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
)

// sseMsg is one message of an event stream, as a raw client sees it.
type sseMsg struct {
	id, event, data, retry string
	comments               []string
}

// stream is a raw event-stream connection.
type stream struct {
	t      *testing.T
	resp   *http.Response
	br     *bufio.Reader
	cancel context.CancelFunc
}

// openStream connects to the event stream; query and headers as given.
func (e *env) openStream(query string, hdr ...string) *stream {
	e.t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	req, err := http.NewRequestWithContext(c, "GET", e.ts.URL+"/v1/events/stream"+query, nil)
	require.NoError(e.t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := e.ts.Client().Do(req)
	require.NoError(e.t, err)
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
	require.Equal(e.t, "text/event-stream; charset=utf-8", resp.Header.Get("Content-Type"))
	s := &stream{t: e.t, resp: resp, br: bufio.NewReader(resp.Body), cancel: cancel}
	e.t.Cleanup(s.close)
	return s
}

func (s *stream) close() {
	s.cancel()
	s.resp.Body.Close()
}

// next reads the next message (up to a blank line).
func (s *stream) next() sseMsg {
	s.t.Helper()
	var m sseMsg
	for {
		line, err := s.br.ReadString('\n')
		require.NoError(s.t, err)
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			return m
		}
		if c, ok := strings.CutPrefix(line, ":"); ok {
			m.comments = append(m.comments, strings.TrimSpace(c))
			continue
		}
		field, value, _ := strings.Cut(line, ": ")
		switch field {
		case "id":
			m.id = value
		case "event":
			m.event = value
		case "data":
			m.data = value
		case "retry":
			m.retry = value
		default:
			s.t.Fatalf("unexpected line %q", line)
		}
	}
}

// nextEvent reads the next event message and decodes it.
func (s *stream) nextEvent() (sseMsg, control.Event) {
	s.t.Helper()
	m := s.next()
	require.NotEmpty(s.t, m.data, "message %+v has no data", m)
	var ev control.Event
	require.NoError(s.t, json.Unmarshal([]byte(m.data), &ev))
	require.Equal(s.t, strconv.FormatUint(ev.Seq, 10), m.id)
	return m, ev
}

func TestStreamFormatAndLive(t *testing.T) {
	e := newEnv(t)
	// Before the client connects: not streamed without "after".
	_, err := e.w.OpenDoor(frontDoor)
	require.NoError(t, err)
	_, err = e.w.CloseDoor(frontDoor)
	require.NoError(t, err)

	s := e.openStream("")
	hello := s.next()
	assert.Equal(t, "2000", hello.retry, "the stream opens with retry")

	// After it connected: every event, in order, as it is journaled.
	p, err := e.w.PresentCard(frontEntry, "100:1001", "")
	require.NoError(t, err)
	m, ev := s.nextEvent()
	assert.Equal(t, "access", m.event)
	assert.Equal(t, p.Seq, ev.Seq)
	assert.Equal(t, "Access granted", ev.Text)
	assert.True(t, ev.Granted)
	assert.Equal(t, "Alice Martin", ev.User)
	assert.Equal(t, "Front Door entry", ev.SourceName)
	assert.Equal(t, "Front Door", ev.DoorName)
	assert.Contains(t, m.data, `"granted":true`)

	for i := 0; i < 20; i++ {
		_, err := e.w.SetInput(officeMotion, i%2 == 0)
		require.NoError(t, err)
	}
	last := p.Seq
	for i := 0; i < 20; i++ {
		m, ev := s.nextEvent()
		assert.Equal(t, "input", m.event)
		assert.Equal(t, last+1, ev.Seq, "in order, none lost")
		assert.Equal(t, officeMotion, ev.Source)
		assert.Equal(t, "Office Motion", ev.SourceName)
		assert.NotContains(t, m.data, "granted")
		last = ev.Seq
	}

	_, err = e.w.PresentCard(frontEntry, "100:9999", "")
	require.NoError(t, err)
	m, ev = s.nextEvent()
	assert.Equal(t, "access", m.event)
	assert.False(t, ev.Granted)
	assert.Equal(t, "unknown-card", ev.Reason)
	assert.Contains(t, m.data, `"granted":false`)

	_, err = e.w.OpenDoor(frontDoor)
	require.NoError(t, err)
	m, ev = s.nextEvent()
	assert.Equal(t, "door", m.event)
	assert.Equal(t, sim.EventDoorOpened, ev.Type, "the grant still holds the door unlocked")
}

func TestStreamFromAfterIncludesHistory(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 3; i++ {
		_, err := e.w.PressREX(frontDoor)
		require.NoError(t, err)
	}
	s := e.openStream("?after=1")
	s.next() // retry
	for want := uint64(2); want <= 3; want++ {
		_, ev := s.nextEvent()
		assert.Equal(t, want, ev.Seq)
	}
}

func TestStreamReconnectWithLastEventID(t *testing.T) {
	e := newEnv(t)
	produce := func(n int) {
		for i := 0; i < n; i++ {
			_, err := e.w.PressREX(frontDoor)
			require.NoError(t, err)
		}
	}
	s := e.openStream("?after=0")
	s.next()
	produce(5)
	var lastID string
	for i := 0; i < 3; i++ {
		m, _ := s.nextEvent()
		lastID = m.id
	}
	require.Equal(t, "3", lastID)
	s.close() // the client goes away after reading 3 of 5

	produce(5) // 6..10 happen while it is away
	// A browser reconnects with the original URL and Last-Event-ID, which wins.
	s2 := e.openStream("?after=0", "Last-Event-ID", lastID)
	s2.next()
	for want := uint64(4); want <= 10; want++ {
		_, ev := s2.nextEvent()
		require.Equal(t, want, ev.Seq, "resumes without loss or duplicate")
	}
	produce(1)
	_, ev := s2.nextEvent()
	assert.Equal(t, uint64(11), ev.Seq)
}

func TestStreamMissedToRetention(t *testing.T) {
	e := newEnvWorld(t, newWorld(t, sim.WithJournal(sim.NewJournal(4))))
	for i := 0; i < 10; i++ {
		_, err := e.w.PressREX(frontDoor)
		require.NoError(t, err)
	}
	s := e.openStream("?after=2")
	s.next()
	m := s.next()
	assert.Equal(t, "missed", m.event)
	assert.JSONEq(t, `{"missed":4}`, m.data)
	for want := uint64(7); want <= 10; want++ {
		_, ev := s.nextEvent()
		assert.Equal(t, want, ev.Seq)
	}
}

func TestStreamKeepAlive(t *testing.T) {
	e := newEnv(t, control.WithKeepAlive(10*time.Millisecond))
	s := e.openStream("")
	s.next()
	m := s.next() // nothing happens: a keep-alive comes
	assert.Equal(t, []string{"keep-alive"}, m.comments)
	_, err := e.w.PressREX(frontDoor)
	require.NoError(t, err)
	for {
		m := s.next()
		if m.data != "" {
			assert.Equal(t, "1", m.id)
			break
		}
		assert.Equal(t, []string{"keep-alive"}, m.comments)
	}
}

func TestStreamEndsOnClose(t *testing.T) {
	e := newEnv(t)
	done := make(chan error, 1)
	connected := make(chan struct{})
	go func() {
		done <- e.c.Follow(ctx(t), 0, func(ev control.Event) error {
			if ev.Seq == 1 {
				close(connected)
			}
			return nil
		})
	}()
	_, err := e.w.PressREX(frontDoor)
	require.NoError(t, err)
	<-connected
	e.srv.Close()
	err = <-done
	assert.ErrorIs(t, err, control.ErrStreamEnded)

	// A closed server refuses new streams; the other routes still answer.
	a := e.call("GET", "/v1/events/stream", "")
	assert.Equal(t, http.StatusServiceUnavailable, a.status)
	assert.Contains(t, a.errMsg(t), "closing")
	_, err = e.c.WaitEvent(ctx(t), 0, nil)
	var apiErr *control.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.Status)
	e.ok("GET", "/v1/site", "")
}

func TestStreamEndsWhenClientGoes(t *testing.T) {
	e := newEnv(t)
	s := e.openStream("")
	s.next()
	s.close()
	// Close waits for every stream handler: it returns once the handler saw
	// the client go.
	closed := make(chan struct{})
	go func() { e.srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the stream handler did not end when its client went away")
	}
}

// TestStreamAnnouncesClockAdvance: an advance through the API is announced
// on the stream after the events it journaled, so a client sees a door
// relock that no event reports.
func TestStreamAnnouncesClockAdvance(t *testing.T) {
	e := newEnv(t)
	s := e.openStream("")
	s.next() // retry
	_, err := e.w.PresentCard(frontEntry, "100:1001", "")
	require.NoError(t, err)
	m, _ := s.nextEvent()
	require.Equal(t, "access", m.event)

	e.ok("POST", "/v1/clock/advance", `{"seconds":10}`)
	msg := s.next()
	assert.Equal(t, "clock", msg.event, "%+v", msg)
	assert.Empty(t, msg.id, "not a journal event")
	var c control.ClockState
	require.NoError(t, json.Unmarshal([]byte(msg.data), &c))
	assert.Equal(t, control.ModeVirtual, c.Mode)
	assert.True(t, c.Time.Equal(e.w.Now()), "the clock after the advance")
	d, err := e.w.Door(frontDoor)
	require.NoError(t, err)
	assert.Equal(t, sim.LockLocked, d.Lock, "the passage ended while the clock moved, with no event")
}

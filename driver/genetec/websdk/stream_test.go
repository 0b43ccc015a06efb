package websdk_test

import (
	"context"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec/websdk"
	"github.com/pacsim/pacsim/sim/fault"
)

// nextGuard bounds every wait for an event in these tests: the server's
// keep-alive period is 30 s, so a stream that gets nothing fails with
// ErrStreamIdle instead of hanging the test.
const nextGuard = 10 * time.Second

func openStream(t *testing.T, ctx context.Context, cl *websdk.Client, cfg websdk.Config) *websdk.Stream {
	t.Helper()
	st, err := cl.OpenStream(ctx)
	require.NoError(t, note(t, cfg, err))
	t.Cleanup(func() { _ = st.Close() })
	st.IdleTimeout = nextGuard
	return st
}

// Access events arrive in order, with their fields.
func TestStreamAccessEvents(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cl := newClient(t, cfg)
	ctx := context.Background()
	ada := adaGUID(t, ctx, cl)
	reader, err := s.Control().Reader(ctx, 30)
	require.NoError(t, err)
	door, err := s.Control().Door(ctx, reader.Door)
	require.NoError(t, err)

	st := openStream(t, ctx, cl, cfg)
	require.NotEmpty(t, st.ID)
	require.NoError(t, note(t, cfg, cl.Subscribe(ctx, "event(Door,AccessGranted)", "event(Door,AccessRefused)")))
	d, err := s.Present(30, "200:2001", "")
	require.NoError(t, err)
	require.True(t, d.Granted, "Ada Lovelace is a contractor: every door, always")
	d, err = s.Present(30, "999:1", "")
	require.NoError(t, err)
	require.False(t, d.Granted)

	ev, err := st.Next()
	require.NoError(t, note(t, cfg, err))
	assert.Equal(t, "AccessGranted", ev.EventType)
	assert.Equal(t, 35, ev.EventTypeID)
	assert.True(t, strings.EqualFold(ada, ev.CardholderGuid), "cardholder %s, want Ada %s", ev.CardholderGuid, ada)
	assert.NotEmpty(t, ev.CredentialGuid)
	assert.True(t, strings.EqualFold(door.GUID, ev.DoorGuid), "door %s, want %s", ev.DoorGuid, door.GUID)
	assert.True(t, strings.EqualFold(reader.GUID, ev.ReaderGuid), "reader %s, want %s", ev.ReaderGuid, reader.GUID)
	assert.Equal(t, ev.DoorGuid, ev.SourceGuid)
	assert.Empty(t, ev.Reason)
	assert.WithinDuration(t, s.Now(), ev.Timestamp, time.Second)
	assert.Equal(t, time.UTC, ev.Timestamp.Location())
	assert.NotEmpty(t, ev.Raw)

	ev, err = st.Next()
	require.NoError(t, note(t, cfg, err))
	assert.Equal(t, "AccessRefused", ev.EventType)
	assert.Equal(t, 36, ev.EventTypeID)
	assert.Equal(t, "UnknownCredential", ev.Reason)
	assert.Equal(t, "999:1", ev.Card)
	assert.Empty(t, ev.CardholderGuid)
	assert.True(t, strings.EqualFold(door.GUID, ev.DoorGuid))

	// Unsubscribed events no longer come: the refusal after the grant is
	// the next event.
	require.NoError(t, note(t, cfg, cl.Unsubscribe(ctx, "event(Door,AccessGranted)")))
	_, err = s.Present(30, "200:2001", "")
	require.NoError(t, err)
	_, err = s.Present(30, "999:2", "")
	require.NoError(t, err)
	ev, err = st.Next()
	require.NoError(t, note(t, cfg, err))
	assert.Equal(t, "AccessRefused", ev.EventType)
	assert.Equal(t, "999:2", ev.Card)
}

// A stream cut in the middle ends Next with an error instead of hanging.
func TestStreamCut(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cl := newClient(t, cfg)
	ctx := context.Background()
	// Flush 1 is the ConnectionId, flush 2 the first event: then the cut.
	addFault(t, s, fault.Fault{Kind: fault.KindStreamCut, Params: fault.Params{Events: 2}, Match: fault.Match{Path: "/WebSdk/events"}})
	st := openStream(t, ctx, cl, cfg)
	require.NoError(t, note(t, cfg, cl.Subscribe(ctx, "event(Door,AccessGranted)")))
	_, err := s.Present(30, "200:2001", "")
	require.NoError(t, err)

	ev, err := st.Next()
	require.NoError(t, note(t, cfg, err))
	assert.Equal(t, "AccessGranted", ev.EventType)

	_, err = st.Next()
	require.Error(t, note(t, cfg, err))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.NotErrorIs(t, err, websdk.ErrStreamIdle)
	var ne *websdk.NetError
	require.ErrorAs(t, err, &ne)
	_, again := st.Next()
	assert.Equal(t, err, again, "the end is sticky")
}

// Close ends a Next waiting in another goroutine and tells the server.
func TestStreamClose(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg, rec := recorded(s, config(s))
	cl := newClient(t, cfg)
	ctx := context.Background()
	st := openStream(t, ctx, cl, cfg)
	done := make(chan error, 1)
	go func() {
		_, err := st.Next()
		done <- err
	}()
	require.NoError(t, st.Close())
	err := <-done
	assert.ErrorIs(t, note(t, cfg, err), websdk.ErrStreamClosed)
	_, err = st.Next()
	assert.ErrorIs(t, note(t, cfg, err), websdk.ErrStreamClosed)
	require.NoError(t, st.Close(), "a second Close does nothing")

	var closes []call
	for _, c := range rec.list() {
		if c.Method == "POST" && strings.HasPrefix(c.Path, "/WebSdk/events/closeconnection/") {
			closes = append(closes, c)
		}
	}
	require.Len(t, closes, 1)
	assert.Equal(t, "/WebSdk/events/closeconnection/"+url.PathEscape(st.ID), closes[0].Path)
	assert.Equal(t, 200, closes[0].Status)
}

// A stream silent for longer than its idle timeout is presumed dead.
func TestStreamIdle(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cfg.StreamIdle = 100 * time.Millisecond // the server's keep-alive comes every 30 s
	cl := newClient(t, cfg)
	st, err := cl.OpenStream(context.Background())
	require.NoError(t, note(t, cfg, err))
	defer st.Close()
	assert.Equal(t, 100*time.Millisecond, st.IdleTimeout)
	_, err = st.Next()
	require.ErrorIs(t, note(t, cfg, err), websdk.ErrStreamIdle)
	u, _ := url.Parse(s.GenetecURL())
	assert.Contains(t, err.Error(), u.Host)
	_, again := st.Next()
	assert.ErrorIs(t, again, websdk.ErrStreamIdle)
}

// The stream ends with its context.
func TestStreamContext(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cl := newClient(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	st := openStream(t, ctx, cl, cfg)
	cancel()
	_, err := st.Next()
	assert.ErrorIs(t, note(t, cfg, err), context.Canceled)
	assert.NotErrorIs(t, err, websdk.ErrStreamIdle)
}

// Opening a stream with bad credentials is an *AuthError, after one retry.
func TestStreamAuth(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cfg.Password = "not-the-Pw-77"
	cfg, rec := recorded(s, cfg)
	_, err := newClient(t, cfg).OpenStream(context.Background())
	var ae *websdk.AuthError
	require.ErrorAs(t, note(t, cfg, err), &ae)
	assert.Len(t, rec.list(), 2)
}

// A stream whose server hangs before the first line is bounded by the
// request timeout.
func TestStreamOpenHang(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	cfg.Timeout = 200 * time.Millisecond
	addFault(t, s, fault.Fault{Kind: fault.KindHang, Match: fault.Match{Path: "/WebSdk/events"}})
	_, err := newClient(t, cfg).OpenStream(context.Background())
	require.Error(t, note(t, cfg, err))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

package guard

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLimitCapsOpenConnections: idle connections past the cap wait in the
// backlog instead of being accepted, and a closed one frees its slot.
func TestLimitCapsOpenConnections(t *testing.T) {
	ln, err := Listen("127.0.0.1:0", 3)
	require.NoError(t, err)
	defer ln.Close()
	accepted := make(chan net.Conn, 10)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()
	var clients []net.Conn
	for range 5 {
		c, err := net.Dial("tcp", ln.Addr().String())
		require.NoError(t, err)
		defer c.Close()
		clients = append(clients, c)
	}
	var got []net.Conn
	for range 3 {
		got = append(got, <-accepted)
	}
	assert.Equal(t, 3, Open(ln))
	select {
	case c := <-accepted:
		t.Fatalf("accepted a fourth connection %v past the cap", c.RemoteAddr())
	case <-time.After(50 * time.Millisecond): // nothing to wait on: an Accept that does not happen
	}
	require.NoError(t, got[0].Close())
	_ = got[0].Close() // a second Close frees nothing more
	c := <-accepted    // the slot freed lets the next in
	defer c.Close()
	assert.Equal(t, 3, Open(ln))
	require.NoError(t, ln.Close())
	for range accepted {
	}
	_, err = ln.Accept()
	assert.ErrorIs(t, err, net.ErrClosed)
}

// TestLimitCloseWakesAccept: Close ends an Accept waiting for a slot, so
// http.Server.Shutdown never hangs on a full listener.
func TestLimitCloseWakesAccept(t *testing.T) {
	ln, err := Listen("127.0.0.1:0", 1)
	require.NoError(t, err)
	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	first, err := ln.Accept()
	require.NoError(t, err)
	defer first.Close()
	done := make(chan error)
	go func() { _, err := ln.Accept(); done <- err }()
	require.NoError(t, ln.Close())
	assert.ErrorIs(t, <-done, net.ErrClosed)
}

// TestServerDropsSlowHeaders: a connection that never finishes its header
// is closed by ReadHeaderTimeout (shortened here), freeing its slot.
func TestServerDropsSlowHeaders(t *testing.T) {
	ln, err := Listen("127.0.0.1:0", 1)
	require.NoError(t, err)
	srv := Server(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	srv.ReadHeaderTimeout = 100 * time.Millisecond
	go srv.Serve(ln)
	defer srv.Close()
	slow, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer slow.Close()
	_, err = slow.Write([]byte("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")) // never ends
	require.NoError(t, err)
	// The only slot is the slow one's until the server drops it; then the
	// next client is served.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+ln.Addr().String()+"/", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, "ok", string(b))
	_, err = bufio.NewReader(slow).ReadString('\n')
	assert.Error(t, err, "the slow connection was closed") // possibly after a 408 line
}

// TestStreamOutlivesServerTimeouts: a stream lasts past the server's
// ReadTimeout and WriteTimeout (which NewStream replaces by a deadline per
// write).
func TestStreamOutlivesServerTimeouts(t *testing.T) {
	ln, err := Listen("127.0.0.1:0", 0)
	require.NoError(t, err)
	ended := make(chan error, 1)
	srv := Server(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := NewStream(w)
		w.WriteHeader(http.StatusOK)
		_ = st.Flush()
		select {
		case <-r.Context().Done():
			ended <- r.Context().Err()
		case <-time.After(400 * time.Millisecond): // three ReadTimeouts
			_, err := st.Write([]byte("still here\n"))
			ended <- err
		}
	}))
	srv.ReadTimeout = 100 * time.Millisecond
	srv.WriteTimeout = 100 * time.Millisecond
	go srv.Serve(ln)
	defer srv.Close()
	resp, err := http.Get("http://" + ln.Addr().String() + "/")
	require.NoError(t, err)
	defer resp.Body.Close()
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "still here\n", line)
	assert.NoError(t, <-ended)
}

func TestSlots(t *testing.T) {
	s := NewSlots(2)
	assert.True(t, s.TryAcquire())
	assert.True(t, s.TryAcquire())
	assert.False(t, s.TryAcquire())
	assert.Equal(t, 2, s.InUse())
	s.Release()
	assert.True(t, s.TryAcquire())
	assert.Equal(t, DefaultMaxStreams, NewSlots(0).Cap())
}

func TestReadToken(t *testing.T) {
	t.Setenv("PACSIM_TEST_TOKEN", " from-env \n")
	tok, err := ReadToken("--token-file", "", "PACSIM_TEST_TOKEN")
	require.NoError(t, err)
	assert.Equal(t, "from-env", tok)
	f := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(f, []byte("from-file\n"), 0o600))
	tok, err = ReadToken("--token-file", f, "PACSIM_TEST_TOKEN")
	require.NoError(t, err)
	assert.Equal(t, "from-file", tok, "the file wins")
	require.NoError(t, os.WriteFile(f, []byte(" \n"), 0o600))
	_, err = ReadToken("--token-file", f, "PACSIM_TEST_TOKEN")
	assert.ErrorContains(t, err, "is empty")
	_, err = ReadToken("--token-file", f+".missing", "")
	assert.True(t, strings.HasPrefix(err.Error(), "--token-file: "), err)
}

package entrapass_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/entrapass"
)

// refusing is an HTTP client whose every connection is refused, as a
// port nothing listens on refuses it, whatever the port (no real port is
// needed, so nothing else on the machine can change the outcome).
func refusing() *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(_ context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}}}
}

// TestRefusedDefaultPortHint: a connection refused on port 8080 (the
// document's default, which the simulator does not use) says that `pacsim
// serve` serves SmartService on 8801; on any other port, or for another
// failure, no hint.
func TestRefusedDefaultPortHint(t *testing.T) {
	for _, c := range []struct {
		port int
		hint bool
	}{{0, true}, {8080, true}, {8801, false}, {9000, false}} {
		cl, err := entrapass.NewClient(entrapass.Config{Host: "127.0.0.1", Port: c.port, Username: "u", Password: "p"},
			entrapass.WithHTTPClient(refusing()))
		require.NoError(t, err)
		_, err = cl.Login(context.Background())
		require.ErrorIs(t, err, entrapass.ErrUnreachable)
		require.ErrorIs(t, err, syscall.ECONNREFUSED)
		require.Equal(t, c.hint, errors.Is(err, entrapass.ErrDefaultPortRefused), "port %d: %v", c.port, err)
		if c.hint {
			require.Contains(t, err.Error(), "connection refused (nothing listens on port 8080, the integration document's default; pacsim serve serves SmartService on 127.0.0.1:8801: --port 8801)")
		} else {
			require.NotContains(t, err.Error(), "8801:")
		}
	}

	// Another failure on 8080 (a timeout, a reset) gets no hint.
	cl, err := entrapass.NewClient(entrapass.Config{Host: "127.0.0.1", Username: "u", Password: "p"},
		entrapass.WithHTTPClient(&http.Client{Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNRESET)}
		}}}))
	require.NoError(t, err)
	_, err = cl.Login(context.Background())
	require.ErrorIs(t, err, entrapass.ErrUnreachable)
	require.False(t, errors.Is(err, entrapass.ErrDefaultPortRefused))
}

package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// waitWriter collects what is written and closes seen once it holds want.
type waitWriter struct {
	mu   sync.Mutex
	b    bytes.Buffer
	want []byte
	seen chan struct{}
}

func (w *waitWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := bytes.Contains(w.b.Bytes(), w.want)
	w.b.Write(p)
	if !had && bytes.Contains(w.b.Bytes(), w.want) {
		close(w.seen)
	}
	return len(p), nil
}

func (w *waitWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestDriverRefusedDefaultPortHint: `pacsim driver` left on port 8080
// (the document's default) where nothing listens says, in its
// "communication lost" line, that pacsim serve serves SmartService on
// 8801.
func TestDriverRefusedDefaultPortHint(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:8080")
	if err != nil {
		t.Skipf("port 8080 is in use here: %v", err)
	}
	require.NoError(t, ln.Close())
	stderr := &waitWriter{want: []byte("communication lost"), seen: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runDriver(ctx, []string{"--host", "127.0.0.1", "--username", "u", "--password", "p",
			"--dataserver", "127.0.0.1:0", "--debug", "127.0.0.1:0"}, io.Discard, stderr)
	}()
	select {
	case <-stderr.seen:
	case err := <-done:
		t.Fatalf("the driver ended: %v\n%s", err, stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("no communication lost line\n%s", stderr)
	}
	cancel()
	require.NoError(t, <-done)
	require.Contains(t, stderr.String(), "connection refused (nothing listens on port 8080, the integration document's default; pacsim serve serves SmartService on 127.0.0.1:8801: --port 8801)")
}

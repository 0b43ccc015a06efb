package websdk_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec/websdk"
)

// TestHostileKeepAliveReadNoFurther: a server answering a keep-alive with
// 15 MiB (under Config.MaxBody) has the client stop at MaxShortAnswer: the
// server manages to write that plus what the sockets hold, not the 15 MiB.
func TestHostileKeepAliveReadNoFurther(t *testing.T) {
	const hostile = 15 << 20
	var written atomic.Int64
	done := make(chan struct{}, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { done <- struct{}{} }()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(hostile))
		chunk := bytes.Repeat([]byte(" "), 32<<10)
		for written.Load() < hostile {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer ts.Close()
	cl := newClient(t, websdk.Config{URL: ts.URL + "/WebSdk/", Username: "admin", AppID: "app", Password: "x"})
	err := cl.KeepAlive(context.Background())
	require.ErrorIs(t, err, websdk.ErrTooLarge)
	assert.Contains(t, err.Error(), "the answer is longer than 1048576 bytes (the most such an answer can be)")
	<-done
	t.Logf("the fake server wrote %d bytes of %d", written.Load(), hostile)
	assert.Less(t, written.Load(), int64(8<<20))
}

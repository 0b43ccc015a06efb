package entrapass_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/entrapass"
)

// TestHostileLoginAnswerReadNoFurther: a server answering Login with 64 MiB
// (and announcing them) has the driver read no further than the bound of a
// Login answer: the fake server manages to write that bound plus what the
// sockets' buffers hold, not the 64 MiB, and the login fails with
// ErrMalformed naming the bound.
func TestHostileLoginAnswerReadNoFurther(t *testing.T) {
	const hostile = 64 << 20
	s := newSite(t, nil)
	var written atomic.Int64
	done := make(chan struct{})
	s.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/Login") {
			return false
		}
		defer close(done)
		w.Header().Set("Content-Type", "application/xml")
		w.Header().Set("Content-Length", strconv.Itoa(hostile))
		chunk := bytes.Repeat([]byte("<a>"), 32<<10/3)
		n, _ := w.Write([]byte("<Operator><SessionKey>"))
		written.Add(int64(n))
		for written.Load() < hostile {
			n, err := w.Write(chunk[:min(len(chunk), hostile-int(written.Load()))])
			written.Add(int64(n))
			if err != nil {
				return true
			}
		}
		return true
	})
	c := newClient(t, s, "pacsim", "pacsim")
	_, err := c.Login(ctx(t))
	require.ErrorIs(t, err, entrapass.ErrMalformed)
	assert.Contains(t, err.Error(), "the answer is larger than 65536 bytes, the most a Login answer can be")
	<-done
	t.Logf("the fake server wrote %d bytes of %d", written.Load(), hostile)
	assert.Less(t, written.Load(), int64(16<<20), "bytes the server wrote before the driver stopped reading")
}

package dataserver

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/pacsim/pacsim/internal/guard"
)

// sseWriter writes server-sent events, flushing each. A write that the
// client does not take within guard.StreamWriteTimeout ends the stream:
// the bus drops what a slow subscriber misses, and the handler does not
// wait on it for ever.
type sseWriter struct {
	w  http.ResponseWriter
	st *guard.Stream
}

// startSSE sends the headers of an event stream at once, so that the client
// sees the stream open before the first event.
func startSSE(w http.ResponseWriter) *sseWriter {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	st := guard.NewStream(w) // a stream outlives the server's WriteTimeout
	w.WriteHeader(http.StatusOK)
	_ = st.Flush()
	return &sseWriter{w: w, st: st}
}

// event writes one event; data may hold newlines (each line is a data: line).
func (s *sseWriter) event(id uint64, name string, data []byte) error {
	var b bytes.Buffer
	if id != 0 {
		b.WriteString("id: " + strconv.FormatUint(id, 10) + "\n")
	}
	if name != "" {
		b.WriteString("event: " + name + "\n")
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		b.WriteString("data: ")
		b.Write(bytes.TrimSuffix(line, []byte("\r")))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	return s.write(b.Bytes())
}

// comment writes a comment line (ignored by clients: a heartbeat).
func (s *sseWriter) comment(text string) error {
	return s.write(fmt.Appendf(nil, ": %s\n\n", text))
}

func (s *sseWriter) write(p []byte) error {
	_, err := s.st.Write(p)
	return err
}

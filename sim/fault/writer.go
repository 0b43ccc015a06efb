package fault

import (
	"net"
	"net/http"
)

// wrapper is the part every response writer wrapper shares: it hands
// Header through and lets http.ResponseController reach the writer below
// (Unwrap) for Hijack, deadlines and the like.
type wrapper struct {
	under http.ResponseWriter
}

// Header returns the header of the writer below.
func (w *wrapper) Header() http.Header { return w.under.Header() }

// Unwrap returns the writer below, for http.ResponseController.
func (w *wrapper) Unwrap() http.ResponseWriter { return w.under }

// flush flushes the writer below, if it can.
func flush(w http.ResponseWriter) {
	_ = http.NewResponseController(w).Flush()
}

// hijack takes the connection of w over, or reports false (HTTP/2). With
// flushFirst, what was written so far goes to the client first; without,
// nothing does (not even the status line, had nothing been written).
func hijack(w http.ResponseWriter, flushFirst bool) (net.Conn, bool) {
	rc := http.NewResponseController(w)
	if flushFirst {
		_ = rc.Flush()
	}
	conn, _, err := rc.Hijack()
	if err != nil {
		return nil, false
	}
	return conn, true
}

// closeConnection closes the connection of w: the client sees it end, after
// what was written so far if flushFirst, else with no answer at all. Where
// it cannot be taken over, the handler is aborted, which closes it too.
func closeConnection(w http.ResponseWriter, flushFirst bool) {
	conn, ok := hijack(w, flushFirst)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

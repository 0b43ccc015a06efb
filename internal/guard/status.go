package guard

import "net/http"

// StatusRecorder remembers the status a handler answered (200 once it
// writes without WriteHeader; 0 when nothing went out: reset, hijacked,
// panicked), for a request log or a metric. Flush passes a streaming
// handler's flush on, and Unwrap lets http.ResponseController reach the
// writer below (deadlines, the connection).
type StatusRecorder struct {
	http.ResponseWriter
	Status int
}

// WriteHeader records the first status written.
func (r *StatusRecorder) WriteHeader(code int) {
	if r.Status == 0 {
		r.Status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// Write records 200 when no status was written before.
func (r *StatusRecorder) Write(b []byte) (int, error) {
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Flush sends what was written (an event stream's part).
func (r *StatusRecorder) Flush() {
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	_ = http.NewResponseController(r.ResponseWriter).Flush()
}

// Unwrap returns the writer below, for http.ResponseController.
func (r *StatusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

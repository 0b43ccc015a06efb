package control

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pacsim/pacsim/internal/guard"
)

// DefaultRequestLogSize is how many requests a RequestLog keeps: the last
// 1000; older ones are forgotten (RequestPage.Dropped counts them).
const DefaultRequestLogSize = 1000

// maxLoggedPart caps the path and the query a log entry keeps, so that a
// thousand huge URLs cannot take the process's memory.
const maxLoggedPart = 2 << 10

// Redacted replaces the value of a secret query parameter in the log.
const Redacted = "REDACTED"

// secretParams are SmartService's query parameters that carry a secret:
// the password (clear or encrypted), the session key, the operator login
// key and the ConnectedProgram (encrypted with the password). Compared
// case-insensitively, as SmartService binds them.
var secretParams = map[string]bool{"password": true, "sdkey": true, "operatorloginkey": true, "connectedprogram": true}

// LoggedRequest is one request a head-end answered, as GET
// /v1/entrapass/requests shows it.
type LoggedRequest struct {
	// Seq numbers the requests in the order they were answered, from 1;
	// DELETE does not restart it.
	Seq uint64 `json:"seq"`
	// Time is when the request arrived, on the site clock in the site's
	// zone.
	Time time.Time `json:"time"`
	// Method is the HTTP method.
	Method string `json:"method"`
	// Path is the URL path as sent (escaped), without the query.
	Path string `json:"path"`
	// Query is the raw query with the value of every secret parameter
	// (password, sdKey, operatorLoginKey, connectedProgram) replaced by
	// REDACTED; "" when there is none.
	Query string `json:"query"`
	// Status is the HTTP status answered (a fault's included).
	Status int `json:"status"`
}

// RequestPage is the answer of GET /v1/entrapass/requests.
type RequestPage struct {
	// Requests are the last requests answered, oldest first.
	Requests []LoggedRequest `json:"requests"`
	// Capacity is how many the log keeps.
	Capacity int `json:"capacity"`
	// Dropped counts the requests answered since the last clear that the
	// log no longer holds.
	Dropped uint64 `json:"dropped"`
}

// RequestLog remembers the last requests a head-end answered, so that a
// developer can assert what their driver sent, as WireMock users do. Serve
// it WithEntraPassRequests and put Middleware around the head-end's
// handler (outside any fault middleware, so faulted answers are logged
// too). It is safe for concurrent use.
type RequestLog struct {
	now func() time.Time

	mu      sync.Mutex
	ring    []LoggedRequest
	next    int
	seq     uint64
	dropped uint64
}

// NewRequestLog returns a log of the last size requests
// (DefaultRequestLogSize when size <= 0), timed by now (the site clock;
// time.Now when nil).
func NewRequestLog(size int, now func() time.Time) *RequestLog {
	if size <= 0 {
		size = DefaultRequestLogSize
	}
	if now == nil {
		now = time.Now
	}
	return &RequestLog{now: now, ring: make([]LoggedRequest, 0, size)}
}

// Middleware logs every request next answers, once it is answered.
func (l *RequestLog) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := LoggedRequest{Time: l.now(), Method: clipPart(r.Method), Path: clipPart(r.URL.EscapedPath()), Query: clipPart(RedactQuery(r.URL.RawQuery))}
		sw := &guard.StatusRecorder{ResponseWriter: w}
		defer func() {
			e.Status = sw.Status
			if e.Status == 0 {
				e.Status = http.StatusOK // a handler that wrote nothing, or panicked (the server's 500 comes later)
			}
			l.add(e)
		}()
		next.ServeHTTP(sw, r)
	})
}

func (l *RequestLog) add(e LoggedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	e.Seq = l.seq
	if len(l.ring) < cap(l.ring) {
		l.ring = append(l.ring, e)
		return
	}
	l.ring[l.next] = e
	l.next = (l.next + 1) % len(l.ring)
	l.dropped++
}

// Page returns the requests held, oldest first.
func (l *RequestLog) Page() RequestPage {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]LoggedRequest, 0, len(l.ring))
	out = append(out, l.ring[l.next:]...)
	out = append(out, l.ring[:l.next]...)
	return RequestPage{Requests: out, Capacity: cap(l.ring), Dropped: l.dropped}
}

// Clear forgets every request and returns how many it held.
func (l *RequestLog) Clear() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.ring)
	l.ring, l.next, l.dropped = l.ring[:0], 0, 0
	return n
}

// RedactQuery returns a raw query with the value of every secret parameter
// replaced by REDACTED, the rest as sent.
func RedactQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, hasValue := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if hasValue && secretParams[strings.ToLower(strings.TrimSpace(name))] {
			parts[i] = k + "=" + Redacted
		}
	}
	return strings.Join(parts, "&")
}

// clipPart cuts a logged path or query at maxLoggedPart bytes.
func clipPart(s string) string {
	if len(s) <= maxLoggedPart {
		return s
	}
	return strings.ToValidUTF8(s[:maxLoggedPart], "") + fmt.Sprintf("…(%d bytes)", len(s))
}

// getRequests answers GET /v1/entrapass/requests.
func (s *Server) getRequests(w http.ResponseWriter, r *http.Request) (any, error) {
	p := s.requests.Page()
	for i := range p.Requests {
		p.Requests[i].Time = p.Requests[i].Time.In(s.loc)
	}
	return p, nil
}

// deleteRequests answers DELETE /v1/entrapass/requests: {"cleared":N}.
func (s *Server) deleteRequests(w http.ResponseWriter, r *http.Request) (any, error) {
	return struct {
		Cleared int `json:"cleared"`
	}{s.requests.Clear()}, nil
}

package scenarios

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pacsim/pacsim/internal/guard"
)

// RecorderConfig configures a Recorder.
type RecorderConfig struct {
	// Upstream is the real head-end: scheme and host (with port). Requests
	// keep their own path and query, since the client talks to the
	// recorder exactly as it would to the head-end; a path in Upstream
	// (…/SmartService/, …/WebSdk/) only tells the system. Required.
	Upstream *url.URL
	// System is SystemEntraPass or SystemGenetec; "" guesses it from
	// Upstream's path, else from the first request's (/SmartService…
	// → entrapass, /WebSdk… → genetec). It chooses what is redacted.
	System string
	// Writer receives each exchange as it completes. Its header is the
	// caller's: it should say the same system and redaction. Required.
	Writer *Writer
	// Redact redacts the copy written to the file (never what the client
	// gets), with Redactor, or when it is nil with one of System keyed by
	// a random key that is not kept anywhere.
	Redact   bool
	Redactor *Redactor
	// Transport sends the requests upstream. Default: a clone of
	// http.DefaultTransport that never asks for compression itself (so
	// the client's Accept-Encoding, or its absence, is what the upstream
	// sees) and, with InsecureSkipVerify, accepts any certificate (a
	// head-end's self-signed one). InsecureSkipVerify is not applied to a
	// Transport given here.
	Transport          http.RoundTripper
	InsecureSkipVerify bool
	// MaxBody bounds a request body (default 16 MiB): a larger one is
	// answered 413, recorded, and not sent upstream.
	MaxBody int64
	// Clock is the time source of offsets and durations (default
	// time.Now).
	Clock func() time.Time
}

// Recorder is a reverse proxy that records what passes (SPEC §9): every
// request goes to the upstream unchanged and its answer back to the client
// unchanged, streamed as it comes; each exchange is written to the
// recording as soon as it completes, so a crash loses at most the
// exchanges in flight. Upstream failures are answered 502 and recorded,
// never dropped. It is safe for concurrent use.
type Recorder struct {
	upstream  *url.URL
	transport http.RoundTripper
	writer    *Writer
	redact    bool
	maxBody   int64
	clock     func() time.Time
	start     time.Time

	// system is settled once, by the configuration or the first request.
	systemOnce sync.Once
	system     string

	// mu serialises redaction and writing: the file then holds the
	// exchanges in the order they completed, and the redactor (whose
	// pseudonym table is shared by every exchange) is used by one at a
	// time.
	mu        sync.Mutex
	redactor  *Redactor
	writeErr  error
	unwritten int

	seq     atomic.Int64
	written atomic.Int64
	failed  atomic.Int64

	// queue hands completed exchanges to the one goroutine that redacts
	// and writes them, in the order they completed, so the client's answer
	// ends as soon as it is relayed: redacting in the handler held every
	// answer open (bench: RecordOverhead). pending counts the requests
	// arrived (a stream: once it ended) and not yet written; Flush waits
	// for it, so what a client was answered is on disk after a Flush.
	queue   chan *Exchange
	pmu     sync.Mutex
	pdone   *sync.Cond
	pending int
}

// queueLen bounds the exchanges waiting to be written: past it, answers
// wait for the disk rather than memory growing.
const queueLen = 1024

// recordMaxBody bounds a request body by default: larger than any
// head-end request (a card picture is the largest), small enough that a
// runaway client cannot exhaust the recorder's memory.
const recordMaxBody = 16 << 20

// The errors of exchanges the client ended (they are not upstream
// failures).
const (
	msgClientEnded   = "stream ended by the client"
	msgClientGone    = "the client went away before the end of the answer"
	msgClientAborted = "the client went away before the upstream answered"
)

// NewRecorder returns a Recorder of cfg.
func NewRecorder(cfg RecorderConfig) (*Recorder, error) {
	u := cfg.Upstream
	if u == nil {
		return nil, errors.New("scenarios: NewRecorder: no upstream")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("scenarios: NewRecorder: upstream %s is not http:// or https://", u.Redacted())
	}
	if u.Host == "" {
		return nil, fmt.Errorf("scenarios: NewRecorder: upstream %s has no host", u.Redacted())
	}
	if cfg.Writer == nil {
		return nil, errors.New("scenarios: NewRecorder: no writer")
	}
	switch cfg.System {
	case "", SystemEntraPass, SystemGenetec:
	default:
		return nil, fmt.Errorf("scenarios: NewRecorder: system %q is not %s or %s", cfg.System, SystemEntraPass, SystemGenetec)
	}
	if cfg.MaxBody < 0 {
		return nil, fmt.Errorf("scenarios: NewRecorder: MaxBody %d is negative", cfg.MaxBody)
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = recordMaxBody
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DisableCompression = true
		if cfg.InsecureSkipVerify {
			t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for: a head-end's self-signed certificate
		}
		cfg.Transport = t
	}
	r := &Recorder{
		upstream:  &url.URL{Scheme: u.Scheme, Host: u.Host},
		transport: cfg.Transport,
		writer:    cfg.Writer,
		redact:    cfg.Redact,
		redactor:  cfg.Redactor,
		maxBody:   cfg.MaxBody,
		clock:     cfg.Clock,
		system:    cfg.System,
		queue:     make(chan *Exchange, queueLen),
	}
	r.pdone = sync.NewCond(&r.pmu)
	go r.writeLoop()
	if r.system == "" {
		r.system = SystemOfPath(u.Path)
	}
	if r.system != "" {
		r.systemOnce.Do(func() {})
	}
	r.start = r.clock()
	return r, nil
}

// SystemOfPath guesses the system a URL path is of: SystemEntraPass under
// /SmartService, SystemGenetec under /WebSdk (in any case, as the
// head-ends take them), "" otherwise.
func SystemOfPath(p string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	switch strings.ToLower(first) {
	case "smartservice":
		return SystemEntraPass
	case "websdk":
		return SystemGenetec
	}
	return ""
}

// Count is how many exchanges were written to the recording.
// It does not wait for the exchanges still being written: Flush first for
// the final count.
func (r *Recorder) Count() int { return int(r.written.Load()) }

// Failed is how many exchanges had an upstream failure (refused, reset,
// timed out, cut mid-answer). They are recorded all the same, with Error.
func (r *Recorder) Failed() int { return int(r.failed.Load()) }

// Unwritten is how many exchanges were proxied but could not be written
// (a full disk, a closed writer), and WriteErr the first such error. The
// client is not punished for the recorder's trouble: its answer went
// through.
func (r *Recorder) Unwritten() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.unwritten
}

// WriteErr is the first error of the writer, nil when every exchange was
// written.
func (r *Recorder) WriteErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.writeErr
}

// System is the system being recorded ("" until a request names it, when
// neither the configuration nor the upstream did).
func (r *Recorder) System() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.system
}

// recHopByHop are the headers of one connection, not of the message: a
// proxy must not forward them (RFC 9110 §7.6.1). The rest passes as is.
var recHopByHop = [...]string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// recRequestHeaders are the request headers kept in a recording: those the
// head-ends act on. The others (Host, User-Agent, Content-Length…) say
// nothing about the exchange, and an unknown X- header may carry a secret
// the redactor cannot know of.
var recRequestHeaders = [...]string{"Accept", "Content-Type", "Authorization"}

// ServeHTTP proxies req to the upstream and records the exchange. When the
// upstream cuts an answer whose headers are sent, the client's connection
// is cut too (panic(http.ErrAbortHandler), after the exchange is written),
// so the client sees the failure it would have seen without the recorder.
func (r *Recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	arrived := r.clock()
	seq := r.seq.Add(1)
	r.systemOnce.Do(func() {
		r.mu.Lock()
		r.system = SystemOfPath(req.URL.Path)
		r.mu.Unlock()
	})
	e := &Exchange{
		Seq:      int(seq),
		OffsetMS: arrived.Sub(r.start).Milliseconds(),
		Request: Request{
			Method: req.Method,
			Path:   req.URL.Path,
			Query:  req.URL.RawQuery,
			Header: keepHeaders(req.Header, recRequestHeaders[:]),
		},
	}
	// A request is counted as it arrives, so a Flush after its answer
	// reached the client waits for it; a stream only once it ended.
	counted := !streamRequest(req)
	if counted {
		r.arrive()
	}
	finish := func() {
		e.DurationMS = r.clock().Sub(arrived).Milliseconds()
		r.record(e, counted)
	}

	var body []byte
	var err error
	if req.Body != nil { // always set by a server; maybe not by a caller's test
		body, err = io.ReadAll(io.LimitReader(req.Body, r.maxBody+1))
	}
	switch {
	case err != nil:
		// A client that stops sending its body gets nothing upstream:
		// half a request would be a different one.
		msg := "cannot read the request body: " + err.Error()
		r.refuse(w, &e.Response, http.StatusBadRequest, msg)
		e.Error = msg
		finish()
		return
	case int64(len(body)) > r.maxBody:
		msg := fmt.Sprintf("request body over %d bytes: refused by pacsim record, not sent upstream", r.maxBody)
		r.refuse(w, &e.Response, http.StatusRequestEntityTooLarge, msg)
		e.Error = msg
		finish()
		return
	}
	SetBody(body, &e.Request.Body, &e.Request.Body64)

	out, err := r.outgoing(req, body)
	if err != nil {
		msg := fmt.Sprintf("upstream %s: %v", r.upstream.Host, err)
		r.refuse(w, &e.Response, http.StatusBadGateway, "pacsim record: "+msg)
		e.Error = msg
		r.failed.Add(1)
		finish()
		return
	}
	resp, err := r.transport.RoundTrip(out)
	if err != nil {
		if req.Context().Err() != nil {
			// The client (or the recorder's stop) ended it; there is no
			// answer and no one to give one to. Status 0 is "no answer".
			e.Error = clientEnded(req.Context(), msgClientAborted)
			finish()
			return
		}
		msg := fmt.Sprintf("upstream %s: %v", r.upstream.Host, err)
		r.refuse(w, &e.Response, http.StatusBadGateway, "pacsim record: "+msg)
		e.Error = msg
		r.failed.Add(1)
		finish()
		return
	}
	defer resp.Body.Close()
	r.relay(w, req, resp, e, finish)
}

// outgoing is req as the upstream gets it: same method, path, query,
// headers and body, minus the hop-by-hop headers.
func (r *Recorder) outgoing(req *http.Request, body []byte) (*http.Request, error) {
	u := *r.upstream
	u.Path, u.RawPath, u.RawQuery = req.URL.Path, req.URL.RawPath, req.URL.RawQuery
	out, err := http.NewRequestWithContext(req.Context(), req.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	out.Header = req.Header.Clone()
	if out.Header == nil {
		out.Header = http.Header{}
	}
	dropHopByHop(out.Header)
	if _, ok := out.Header["User-Agent"]; !ok {
		// Go's transport would add its own; the upstream is to see the
		// client's request, which had none.
		out.Header.Set("User-Agent", "")
	}
	return out, nil
}

// relay streams the upstream's answer to the client, each read flushed at
// once (the Web SDK's event stream must reach the client as it comes), and
// keeps a copy for the recording: chunks for a stream, a body otherwise.
func (r *Recorder) relay(w http.ResponseWriter, req *http.Request, resp *http.Response, e *Exchange, finish func()) {
	answered := r.clock()
	h := w.Header()
	for k, v := range resp.Header {
		h[k] = append([]string(nil), v...)
	}
	dropHopByHop(h)
	e.Response.Status = resp.StatusCode
	e.Response.Header = keepHeaders(resp.Header, []string{"Content-Type"})
	if len(resp.TransferEncoding) > 0 {
		// Go's client moves Transfer-Encoding out of the header.
		if e.Response.Header == nil {
			e.Response.Header = map[string][]string{}
		}
		e.Response.Header["Transfer-Encoding"] = append([]string(nil), resp.TransferEncoding...)
	}
	rc := http.NewResponseController(w)
	// Each write within its own deadline, not the server's WriteTimeout:
	// a stream lasts as long as the integration keeps it, and a client
	// that stops reading is dropped.
	_ = rc.SetWriteDeadline(time.Now().Add(guard.StreamWriteTimeout))
	w.WriteHeader(resp.StatusCode)
	_ = rc.Flush() // a stream's client learns at once that it is open

	stream := isStream(req, resp)
	var whole bytes.Buffer
	buf := make([]byte, 32<<10)
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			if stream {
				c := Chunk{OffsetMS: r.clock().Sub(answered).Milliseconds()}
				SetBody(buf[:n], &c.Data, &c.Data64)
				e.Response.Chunks = append(e.Response.Chunks, c)
			} else {
				whole.Write(buf[:n])
			}
			_ = rc.SetWriteDeadline(time.Now().Add(guard.StreamWriteTimeout))
			_, werr := w.Write(buf[:n])
			if werr == nil {
				werr = rc.Flush()
				if errors.Is(werr, http.ErrNotSupported) {
					werr = nil
				}
			}
			if werr != nil {
				r.keepBody(e, &whole, stream)
				e.Error = clientEnded(req.Context(), clientText(stream))
				finish()
				return
			}
		}
		if rerr == nil {
			continue
		}
		r.keepBody(e, &whole, stream)
		switch {
		case errors.Is(rerr, io.EOF) && !(stream && req.Context().Err() != nil):
			finish()
			return
		case req.Context().Err() != nil:
			// A stream the client cancelled may reach its end upstream
			// before the cancellation reaches this read (seen under load
			// in TestRecordWebSdkAndEventStream): it still ended because
			// the client did.
			e.Error = clientEnded(req.Context(), clientText(stream))
			finish()
			return
		default:
			what := "answer"
			if stream {
				what = "stream"
			}
			e.Error = fmt.Sprintf("upstream ended the %s: %v", what, rerr)
			r.failed.Add(1)
			finish()
			// Ending normally would tell the client the answer is
			// complete (a clean last chunk); cutting it tells the truth.
			panic(http.ErrAbortHandler)
		}
	}
}

// keepBody stores a non-streamed answer's body in e.
func (r *Recorder) keepBody(e *Exchange, whole *bytes.Buffer, stream bool) {
	if !stream {
		SetBody(whole.Bytes(), &e.Response.Body, &e.Response.Body64)
	}
}

// refuse answers the client with a plain-text error of the recorder's own
// and keeps that answer in resp, as what the client got.
func (r *Recorder) refuse(w http.ResponseWriter, resp *Response, status int, msg string) {
	http.Error(w, msg, status)
	resp.Status = status
	resp.Header = map[string][]string{"Content-Type": {"text/plain; charset=utf-8"}}
	SetBody([]byte(msg+"\n"), &resp.Body, &resp.Body64)
}

// record redacts e (the copy; the client's answer is gone already) and
// writes it. A write error is kept and counted, not returned: the exchange
// was proxied all the same.
func (r *Recorder) record(e *Exchange, counted bool) {
	if !counted {
		r.arrive()
	}
	r.queue <- e
}

// arrive counts a request whose exchange is to be written.
func (r *Recorder) arrive() {
	r.pmu.Lock()
	r.pending++
	r.pmu.Unlock()
}

// Flush waits until every request that arrived so far (every stream that
// ended) is written: what a client was answered is then in the file.
func (r *Recorder) Flush() {
	r.pmu.Lock()
	for r.pending > 0 {
		r.pdone.Wait()
	}
	r.pmu.Unlock()
}

// writeLoop redacts and writes the exchanges in the order they completed.
func (r *Recorder) writeLoop() {
	for e := range r.queue {
		r.write(e)
		r.pmu.Lock()
		r.pending--
		if r.pending == 0 {
			r.pdone.Broadcast()
		}
		r.pmu.Unlock()
	}
}

// streamRequest tells, from the request alone, an answer that may stay
// open (the Web SDK's event stream, server-sent events): Flush does not
// wait for one before it ends.
func streamRequest(req *http.Request) bool {
	return req.Method == http.MethodGet && strings.EqualFold(strings.TrimSuffix(req.URL.Path, "/"), "/WebSdk/events") ||
		strings.Contains(strings.ToLower(req.Header.Get("Accept")), "text/event-stream")
}

func (r *Recorder) write(e *Exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.redact {
		if r.redactor == nil {
			// A nil key is a random one, kept nowhere: the pseudonyms
			// cannot be reversed by hashing guesses.
			r.redactor = NewRedactor(r.system, nil)
		}
		r.redactor.Exchange(e)
	}
	if err := r.writer.Write(e); err != nil {
		r.unwritten++
		if r.writeErr == nil {
			r.writeErr = err
		}
		return
	}
	r.written.Add(1)
}

// isStream reports whether an answer is recorded as timed chunks: the Web
// SDK's event stream, or any server-sent event stream.
func isStream(req *http.Request, resp *http.Response) bool {
	if strings.HasPrefix(strings.ToLower(resp.Header.Get("Content-Type")), "text/event-stream") {
		return true
	}
	return req.Method == http.MethodGet && strings.EqualFold(strings.TrimSuffix(req.URL.Path, "/"), "/WebSdk/events")
}

// clientText is the error of an answer the client stopped reading.
func clientText(stream bool) string {
	if stream {
		return msgClientEnded
	}
	return msgClientGone
}

// clientEnded is why an exchange ended early: text (the client went away),
// or the cause when the server's context was cancelled with one (as
// `pacsim record` does at SIGINT, so that a stream open at the stop is not
// blamed on the client).
func clientEnded(ctx context.Context, text string) string {
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) && !errors.Is(cause, context.DeadlineExceeded) {
		if text == msgClientEnded {
			return "stream ended: " + cause.Error()
		}
		return "answer ended: " + cause.Error()
	}
	return text
}

// keepHeaders copies the named headers of h, under their canonical names;
// nil when none is there.
func keepHeaders(h http.Header, names []string) map[string][]string {
	var out map[string][]string
	for _, n := range names {
		if v := h.Values(n); len(v) > 0 {
			if out == nil {
				out = make(map[string][]string, len(names))
			}
			out[http.CanonicalHeaderKey(n)] = append([]string(nil), v...)
		}
	}
	return out
}

// dropHopByHop removes the hop-by-hop headers from h, including those its
// Connection header names.
func dropHopByHop(h http.Header) {
	for _, v := range h.Values("Connection") {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				h.Del(f)
			}
		}
	}
	for _, k := range recHopByHop {
		h.Del(k)
	}
}

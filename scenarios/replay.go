package scenarios

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/pacsim/pacsim/internal/guard"
)

// replayMaxBody bounds a request body the replayer reads when
// ReplayConfig.MaxBody is not set (16 MiB): larger than any head-end
// request (a card picture is the largest), small enough that a runaway
// client cannot exhaust memory.
const replayMaxBody = 16 << 20

// ReplayConfig configures a Replayer.
type ReplayConfig struct {
	// Recording is what is served. Required.
	Recording *Recording
	// Speed scales the recorded timing: 1 answers as slowly as the
	// upstream did, 10 ten times faster, 0 as fast as possible (no
	// waiting at all). Negative, infinite or NaN is refused.
	Speed float64
	// MaxBody bounds a request body (default 16 MiB); a larger one
	// is answered 413.
	MaxBody int64
}

// Replayer serves a recording: each request is matched to a recorded
// exchange (Matcher) and gets that exchange's answer, at the recorded
// pace scaled by Speed. It is an http.Handler; it is safe for concurrent
// use.
type Replayer struct {
	speed   float64
	maxBody int64
	m       *Matcher // safe for concurrent use

	served    atomic.Int64
	unmatched atomic.Int64
}

// NewReplayer returns a Replayer of cfg.Recording.
func NewReplayer(cfg ReplayConfig) (*Replayer, error) {
	if cfg.Recording == nil {
		return nil, errors.New("scenarios: NewReplayer: no recording")
	}
	if cfg.Speed < 0 || math.IsNaN(cfg.Speed) || math.IsInf(cfg.Speed, 0) {
		return nil, fmt.Errorf("scenarios: NewReplayer: speed %v is not a positive number (or 0 for no waiting)", cfg.Speed)
	}
	if cfg.MaxBody < 0 {
		return nil, fmt.Errorf("scenarios: NewReplayer: MaxBody %d is negative", cfg.MaxBody)
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = replayMaxBody
	}
	return &Replayer{speed: cfg.Speed, maxBody: cfg.MaxBody, m: NewMatcher(cfg.Recording)}, nil
}

// Served is how many requests the replayer has received, answered from the
// recording or not.
func (p *Replayer) Served() int { return int(p.served.Load()) }

// Unmatched is how many of them got no recorded answer: matched nothing
// (404) or had a body over the limit (413).
func (p *Replayer) Unmatched() int { return int(p.unmatched.Load()) }

// replayMatchedHeaders are the request headers a recording keeps: the
// request is given to the matcher as the recorder would have written it
// (the matcher decides what takes part).
var replayMatchedHeaders = [...]string{"Accept", "Content-Type", "Authorization"}

// replaySkippedHeaders are recorded response headers not replayed: the length
// and framing are those of this server's answer, not the upstream's, and
// hop-by-hop headers describe a connection that no longer exists.
var replaySkippedHeaders = map[string]bool{
	"Content-Length": true, "Transfer-Encoding": true, "Connection": true,
	"Keep-Alive": true, "Trailer": true, "Upgrade": true, "Proxy-Connection": true,
}

// ServeHTTP answers r with the recorded answer of the exchange it matches.
func (p *Replayer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.served.Add(1)
	req, err := p.request(w, r)
	if err != nil {
		p.unmatched.Add(1)
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			replayPlain(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over the replayer's limit of %d bytes", p.maxBody))
			return
		}
		replayPlain(w, http.StatusBadRequest, "cannot read the request body: "+err.Error())
		return
	}
	ex, _, err := p.m.Match(req)
	if err != nil {
		p.unmatched.Add(1)
		replayPlain(w, http.StatusNotFound, err.Error())
		return
	}
	p.answer(w, r, ex)
}

// request turns r into the Request the matcher compares with the recorded
// ones.
func (p *Replayer) request(w http.ResponseWriter, r *http.Request) (*Request, error) {
	req := &Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
	for _, h := range replayMatchedHeaders {
		if v := r.Header.Values(h); len(v) > 0 {
			if req.Header == nil {
				req.Header = make(map[string][]string, len(replayMatchedHeaders))
			}
			req.Header[h] = append([]string(nil), v...)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, p.maxBody))
	if err != nil {
		return nil, err
	}
	SetBody(body, &req.Body, &req.Body64)
	return req, nil
}

// answer writes ex's recorded answer.
func (p *Replayer) answer(w http.ResponseWriter, r *http.Request, ex *Exchange) {
	resp := &ex.Response
	if resp.Status == 0 {
		// The upstream never answered (refused, reset, timed out): the
		// closest HTTP has is a gateway's 502, which drivers treat as the
		// server being unreachable, as they did when it was recorded.
		msg := ex.Error
		if msg == "" {
			msg = "no answer recorded"
		}
		if !p.wait(r, ex.DurationMS) {
			return
		}
		replayPlain(w, http.StatusBadGateway, "recorded upstream failure: "+msg)
		return
	}
	for k, v := range resp.Header {
		if replaySkippedHeaders[http.CanonicalHeaderKey(k)] {
			continue
		}
		w.Header()[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
	}
	if len(resp.Chunks) > 0 {
		p.stream(w, r, resp)
		return
	}
	body, err := resp.Bytes()
	if err != nil {
		replayPlain(w, http.StatusInternalServerError, fmt.Sprintf("recorded answer of exchange %d cannot be decoded: %v", ex.Seq, err))
		return
	}
	if !p.wait(r, ex.DurationMS) {
		return
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write(body)
}

// stream writes a streamed answer chunk by chunk, each flushed at its
// recorded offset from the answer's start, so a client sees the same
// pacing (event bursts, keep-alives) as it did live.
func (p *Replayer) stream(w http.ResponseWriter, r *http.Request, resp *Response) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Now().Add(guard.StreamWriteTimeout))
	w.WriteHeader(resp.Status)
	_ = rc.Flush()
	start := time.Now()
	for i := range resp.Chunks {
		c := &resp.Chunks[i]
		data, err := c.Bytes()
		if err != nil {
			// Headers are gone already: all that is left is to end the
			// stream, as an upstream that failed mid-answer would.
			return
		}
		if p.speed > 0 {
			at := start.Add(p.scale(c.OffsetMS))
			if !p.sleep(r, time.Until(at)) {
				return
			}
		}
		// Each chunk within its own deadline, not the server's
		// WriteTimeout: a replayed stream lasts as long as recorded, and a
		// client that stops reading is dropped.
		_ = rc.SetWriteDeadline(time.Now().Add(guard.StreamWriteTimeout))
		if _, err := w.Write(data); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// scale turns recorded milliseconds into the wait at p.speed.
func (p *Replayer) scale(ms int64) time.Duration {
	if p.speed == 0 || ms <= 0 {
		return 0
	}
	return time.Duration(float64(ms) * float64(time.Millisecond) / p.speed)
}

// wait waits the recorded duration scaled by speed; false when the client
// went away meanwhile.
func (p *Replayer) wait(r *http.Request, ms int64) bool {
	return p.sleep(r, p.scale(ms))
}

// sleep waits d on the wall clock unless the client goes away first.
func (p *Replayer) sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return r.Context().Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// replayPlain writes a plain-text answer of the replayer's own.
func replayPlain(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	for k := range h {
		delete(h, k)
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg)
}

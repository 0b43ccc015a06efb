package websdk

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// boundary opens every part of the event stream.
	boundary = "--GENETECBOUNDARY"
	// maxLine bounds one line of the stream, so that a server that never
	// sends a newline cannot make the client buffer without end.
	maxLine = 1 << 20
	// closeTimeout bounds the best-effort closeconnection of Close: a
	// caller closing a stream is usually tearing down or reconnecting and
	// must not wait long on a server that may be gone.
	closeTimeout = 3 * time.Second
)

var errLineTooLong = errors.New("line too long")

// Stream is an open event stream (GET {base}events). Events reach it for
// what the session subscribed to (Subscribe), from the moment it opened.
// Next is not safe for concurrent use; Close may be called at any time,
// from any goroutine.
type Stream struct {
	// ID is the ConnectionId the server gave the stream (its first line).
	ID string
	// IdleTimeout ends the stream with ErrStreamIdle when Next has waited
	// that long with nothing received, keep-alives included (default
	// Config.StreamIdle; zero or negative: no idle detection). Set it
	// before calling Next.
	IdleTimeout time.Duration

	c      *Client
	op     string
	parent context.Context
	cancel context.CancelFunc
	body   io.ReadCloser
	br     *bufio.Reader
	timer  *time.Timer // the idle watchdog, armed while Next waits
	idle   atomic.Bool // the watchdog fired
	closed atomic.Bool // Close was called
	once   sync.Once
	err    error // why the stream ended; sticky
}

// OpenStream opens the event stream: GET {base}events, then its first line
// "ConnectionId:<guid>". Until that line arrives the request timeout
// applies; after it, the stream lives until ctx ends, Close, the server
// ends it, or it is idle (Stream.IdleTimeout). Open the stream before
// subscribing, as Genetec's own sample does.
func (c *Client) OpenStream(ctx context.Context) (*Stream, error) {
	s, err := c.openStream(ctx)
	var ae *AuthError
	if errors.As(err, &ae) && !ae.Forbidden && ctx.Err() == nil {
		s, err = c.openStream(ctx) // a dropped session, as in call
	}
	return s, err
}

func (c *Client) openStream(ctx context.Context) (*Stream, error) {
	op := c.op(http.MethodGet, "events")
	sctx, cancel := context.WithCancel(ctx)
	var late atomic.Bool
	guard := time.AfterFunc(c.timeout, func() { late.Store(true); cancel() })
	fail := func(err error) (*Stream, error) {
		guard.Stop()
		cancel()
		return nil, err
	}
	req, err := c.newRequest(sctx, http.MethodGet, "events")
	if err != nil {
		return fail(err)
	}
	resp, err := c.sc.Do(req)
	if err != nil {
		return fail(c.netError(op, err, late.Load() && ctx.Err() == nil))
	}
	if resp.StatusCode != http.StatusOK {
		err := c.statusError(resp, op)
		resp.Body.Close()
		return fail(err)
	}
	s := &Stream{IdleTimeout: c.idle, c: c, op: op, parent: ctx, cancel: cancel, body: resp.Body}
	s.br = bufio.NewReaderSize(&activityReader{s: s, r: resp.Body}, 64<<10)
	id, err := s.connectionID()
	if !guard.Stop() {
		// The request timeout passed before the first line (or as it
		// arrived): the stream is cancelled either way.
		if ctx.Err() != nil {
			err = &NetError{Host: c.host, Op: op, Err: ctx.Err()}
		} else {
			err = &NetError{Host: c.host, Op: op, Timeout: c.timeout, Err: context.DeadlineExceeded}
		}
	}
	if err != nil {
		resp.Body.Close()
		return fail(err)
	}
	s.ID = id
	return s, nil
}

// connectionID reads the stream's first line, ConnectionId:<guid>. A
// server that fails the request instead answers an envelope: its error is
// returned.
func (s *Stream) connectionID() (string, error) {
	for {
		line, err := s.readLine()
		if err != nil {
			return "", s.fatal(err)
		}
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		const prefix = "connectionid:"
		if len(t) >= len(prefix) && strings.EqualFold(t[:len(prefix)], prefix) {
			if id := strings.TrimSpace(t[len(prefix):]); id != "" {
				return id, nil
			}
			return "", s.protocolError("the ConnectionId line holds no id", t, nil)
		}
		if t[0] == '{' {
			if _, _, err := s.c.envelope(s.op, "text/json", []byte(t)); err != nil {
				return "", err
			}
		}
		return "", s.protocolError("the event stream does not start with ConnectionId:", t, nil)
	}
}

// activityReader resets the idle watchdog whenever bytes arrive.
type activityReader struct {
	s *Stream
	r io.Reader
}

func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 && a.s.timer != nil {
		a.s.timer.Reset(a.s.IdleTimeout)
	}
	return n, err
}

// Next returns the next event. It skips KeepAlive lines and parts whose
// Content-type is not text/json. When the stream ends it returns io.EOF
// (the server ended it), a *NetError (cut: it wraps io.ErrUnexpectedEOF;
// idle: it wraps ErrStreamIdle; the context ended), ErrStreamClosed, or a
// *ProtocolError (a line over 1 MiB, no ConnectionId); every later call
// returns the same. A part that fails alone (an *SdkError, or a
// *ProtocolError for a part that does not parse) is returned once and the
// stream goes on.
func (s *Stream) Next() (Event, error) {
	if s.err != nil {
		return Event{}, s.err
	}
	if s.closed.Load() {
		s.err = ErrStreamClosed
		return Event{}, s.err
	}
	if d := s.IdleTimeout; d > 0 {
		// Silence is measured only while waiting here: between calls the
		// caller is busy and unread bytes wait in buffers.
		s.timer = time.AfterFunc(d, func() {
			s.idle.Store(true)
			s.cancel()
		})
		defer func() {
			s.timer.Stop()
			s.timer = nil
		}()
	}
	inPart, ctype := false, ""
	for {
		line, err := s.readLine()
		if err != nil {
			s.err = s.fatal(err)
			s.release()
			return Event{}, s.err
		}
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			continue
		case strings.HasPrefix(t, boundary):
			inPart, ctype = true, ""
			continue
		case strings.EqualFold(t, "KeepAlive"):
			continue
		case inPart && isHeader(t):
			name, val, _ := strings.Cut(t, ":")
			if strings.EqualFold(strings.TrimSpace(name), "Content-Type") {
				ctype = strings.TrimSpace(val)
			}
			continue
		}
		// A data line: the body of the current part, or a bare line.
		part := inPart
		inPart = false
		if part && ctype != "" && !isJSON(ctype) {
			continue // text/plain, XML: not for this client
		}
		if t[0] != '{' {
			if part {
				return Event{}, s.protocolError("a text/json part of the event stream holds no JSON", t, nil)
			}
			continue // a stray line outside any part
		}
		return s.event(t)
	}
}

// event reads one data line: {"Rsp":{"Status":"Ok","Result":{…event…}}}.
func (s *Stream) event(line string) (Event, error) {
	_, res, err := s.c.envelope(s.op, "text/json", []byte(line))
	if err != nil {
		return Event{}, err
	}
	var ev Event
	if len(res) == 0 {
		return Event{}, s.protocolError("an event part has no Result", line, nil)
	}
	if err := json.Unmarshal(res, &ev); err != nil {
		return Event{}, s.protocolError("an event part's Result is not an event: "+err.Error(), line, err)
	}
	return ev, nil
}

// readLine reads one line without its end of line, at most maxLine bytes.
// Data at the end of the stream without a newline is a cut line:
// io.ErrUnexpectedEOF.
func (s *Stream) readLine() (string, error) {
	var long []byte
	for {
		frag, err := s.br.ReadSlice('\n')
		if len(long)+len(frag) > maxLine {
			return "", errLineTooLong
		}
		if err == bufio.ErrBufferFull {
			long = append(long, frag...)
			continue
		}
		if err != nil {
			if err == io.EOF && len(long)+len(frag) > 0 {
				err = io.ErrUnexpectedEOF
			}
			return "", err
		}
		if long != nil {
			frag = append(long, frag...)
		}
		return strings.TrimRight(string(frag), "\r\n"), nil
	}
}

// fatal says why the stream ended, from the read error and from who ended
// it.
func (s *Stream) fatal(err error) error {
	switch {
	case s.closed.Load():
		return ErrStreamClosed
	case s.idle.Load():
		return &NetError{Host: s.c.host, Op: s.op, Err: fmt.Errorf("%w: nothing received for %v", ErrStreamIdle, s.IdleTimeout)}
	case errors.Is(err, errLineTooLong):
		return &ProtocolError{What: fmt.Sprintf("a line of the event stream is longer than %d bytes", maxLine), Host: s.c.host, Op: s.op, Err: ErrTooLarge}
	case s.parent.Err() != nil:
		return &NetError{Host: s.c.host, Op: s.op, Err: s.parent.Err()}
	case err == io.EOF:
		return io.EOF
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &NetError{Host: s.c.host, Op: s.op, Err: err}
}

// release drops the connection of a stream that has ended.
func (s *Stream) release() {
	s.cancel()
	_ = s.body.Close()
}

func (s *Stream) protocolError(what, line string, err error) *ProtocolError {
	return &ProtocolError{What: what, Body: s.c.clip([]byte(line)), Host: s.c.host, Op: s.op, Err: err}
}

// Close ends the stream: it asks Security Center to close the connection
// (POST {base}events/closeconnection/{id}, best-effort, within a few
// seconds, so that the role frees the SDK connection it counts against the
// licence at once), then closes it on this side. A Next waiting in another
// goroutine returns ErrStreamClosed. Close always returns nil; calling it
// again does nothing.
func (s *Stream) Close() error {
	s.once.Do(func() {
		s.closed.Store(true)
		if s.ID != "" {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(s.parent), min(s.c.timeout, closeTimeout))
			_, _, _ = s.c.callOnce(ctx, http.MethodPost, "events/closeconnection/"+url.PathEscape(s.ID), min(s.c.maxBody, MaxShortAnswer), "the most such an answer can be")
			cancel()
		}
		s.release()
	})
	return nil
}

// isHeader reports whether t is a MIME header line ("Content-type: …")
// rather than a part's data.
func isHeader(t string) bool {
	name, _, ok := strings.Cut(t, ":")
	if !ok || name == "" {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// isJSON reports whether a part's content type is JSON.
func isJSON(ctype string) bool {
	mt, _, err := mime.ParseMediaType(ctype)
	if err != nil {
		mt, _, _ = strings.Cut(strings.ToLower(ctype), ";")
		mt = strings.TrimSpace(mt)
	}
	return mt == "text/json" || mt == "application/json"
}

// Subscribe adds event subscriptions to the session, each written
// "event(<source>,<EventType>)" where the source is an entity GUID,
// LogicalID(Door,1) or an entity type: GET {base}events/subscribe?q=….
func (c *Client) Subscribe(ctx context.Context, subs ...string) error {
	return c.subscription(ctx, "events/subscribe", subs)
}

// Unsubscribe removes event subscriptions, written as for Subscribe.
func (c *Client) Unsubscribe(ctx context.Context, subs ...string) error {
	return c.subscription(ctx, "events/unsubscribe", subs)
}

func (c *Client) subscription(ctx context.Context, path string, subs []string) error {
	if len(subs) == 0 {
		return errors.New("websdk: no subscription given: write each as event(<source>,<EventType>)")
	}
	_, _, err := c.callShort(ctx, http.MethodGet, path+"?q="+escapeQ(strings.Join(subs, ",")))
	return err
}

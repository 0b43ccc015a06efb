package control

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// ErrStreamEnded is returned by Follow and WaitEvent when the server ended
// the event stream (it was closed) before they were done.
var ErrStreamEnded = errors.New("control: the event stream ended")

// errStop stops Follow from WaitEvent once the event is found.
var errStop = errors.New("stop following")

// Events returns up to limit events with a sequence number above after,
// oldest first (GET /v1/events); limit <= 0 asks for the server's default
// (1000). The page also tells the newest sequence number in the journal and
// how many events after `after` retention already dropped.
func (c *Client) Events(ctx context.Context, after uint64, limit int) (EventPage, error) {
	q := url.Values{"after": {strconv.FormatUint(after, 10)}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var p EventPage
	err := c.do(ctx, http.MethodGet, "/events?"+q.Encode(), nil, &p)
	return p, err
}

// Follow reads the event stream (GET /v1/events/stream) from just after
// sequence number after and calls fn with each event, in order, as the
// world journals them. It returns fn's error as soon as fn returns one,
// ctx's error once ctx is done, or ErrStreamEnded if the server ends the
// stream. Events that retention dropped before they could be sent are
// skipped; Events tells how many.
func (c *Client) Follow(ctx context.Context, after uint64, fn func(Event) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		c.base+"/events/stream?after="+strconv.FormatUint(after, 10), nil)
	if err != nil {
		return fmt.Errorf("control: %w", err)
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Cache-Control", "no-store")
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("control: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return apiError(resp)
	}
	err = readSSE(resp, func(event string, data []byte) error {
		if event == "missed" || len(data) == 0 {
			return nil
		}
		var e Event
		if err := json.Unmarshal(data, &e); err != nil {
			return fmt.Errorf("control: decoding a streamed event: %w", err)
		}
		return fn(e)
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// WaitEvent waits on the event stream for the first event with a sequence
// number above after for which match returns true (any event when match is
// nil), and returns it. It returns ctx's error if ctx ends first. Pass the
// Seq of a stimulus, or Events' Last, as after so that nothing is missed
// between the stimulus and the wait.
func (c *Client) WaitEvent(ctx context.Context, after uint64, match func(Event) bool) (Event, error) {
	var found Event
	err := c.Follow(ctx, after, func(e Event) error {
		if e.Seq > after && (match == nil || match(e)) {
			found = e
			return errStop
		}
		return nil
	})
	if errors.Is(err, errStop) {
		return found, nil
	}
	return Event{}, err
}

// readSSE parses a server-sent-event stream, calling dispatch with each
// message's event name and data. It returns dispatch's error, the read
// error, or ErrStreamEnded at the end of the stream.
func readSSE(resp *http.Response, dispatch func(event string, data []byte) error) error {
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var event string
	var data []byte
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			if data != nil {
				if err := dispatch(event, data); err != nil {
					return err
				}
			}
			event, data = "", nil
			continue
		}
		if line[0] == ':' {
			continue // a comment: keep-alive
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(field) {
		case "event":
			event = string(value)
		case "data":
			if data != nil {
				data = append(data, '\n')
			}
			data = append(data, value...)
			if data == nil {
				data = []byte{}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("control: reading the event stream: %w", err)
	}
	return ErrStreamEnded
}

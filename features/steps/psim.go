package steps

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/dataserver"
)

// The PSIM's side of the driver.
//
// A scenario acts and observes as a PSIM does: through the driver's
// northbound API (the Dataserver) over HTTP — statuses from GET /assets,
// commands by POST /assets/{type}/{id}/commands, the selection by
// /selection — and the workflow events from its server-sent event stream
// GET /events. So a driver whose HTTP command drops `seconds`, or whose
// stream loses or garbles an event, fails the suite. The in-process
// registry is used only to set up (adding hand-made assets) and to know how
// many events the bus published, which is how a step waits for the stream
// to catch up after a poll instead of sleeping.

// psimWait bounds how long a step waits for the event stream to deliver
// what the bus published.
const psimWait = 10 * time.Second

// psim is a northbound client of one driver: its Dataserver served on
// 127.0.0.1:0 and the event stream read in the background.
type psim struct {
	ds     *dataserver.Server
	ts     *httptest.Server
	base   string
	hc     *http.Client
	events chan asset.Event
	errc   chan error // the stream's end, with why
	last   uint64     // the sequence number of the last event read
	err    error      // the stream's failure, once seen
	stop   func()
}

// openPSIM serves the driver's registry as its Dataserver and subscribes to
// its event stream; it returns once the subscription is in place, so no
// event published afterwards is missed.
func openPSIM(reg *asset.Registry) (*psim, error) {
	ds := dataserver.New(reg, dataserver.WithEventBuffer(1<<16))
	ts := httptest.NewServer(ds.Handler())
	p := &psim{ds: ds, ts: ts, base: ts.URL, hc: ts.Client(), events: make(chan asset.Event, 1<<16), errc: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	before := reg.Bus().Subscribers()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+"/events", nil)
	if err != nil {
		cancel()
		ts.Close()
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := p.hc.Do(req)
	if err != nil {
		cancel()
		ts.Close()
		return nil, fmt.Errorf("GET /events: %w", err)
	}
	if resp.StatusCode != http.StatusOK || reg.Bus().Subscribers() <= before {
		cancel()
		resp.Body.Close()
		ts.Close()
		return nil, fmt.Errorf("GET /events: HTTP %d, the stream is not subscribed to the bus", resp.StatusCode)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.errc <- readSSE(resp.Body, p.events)
	}()
	p.stop = func() {
		ds.Close()
		cancel()
		resp.Body.Close()
		<-done
		ts.Close()
	}
	return p, nil
}

// readSSE decodes the stream's events onto out until it ends.
func readSSE(body io.Reader, out chan<- asset.Event) error {
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var data bytes.Buffer
	var name, id string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if data.Len() == 0 {
				continue // a comment's end (keep-alive)
			}
			e, err := asset.DecodeEvent(data.Bytes())
			if err != nil {
				return fmt.Errorf("the event stream sent an event the PSIM cannot read: %w", err)
			}
			if name != e.EventName() {
				return fmt.Errorf("the event stream named event #%d %q but sent %q", e.Sequence(), name, e.EventName())
			}
			if id != strconv.FormatUint(e.Sequence(), 10) {
				return fmt.Errorf("the event stream gave event #%d the id %q", e.Sequence(), id)
			}
			out <- e
			data.Reset()
			name, id = "", ""
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "data: "):
			if data.Len() > 0 {
				data.WriteByte('\n')
			}
			data.WriteString(strings.TrimPrefix(line, "data: "))
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "id: "):
			id = strings.TrimPrefix(line, "id: ")
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return io.EOF
}

// until reads the stream up to the event numbered seq, returning what it
// read. A gap in the numbers (an event lost on the way) or a stream that
// ended is an error, kept: every later call returns it.
func (p *psim) until(seq uint64) ([]asset.Event, error) {
	if p.err != nil {
		return nil, p.err
	}
	var got []asset.Event
	timeout := time.NewTimer(psimWait)
	defer timeout.Stop()
	for p.last < seq {
		select {
		case e := <-p.events:
			if e.Sequence() != p.last+1 {
				p.err = fmt.Errorf("the event stream skipped from event #%d to #%d: the PSIM lost events", p.last, e.Sequence())
				return got, p.err
			}
			p.last = e.Sequence()
			got = append(got, e)
		case err := <-p.errc:
			p.err = fmt.Errorf("the driver's event stream ended after event #%d of %d: %v", p.last, seq, err)
			return got, p.err
		case <-timeout.C:
			p.err = fmt.Errorf("the driver's event stream delivered events up to #%d in %s; the bus published up to #%d", p.last, psimWait, seq)
			return got, p.err
		}
	}
	return got, nil
}

// apiError is an error answer of the northbound API: its status and the
// driver's message.
type apiError struct {
	Status  int
	Message string
}

func (e *apiError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.Status, e.Message) }

// do sends a request with a JSON body (when in is not nil) and reads the
// JSON answer into out (when not nil); an error answer is an *apiError.
func (p *psim) do(method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	ctx, cancel := ctxT()
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			return fmt.Errorf("%s %s: HTTP %d without the API's JSON error: %.200q", method, path, resp.StatusCode, data)
		}
		return &apiError{Status: resp.StatusCode, Message: e.Error}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: the answer is not what the API documents: %w: %.200q", method, path, err, data)
	}
	return nil
}

// asset reads GET /assets/{type}/{id}.
func (p *psim) asset(ref asset.Ref) (asset.Snapshot, error) {
	var s asset.Snapshot
	err := p.do(http.MethodGet, "/assets/"+string(ref.Type)+"/"+strconv.Itoa(ref.ID), nil, &s)
	var ae *apiError
	if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
		return s, fmt.Errorf("%w: %s", asset.ErrUnknownAsset, ae.Message)
	}
	return s, err
}

// assets reads GET /assets.
func (p *psim) assets() ([]asset.Snapshot, error) {
	var list []asset.Snapshot
	err := p.do(http.MethodGet, "/assets", nil, &list)
	return list, err
}

// command sends POST /assets/{type}/{id}/commands as the PSIM's operator
// does: the command by its name as typed, seconds only when given.
func (p *psim) command(ref asset.Ref, name string, secs int, withSecs bool) error {
	body := map[string]any{"command": name}
	if withSecs {
		body["seconds"] = secs
	}
	return p.do(http.MethodPost, "/assets/"+string(ref.Type)+"/"+strconv.Itoa(ref.ID)+"/commands", body, nil)
}

// selectionBody is the JSON of /selection.
type selectionBody struct {
	Assets []asset.Ref `json:"assets"`
}

// selection reads GET /selection.
func (p *psim) selection() ([]asset.Ref, error) {
	var s selectionBody
	err := p.do(http.MethodGet, "/selection", nil, &s)
	return s.Assets, err
}

// setSelection replaces the selection (POST /selection).
func (p *psim) setSelection(refs []asset.Ref) error {
	return p.do(http.MethodPost, "/selection", selectionBody{Assets: refs}, nil)
}

// selectionResult is one asset's result of POST /selection/commands.
type selectionResult struct {
	asset.Ref
	Error string `json:"error"`
}

// selectionCommand sends POST /selection/commands.
func (p *psim) selectionCommand(name string) ([]selectionResult, error) {
	var resp struct {
		Results []selectionResult `json:"results"`
	}
	err := p.do(http.MethodPost, "/selection/commands", map[string]any{"command": name}, &resp)
	return resp.Results, err
}

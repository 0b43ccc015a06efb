package control

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pacsim/pacsim/sim"
)

// Client is a typed client of the control API, for a server in the same
// process or a remote `pacsim serve`. It is safe for concurrent use.
type Client struct {
	base string
	hc   *http.Client
}

// ClientOption configures a Client.
type ClientOption func(*Client)

// defaultHTTPClient is shared by every Client without WithHTTPClient: no
// timeout, so that event streams stay open, and an idle pool large enough
// for many concurrent calls to one server (http.DefaultTransport keeps 2
// idle connections per host, so concurrent callers keep reconnecting).
var defaultHTTPClient = func() *http.Client {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		t = t.Clone()
		t.MaxIdleConnsPerHost = 64
		return &http.Client{Transport: t}
	}
	return &http.Client{}
}()

// WithHTTPClient sets the HTTP client to use (default: a shared one without
// a timeout, so that event streams can stay open; bound calls with their
// context). A client with a Timeout also cuts event streams after it.
func WithHTTPClient(hc *http.Client) ClientOption {
	return func(c *Client) {
		if hc != nil {
			c.hc = hc
		}
	}
}

// NewClient returns a client of the API at baseURL, which ends in /v1
// ("http://127.0.0.1:9700/v1", with or without a trailing slash); a base URL
// without the /v1 gets it appended.
func NewClient(baseURL string, opts ...ClientOption) *Client {
	base := strings.TrimRight(baseURL, "/")
	if !strings.HasSuffix(base, "/v1") {
		base += "/v1"
	}
	c := &Client{base: base, hc: defaultHTTPClient}
	for _, o := range opts {
		o(c)
	}
	return c
}

// BaseURL returns the API's base URL, ending in /v1.
func (c *Client) BaseURL() string { return c.base }

// APIError is an error answer of the server: its HTTP status and the
// message of its {"error":"…"} body. Find it with errors.As.
type APIError struct {
	// Status is the HTTP status code (404, 409, …).
	Status int
	// Message is the server's message, which says what was wrong.
	Message string
}

// Error returns the server's message with the status.
func (e *APIError) Error() string {
	return fmt.Sprintf("control API: %s (HTTP %d %s)", e.Message, e.Status, http.StatusText(e.Status))
}

// apiError reads an error answer.
func apiError(resp *http.Response) *APIError {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes))
	e := &APIError{Status: resp.StatusCode}
	var body errorBody
	if json.Unmarshal(data, &body) == nil && body.Error != "" {
		e.Message = body.Error
	} else if t := strings.TrimSpace(string(data)); t != "" {
		e.Message = t
	} else {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}

// do sends a request with in as its JSON body (none when nil) and decodes
// a 200 answer into out (discarded when nil).
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("control: encoding the request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return fmt.Errorf("control: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("control: %w", err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096)) // let the connection be reused
		resp.Body.Close()
	}()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return apiError(resp)
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("control: decoding the answer of %s %s: %w", method, path, err)
	}
	return nil
}

func idPath(kind string, id sim.ID, action string) string {
	p := "/" + kind + "/" + strconv.Itoa(int(id))
	if action != "" {
		p += "/" + action
	}
	return p
}

func get[T any](ctx context.Context, c *Client, path string) (T, error) {
	var v T
	err := c.do(ctx, http.MethodGet, path, nil, &v)
	return v, err
}

// Site returns every component with its state (GET /v1/site).
func (c *Client) Site(ctx context.Context) (sim.Snapshot, error) {
	return get[sim.Snapshot](ctx, c, "/site")
}

// SiteByID returns one site (GET /v1/sites/{id}).
func (c *Client) SiteByID(ctx context.Context, id sim.ID) (sim.SiteState, error) {
	return get[sim.SiteState](ctx, c, idPath("sites", id, ""))
}

// Gateway returns one gateway (GET /v1/gateways/{id}).
func (c *Client) Gateway(ctx context.Context, id sim.ID) (sim.GatewayState, error) {
	return get[sim.GatewayState](ctx, c, idPath("gateways", id, ""))
}

// Controller returns one controller (GET /v1/controllers/{id}).
func (c *Client) Controller(ctx context.Context, id sim.ID) (sim.ControllerState, error) {
	return get[sim.ControllerState](ctx, c, idPath("controllers", id, ""))
}

// Door returns one door (GET /v1/doors/{id}).
func (c *Client) Door(ctx context.Context, id sim.ID) (sim.DoorState, error) {
	return get[sim.DoorState](ctx, c, idPath("doors", id, ""))
}

// Reader returns one reader (GET /v1/readers/{id}).
func (c *Client) Reader(ctx context.Context, id sim.ID) (sim.ReaderState, error) {
	return get[sim.ReaderState](ctx, c, idPath("readers", id, ""))
}

// Input returns one input (GET /v1/inputs/{id}).
func (c *Client) Input(ctx context.Context, id sim.ID) (sim.InputState, error) {
	return get[sim.InputState](ctx, c, idPath("inputs", id, ""))
}

// Output returns one output (GET /v1/outputs/{id}).
func (c *Client) Output(ctx context.Context, id sim.ID) (sim.OutputState, error) {
	return get[sim.OutputState](ctx, c, idPath("outputs", id, ""))
}

// Reset returns every component to its state at start (POST /v1/reset)
// and, on a server with a fault plan (pacsim serve, simtest), removes every
// fault.
func (c *Client) Reset(ctx context.Context) error {
	return c.do(ctx, http.MethodPost, "/reset", nil, nil)
}

// Present presents a card, with the PIN typed ("" for none), at a reader
// (POST /v1/readers/{id}/present) and returns the decision.
func (c *Client) Present(ctx context.Context, reader sim.ID, card, pin string) (Decision, error) {
	var d Decision
	body := struct {
		Card string `json:"card"`
		PIN  string `json:"pin,omitempty"`
	}{card, pin}
	err := c.do(ctx, http.MethodPost, idPath("readers", reader, "present"), body, &d)
	return d, err
}

func (c *Client) seqAction(ctx context.Context, kind string, id sim.ID, action string) (uint64, error) {
	var r SeqResult
	err := c.do(ctx, http.MethodPost, idPath(kind, id, action), nil, &r)
	return r.Seq, err
}

// OpenDoor opens a door (POST /v1/doors/{id}/open). Opened while locked,
// without a grant or request-to-exit, the door is forced. It returns the
// event's sequence number (0 while held).
func (c *Client) OpenDoor(ctx context.Context, door sim.ID) (uint64, error) {
	return c.seqAction(ctx, "doors", door, "open")
}

// CloseDoor closes a door (POST /v1/doors/{id}/close).
func (c *Client) CloseDoor(ctx context.Context, door sim.ID) (uint64, error) {
	return c.seqAction(ctx, "doors", door, "close")
}

// PressREX presses a door's request-to-exit (POST /v1/doors/{id}/rex).
func (c *Client) PressREX(ctx context.Context, door sim.ID) (uint64, error) {
	return c.seqAction(ctx, "doors", door, "rex")
}

// ActivateInput puts an input in alarm (POST /v1/inputs/{id}/activate).
// The sequence number is 0 when the input is shunted (no event) or held.
func (c *Client) ActivateInput(ctx context.Context, input sim.ID) (uint64, error) {
	return c.seqAction(ctx, "inputs", input, "activate")
}

// DeactivateInput returns an input to rest (POST /v1/inputs/{id}/deactivate).
func (c *Client) DeactivateInput(ctx context.Context, input sim.ID) (uint64, error) {
	return c.seqAction(ctx, "inputs", input, "deactivate")
}

// TamperInput tampers with an input (POST /v1/inputs/{id}/tamper).
func (c *Client) TamperInput(ctx context.Context, input sim.ID) (uint64, error) {
	return c.seqAction(ctx, "inputs", input, "tamper")
}

// RestoreInput ends an input's tamper (POST /v1/inputs/{id}/restore).
func (c *Client) RestoreInput(ctx context.Context, input sim.ID) (uint64, error) {
	return c.seqAction(ctx, "inputs", input, "restore")
}

// FailController cuts a controller's communication
// (POST /v1/controllers/{id}/fail): its events are held until restored.
func (c *Client) FailController(ctx context.Context, controller sim.ID) error {
	return c.do(ctx, http.MethodPost, idPath("controllers", controller, "fail"), nil, nil)
}

// RestoreController ends a controller's communication failure
// (POST /v1/controllers/{id}/restore); the held events are delivered.
func (c *Client) RestoreController(ctx context.Context, controller sim.ID) error {
	return c.do(ctx, http.MethodPost, idPath("controllers", controller, "restore"), nil, nil)
}

// DisconnectGateway disconnects a gateway
// (POST /v1/gateways/{id}/disconnect).
func (c *Client) DisconnectGateway(ctx context.Context, gateway sim.ID) error {
	return c.do(ctx, http.MethodPost, idPath("gateways", gateway, "disconnect"), nil, nil)
}

// ConnectGateway reconnects a gateway (POST /v1/gateways/{id}/connect).
func (c *Client) ConnectGateway(ctx context.Context, gateway sim.ID) error {
	return c.do(ctx, http.MethodPost, idPath("gateways", gateway, "connect"), nil, nil)
}

// Clock returns the site time and clock mode (GET /v1/clock).
func (c *Client) Clock(ctx context.Context) (ClockState, error) {
	return get[ClockState](ctx, c, "/clock")
}

// Advance moves the virtual clock forward by d, firing every timer that
// falls due (POST /v1/clock/advance). A server on the real clock answers
// 409.
func (c *Client) Advance(ctx context.Context, d time.Duration) (ClockState, error) {
	var cs ClockState
	body := struct {
		Duration string `json:"duration"`
	}{d.String()}
	err := c.do(ctx, http.MethodPost, "/clock/advance", body, &cs)
	return cs, err
}

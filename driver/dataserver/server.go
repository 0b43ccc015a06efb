// Package dataserver is the EntraPass driver's northbound API (SPEC §6
// "Northbound"): the Dataserver of the integration document (port 9628,
// configurable) and the Debug Tools log stream (port 9629, fixed for a real
// site; settable in process so that parallel tests do not collide).
//
// Routes of Server.Handler:
//
//	GET  /assets                    every asset as a JSON array (?type=door: one type)
//	GET  /assets/{type}/{id}        one asset: {"type":"door","id":12,"name":…,"status":…,"statuses":[…],"properties":{…}}
//	POST /assets/{type}/{id}/commands  {"command":"Pass","seconds":5}
//	GET  /selection                 {"assets":[{"type":"door","id":12}]}
//	POST /selection                 {"assets":[{"type":"door","id":12}]}: replaces the selection
//	POST /selection/commands        {"command":"Lock"}: every selected asset, with per-asset results
//	GET  /events                    server-sent events of the asset bus (id: the event's seq)
//
// Errors are JSON {"error":"…"}: 400 for a malformed body (unknown fields,
// trailing data, bad JSON), an unknown or unsupported command or a parameter
// out of range (nothing is sent); 404 for an unknown asset or type; 405 with
// Allow; 409 for a command the asset's state refuses (Acknowledge without an
// alarm, a command with nothing selected); 413 for a body over 64 KiB; 502
// for a hardware command the server failed, with the driver's message; 503
// when there is no hardware; 504 when the command timed out.
//
// LogStream (GET /logs on its own handler) is the debug log stream.
//
// The package imports only driver/asset: it serves any asset.Registry.
package dataserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/internal/jsonerr"
	"github.com/pacsim/pacsim/internal/limit"
)

// DefaultAddr is the Dataserver's address: port 9628 of the integration
// document (configurable).
const DefaultAddr = "127.0.0.1:9628"

// MaxBody caps a request body; a larger one is refused with 413.
const MaxBody = 64 << 10

// DefaultHeartbeat is how often an idle event stream gets a comment line,
// so that proxies and clients see it is alive.
const DefaultHeartbeat = 15 * time.Second

// DefaultCommandTimeout bounds one command (the hardware round trip).
const DefaultCommandTimeout = 30 * time.Second

// Route names of Server.Handler (mux.Router.Get finds them).
const (
	RouteAssets            = "assets"
	RouteAsset             = "asset"
	RouteAssetCommands     = "asset-commands"
	RouteSelection         = "selection"
	RouteSelectionCommands = "selection-commands"
	RouteEvents            = "events"
	RouteLogs              = "logs"
	RouteHealth            = "healthz"
	RouteReady             = "readyz"
)

// Server serves a registry northbound. It is safe for concurrent use.
type Server struct {
	reg       *asset.Registry
	log       *slog.Logger
	heartbeat time.Duration
	timeout   time.Duration
	buffer    int
	router    *mux.Router
	ready     func() error
	streams   *guard.Slots

	done      chan struct{}
	closeOnce sync.Once
}

// Option configures a Server.
type Option func(*Server)

// WithLogger logs the commands given and refused (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(s *Server) {
		if l != nil {
			s.log = l
		}
	}
}

// WithHeartbeat sets how often an idle event stream gets a comment line
// (DefaultHeartbeat when d ≤ 0).
func WithHeartbeat(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.heartbeat = d
		}
	}
}

// WithCommandTimeout bounds one command (DefaultCommandTimeout when d ≤ 0).
func WithCommandTimeout(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.timeout = d
		}
	}
}

// WithEventBuffer sets the bus buffer of each event stream subscriber
// (asset.DefaultBuffer when n ≤ 0). A slow client loses the oldest events;
// the gap in the ids shows it.
func WithEventBuffer(n int) Option { return func(s *Server) { s.buffer = n } }

// WithReady sets what GET /readyz asks: nil when the driver is ready
// (logged in to its head-end), else why not (default: always ready).
func WithReady(ready func() error) Option { return func(s *Server) { s.ready = ready } }

// WithMaxStreams caps the event streams open at once; one more is refused
// with 503 (guard.DefaultMaxStreams, 256, when n <= 0).
func WithMaxStreams(n int) Option { return func(s *Server) { s.streams = guard.NewSlots(n) } }

// New makes a server for reg.
func New(reg *asset.Registry, opts ...Option) *Server {
	s := &Server{
		reg:       reg,
		log:       slog.New(slog.DiscardHandler),
		heartbeat: DefaultHeartbeat,
		timeout:   DefaultCommandTimeout,
		streams:   guard.NewSlots(0),
		done:      make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	r := mux.NewRouter()
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no such resource %s (see GET /assets)", guard.Clip(r.URL.Path)))
	})
	route(r, RouteAssets, "/assets", methods{http.MethodGet: s.listAssets})
	route(r, RouteAsset, "/assets/{type}/{id}", methods{http.MethodGet: s.getAsset})
	route(r, RouteAssetCommands, "/assets/{type}/{id}/commands", methods{http.MethodPost: s.assetCommand})
	route(r, RouteSelection, "/selection", methods{http.MethodGet: s.getSelection, http.MethodPost: s.setSelection})
	route(r, RouteSelectionCommands, "/selection/commands", methods{http.MethodPost: s.selectionCommand})
	route(r, RouteEvents, "/events", methods{http.MethodGet: s.events})
	route(r, RouteHealth, guard.HealthPath, methods{http.MethodGet: guard.Healthz})
	route(r, RouteReady, guard.ReadyPath, methods{http.MethodGet: func(w http.ResponseWriter, r *http.Request) { guard.Readyz(s.ready)(w, r) }})
	s.router = r
	return s
}

// Handler returns the API's handler.
func (s *Server) Handler() http.Handler { return s.router }

// Router returns the API's router, whose routes are named Route….
func (s *Server) Router() *mux.Router { return s.router }

// Close ends every event stream (so that http.Server.Shutdown does not wait
// on them) and refuses new ones. The other routes keep working.
func (s *Server) Close() { s.closeOnce.Do(func() { close(s.done) }) }

// methods maps an HTTP method to its handler for one path.
type methods map[string]http.HandlerFunc

// route registers a path once with the methods it takes: a path that
// matches with another method is answered 405 with Allow, not 404.
func route(r *mux.Router, name, path string, m methods) {
	allow := make([]string, 0, len(m))
	for k := range m {
		allow = append(allow, k)
	}
	sort.Strings(allow)
	allowed := strings.Join(allow, ", ")
	r.HandleFunc(path, func(w http.ResponseWriter, req *http.Request) {
		h, ok := m[req.Method]
		if !ok {
			w.Header().Set("Allow", allowed)
			writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed on %s (allowed: %s)", guard.Clip(req.Method), guard.Clip(req.URL.Path), allowed))
			return
		}
		h(w, req)
	}).Name(name)
}

// errorBody is every error answer.
type errorBody struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code, b = http.StatusInternalServerError, []byte(`{"error":"cannot encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}

// maxMessage caps an error message: every message names what was wrong in
// far less, so a longer one can only be repeating a client's huge input.
const maxMessage = 1 << 10

func writeError(w http.ResponseWriter, code int, msg string) {
	if len(msg) > maxMessage {
		msg = strings.ToValidUTF8(msg[:maxMessage], "") + "… (message cut)"
	}
	writeJSON(w, code, errorBody{Error: msg})
}

// statusOf chooses the answer to an error of the registry (see the package
// documentation).
func statusOf(err error) int {
	switch {
	case errors.Is(err, asset.ErrUnknownAsset), errors.Is(err, asset.ErrUnknownType):
		return http.StatusNotFound
	case errors.Is(err, asset.ErrUnknownCommand), errors.Is(err, asset.ErrUnsupported),
		errors.Is(err, asset.ErrOutOfRange), errors.Is(err, asset.ErrUnknownStatus):
		return http.StatusBadRequest
	case errors.Is(err, asset.ErrRefused):
		return http.StatusConflict
	case errors.Is(err, asset.ErrNoHardware):
		return http.StatusServiceUnavailable
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	}
	return http.StatusBadGateway // the server (hardware) failed the command
}

// decode reads a JSON body of at most MaxBody bytes into v, refusing
// unknown fields and trailing data. It answers the error itself and reports
// whether v was read.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err == nil {
		if lerr := limit.JSON(data, limit.Server); lerr != nil {
			writeError(w, http.StatusBadRequest, "the body is refused: "+lerr.Error())
			return false
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err == nil {
		err = dec.Decode(v)
	}
	if err == nil {
		if dec.Decode(&struct{}{}) != io.EOF {
			err = errors.New("trailing data after the JSON object")
		}
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", MaxBody))
	case errors.Is(err, io.EOF):
		writeError(w, http.StatusBadRequest, "malformed JSON body: empty body")
	default:
		writeError(w, http.StatusBadRequest, "malformed JSON body: "+clipMessage(jsonerr.Problem(err)))
	}
	return false
}

// clipMessage cuts a message about a client's input at 256 bytes.
func clipMessage(s string) string {
	if len(s) <= 256 {
		return s
	}
	return strings.ToValidUTF8(s[:256], "") + fmt.Sprintf("… (%d bytes)", len(s))
}

// refOf reads {type}/{id} of the path; an unknown type or an id that is not
// a positive integer is an unknown asset (404).
func refOf(r *http.Request) (asset.Ref, error) {
	v := mux.Vars(r)
	t, id := v["type"], v["id"]
	if len(t) > guard.MaxEcho || len(id) > guard.MaxEcho { // no type or id is that long
		return asset.Ref{}, fmt.Errorf("%w: asset reference %s/%s is not type/id", asset.ErrUnknownAsset, guard.Clip(t), guard.Clip(id))
	}
	return asset.ParseRef(t + "/" + id)
}

func (s *Server) listAssets(w http.ResponseWriter, r *http.Request) {
	list := s.reg.List()
	if q := r.URL.Query(); q.Has("type") {
		t, err := asset.ParseType(q.Get("type"))
		if err != nil {
			writeError(w, http.StatusBadRequest, "type: "+clipMessage(err.Error()))
			return
		}
		kept := list[:0]
		for _, a := range list {
			if a.Type == t {
				kept = append(kept, a)
			}
		}
		list = kept
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) getAsset(w http.ResponseWriter, r *http.Request) {
	ref, err := refOf(r)
	if err == nil {
		var snap asset.Snapshot
		if snap, err = s.reg.Get(ref); err == nil {
			writeJSON(w, http.StatusOK, snap)
			return
		}
	}
	writeError(w, statusOf(err), err.Error())
}

// commandRequest is the body of the command routes. Command is a pointer so
// that a missing "command" is told apart from an unknown one, and a string
// so that an unknown one is told apart from malformed JSON.
type commandRequest struct {
	Command *string `json:"command"`
	Seconds int     `json:"seconds,omitempty"`
}

// readCommand reads the command of a body for an asset of type t, or for
// the selection when t is "": an unknown command is a 400 that lists the
// commands of t (of the document, for the selection).
func readCommand(w http.ResponseWriter, r *http.Request, t asset.Type) (asset.Command, bool) {
	var req commandRequest
	if !decode(w, r, &req) {
		return asset.Command{}, false
	}
	if req.Command == nil {
		writeError(w, http.StatusBadRequest, `"command" is required (for instance {"command":"Pass","seconds":5})`)
		return asset.Command{}, false
	}
	name, err := asset.ParseCommand(*req.Command)
	if err != nil {
		if t != "" {
			err = asset.Command{Name: asset.CommandName(*req.Command)}.Validate(t)
		}
		writeError(w, statusOf(err), err.Error())
		return asset.Command{}, false
	}
	return asset.Command{Name: name, Seconds: req.Seconds}, true
}

// CommandResponse is the answer to a command carried out on one asset: the
// asset, the command and what the asset shows after it (a hardware command
// shows its effect once the driver reads the new state from the server).
type CommandResponse struct {
	asset.Ref
	asset.Command
	Asset asset.Snapshot `json:"asset"`
}

func (s *Server) assetCommand(w http.ResponseWriter, r *http.Request) {
	ref, err := refOf(r)
	if err == nil {
		_, err = s.reg.Get(ref)
	}
	if err != nil {
		writeError(w, statusOf(err), err.Error())
		return
	}
	cmd, ok := readCommand(w, r, ref.Type)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	if err := s.reg.Execute(ctx, ref, cmd); err != nil {
		code := statusOf(err)
		s.log.Warn("dataserver: command refused or failed", "asset", ref.String(), "command", cmd.String(), "status", code, "error", err)
		writeError(w, code, err.Error())
		return
	}
	s.log.Info("dataserver: command carried out", "asset", ref.String(), "command", cmd.String())
	snap, err := s.reg.Get(ref)
	if err != nil { // removed meanwhile
		writeError(w, statusOf(err), err.Error())
		return
	}
	writeJSON(w, http.StatusOK, CommandResponse{Ref: ref, Command: cmd, Asset: snap})
}

// Selection is the body of POST /selection and the answer of both selection
// routes.
type Selection struct {
	Assets []asset.Ref `json:"assets"`
}

func (s *Server) getSelection(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, Selection{Assets: s.reg.Selection()})
}

func (s *Server) setSelection(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Assets *[]asset.Ref `json:"assets"`
	}
	if !decode(w, r, &req) {
		return
	}
	if req.Assets == nil {
		writeError(w, http.StatusBadRequest, `"assets" is required (for instance {"assets":[{"type":"door","id":12}]}; [] empties the selection)`)
		return
	}
	if err := s.reg.Select(*req.Assets...); err != nil {
		writeError(w, statusOf(err), err.Error())
		return
	}
	s.getSelection(w, r)
}

// SelectionResponse is the answer to POST /selection/commands: one result
// per selected asset, in List's order, each with "error" when it failed.
type SelectionResponse struct {
	asset.Command
	Results []asset.Result `json:"results"`
	// Failed is the number of results with an error.
	Failed int `json:"failed"`
}

// selectionCommand answers 200 when every selected asset carried out the
// command, 207 (Multi-Status) when some failed (each failure in its
// result), and an error without results when the command was refused for
// the selection as a whole (nothing was sent).
func (s *Server) selectionCommand(w http.ResponseWriter, r *http.Request) {
	cmd, ok := readCommand(w, r, "")
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	results, err := s.reg.ApplyToSelection(ctx, cmd)
	if results == nil && err != nil {
		code := statusOf(err)
		s.log.Warn("dataserver: selection command refused", "command", cmd.String(), "status", code, "error", err)
		writeError(w, code, err.Error())
		return
	}
	resp := SelectionResponse{Command: cmd, Results: results}
	if resp.Results == nil {
		resp.Results = []asset.Result{}
	}
	for _, res := range results {
		if res.Err != nil {
			resp.Failed++
		}
	}
	code := http.StatusOK
	if resp.Failed > 0 {
		code = http.StatusMultiStatus
		s.log.Warn("dataserver: selection command failed on some assets", "command", cmd.String(), "failed", resp.Failed, "error", err)
	} else {
		s.log.Info("dataserver: selection command carried out", "command", cmd.String(), "assets", len(results))
	}
	writeJSON(w, code, resp)
}

// events streams the bus as server-sent events:
//
//	id: 7
//	event: Status Changed
//	data: {"event":"Status Changed","seq":7,"type":"door","id":12,…}
//
// until the client leaves, the server is closed or the bus is closed.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	select {
	case <-s.done:
		writeError(w, http.StatusServiceUnavailable, "the dataserver is shutting down")
		return
	default:
	}
	if !s.streams.TryAcquire() {
		writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("the dataserver already serves %d event streams, its most: close one and retry", s.streams.Cap()))
		return
	}
	defer s.streams.Release()
	sub := s.reg.Bus().Subscribe(s.buffer)
	defer sub.Close()
	sse := startSSE(w)
	tick := time.NewTicker(s.heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-tick.C:
			if sse.comment("keep-alive") != nil {
				return
			}
		case e, ok := <-sub.Events():
			if !ok {
				return
			}
			data, err := json.Marshal(e)
			if err != nil {
				continue // cannot happen: every event marshals
			}
			if sse.event(e.Sequence(), e.EventName(), data) != nil {
				return
			}
		}
	}
}

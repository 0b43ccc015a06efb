package fault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/internal/limit"
	"github.com/pacsim/pacsim/sim"
)

// Route names of the fault API, as registered on the router.
const (
	RouteFaults      = "faults"       // GET /v1/faults
	RouteFaultAdd    = "faults.add"   // POST /v1/faults
	RouteFaultsReset = "faults.reset" // DELETE /v1/faults
	RouteFault       = "fault"        // GET /v1/faults/{id}
	RouteFaultRemove = "fault.remove" // DELETE /v1/faults/{id}
	RouteFaultKinds  = "fault-kinds"  // GET /v1/fault-kinds
)

// MaxBodyBytes is the largest fault body POST /v1/faults reads: 64 KiB, as
// the rest of the control API.
const MaxBodyBytes = 64 << 10

// List is the answer of GET /v1/faults.
type List struct {
	// Faults are the plan's faults, in order of addition.
	Faults []Status `json:"faults"`
}

// Removed is the answer of DELETE /v1/faults.
type Removed struct {
	// Removed is how many faults were removed.
	Removed int `json:"removed"`
}

// Routes returns the fault API of p, for control.WithRoutes:
//
//	GET    /v1/faults       → 200 {"faults":[Status…]}, in order of addition
//	POST   /v1/faults       → 201 Status (with its "id"; Location /v1/faults/{id})
//	GET    /v1/faults/{id}  → 200 Status
//	DELETE /v1/faults/{id}  → 200 Status (state "removed", final counters)
//	DELETE /v1/faults       → 200 {"removed":N}
//	GET    /v1/fault-kinds  → 200 Vocabulary: the targets, kinds with their
//	                          parameters and types, match and when keys
//
// A Status is the fault's JSON form plus "id", "state", "matched",
// "fired", "added" and "last_error". Errors are {"error":"…"}: 400 for a
// malformed fault (the message names the target, kind, parameter or when
// key at fault, or the unknown component id) or a fault the plan is not
// wired for; 404 for an unknown fault id; 409 when the world refuses a
// hardware fault (the controller is already cut off, …) and when the plan
// already holds MaxFaults faults; 413 for a body
// over 64 KiB. A refused request applies nothing.
func Routes(p *Plan) func(*mux.Router) {
	return func(r *mux.Router) {
		r.Path("/v1/faults").Methods(http.MethodGet).Name(RouteFaults).HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, List{Faults: p.List()})
		})
		r.Path("/v1/faults").Methods(http.MethodPost).Name(RouteFaultAdd).HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f, err := readFault(w, r)
			if err != nil {
				writeError(w, err)
				return
			}
			st, err := p.Add(f)
			if err != nil {
				writeError(w, err)
				return
			}
			w.Header().Set("Location", "/v1/faults/"+st.ID)
			writeJSON(w, http.StatusCreated, st)
		})
		r.Path("/v1/faults").Methods(http.MethodDelete).Name(RouteFaultsReset).HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, Removed{Removed: p.Reset()})
		})
		r.Path("/v1/fault-kinds").Methods(http.MethodGet).Name(RouteFaultKinds).HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, Describe())
		})
		r.Path("/v1/faults/{id}").Methods(http.MethodGet).Name(RouteFault).HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			answer(w)(p.Get(mux.Vars(r)["id"]))
		})
		r.Path("/v1/faults/{id}").Methods(http.MethodDelete).Name(RouteFaultRemove).HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			answer(w)(p.Remove(mux.Vars(r)["id"]))
		})
	}
}

func answer(w http.ResponseWriter) func(Status, error) {
	return func(st Status, err error) {
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, st)
	}
}

// requestError is an error of the request itself, with its status.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return e.msg }

// readFault reads the body of POST /v1/faults: one fault, strictly.
func readFault(w http.ResponseWriter, r *http.Request) (Fault, error) {
	var f Fault
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return f, &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d KiB", MaxBodyBytes>>10)}
		}
		return f, &requestError{http.StatusBadRequest, "reading the request body: " + err.Error()}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return f, &requestError{http.StatusBadRequest, `empty request body: send a fault like {"target":"entrapass","kind":"status","params":{"status":503}}`}
	}
	if err := limit.JSON(data, limit.Server); err != nil {
		return f, &requestError{http.StatusBadRequest, "the body is refused: " + err.Error()}
	}
	if err := f.UnmarshalJSON(data); err != nil {
		return f, err
	}
	return f, nil
}

// statusOf maps an error to its HTTP status.
func statusOf(err error) int {
	var re *requestError
	switch {
	case errors.As(err, &re):
		return re.status
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrInvalid), errors.Is(err, ErrNotWired):
		return http.StatusBadRequest
	case errors.Is(err, ErrFull):
		return http.StatusConflict
	case errors.Is(err, ErrApply), errors.Is(err, sim.ErrState), errors.Is(err, sim.ErrUnreachable), errors.Is(err, sim.ErrFault):
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

type errorBody struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, err error) {
	writeJSON(w, statusOf(err), errorBody{Error: err.Error()})
}

// writeJSON answers status with v as JSON, in the control API's style.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errorBody{Error: "encoding the answer: " + err.Error()})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

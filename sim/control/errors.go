package control

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/internal/limit"
	"github.com/pacsim/pacsim/sim"
)

// MaxBodyBytes is the largest request body the server reads: 64 KiB. A larger
// one is answered 413.
const MaxBodyBytes = 64 << 10

// httpError is an error the server answers with its own status.
type httpError struct {
	status int
	msg    string
}

// Error returns the message the client gets.
func (e *httpError) Error() string { return e.msg }

// badRequest returns a 400 error with a formatted message.
func badRequest(format string, args ...any) error {
	return &httpError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// statusOf maps an error to its HTTP status: the server's own errors carry
// theirs; the world's sentinel errors map to 404, 400 or 409; anything else
// is a 500 (a defect: the world returned an error nobody expected).
func statusOf(err error) int {
	var he *httpError
	switch {
	case errors.As(err, &he):
		return he.status
	case errors.Is(err, sim.ErrUnknownID):
		return http.StatusNotFound
	case errors.Is(err, sim.ErrBadCard), errors.Is(err, sim.ErrOutOfRange):
		return http.StatusBadRequest
	case errors.Is(err, sim.ErrState), errors.Is(err, sim.ErrUnreachable), errors.Is(err, sim.ErrFault):
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON of every error answer.
type errorBody struct {
	Error string `json:"error"`
}

// writeJSON answers status with v as JSON.
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

// maxMessage caps an error message: every message names what was wrong in
// far less, so a longer one can only be repeating a client's huge input.
const maxMessage = 1 << 10

// writeError answers err as {"error":"…"} with the status statusOf gives.
func writeError(w http.ResponseWriter, err error) {
	msg := err.Error()
	if len(msg) > maxMessage {
		msg = msg[:maxMessage] + "… (message cut)"
		msg = strings.ToValidUTF8(msg, "")
	}
	writeJSON(w, statusOf(err), errorBody{Error: msg})
}

// decodeBody reads a JSON object into dst. The body is at most MaxBodyBytes
// (413 beyond); unknown fields, malformed JSON and trailing data are 400s.
// An empty body leaves dst as it is and is an error only when required.
func decodeBody(w http.ResponseWriter, r *http.Request, dst any, required bool, example string) error {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &httpError{status: http.StatusRequestEntityTooLarge,
				msg: fmt.Sprintf("request body is larger than %d KiB", MaxBodyBytes>>10)}
		}
		return badRequest("reading the request body: %v", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		if required {
			return badRequest("empty request body: send a JSON object like %s", example)
		}
		return nil
	}
	if err := limit.JSON(data, limit.Server); err != nil {
		return badRequest("the body is refused: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return badRequest("%s", describeJSONError(err, example))
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return badRequest("trailing data after the JSON object at byte %d: send one object like %s", dec.InputOffset(), example)
	}
	return nil
}

// describeJSONError turns a decoding error into a message for the user.
func describeJSONError(err error, example string) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("malformed JSON at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("field %q must be a JSON %s, not %s", guard.Clip(typ.Field), jsonKind(typ.Type.Kind().String()), guard.Clip(typ.Value))
		}
		return fmt.Sprintf("the body must be a JSON object like %s, not %s", example, guard.Clip(typ.Value))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: the body ends in the middle of a value"
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "unknown field") {
		return msg + " in the body: expected " + example
	}
	return "malformed JSON: " + msg
}

// jsonKind names a Go kind the way JSON calls it.
func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	case "ptr":
		return "value"
	}
	return "number"
}

// recoverer answers a panic with a 500 instead of dropping the connection,
// so even a defect leaves the client a JSON answer.
func recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				writeJSON(w, http.StatusInternalServerError, errorBody{Error: fmt.Sprintf("internal error: %v", v)})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

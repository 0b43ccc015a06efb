package fault

import (
	"net/http"
	"strconv"
)

func init() {
	register(&kindSpec{kind: KindStatus, params: []string{"status", "body"}, primary: "status",
		check: func(p *Params) error {
			if p.Status < 100 || p.Status > 599 {
				if p.Status == 0 {
					return invalidf("params.status is required: an HTTP status from 100 to 599")
				}
				return invalidf("params.status %d is outside 100–599", p.Status)
			}
			return nil
		}})
}

// statusBody is the body of a status fault: params.body, or the status and
// its text ("503 Service Unavailable").
func statusBody(p Params) (string, []byte) {
	if p.Body != "" {
		return "text/plain; charset=utf-8", []byte(p.Body)
	}
	return "text/plain; charset=utf-8", []byte(strconv.Itoa(p.Status) + " " + http.StatusText(p.Status) + "\n")
}

// answer writes the fault's own answer (status, app-fault) instead of the
// head-end's.
func (ru *rule) answer(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", ru.contentType)
	h.Set("Content-Length", strconv.Itoa(len(ru.body)))
	code := http.StatusOK
	if ru.kind == KindStatus {
		code = ru.params.Status
	}
	w.WriteHeader(code)
	_, _ = w.Write(ru.body)
}

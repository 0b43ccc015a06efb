package guard

import (
	"net/http"
	"strings"
)

// Health paths of every pacsim service (SPEC §11), answered without a token.
const (
	HealthPath = "/healthz"
	ReadyPath  = "/readyz"
)

// HealthPaths are the paths Options.Open should hold.
var HealthPaths = []string{HealthPath, ReadyPath}

// Healthz answers 200 "ok" while the process serves.
func Healthz(w http.ResponseWriter, r *http.Request) { plain(w, http.StatusOK, "ok") }

// Readyz returns the handler of GET /readyz: 200 "ok" when ready returns
// nil (or is nil), else 503 with ready's error, the reason.
func Readyz(ready func() error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ready != nil {
			if err := ready(); err != nil {
				plain(w, http.StatusServiceUnavailable, "not ready: "+err.Error())
				return
			}
		}
		plain(w, http.StatusOK, "ok")
	}
}

func plain(w http.ResponseWriter, code int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(strings.TrimSpace(msg) + "\n"))
}

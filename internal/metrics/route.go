package metrics

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"
)

// RouteOf returns a function naming the route template of a request on
// router ("/smartservice/doors/{id}"), or Unmatched. With lower, the path
// is matched lower-cased, as a router behind a lower-casing middleware
// sees it.
func RouteOf(router *mux.Router, lower bool) func(*http.Request) string {
	return func(r *http.Request) string {
		req := r
		if lower && r.URL != nil {
			if p := strings.ToLower(r.URL.Path); p != r.URL.Path {
				u := *r.URL
				u.Path, u.RawPath = p, ""
				c := *r
				c.URL = &u
				req = &c
			}
		}
		var m mux.RouteMatch
		if !router.Match(req, &m) || m.Route == nil {
			return Unmatched
		}
		t, err := m.Route.GetPathTemplate()
		if err != nil {
			return Unmatched
		}
		return t
	}
}

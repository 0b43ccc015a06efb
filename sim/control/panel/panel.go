// Package panel is pacsim's site panel: a live web page of the simulated
// site served at / of the control address (SPEC §5, "Site panel"). Its
// assets — plain HTML, CSS and JavaScript modules — are embedded in the
// binary; there is no build step and nothing is fetched from elsewhere.
//
// The page uses the control API alone (GET /v1/site, the stimuli, /v1/faults,
// /v1/fault-kinds, /v1/cardusers, /v1/clock, /v1/events and the event stream
// /v1/events/stream), so what the page can do a script can do too. Mount it
// with control.WithRoutes(panel.Routes()).
package panel

import (
	"embed"
	"encoding/json"
	"io/fs"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
)

//go:embed assets
var assets embed.FS

// Prefix is the path under which the panel's assets are served; the page
// itself is at /.
const Prefix = "/panel/"

// Route names of the panel, as registered on the router.
const (
	RoutePage   = "panel"        // GET /
	RouteAssets = "panel.assets" // GET /panel/…
)

// Assets returns the panel's files: index.html and what it loads.
func Assets() fs.FS {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // cannot happen: the directory is embedded
	}
	return sub
}

// Routes returns the panel's routes, for control.WithRoutes: the page at
// GET / and its assets under GET /panel/. Anything else under /panel/ is
// the control API's JSON 404.
func Routes() func(*mux.Router) {
	files := Assets()
	page, err := fs.ReadFile(files, "index.html")
	if err != nil {
		panic(err) // cannot happen: index.html is embedded
	}
	static := http.StripPrefix(Prefix, http.FileServerFS(files))
	return func(r *mux.Router) {
		r.Path("/").Methods(http.MethodGet, http.MethodHead).Name(RoutePage).HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			h := w.Header()
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-cache")
			h.Set("X-Content-Type-Options", "nosniff")
			// Everything the page loads or calls is on its own origin.
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
			_, _ = w.Write(page)
		})
		r.PathPrefix(Prefix).Methods(http.MethodGet, http.MethodHead).Name(RouteAssets).Handler(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			name := req.URL.Path[len(Prefix):]
			if name == "" || name == "index.html" {
				http.Redirect(w, req, "/", http.StatusFound)
				return
			}
			if _, err := fs.Stat(files, name); err != nil {
				b, _ := json.Marshal(map[string]string{"error": "the panel has no file " + strconv.Quote(name)})
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write(append(b, '\n'))
				return
			}
			w.Header().Set("Cache-Control", "no-cache")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			static.ServeHTTP(w, req)
		}))
	}
}
